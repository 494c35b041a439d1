"""Redis Enterprise: a database's persistence, memory and replication fields as the settings they mean,
judged at the field's line; the cluster's persistent volumes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from redislint.engine import CheckOptions, check_paths
from redislint.inputs import load_inputs
from redislint.targets import Discovery, find_targets

ORDERS = """\
apiVersion: app.redislabs.com/v1alpha1
kind: RedisEnterpriseDatabase
metadata:
  name: orders
  namespace: shop
spec:
  redisEnterpriseCluster:
    name: rec
  memorySize: 2GB
  persistence: {persistence}
  replication: true
"""


def targets(tmp_path: Path, text: str, found: Discovery | None = None):
    path = tmp_path / "re.yaml"
    path.write_text(textwrap.dedent(text))
    inputs = load_inputs([str(path)])
    return find_targets(inputs.yaml_files, inputs.conf_files, found=found)


def findings(tmp_path: Path, text: str, profile: str, rule: str | None = None):
    path = tmp_path / "re.yaml"
    path.write_text(textwrap.dedent(text))
    report, _ = check_paths([str(path)], CheckOptions(profile=profile, select=(rule,) if rule else ()))
    return [f for f in report.findings if rule is None or f.rule == rule]


@pytest.mark.parametrize("persistence,appendonly,fsync,save", [
    ("disabled", "no", "everysec", ""),
    ("aofEverySecond", "yes", "everysec", ""),
    ("aofAlways", "yes", "always", ""),
    ("snapshotEvery1Hour", "no", "everysec", "3600 1"),
    ("snapshotEvery6Hour", "no", "everysec", "21600 1"),
    ("snapshotEvery12Hour", "no", "everysec", "43200 1"),
])
def test_persistence_maps_onto_the_settings_it_means(tmp_path: Path, persistence: str, appendonly: str, fsync: str,
                                                     save: str) -> None:
    found = Discovery()
    (t,) = targets(tmp_path, ORDERS.format(persistence=persistence), found=found)
    assert (t.chart, t.kind, t.role, t.mode) == ("redis-enterprise", "RedisEnterpriseDatabase", "database",
                                                 "replication")
    assert (t.value("appendonly"), t.value("appendfsync"), t.value("save")) == (appendonly, fsync, save)
    assert t.evaluation.settings["appendonly"].winner.line.span.line == 10
    assert t.value("maxmemory") == str(2 * 1024 ** 3) and t.value("maxmemory-policy") == "volatile-lru"
    assert t.facts.replicas_of_master.value == 1
    assert found.problems == []


def test_the_default_is_no_persistence_reported_at_spec(tmp_path: Path) -> None:
    text = ORDERS.format(persistence="disabled").replace("  persistence: disabled\n", "")
    (t,) = targets(tmp_path, text)
    assert t.evaluation.settings["appendonly"].winner.layer == "Redis Enterprise default (persistence: disabled)"
    (f,) = findings(tmp_path, text, "session", "RL205")
    assert f.span.line == 6 and "unbounded" in f.message and "spec.persistence" in f.fix


def test_a_snapshot_policy_is_judged_at_its_line(tmp_path: Path) -> None:
    (f,) = findings(tmp_path, ORDERS.format(persistence="snapshotEvery12Hour"), "session", "RL205")
    assert f.span.line == 10 and "43200 s" in f.message
    assert findings(tmp_path, ORDERS.format(persistence="aofEverySecond"), "cache", "RL203") == []
    (aof,) = findings(tmp_path, ORDERS.format(persistence="snapshotEvery1Hour"), "cache", "RL203")
    assert aof.span.line == 10 and aof.fix.startswith("Set spec.persistence: aofEverySecond")


def test_a_cluster_without_persistent_volumes(tmp_path: Path) -> None:
    text = """\
    apiVersion: app.redislabs.com/v1
    kind: RedisEnterpriseCluster
    metadata:
      name: rec
    spec:
      nodes: 3
      persistentSpec:
        enabled: false
    """
    (t,) = targets(tmp_path, text)
    assert (t.kind, t.role, t.facts.pods.value, t.facts.persistent.value) == ("RedisEnterpriseCluster", "node", 3,
                                                                              False)
    assert {f.rule for f in findings(tmp_path, text, "session")} == {"RL401"}
    (f,) = findings(tmp_path, text, "session", "RL401")
    assert f.span.line == 8 and "persistentSpec.enabled: true" in f.fix
    default = textwrap.dedent(text).replace("  persistentSpec:\n    enabled: false\n", "")
    (t,) = targets(tmp_path, default)
    assert t.facts.persistent.value is True and t.facts.storage_size.value == 5 * 4 * 1024 ** 3


def test_active_active_databases_are_not_modelled_and_say_so(tmp_path: Path) -> None:
    text = """\
    apiVersion: app.redislabs.com/v1alpha1
    kind: RedisEnterpriseActiveActiveDatabase
    metadata:
      name: global
    spec:
      globalConfigurations:
        persistence: aofEverySecond
    """
    assert [f.rule for f in findings(tmp_path, text, "session")] == ["RL004"]
