"""spotahome RedisFailover: recognition (both API groups), the operator's ConfigMap at boot, customConfig
at run time, the command line, storage defaults and the unmaintained flag RL803 reads."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from redislint.engine import CheckOptions, check_paths
from redislint.inputs import load_inputs
from redislint.kinds.spotahome import UNMAINTAINED
from redislint.targets import Discovery, find_targets

CART = """\
apiVersion: {api}
kind: RedisFailover
metadata:
  name: cart
  namespace: shop
spec:
  sentinel:
    replicas: 3
  redis:
    replicas: 2
    resources:
      limits:
        memory: 2Gi
    customConfig:
      - "maxmemory 1gb"
      - "maxmemory-policy allkeys-lru"
"""


def targets(tmp_path: Path, text: str, found: Discovery | None = None):
    path = tmp_path / "rf.yaml"
    path.write_text(textwrap.dedent(text))
    inputs = load_inputs([str(path)])
    return find_targets(inputs.yaml_files, inputs.conf_files, found=found)


def findings(tmp_path: Path, text: str, profile: str, rule: str):
    path = tmp_path / "rf.yaml"
    path.write_text(textwrap.dedent(text))
    report, _ = check_paths([str(path)], CheckOptions(profile=profile, select=(rule,)))
    return [f for f in report.findings if f.rule == rule]


@pytest.mark.parametrize("api", ["databases.spotahome.com/v1", "storage.spotahome.com/v1alpha2"])
def test_one_node_role_with_the_configmap_at_boot_and_custom_config_at_run_time(tmp_path: Path, api: str) -> None:
    found = Discovery()
    (t,) = targets(tmp_path, CART.format(api=api), found=found)
    assert (t.chart, t.kind, t.role, t.mode, t.name) == ("spotahome", "RedisFailover", "node", "sentinel", "shop/cart")
    assert str(t.redis_version) == "Redis 6.2.6"  # the operator's default image redis:6.2.6-alpine
    # Boot: the operator's ConfigMap only (save 900 1, save 300 10; no AOF, no maxmemory).
    boot = t.runtime.boot
    assert (boot.value("save"), boot.value("appendonly"), boot.value("maxmemory")) == ("900 1 300 10", "no", "0")
    # Running: CONFIG SET applied on top, each value with the customConfig line that set it.
    assert t.value("maxmemory") == str(1024 ** 3) and t.value("maxmemory-policy") == "allkeys-lru"
    winner = t.evaluation.settings["maxmemory"].winner
    assert winner.layer == "spec.redis.customConfig (CONFIG SET)" and winner.line.span.line == 15
    facts = t.facts
    assert (facts.pods.value, facts.replicas_of_master.value, facts.memory_limit.value) == (2, 1, 2 * 1024 ** 3)
    assert facts.persistent.value is False and "emptyDir" in facts.persistent.origin  # the operator's default
    assert facts.extra["unmaintained"].value == UNMAINTAINED
    assert facts.extra["unmaintained"].span.line == 1  # the apiVersion line: where a migration starts
    assert found.problems == []


def test_a_claim_template_is_the_data_volume_and_goes_with_the_resource(tmp_path: Path) -> None:
    text = CART.format(api="databases.spotahome.com/v1") + textwrap.indent(textwrap.dedent("""\
        storage:
          persistentVolumeClaim:
            metadata:
              name: redisfailover-data
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 5Gi
        """), "    ")
    (t,) = targets(tmp_path, text)
    assert (t.facts.persistent.value, t.facts.storage_size.value) == (True, 5 * 1024 ** 3)
    assert t.facts.pvc_deleted_with_release.value is True
    kept = text + "      keepAfterDeletion: true\n"
    (t,) = targets(tmp_path, kept)
    assert t.facts.pvc_deleted_with_release.value is False


def test_the_command_line_is_read_at_boot(tmp_path: Path) -> None:
    text = """\
    apiVersion: databases.spotahome.com/v1
    kind: RedisFailover
    metadata:
      name: cart
    spec:
      redis:
        image: redis:7.2.5
        command: [redis-server, /redis/redis.conf, --appendonly, "yes", --save, "60 1"]
    """
    (t,) = targets(tmp_path, text)
    assert t.runtime is None
    assert t.value("appendonly") == "yes"
    assert t.value("save") == "900 1 300 10 60 1"  # argv save points add to the file's in 7.0+


def test_custom_config_written_as_a_map_is_refused_by_the_api_server(tmp_path: Path) -> None:
    text = """\
    apiVersion: databases.spotahome.com/v1
    kind: RedisFailover
    metadata:
      name: cart
    spec:
      redis:
        customConfig:
          redis-config: |
            appendonly yes
    """
    (f,) = findings(tmp_path, text, "cache", "RL003")
    assert f.severity.value == "error" and f.span.line == 7 and "list" in f.message


def test_default_storage_is_an_emptydir(tmp_path: Path) -> None:
    text = """\
    apiVersion: databases.spotahome.com/v1
    kind: RedisFailover
    metadata:
      name: cart
    spec:
      redis:
        replicas: 3
    """
    (f,) = findings(tmp_path, text, "session", "RL401")
    assert f.span.line == 6 and "emptyDir" in f.message
