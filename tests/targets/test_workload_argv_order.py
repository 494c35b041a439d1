"""A workload's `redis-server FILE --opt …`: Redis reads the file and the options as one text, checked against a real server."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from redis_server import require_redis_server, run_server

# The ConfigMap's redis.conf, and the options the container passes after it.
CONF = "save 900 1\nsave 300 10\nappendonly no\n"
CASES = {
    "a --save option adds its points to the file's": ["--save", "60 1"],
    "a --save option before another option": ["--save", "3600 1", "--appendonly", "yes"],
    "an empty --save clears the file's points": ["--save", ""],
}

STATEFULSET = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: redis-conf
data:
  redis.conf: |
{conf}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: redis
spec:
  serviceName: redis
  selector:
    matchLabels: {{app: redis}}
  template:
    metadata:
      labels: {{app: redis}}
    spec:
      containers:
        - name: redis
          image: redis:7.0
          command: {command}
          volumeMounts:
            - name: conf
              mountPath: /etc/redis
      volumes:
        - name: conf
          configMap:
            name: redis-conf
"""


def _effective(cli: Callable[..., Any], tmp_path: Path, options: list[str]) -> dict[str, str]:
    command = json.dumps(["redis-server", "/etc/redis/redis.conf", *options])
    path = tmp_path / "redis.yaml"
    path.write_text(STATEFULSET.format(conf=textwrap.indent(CONF, "    ").rstrip("\n"), command=command))
    run = cli("effective", str(path), "--format", "json", "--redis-version", "7.0")
    assert run.exit_code == 0, run.stdout + run.stderr
    (target,) = json.loads(run.stdout)["targets"]
    return {key: setting["value"] for key, setting in target["config"].items()}


@pytest.mark.parametrize("options", CASES.values(), ids=CASES.keys())
def test_the_options_after_the_config_file_are_read_as_redis_reads_them(
        cli: Callable[..., Any], tmp_path: Path, options: list[str]) -> None:
    real = run_server(require_redis_server(), CONF, argv=options, patterns=["save", "appendonly"])
    assert real.config is not None, real.stdout + real.stderr
    modelled = _effective(cli, tmp_path, options)
    assert {key: modelled[key] for key in ("save", "appendonly")} == real.config
