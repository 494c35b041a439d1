"""Turning the AOF on over data in dump.rdb: the fix RL203 and RL205 give keeps the data, the plain edit loses it.

A real redis-server is the judge. Its data directory outlives the process: a key is written and
saved under `appendonly no`, then the server is restarted on the config the fix asks for. Edited in
the file alone, Redis loads a new, empty AOF and ignores dump.rdb; following the steps the fix names
(the command, the INFO field to wait for, then the edit) keeps the key.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from redislint.durability import LIVE_AOF_SWITCH
from redislint.engine import CheckOptions, check_paths
from redislint.rules.rl212_aof_enabled_on_existing_data import SAFE_PROCEDURE

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from redis_server import DataDirServer, require_redis_server

RDB_ONLY = "save 900 1\nappendonly no\n"


def _finding(tmp_path: Path, text: str, profile: str, rule: str, name: str = "redis.conf"):
    path = tmp_path / name
    path.write_text(text)
    report, _ = check_paths([str(path)], CheckOptions(profile=profile, select=(rule,)))
    found = [f for f in report.findings if f.rule == rule]
    return found[0] if found else None


def _edited(conf: str, fix: str) -> str:
    """The config with the directives the fix's final edit names (`appendonly yes`, `appendfsync ...`)."""
    edit = fix.rsplit("only then", 1)[-1]
    lines = [line for line in conf.splitlines() if not line.startswith("appendonly")]
    return "\n".join(lines + re.findall(r"`(append\w+ \w+)`", edit)) + "\n"


def _steps(fix: str) -> tuple[list[str], str, list[str]]:
    """(the command, the INFO section, the fields to wait for) in the order the fix gives them."""
    quoted = re.findall(r"`([^`]+)`", fix.split("only then", 1)[0])
    command = next(q for q in quoted if q.startswith("CONFIG SET"))
    section = next(q for q in quoted if q.startswith("INFO ")).split()[1]
    fields = [q for q in quoted if re.fullmatch(r"\w+:\d+", q)]
    return command.split(), section, fields


def test_rl203_fix_gives_the_live_switch_where_snapshots_hold_data(tmp_path: Path) -> None:
    finding = _finding(tmp_path, RDB_ONLY, "cache", "RL203")
    assert finding is not None
    assert LIVE_AOF_SWITCH in finding.fix
    assert finding.fix.index("CONFIG SET appendonly yes") < finding.fix.index("`appendonly yes` here")
    # RL212 (the change itself, under check --base) gives the same procedure.
    assert LIVE_AOF_SWITCH in SAFE_PROCEDURE


def test_rl205_fix_gives_the_live_switch_too(tmp_path: Path) -> None:
    finding = _finding(tmp_path, "save 7200 1\nappendonly no\n", "session", "RL205")
    assert finding is not None
    assert "save 3600 1" in finding.fix and LIVE_AOF_SWITCH in finding.fix


def test_a_plain_edit_where_nothing_is_persisted(tmp_path: Path) -> None:
    """No save points and no AOF: no dump.rdb to lose, so the edit alone is the fix."""
    finding = _finding(tmp_path, 'save ""\nappendonly no\n', "cache", "RL203")
    assert finding is not None
    assert "CONFIG SET" not in finding.fix and "`appendonly yes`" in finding.fix


def test_a_plain_edit_where_the_data_dies_with_the_pod(tmp_path: Path) -> None:
    """Snapshots on an emptyDir do not outlive a rollout: nothing is there to keep."""
    values = ("architecture: standalone\nmaster:\n  persistence:\n    enabled: false\n"
              "  configuration: |\n    appendonly no\n    save 900 1\n")
    finding = _finding(tmp_path, values, "cache", "RL203", "values.yaml")
    assert finding is not None
    assert "CONFIG SET" not in finding.fix


def test_the_plain_edit_loses_the_data_and_the_fix_keeps_it(tmp_path: Path) -> None:
    binary = require_redis_server()
    finding = _finding(tmp_path, RDB_ONLY, "cache", "RL203")
    assert finding is not None
    changed = tmp_path / "changed.conf"
    changed.write_text(_edited(RDB_ONLY, finding.fix))
    assert "appendonly yes" in changed.read_text()
    # The edited config is what the profile asks for: RL203 is gone.
    assert _finding(tmp_path, changed.read_text(), "cache", "RL203", "check.conf") is None
    base = tmp_path / "redis.conf"

    # The plain edit: the restarted server comes back empty.
    naive = tmp_path / "naive"
    naive.mkdir()
    server = DataDirServer(binary, naive, base)
    try:
        server.run(["SET", "order:1", "paid"], ["SAVE"])
    finally:
        server.stop()
    server = DataDirServer(binary, naive, changed)
    try:
        assert server.run(["DBSIZE"]) == ["0"]
    finally:
        server.stop()

    # The steps of the fix, in its order: switch at run time, wait for the rewrite, then restart on the edit.
    command, section, fields = _steps(finding.fix)
    assert fields == ["aof_rewrite_in_progress:0", "aof_rewrite_scheduled:0"]
    safe = tmp_path / "safe"
    safe.mkdir()
    server = DataDirServer(binary, safe, base)
    try:
        server.run(["SET", "order:1", "paid"], ["SAVE"])
        assert server.run(command) == ["OK"]
        deadline = time.monotonic() + 20
        while True:
            info = server.info(section)
            if all(f"{k}:{info.get(k)}" == f for f in fields for k in [f.split(":")[0]]):
                break
            assert time.monotonic() < deadline, info
            time.sleep(0.05)
    finally:
        server.stop()
    server = DataDirServer(binary, safe, changed)
    try:
        assert server.run(["DBSIZE"], ["GET", "order:1"]) == ["1", "paid"]
    finally:
        server.stop()
