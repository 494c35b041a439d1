"""redis-ha as a deployment kind: recognised by its values and its name, its one `server` role with the
config the chart renders from `redis.config`, where its values keep things, and what it cannot model."""

from __future__ import annotations

import textwrap
from pathlib import Path

from redislint.kinds.redis_ha import REDIS_HA
from redislint.kinds.registry import kind_for_chart, kind_for_values, vocabulary_of
from redislint.sources import MapNode, load_yaml
from redislint.target import Target
from redislint.targets import Discovery, find_targets

VALUES = textwrap.dedent("""\
    replicas: 3
    redis:
      config:
        maxmemory: 200mb
        save: "900 1"
        min-replicas-to-write: null
      resources:
        limits:
          memory: 512Mi
    persistentVolume:
      size: 4Gi
    """)


def _load(tmp_path: Path, text: str, name: str = "values.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return load_yaml(str(path), path.read_text())


def _targets(tmp_path: Path, text: str) -> tuple[list[Target], Discovery]:
    found = Discovery()
    return find_targets([_load(tmp_path, text)], [], found=found), found


def test_recognised_by_its_values_and_its_name(tmp_path: Path):
    root = _load(tmp_path, VALUES).documents[0].root
    assert isinstance(root, MapNode)
    assert kind_for_values(root) is REDIS_HA
    assert kind_for_chart("oci://ghcr.io/dandydeveloper/charts/redis-ha") is REDIS_HA


def test_one_server_role_reads_redis_config_in_sorted_order_over_the_chart_defaults(tmp_path: Path):
    [target], _ = _targets(tmp_path, VALUES)
    assert (target.chart, target.role, target.mode) == ("redis-ha", "server", "replication")
    assert target.value("maxmemory") == str(200 * 1024 * 1024)
    assert target.value("save") == "900 1"
    assert target.value("min-replicas-to-write") == "0"  # `null` deletes the chart default (1): Redis's 0
    assert target.value("maxmemory-policy") == "volatile-lru"  # the chart's default redis.config
    assert target.setting("maxmemory").history[-1].line.span.line == 4  # type: ignore[union-attr]
    assert target.facts.memory_limit.value == 512 * 1024 * 1024
    assert target.facts.memory_limit.values_path == "redis.resources.limits.memory"
    assert (target.facts.pods.value, target.facts.replicas_of_master.value) == (3, 2)
    assert target.facts.volume == "claim-template"


def test_where_its_values_keep_things(tmp_path: Path):
    [target], _ = _targets(tmp_path, VALUES)
    v = vocabulary_of(target)
    assert v is not None
    assert (v.memory_limit, v.persistence_enabled, v.replica_count) == (
        "redis.resources.limits.memory", "persistentVolume.enabled", "replicas")
    assert (v.shared_config, v.role_config, v.entry("save")) == (None, "redis.config", "redis.config.save")
    assert REDIS_HA.always_fails_over


def test_persistence_off_is_an_emptydir_or_a_hostpath(tmp_path: Path):
    [target], _ = _targets(tmp_path, VALUES + "  enabled: false\nhostPath:\n  path: /mnt/redis\n")
    assert (target.facts.persistent.value, target.facts.volume) == (False, "hostPath")


def test_stable_redis_ha_2_is_not_modelled_and_says_so(tmp_path: Path):
    targets, found = _targets(tmp_path, """\
        replicas:
          servers: 3
        redis_image: quay.io/smile/redis:4.0.11
        redis:
          config:
            save: "900 1"
        """)
    assert targets == []
    [problem] = found.problems
    assert problem.code == "RL004" and "before 3.0.0" in problem.message and problem.span.line == 3  # redis_image
