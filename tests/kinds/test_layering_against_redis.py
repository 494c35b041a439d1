"""The chart layering as a real redis-server reads it: the config file each chart's script writes,
then the argv the chart appends. Each case writes that file by hand, as the chart's template does,
starts Redis 7.0 on it and compares CONFIG GET with what redislint says the target runs."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from tests.kinds.helpers import release, write

from redislint.kinds import cloudpirates, cloudpirates_redis, cloudpirates_valkey, groundhog2k, valkey_io

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from redis_server import require_redis_server, run_server

KEYS = ["save", "appendonly", "appendfsync", "maxmemory", "maxmemory-policy"]


def _agree(target, conf_text: str, argv: list[str] | None = None) -> dict[str, str]:
    run = run_server(require_redis_server(), conf_text, argv=argv, patterns=KEYS)
    assert run.error is None and run.config is not None, run.stderr
    for key in KEYS:
        assert target.value(key) == run.config[key], key
    return run.config


def test_groundhog2k_args_come_after_the_generated_file(tmp_path: Path) -> None:
    values = textwrap.dedent("""\
        redisConfig: |
          save 900 1
          maxmemory 300mb
          appendonly yes
        args:
          - --save
          - "60 5000"
          - --maxmemory
          - 200mb
        """)
    rel = release(write(tmp_path, values), groundhog2k.REDIS_ID, "2.4.4", redis_version="7.0")
    (target,) = groundhog2k.release_targets(rel)
    # init.sh: its own lines, then redisConfig (dir points at the test's directory instead of /data).
    conf = "port 6379\nprotected-mode no\nbind 0.0.0.0\ndir {tmp}\nsave 900 1\nmaxmemory 300mb\nappendonly yes\n"
    got = _agree(target, conf, ["--save", "60 5000", "--maxmemory", "200mb"])
    assert got["save"] == "900 1 60 5000" and got["maxmemory"] == str(200 * 1024 * 1024)


def test_valkey_io_writes_no_persistence_lines(tmp_path: Path) -> None:
    rel = release(write(tmp_path, "valkeyConfig: |\n  maxmemory-policy allkeys-lru\n"), valkey_io.ID, "0.11.0",
                  redis_version="7.0")
    (target,) = valkey_io.release_targets(rel)
    got = _agree(target, "port 6379\nprotected-mode no\nbind * -::*\ndir {tmp}\nmaxmemory-policy allkeys-lru\n")
    assert got["save"] == "3600 1 300 100 60 10000" and got["appendonly"] == "no"


def test_cloudpirates_extra_config_is_read_twice_and_save_lines_add_up(tmp_path: Path) -> None:
    values = textwrap.dedent("""\
        persistence:
          enabled: false
        extraConfig: |
          save 900 1
          maxmemory 64mb
        """)
    rel = release(write(tmp_path, values), cloudpirates.REDIS_ID, "0.34.18", redis_version="7.0")
    (target,) = cloudpirates_redis.redis_targets(rel)
    # Standalone with a password (the default) from 0.33.3: /tmp/redis.conf is the chart ConfigMap
    # (content, port, `save ""` for no persistence, extraConfig) followed by extraConfig again.
    conf = ('bind * -::*\nport 6379\nsave ""\nsave 900 1\nmaxmemory 64mb\n'
            "save 900 1\nmaxmemory 64mb\n")
    got = _agree(target, conf)
    assert got["save"] == "900 1 900 1"


def test_cloudpirates_valkey_save_is_one_line_with_every_pair(tmp_path: Path) -> None:
    values = "config:\n  save: \"900 1 300 10\"\n  maxMemory: 100mb\n"
    rel = release(write(tmp_path, values), cloudpirates.VALKEY_ID, "0.25.5", redis_version="7.0")
    (target,) = cloudpirates_valkey.valkey_targets(rel)
    conf = ('bind 0.0.0.0\nport 6379\ndaemonize no\nsupervised no\nloglevel notice\nlogfile ""\ndir {tmp}\n'
            "save 900 1 300 10\nmaxmemory 100mb\nmaxmemory-policy allkeys-lru\n")
    got = _agree(target, conf)
    assert got["save"] == "900 1 300 10"
