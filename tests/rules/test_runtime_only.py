"""Runtime-only config (RL019): what CONFIG SET does, with a real redis-server as the judge.

The operators apply spotahome's `customConfig` and OT's `dynamicConfig` with CONFIG SET. The model
(`redislint.kinds.runtime`) says: the running pod has those values, a restarted one has the boot
file's values, CONFIG SET save replaces the save points, and CONFIG SET refuses immutable and
protected settings. Each of those is checked here against redis-server.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from redislint.inputs import load_inputs
from redislint.targets import find_targets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from redis_server import DataDirServer, require_redis_server, run_server

FAILOVER = """\
apiVersion: databases.spotahome.com/v1
kind: RedisFailover
metadata:
  name: cart
spec:
  redis:
    image: redis:7.0.15-alpine
    customConfig:
      - "maxmemory 100mb"
      - "appendonly yes"
      - "save 60 1"
      - "maxmemory-policy allkeys-lru"
"""
KEYS = ("maxmemory", "appendonly", "save", "maxmemory-policy")


def _target(tmp_path: Path, text: str):
    path = tmp_path / "rf.yaml"
    path.write_text(textwrap.dedent(text))
    inputs = load_inputs([str(path)])
    (target,) = find_targets(inputs.yaml_files, inputs.conf_files)
    return target


def _boot_text(target) -> str:
    """The boot config the model read, as a file: the operator's ConfigMap lines, in order."""
    return "\n".join(line.raw for line in target.source.items if hasattr(line, "raw")) + "\n"


def test_config_set_values_are_gone_after_a_restart_as_the_model_says(tmp_path: Path) -> None:
    binary = require_redis_server()
    target = _target(tmp_path, FAILOVER)
    assert target.runtime is not None and target.runtime.field == "spec.redis.customConfig"
    data = tmp_path / "data"
    data.mkdir()
    conf = tmp_path / "redis.conf"
    conf.write_text(_boot_text(target))
    server = DataDirServer(binary, data, conf)
    try:
        for line in target.runtime.applied:
            server.run(["CONFIG", "SET", line.name, " ".join(line.args)])
        running = {k: server.run(["CONFIG", "GET", k])[0][1] for k in KEYS}
    finally:
        server.stop()
    # While the pod runs, Redis holds what the model's running evaluation says.
    assert running == {k: target.value(k) for k in KEYS}
    assert running["save"] == "60 1"  # CONFIG SET save replaced the file's 900 1 300 10
    server = DataDirServer(binary, data, conf)  # the pod restarts on the same file
    try:
        restarted = {k: server.run(["CONFIG", "GET", k])[0][1] for k in KEYS}
    finally:
        server.stop()
    # No config rewrite happened: the restarted Redis has the boot file's values, as the model's boot says.
    assert restarted == {k: target.runtime.boot.value(k) for k in KEYS}
    assert restarted["maxmemory"] == "0" and restarted["appendonly"] == "no"
    assert restarted["save"] == "900 1 300 10"


def test_refused_entries_are_the_ones_redis_refuses(tmp_path: Path) -> None:
    binary = require_redis_server()
    entries = ["logfile /tmp/redis.log", "dir /tmp", "daemonize no", "hz 20"]
    listed = "".join(f"\n      - {e}" for e in entries)
    # The OT operator: every entry judged on its own.
    ot = _target(tmp_path, f"""\
apiVersion: redis.redis.opstreelabs.in/v1beta2
kind: Redis
metadata:
  name: sessions
spec:
  kubernetesConfig:
    image: quay.io/opstree/redis:v7.0.15
  redisConfig:
    dynamicConfig:{listed}
""")
    rt = ot.runtime
    commands = [["CONFIG", "SET", *e.split(" ", 1)] for e in entries]
    run = run_server(binary, "", commands=commands)
    assert run.config is not None, run.stderr
    refused_by_redis = {c[2] for c, reply in zip(commands, run.replies, strict=True) if isinstance(reply, RuntimeError)}
    assert refused_by_redis == {"logfile", "dir", "daemonize"}  # immutable, protected on 7.0, immutable
    assert {r.line.name for r in rt.refused} == refused_by_redis
    assert [line.name for line in rt.applied] == ["hz"]
    reasons = {r.line.name: r.reason for r in rt.refused}
    assert "immutable" in reasons["logfile"] and "protected" in reasons["dir"]
    # spotahome stops at the first error: nothing after `logfile` is ever sent.
    spot = _target(tmp_path, "apiVersion: databases.spotahome.com/v1\nkind: RedisFailover\nmetadata:\n  name: cart\n"
                             "spec:\n  redis:\n    image: redis:7.0.15\n    customConfig:" + listed.replace("\n      ", "\n      ") + "\n")
    assert spot.runtime.applied == ()
    assert [r.reason.startswith("never applied") for r in spot.runtime.refused] == [False, True, True, True]
