"""What the transition rules claim, shown on a real redis-server that keeps its data directory across restarts.

RL212: a server restarted with `appendonly yes` over data kept only in dump.rdb comes back empty, and
the procedure its message gives (`CONFIG SET appendonly yes`, wait for the rewrite, then restart with
the new config) keeps the data. RL214: the installed server writes the RDB format the rule's table
gives for its release, and refuses a newer one at start-up.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.change.gitrepo import make_repo

from redislint.engine import CheckOptions, check_paths
from redislint.redisconf import RedisVersion
from redislint.rules.rl214_rdb_format_downgrade import rdb_format

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from redis_server import DataDirServer as Server
from redis_server import require_redis_server, server_version

BASE_CONF = "appendonly no\nsave 900 1\n"
CHANGED_CONF = "appendonly yes\nsave 900 1\n"


def _confs(tmp_path: Path) -> tuple[Path, Path]:
    base, changed = tmp_path / "base.conf", tmp_path / "changed.conf"
    base.write_text(BASE_CONF)
    changed.write_text(CHANGED_CONF)
    return base, changed


def test_redislint_reports_the_change_the_server_tests_below_make(tmp_path: Path) -> None:
    make_repo(tmp_path / "repo", {"redis.conf": BASE_CONF}, {"redis.conf": CHANGED_CONF})
    report, _ = check_paths([str(tmp_path / "repo" / "redis.conf")],
                            CheckOptions(profile="cache", select=("RL212",), base="base"))
    assert [(f.rule, f.span.line) for f in report.findings] == [("RL212", 1)]
    assert "CONFIG SET appendonly yes" in report.findings[0].fix
    assert "aof_rewrite_in_progress:0" in report.findings[0].fix


def test_restarting_with_appendonly_yes_empties_the_data_set(tmp_path: Path) -> None:
    binary = require_redis_server()
    base, changed = _confs(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    server = Server(binary, data, base)
    try:
        server.run(["SET", "order:1", "paid"], ["SAVE"])
    finally:
        server.stop()
    assert (data / "dump.rdb").exists()
    server = Server(binary, data, changed)
    try:
        assert server.run(["DBSIZE"]) == ["0"]  # dump.rdb was there, and ignored
        server.run(["SAVE"])  # the next snapshot overwrites the last copy of the data
    finally:
        server.stop()
    assert "Creating AOF base file" in server.log.read_text()
    server = Server(binary, data, base)  # even going back to the old config does not bring it back
    try:
        assert server.run(["DBSIZE"]) == ["0"]
    finally:
        server.stop()


def test_the_procedure_in_the_message_keeps_the_data(tmp_path: Path) -> None:
    binary = require_redis_server()
    base, changed = _confs(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    server = Server(binary, data, base)
    try:
        server.run(["SET", "order:1", "paid"], ["SAVE"])
        assert server.run(["CONFIG", "SET", "appendonly", "yes"]) == ["OK"]
        deadline = time.monotonic() + 20
        while True:
            info = server.info("persistence")
            if info["aof_rewrite_in_progress"] == "0" and info["aof_rewrite_scheduled"] == "0":
                break
            assert time.monotonic() < deadline, info
            time.sleep(0.05)
        assert info["aof_last_bgrewrite_status"] == "ok"
    finally:
        server.stop()
    server = Server(binary, data, changed)  # the change merged: the pods restart with appendonly yes
    try:
        assert server.run(["DBSIZE"], ["GET", "order:1"]) == ["1", "paid"]
    finally:
        server.stop()


def test_the_installed_server_writes_the_rdb_format_of_the_table_and_refuses_a_newer_one(tmp_path: Path) -> None:
    binary = require_redis_server()
    flavor, text = server_version(binary)
    major, minor, _ = (int(p) for p in text.split("."))
    expected = rdb_format(RedisVersion(flavor, major, minor))  # type: ignore[arg-type]
    if expected is None:
        pytest.skip(f"{flavor} {text} is newer than the RDB format table")
    base, _ = _confs(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    server = Server(binary, data, base)
    try:
        server.run(["SET", "k", "v"], ["SAVE"])
    finally:
        server.stop()
    header = (data / "dump.rdb").read_bytes()[:9]
    assert header == f"REDIS{expected:04d}".encode()
    newer = bytearray((data / "dump.rdb").read_bytes())
    newer[5:9] = f"{expected + 1:04d}".encode()  # what a newer release wrote
    (data / "dump.rdb").write_bytes(bytes(newer))
    log = data / "refused.log"
    done = subprocess.run([binary, str(base), "--port", "0", "--unixsocket", str(data / "r.sock"), "--dir", str(data),
                           "--daemonize", "no", "--logfile", str(log)], cwd=data, capture_output=True, timeout=20,
                          check=False)
    assert done.returncode != 0
    assert f"Can't handle RDB format version {expected + 1}" in log.read_text()
