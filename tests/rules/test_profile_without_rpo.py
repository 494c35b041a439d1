"""A profile that judges no data-loss window (max_data_loss_seconds: null) may still turn any rule on.

Rules that mention the window read it only where it is set: RL207 once compared None with a number
and stopped the run with an internal error under such a profile.
"""

from __future__ import annotations

import json
from pathlib import Path

from redislint.rules import RULES

CONF = "appendonly yes\nappendfsync everysec\nno-appendfsync-on-rewrite yes\nsave \"\"\n"


def test_every_rule_on_without_a_data_loss_window(tmp_path: Path, write_file, cli) -> None:
    rules = "".join(f"  {e.code}: error\n" for e in RULES)
    write_file("team.yaml", f"name: team\nextends: baseline\nsettings:\n  max_data_loss_seconds: null\nrules:\n{rules}")
    write_file("redis.conf", CONF)
    result = cli("check", "redis.conf", "--profile", "./team.yaml", "-f", "json", cwd=tmp_path)
    assert "internal error" not in result.stderr, result.stderr
    assert result.exit_code == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    [rl207] = [f for f in findings if f["rule"] == "RL207"]
    assert rl207["line"] == 3
    assert "allows at most" not in rl207["message"]  # no window to compare with
