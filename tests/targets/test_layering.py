"""The chart's layering, as its start scripts apply it: which value wins, and where it came from."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from redislint.engine import CheckOptions, check_paths
from redislint.inputs import load_inputs
from redislint.targets import TargetOptions, find_targets


def targets_of(tmp_path: Path, text: str, name: str = "values.yaml", **opts: str):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    inputs = load_inputs([str(path)])
    return {t.role: t for t in find_targets(inputs.yaml_files, inputs.conf_files, TargetOptions(**opts))}


def layers(target, key: str) -> list[str]:
    return [a.layer for a in target.evaluation.settings[key].history]


def test_standalone_chart_defaults_mean_aof_on_and_rdb_off(tmp_path: Path) -> None:
    t = targets_of(tmp_path, """\
        architecture: standalone
        """, chart_version="19.6.4")["master"]
    assert t.value("appendonly") == "yes"
    assert t.value("save") == ""
    assert layers(t, "save") == ["Redis 7.2 default", "chart default commonConfiguration"]
    assert t.value("dir") == "/data"


def test_master_configuration_save_lines_add_to_the_chart_default(tmp_path: Path) -> None:
    t = targets_of(tmp_path, """\
        architecture: standalone
        master:
          configuration: |
            save 900 1
            save 300 10
        """, chart_version="19.6.4")["master"]
    # redis.conf's `save ""` clears, then master.conf's lines append (the chart's order).
    assert t.value("save") == "900 1 300 10"
    history = t.evaluation.settings["save"].history
    assert [(a.line.span.line if a.line and a.line.span.path else None) for a in history] == [None, None, 4, 5]


def test_user_common_configuration_without_appendonly_turns_aof_off(tmp_path: Path) -> None:
    t = targets_of(tmp_path, """\
        architecture: standalone
        commonConfiguration: |
          maxmemory 1gb
        """, chart_version="19.6.4")["master"]
    assert t.value("appendonly") == "no"
    assert t.value("save") == "3600 1 300 100 60 10000"
    assert t.value("maxmemory") == str(1024**3)


def test_sentinel_mode_chart_default_erases_replica_save_lines(tmp_path: Path) -> None:
    roles = targets_of(tmp_path, """\
        architecture: replication
        sentinel:
          enabled: true
        replica:
          configuration: |
            save 900 1
        """, chart_version="19.6.4")
    assert set(roles) == {"node"}
    node = roles["node"]
    # start-node.sh includes replica.conf first, then redis.conf, whose `save ""` clears.
    assert node.value("save") == ""
    assert layers(node, "save")[-2:] == ["replica.configuration", "chart default commonConfiguration"]


def test_replication_builds_master_and_replica(tmp_path: Path) -> None:
    roles = targets_of(tmp_path, """\
        architecture: replication
        replica:
          replicaCount: 2
        """, chart_version="19.6.4")
    assert set(roles) == {"master", "replica"}
    assert roles["master"].facts.replicas_of_master.value == 2
    assert roles["replica"].facts.pods.value == 2


def test_extra_flags_save_after_includes_replaces_every_save_point(tmp_path: Path) -> None:
    t = targets_of(tmp_path, """\
        architecture: standalone
        master:
          configuration: |
            save 900 1
          extraFlags:
            - "--save 60 5"
            - "--maxmemory 750mb"
        """, chart_version="19.6.4")["master"]
    # Redis 7.x: after an include returns, a later save line acts like CONFIG SET and replaces.
    assert t.value("save") == "60 5"
    assert t.value("maxmemory") == str(750 * 1024**2)  # "mb" is binary, "m" decimal
    assert layers(t, "maxmemory")[-1] == "master.extraFlags"


@pytest.mark.parametrize("chart_version,limit,source", [
    ("18.1.0", None, "none"),  # before 18.14.0: no presets at all
    ("18.19.4", None, "none"),  # 18.14–18.x: preset "none"
    ("19.0.0", 192 * 1024**2, "preset:nano"),
    ("23.1.1", 192 * 1024**2, "preset:nano"),
])
def test_memory_limit_from_preset_by_chart_version(tmp_path: Path, chart_version: str, limit, source) -> None:
    t = targets_of(tmp_path, "architecture: standalone\n", chart_version=chart_version)["master"]
    assert t.facts.memory_limit.value == limit
    assert t.facts.memory_limit_source == source


def test_resources_without_limits_means_no_limit_even_with_a_preset(tmp_path: Path) -> None:
    t = targets_of(tmp_path, """\
        architecture: standalone
        master:
          resources:
            requests:
              memory: 1Gi
        """, chart_version="19.6.4")["master"]
    assert t.facts.memory_limit.value is None
    assert t.facts.memory_request.value == 1024**3


def test_directive_positions_point_into_the_yaml_file(tmp_path: Path) -> None:
    t = targets_of(tmp_path, """\
        architecture: standalone
        master:
          configuration: |-
            # comment
            appendonly yes

              appendfsync    always
        """, chart_version="19.6.4")["master"]
    aof = t.written("appendonly")
    fsync = t.written("appendfsync")
    assert (aof.line.span.line, aof.line.span.column) == (5, 5)
    assert (fsync.line.span.line, fsync.line.span.column) == (7, 7)


def test_deployment_with_replication_creates_no_pvc(tmp_path: Path) -> None:
    t = targets_of(tmp_path, """\
        architecture: replication
        master:
          kind: Deployment
        """, chart_version="20.13.1")["master"]
    assert t.facts.pvc_created.value is False
    assert t.facts.persistent.value is False


def test_valkey_chart_2_names_the_role_primary(tmp_path: Path) -> None:
    roles = targets_of(tmp_path, """\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: valkey
          namespace: cache
        spec:
          chart:
            spec:
              chart: valkey
              version: 2.4.7
          values:
            architecture: standalone
            primary:
              configuration: |
                primaryauth s3cret
        """, name="hr.yaml")
    assert set(roles) == {"primary"}
    t = roles["primary"]
    assert t.redis_version.flavor == "valkey"
    assert "primaryauth" in t.evaluation.settings or "masterauth" in t.evaluation.settings
    assert not t.evaluation.errors


def test_flux_values_from_configmap_in_another_file(tmp_path: Path) -> None:
    (tmp_path / "cm.yaml").write_text(textwrap.dedent("""\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: redis-values
          namespace: cache
        data:
          values.yaml: |
            master:
              configuration: |
                maxmemory 2gb
        """))
    (tmp_path / "hr.yaml").write_text(textwrap.dedent("""\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: redis
          namespace: cache
        spec:
          chart:
            spec:
              chart: redis
              version: 19.6.4
          valuesFrom:
            - kind: ConfigMap
              name: redis-values
          values:
            architecture: standalone
        """))
    inputs = load_inputs([str(tmp_path)])
    [t] = find_targets(inputs.yaml_files, inputs.conf_files)  # the ConfigMap is not a target of its own
    a = t.written("maxmemory")
    assert t.value("maxmemory") == str(2 * 1024**3)
    assert a.line.span.path.endswith("cm.yaml") and (a.line.span.line, a.line.span.column) == (10, 9)
    assert (t.facts.memory_limit.value, t.facts.memory_limit_source) == (192 * 1024**2, "preset:nano")
    report, _ = check_paths([str(tmp_path)], CheckOptions(profile="cache"))
    found = {(f.rule, Path(f.span.path).name, f.span.line, f.span.column) for f in report.findings}
    # 2gb against the chart's default nano limit (192Mi), at the line that sets it; the missing
    # eviction policy belongs in the same configuration block.
    assert ("RL304", "cm.yaml", 10, 9) in found
    assert ("RL305", "cm.yaml", 9, 7) in found
    assert not any(rule in ("RL003", "RL301") for rule, *_ in found), found


def test_argo_values_string_maps_back_to_the_application(tmp_path: Path) -> None:
    roles = targets_of(tmp_path, """\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: redis
          namespace: argocd
        spec:
          source:
            chart: redis
            targetRevision: 19.6.4
            helm:
              values: |
                architecture: standalone
                master:
                  configuration: |
                    appendonly no
        """, name="app.yaml")
    t = roles["master"]
    a = t.written("appendonly")
    assert t.value("appendonly") == "no"
    assert (a.line.span.line, a.line.span.column) == (15, 13)
    assert (t.kind, t.name, t.facts.memory_limit.value) == ("Application", "argocd/redis", 192 * 1024**2)
    report, _ = check_paths([str(tmp_path / "app.yaml")], CheckOptions(profile="cache"))
    found = {(f.rule, f.span.line, f.span.column) for f in report.findings}
    # AOF off at the line inside the values string; maxmemory absent: the configuration block. The
    # default noeviction never acts without maxmemory, so RL301 says it and RL305 does not.
    assert {("RL203", 15, 13), ("RL301", 14, 11)} <= found and ("RL305", 14, 11) not in found


def test_redis_ha_renders_sorted_config_after_chart_lines(tmp_path: Path) -> None:
    roles = targets_of(tmp_path, """\
        replicas: 3
        haproxy:
          enabled: false
        redis:
          config:
            save: "300 10"
            maxmemory: 1gb
        persistentVolume:
          size: 20Gi
        """, chart_version="4.33.0")
    t = roles["server"]
    assert t.chart == "redis-ha"
    assert t.value("save") == "300 10"
    assert t.value("appendonly") == "no"
    assert t.value("min-replicas-to-write") == "1"
    assert t.facts.storage_size.value == 20 * 1024**3
    assert t.facts.replicas_of_master.value == 2
