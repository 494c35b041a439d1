"""The official Valkey chart: what init.sh writes, the data volume it really mounts, and its traps."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.kinds.helpers import FIXTURES, issues, layers, lines, release, write

from redislint.durability import fails_over
from redislint.kinds import valkey_io


def targets(path: Path, version: str | None = "0.11.0") -> dict:
    return {t.role: t for t in valkey_io.release_targets(release(path, valkey_io.ID, version))}


def values(tmp_path: Path, text: str, version: str | None = "0.11.0") -> dict:
    return targets(write(tmp_path, textwrap.dedent(text)), version)


def test_no_save_or_appendonly_from_the_chart_means_valkey_defaults(tmp_path: Path) -> None:
    t = values(tmp_path, """\
        valkeyConfig: |
          maxmemory 1gb
        dataStorage:
          enabled: true
          requestedSize: 5Gi
        """)["primary"]
    assert (t.chart, t.mode, str(t.redis_version)) == ("valkey-io/valkey", "standalone", "Valkey 9.1.1")
    assert t.value("save") == "3600 1 300 100 60 10000"
    assert layers(t, "save") == ["Valkey 9.1 default"]
    assert t.value("appendonly") == "no"
    assert t.value("dir") == "/data" and layers(t, "dir")[-1] == "chart init.sh"
    assert t.value("maxmemory") == str(1024**3) and lines(t, "maxmemory") == [None, 2]
    assert t.facts.persistent.value is True and t.facts.storage_size.value == 5 * 1024**3


def test_enabled_storage_without_size_or_claim_is_an_emptydir(tmp_path: Path) -> None:
    t = values(tmp_path, """\
        dataStorage:
          enabled: true
          className: ssd
        """)["primary"]
    assert t.facts.persistent.value is False
    assert "dataStorage.enabled is true" in t.facts.persistent.origin and "emptyDir" in t.facts.persistent.origin
    assert t.facts.persistent.span is not None and t.facts.persistent.span.line == 2
    assert t.facts.storage_size.value is None
    assert t.facts.pvc_created.value is True  # nothing waits for a claim: RL403 has nothing to say


def test_existing_claim_is_used_even_without_enabled(tmp_path: Path) -> None:
    t = values(tmp_path, """\
        dataStorage:
          persistentVolumeClaimName: cache-data
        """)["primary"]
    assert t.facts.persistent.value is True and t.facts.existing_claim.value == "cache-data"
    assert t.facts.storage_size.value is None


def test_standalone_is_a_single_pod_deployment(tmp_path: Path) -> None:
    t = values(tmp_path, "valkeyConfig: ''\n")["primary"]
    assert t.facts.workload_kind.value == "Deployment"
    assert "RollingUpdate" in t.facts.workload_kind.origin
    assert t.facts.pods.value == 1


def test_retention_is_only_a_statefulset_policy(tmp_path: Path) -> None:
    # A Deployment's chart PVC goes with `helm uninstall` unless keepPvc, but that is no StatefulSet
    # retention policy: the fact stays false and its origin says what happens.
    lost = values(tmp_path, "dataStorage:\n  enabled: true\n  requestedSize: 1Gi\n")["primary"]
    assert lost.facts.pvc_deleted_with_release.value is False
    assert "helm uninstall deletes" in lost.facts.pvc_deleted_with_release.origin
    roles = values(tmp_path, """\
        replica:
          enabled: true
          persistence:
            size: 1Gi
          persistentVolumeClaimRetentionPolicy:
            whenDeleted: Delete
        """)
    assert roles["primary"].facts.pvc_deleted_with_release.value is True
    assert roles["primary"].facts.pvc_deleted_with_release.span.line == 6


def test_replica_mode_has_a_primary_and_copies_but_no_failover() -> None:
    roles = targets(FIXTURES / "valkey-io-replica-values.yaml")
    assert set(roles) == {"primary", "replica"}
    primary, replica = roles["primary"], roles["replica"]
    assert primary.mode == replica.mode == "replication"
    assert not fails_over(primary)  # pod 0 is always the primary: nothing promotes a replica
    assert replica.value("replicaof") == "valkey-0.valkey-headless 6379" and not primary.value("replicaof")
    assert replica.upstream is primary
    # replica.minReplicasToWrite writes both lines on every pod, pointing at the values keys.
    for t in (primary, replica):
        assert t.value("min-replicas-to-write") == "1" and lines(t, "min-replicas-to-write")[-1] == 15
        assert t.value("min-replicas-max-lag") == "10" and lines(t, "min-replicas-max-lag")[-1] == 16
    assert primary.facts.workload_kind.value == "StatefulSet"
    assert primary.facts.storage_size.value == 20 * 1024**3 and primary.facts.persistent.value is True
    assert primary.facts.replicas_of_master.value == 2 and replica.facts.pods.value == 2
    # appendonly from valkeyConfig, last layer.
    assert primary.value("appendonly") == "yes" and lines(primary, "appendonly")[-1] == 9
    assert primary.value("aclfile") == "/etc/valkey/users.acl"


def test_replica_mode_ignores_data_storage(tmp_path: Path) -> None:
    roles = values(tmp_path, """\
        replica:
          enabled: true
          persistence:
            size: 8Gi
        dataStorage:
          enabled: true
          requestedSize: 50Gi
        """)
    found = issues(roles["primary"], "RL102")
    assert set(found) == {"dataStorage.enabled", "dataStorage.requestedSize"}
    assert found["dataStorage.requestedSize"][0] == 7
    assert roles["primary"].facts.storage_size.value == 8 * 1024**3


def test_extra_valkey_configs_are_mounted_but_never_included(tmp_path: Path) -> None:
    t = values(tmp_path, """\
        extraValkeyConfigs:
          - name: tuning
            mountPath: /etc/valkey/extra
        """)["primary"]
    assert issues(t, "RL102")["extraValkeyConfigs"][0] == 1
    included = values(tmp_path, """\
        valkeyConfig: |
          include /etc/valkey/extra/tuning.conf
        extraValkeyConfigs:
          - name: tuning
            mountPath: /etc/valkey/extra
        """)["primary"]
    assert "extraValkeyConfigs" not in issues(included, "RL102")


def test_old_switch_name_is_ignored_from_0_7_1(tmp_path: Path) -> None:
    text = "dataStorage:\n  enable: true\n  requestedSize: 2Gi\n"
    new = values(tmp_path, text, "0.9.4")["primary"]
    assert issues(new, "RL101")["dataStorage.enable"][0] == 2
    assert "dataStorage.enabled" in issues(new, "RL101")["dataStorage.enable"][1]
    assert new.facts.persistent.value is False  # the PVC is never created from `enable`
    assert "dataStorage.enable" not in issues(values(tmp_path, text, "0.7.0")["primary"], "RL101")


def test_sentinel_keys_are_not_read_by_any_release(tmp_path: Path) -> None:
    roles = values(tmp_path, """\
        replica:
          enabled: true
          persistence:
            size: 8Gi
          sentinel:
            enabled: true
        """, "0.12.0")
    assert set(roles) == {"primary", "replica"} and roles["primary"].mode == "replication"
    line, message = issues(roles["primary"], "RL101")["replica.sentinel.enabled"]
    assert line == 6 and "nothing fails over" in message


def test_typo_in_data_storage_is_reported_with_the_key_meant(tmp_path: Path) -> None:
    t = values(tmp_path, "dataStorage:\n  enabled: true\n  requestSize: 2Gi\n")["primary"]
    line, message = issues(t, "RL101")["dataStorage.requestSize"]
    assert line == 3 and "did you mean dataStorage.requestedSize?" in message


def test_replica_mode_without_a_size_does_not_render(tmp_path: Path) -> None:
    t = values(tmp_path, "replica:\n  enabled: true\n")["primary"]
    assert [u.subject for u in t.unresolved] == ["replica.persistence.size"]


def test_values_shape_tells_it_from_groundhog2k(tmp_path: Path) -> None:
    from redislint.sources import load_yaml

    def shape(text: str) -> bool:
        return valkey_io.values_shape(load_yaml("v.yaml", textwrap.dedent(text)).documents[0].root)

    assert shape("dataStorage:\n  enabled: true\n")
    assert shape("valkeyConfig: ''\nreplica:\n  persistence:\n    size: 1Gi\n")
    assert shape("auth:\n  enabled: true\n  usersExistingSecret: valkey-users\n")
    assert not shape("auth:\n  acl:\n    users: []\n")  # Bitnami's
    assert not shape("valkeyConfig: ''\nhaMode:\n  enabled: true\n")
    assert not shape("valkeyConfig: ''\nstorage:\n  requestedSize: 1Gi\n")
