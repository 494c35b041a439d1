"""Which old directive names a real Redis still applies (RL017 aliases) and which it ignores (RL020)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from redislint.engine import CheckOptions, check_paths
from redislint.redisconf import DirectiveTable, parse_version
from redislint.targets import TargetOptions

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from redis_server import require_redis_server, run_server, server_version

# (old name, a value that differs from the default)
OLD_NAMES = [
    ("hash-max-ziplist-entries", "100"), ("hash-max-ziplist-value", "33"), ("zset-max-ziplist-entries", "101"),
    ("zset-max-ziplist-value", "34"), ("list-max-ziplist-size", "-3"), ("list-max-ziplist-entries", "77"),
    ("list-max-ziplist-value", "78"), ("lua-replicate-commands", "no"),
]


@pytest.fixture(scope="module")
def server() -> tuple[str, str]:
    binary = require_redis_server()
    flavor, version = server_version(binary)
    if flavor != "redis":
        pytest.skip(f"needs Redis, found {flavor} {version}")
    return binary, version


@pytest.mark.parametrize("name,value", OLD_NAMES)
def test_redislint_calls_an_old_name_what_the_real_server_does_with_it(tmp_path: Path, server, name: str,
                                                                      value: str) -> None:
    binary, version = server
    table = DirectiveTable.for_version(parse_version(version))
    info = table.lookup(name)
    primary = info.primary if info is not None and info.alias_of else name
    run = run_server(binary, f"{name} {value}\n", patterns=[primary])
    assert run.error is None, run.error  # accepted either way
    applied = run.config.get(primary) == value
    conf = tmp_path / "redis.conf"
    conf.write_text(f"{name} {value}\n")
    report, _ = check_paths([str(conf)], CheckOptions(profile="baseline", select=("RL017", "RL020"),
                                                      targets=TargetOptions(redis_version=version)))
    rules = [f.rule for f in report.findings]
    # Applied through an alias: RL017 (a note that it still works); ignored: RL020 (no effect).
    assert rules == (["RL017"] if applied else ["RL020"]), (version, run.config, rules)
