"""RL801 says where a plain-text password is, and never what it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.rules.test_cases import run_case

SECRET = "Xy7-very-secret-pw"

INPUTS = {
    "values": ("input.yaml", f"architecture: replication\nauth:\n  password: {SECRET}\n"),
    "common-configuration": ("input.yaml", "architecture: standalone\ncommonConfiguration: |\n  appendonly yes\n"
                             f"  requirepass {SECRET}\n  masterauth \"{SECRET}\"\n"),
    "extra-flags": ("input.yaml", f"architecture: standalone\nmaster:\n  extraFlags:\n    - --requirepass {SECRET}\n"),
    "acl": ("input.yaml", f"architecture: standalone\nmaster:\n  configuration: |\n    user app on >{SECRET} ~* +@all\n"),
    "redis-conf": ("redis.conf", f"requirepass {SECRET}\nmasterauth {SECRET}\n"),
}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_password_is_never_repeated(tmp_path: Path, name: str) -> None:
    file, content = INPUTS[name]
    findings = run_case(tmp_path, "RL801", {"file": file, "content": content, "profile": "cache"})
    assert findings, "RL801 should report the literal password"
    for f in findings:
        texts = [f.message, f.fix, f.subject] + [r.message for r in f.related]
        assert not any(SECRET in t for t in texts), f
        assert not f.message.endswith(".")
