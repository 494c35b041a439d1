"""groundhog2k redis and valkey: init.sh's file, `args` after it, storage that is an emptyDir by default."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.kinds.helpers import FIXTURES, issues, layers, lines, release, write

from redislint.durability import fails_over
from redislint.kinds import groundhog2k


def targets(path: Path, chart: str = groundhog2k.REDIS_ID, version: str | None = None) -> list:
    return groundhog2k.release_targets(release(path, chart, version))


def test_default_storage_is_an_emptydir_in_a_deployment() -> None:
    (t,) = targets(FIXTURES / "groundhog2k-redis-values.yaml")
    assert (t.chart, t.role, t.mode, t.chart_version) == ("groundhog2k/redis", "master", "standalone", "2.4.4")
    assert t.facts.persistent.value is False and "emptyDir" in t.facts.persistent.origin
    assert t.facts.persistent.span is not None and t.facts.persistent.span.line == 8  # the storage block
    assert t.facts.workload_kind.value == "Deployment" and "Recreate" in t.facts.workload_kind.origin
    # args come after the file: `--save 120 100` replaces the built-in schedule.
    assert t.value("save") == "120 100" and layers(t, "save")[-1] == "args"
    assert t.value("maxmemory") == str(400 * 1024**2) and lines(t, "maxmemory")[-1] == 3
    assert t.value("dir") == "/data"


def test_requested_size_creates_a_claim(tmp_path: Path) -> None:
    (t,) = targets(write(tmp_path, "storage:\n  requestedSize: 3Gi\n  keepPvc: true\n"))
    assert t.facts.persistent.value is True and t.facts.storage_size.value == 3 * 1024**3
    assert t.facts.workload_kind.value == "Deployment"


def test_ha_mode_is_sentinel_nodes_with_claim_templates() -> None:
    (t,) = targets(FIXTURES / "groundhog2k-valkey-ha-values.yaml", groundhog2k.VALKEY_ID)
    assert (t.chart, t.role, t.mode, str(t.redis_version)) == ("groundhog2k/valkey", "node", "sentinel", "Valkey 9.1.1")
    assert fails_over(t) and t.facts.pods.value == 3 and t.facts.replicas_of_master.value == 2
    assert t.facts.workload_kind.value == "StatefulSet" and t.facts.storage_size.value == 10 * 1024**3
    assert t.value("appendonly") == "yes" and lines(t, "appendonly")[-1] == 7
    assert issues(t, "RL102")["extraValkeyConfigs"][0] == 14


def test_ha_keys_without_ha_have_no_effect(tmp_path: Path) -> None:
    (t,) = targets(write(tmp_path, "haMode:\n  replicas: 5\n  quorum: 3\n"))
    assert set(issues(t, "RL102")) == {"haMode.replicas", "haMode.quorum"}
    (chosen,) = targets(write(tmp_path, "haMode:\n  enabled: false\n  replicas: 5\n"))
    assert issues(chosen, "RL102") == {}


def test_extra_secret_configs_are_unseen(tmp_path: Path) -> None:
    (t,) = targets(write(tmp_path, "extraSecretRedisConfigs: redis-extra\n"))
    assert [u.subject for u in t.unresolved] == ["extraSecretRedisConfigs"]


def test_typo_in_storage(tmp_path: Path) -> None:
    (t,) = targets(write(tmp_path, "storage:\n  requestSize: 2Gi\n"))
    assert issues(t, "RL101")["storage.requestSize"][0] == 2
    assert t.facts.persistent.value is False


def test_shape_and_flavor(tmp_path: Path) -> None:
    from redislint.sources import load_yaml

    def root(text: str):
        return load_yaml("v.yaml", textwrap.dedent(text)).documents[0].root

    assert groundhog2k.shape(root("haMode:\n  enabled: true\n"))
    assert groundhog2k.shape(root("redisConfig: ''\nstorage:\n  requestedSize: 1Gi\n"))
    assert groundhog2k.shape(root("redisConfig: ''\n"))
    assert groundhog2k.shape(root("valkeyConfig: ''\nstorage:\n  className: fast\n"))
    assert not groundhog2k.shape(root("valkeyConfig: ''\nauth:\n  enabled: true\n"))  # valkey-io's
    assert not groundhog2k.shape(root("valkeyConfig: ''\n"))
    assert groundhog2k.flavor_of(root("valkeyConfig: ''\nhaMode: {}\n")) == groundhog2k.VALKEY_ID
    assert groundhog2k.flavor_of(root("haMode: {}\n")) == groundhog2k.REDIS_ID
