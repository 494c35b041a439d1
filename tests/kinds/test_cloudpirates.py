"""CloudPirates redis and valkey: which file the server reads, what the chart injects, and the traps."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.kinds.helpers import FIXTURES, issues, layers, lines, release, write

from redislint.durability import fails_over
from redislint.kinds import cloudpirates, cloudpirates_redis, cloudpirates_valkey


def redis(tmp_path: Path, text: str, version: str | None = "0.34.18") -> dict:
    rel = release(write(tmp_path, textwrap.dedent(text)), cloudpirates.REDIS_ID, version)
    return {t.role: t for t in cloudpirates_redis.redis_targets(rel)}


def valkey(path: Path, version: str | None = "0.25.5") -> dict:
    return {t.role: t for t in cloudpirates_valkey.valkey_targets(release(path, cloudpirates.VALKEY_ID, version))}


def test_default_install_runs_redis_defaults_on_an_8gi_claim(tmp_path: Path) -> None:
    t = redis(tmp_path, "architecture: standalone\n")["master"]
    assert (t.chart, t.mode, str(t.redis_version)) == ("cloudpirates/redis", "standalone", "Redis 8.10.1")
    assert t.value("save") == "3600 1 300 100 60 10000" and t.value("appendonly") == "no"
    assert t.facts.persistent.value is True and t.facts.storage_size.value == 8 * 1024**3
    assert t.facts.workload_kind.value == "StatefulSet"


def test_no_persistence_adds_save_empty_only_to_the_chart_configmap(tmp_path: Path) -> None:
    own = redis(tmp_path, "persistence:\n  enabled: false\n")["master"]
    assert own.value("save") == "" and layers(own, "save")[-1] == "persistence.enabled"
    assert lines(own, "save")[-1] == 2
    theirs = redis(tmp_path, "persistence:\n  enabled: false\nconfig:\n  existingConfigmap: redis-conf\n")["master"]
    assert theirs.value("save") == "3600 1 300 100 60 10000"  # nothing injected; the user's file is unseen
    assert [u.subject for u in theirs.unresolved] == ["config.existingConfigmap"]
    # Before 0.16.2 the chart never injected it.
    old = redis(tmp_path, "persistence:\n  enabled: false\n", "0.16.0")["master"]
    assert old.value("save") == "3600 1 300 100 60 10000"


def test_cluster_mode_forces_aof_even_on_an_emptydir(tmp_path: Path) -> None:
    # The HelmRelease fixture's values, as a values file.
    text = (FIXTURES / "cloudpirates-redis-cluster-helmrelease.yaml").read_text().split("  values:\n", 1)[1]
    (t,) = redis(tmp_path, text).values()
    assert (t.role, t.mode) == ("node", "cluster") and t.facts.pods.value == 6
    assert t.value("appendonly") == "yes" and layers(t, "appendonly")[-1] == "chart init script (architecture cluster)"
    assert t.value("save") == ""  # `save ""` from persistence.enabled: false still reaches the file
    assert t.facts.persistent.value is False
    assert t.value("maxmemory") == str(1536 * 1024**2)


def test_extra_config_ignored_in_standalone_before_0_30_4(tmp_path: Path) -> None:
    text = "architecture: standalone\nextraConfig: |\n  maxmemory 19gb\n"
    old = redis(tmp_path, text, "0.30.1")["master"]
    assert old.value("maxmemory") == "0"
    assert issues(old, "RL102")["extraConfig"][0] == 2
    new = redis(tmp_path, text, "0.30.4")["master"]
    assert new.value("maxmemory") == str(19 * 1024**3) and "extraConfig" not in issues(new, "RL102")


def test_extra_flags_beat_the_file(tmp_path: Path) -> None:
    t = redis(tmp_path, """\
        extraConfig: |
          maxmemory 1gb
        extraFlags:
          - --maxmemory 2gb
        """)["master"]
    assert t.value("maxmemory") == str(2 * 1024**3) and layers(t, "maxmemory")[-1] == "extraFlags"
    assert lines(t, "maxmemory")[-1] == 4


def test_replication_without_sentinel_is_a_master_and_copies(tmp_path: Path) -> None:
    roles = redis(tmp_path, "architecture: replication\nreplicaCount: 3\n")
    assert set(roles) == {"master", "replica"}
    assert not fails_over(roles["master"]) and roles["replica"].facts.pods.value == 2
    assert roles["replica"].value("replicaof") == "redis-0.redis-headless 6379"


def test_sentinel_nodes_and_keys_ignored_elsewhere(tmp_path: Path) -> None:
    roles = redis(tmp_path, "architecture: replication\nsentinel:\n  enabled: true\n")
    assert list(roles) == ["node"] and fails_over(roles["node"])
    assert roles["node"].value("min-replicas-to-write") == "0"
    t = redis(tmp_path, "architecture: standalone\nsentinel:\n  enabled: true\nuseDeployment: true\n")["master"]
    found = issues(t, "RL102")
    assert set(found) == {"sentinel.enabled", "useDeployment"}
    assert found["useDeployment"][0] == 4


def test_use_deployment_only_without_persistence(tmp_path: Path) -> None:
    t = redis(tmp_path, "useDeployment: true\npersistence:\n  enabled: false\n")["master"]
    assert t.facts.workload_kind.value == "Deployment"


def test_valkey_replication_with_sentinel() -> None:
    (node,) = valkey(FIXTURES / "cloudpirates-valkey-replication-values.yaml").values()
    assert (node.role, node.mode, node.facts.pods.value) == ("node", "sentinel", 3)
    assert node.value("save") == "300 10" and lines(node, "save")[-1] == 7
    assert node.value("maxmemory") == str(1024**3) and node.value("maxmemory-policy") == "allkeys-lru"
    assert node.value("stop-writes-on-bgsave-error") == "yes" and lines(node, "stop-writes-on-bgsave-error")[-1] == 12
    assert node.value("dir") == "/data"
    assert node.facts.storage_size.value == 4 * 1024**3


def test_valkey_keeps_its_save_schedule_without_persistence(tmp_path: Path) -> None:
    (t,) = valkey(write(tmp_path, "persistence:\n  enabled: false\n")).values()
    assert t.value("save") == "900 1 300 10 60 10000" and layers(t, "save")[-1] == "chart default config.save"
    assert t.facts.persistent.value is False
    # values.yaml ships a 64Mi memory limit.
    assert t.facts.memory_limit.value == 64 * 1024**2


def test_valkey_before_architecture_runs_lone_primaries(tmp_path: Path) -> None:
    (t,) = valkey(write(tmp_path, "replicaCount: 3\n"), "0.7.0").values()
    assert (t.role, t.mode, t.facts.pods.value) == ("primary", "standalone", 3)


def test_shapes(tmp_path: Path) -> None:
    from redislint.sources import load_yaml

    def root(text: str):
        return load_yaml("v.yaml", textwrap.dedent(text)).documents[0].root

    assert cloudpirates.redis_shape(root("config:\n  content: |\n    bind * -::*\n"))
    assert cloudpirates.redis_shape(root("clusterReplicaCount: 1\n"))
    assert not cloudpirates.redis_shape(root("commonConfiguration: ''\nconfig:\n  content: x\n"))
    assert cloudpirates.valkey_shape(root("config:\n  save: ''\n"))
    assert not cloudpirates.valkey_shape(root("config:\n  content: x\n"))


def test_top_level_layout_tells_cloudpirates_from_bitnami(tmp_path: Path) -> None:
    from redislint.sources import load_yaml

    def root(text: str):
        return load_yaml("v.yaml", textwrap.dedent(text)).documents[0].root

    plain = root("architecture: replication\nreplicaCount: 3\npersistence:\n  enabled: false\n")
    assert cloudpirates.redis_shape(plain) and not cloudpirates.valkey_shape(plain)
    valkey_image = root("architecture: standalone\nimage:\n  repository: valkey/valkey\nextraFlags: []\n")
    assert cloudpirates.valkey_shape(valkey_image) and not cloudpirates.redis_shape(valkey_image)
    bitnami = root("architecture: standalone\nmaster:\n  persistence:\n    enabled: false\n")
    assert not cloudpirates.redis_shape(bitnami) and not cloudpirates.valkey_shape(bitnami)
    # A Bitnami file with `resources` (or `persistence`) one level too high stays Bitnami's: RL101 says where.
    misplaced = root("architecture: standalone\nresources:\n  limits:\n    memory: 2Gi\n")
    assert not cloudpirates.redis_shape(misplaced) and not cloudpirates.valkey_shape(misplaced)
