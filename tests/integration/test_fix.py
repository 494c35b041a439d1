"""`redislint fix`: trailing comments move to their own line, aliases are renamed, nothing else changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from redislint.cli import main
from redislint.engine import CheckOptions, check_paths

ROOT = Path(__file__).resolve().parents[2]


def test_fix_moves_trailing_comments_and_redis_accepts_the_result(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    shutil.copy(ROOT / "tests" / "fixtures" / "runbook" / "step4-values.yaml", path)
    before = path.read_text()
    preview = CliRunner().invoke(main, ["fix", "--diff", str(path)])
    assert preview.exit_code == 1 and "+    # Save after 15min if 1 key changed" in preview.output
    assert path.read_text() == before  # --diff writes nothing
    result = CliRunner().invoke(main, ["fix", str(path)])
    assert result.exit_code == 0, result.output
    report, targets = check_paths([str(path)], CheckOptions())
    assert not [f for f in report.findings if f.rule == "RL013"]
    master = next(t for t in targets if t.role == "master")
    assert [e for e in master.evaluation.errors] == []
    assert master.value("save") == "900 1 300 10 60 10000"
    after = path.read_text()
    assert len(after.splitlines()) == len(before.splitlines()) + 4
    assert after.count("#") == before.count("#")


def test_fix_renames_alias_in_a_conf_file_and_keeps_crlf(tmp_path: Path) -> None:
    path = tmp_path / "redis.conf"
    path.write_bytes(b"slaveof 10.0.0.1 6379\r\nappendonly yes # on\r\n")
    assert CliRunner().invoke(main, ["fix", "--redis-version", "7.0", str(path)]).exit_code == 0
    assert path.read_bytes() == b"replicaof 10.0.0.1 6379\r\n# on\r\nappendonly yes\r\n"


def test_fix_keeps_aliases_when_the_redis_version_is_unknown(tmp_path: Path) -> None:
    """Redis 4 lacks `replicaof`: with no version given, the alias stays and fix says why."""
    path = tmp_path / "redis.conf"
    path.write_bytes(b"slaveof 10.0.0.1 6379\nappendonly yes # on\n")
    result = CliRunner().invoke(main, ["fix", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == b"slaveof 10.0.0.1 6379\n# on\nappendonly yes\n"
    assert "redis.conf:1: not fixed (RL017): the Redis version of redis.conf (server) is not known" in result.stderr
    assert "fixed 1 finding(s) in 1 file(s); 1 left as they were" in result.stderr
