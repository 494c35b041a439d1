"""Every way people deploy the charts: Argo CD and Flux wrappers, umbrella charts, pre-14 Bitnami layouts.

Each test is a realistic deployment and asserts the effective config, the Kubernetes facts, the
findings, and the exact positions they point at.
"""

from __future__ import annotations

import base64
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from redislint.charts.values_view import parse_set_path, split_list_value, typed_value
from redislint.cli import main
from redislint.engine import CheckOptions, check_paths
from redislint.targets import TargetOptions

MI = 1024 * 1024
GI = 1024 * MI


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return str(path)


def check(paths: list[str], profile: str = "cache", chart_version: str | None = None):
    """(targets by role, findings as {(rule, path tail, line, column)}, the findings themselves)."""
    report, targets = check_paths(paths, CheckOptions(profile=profile, targets=TargetOptions(None, chart_version)))
    found = {(f.rule, Path(f.span.path).name, f.span.line, f.span.column) for f in report.findings}
    return {t.role: t for t in targets}, found, report.findings


def at(target, key: str) -> tuple[str, str, int, int]:
    """(value, file name, line, column) of the assignment that sets `key`."""
    a = target.written(key)
    assert a is not None, f"{key} is not written by anyone"
    return target.value(key), Path(a.line.span.path).name, a.line.span.line, a.line.span.column


# ---------------------------------------------------------------------------------------------
# Helm --set paths and values (Argo CD parameters, Flux targetPath)


@pytest.mark.parametrize("name,path", [
    ("master.persistence.size", ["master", "persistence", "size"]),
    ("master.extraFlags[1]", ["master", "extraFlags", 1]),
    ("a[0].b", ["a", 0, "b"]),
    ("podAnnotations.prometheus\\.io/scrape", ["podAnnotations", "prometheus.io/scrape"]),
    ("a..b", None), ("a.", None), (".a", None), ("a[x]", None), ("a[0]b", None), ("[0]", None), ("", None),
])
def test_set_paths(name: str, path) -> None:
    assert parse_set_path(name) == path


@pytest.mark.parametrize("text,force,value", [
    ("true", False, True), ("FALSE", False, False), ("null", False, None), ("0", False, 0), ("12", False, 12),
    ("-3", False, -3), ("007", False, "007"), ("1.5", False, "1.5"), ("16Gi", False, "16Gi"),
    ("9223372036854775808", False, "9223372036854775808"), ("12", True, "12"), ("true", True, "true"),
])
def test_set_values_are_typed_like_helm(text: str, force: bool, value) -> None:
    assert typed_value(text, force) == value and type(typed_value(text, force)) is type(value)


def test_set_list_syntax() -> None:
    assert split_list_value("{--save 900 1,--maxmemory 1gb}") == ["--save 900 1", "--maxmemory 1gb"]
    assert split_list_value("{a\\,b,c}") == ["a,b", "c"]
    assert split_list_value("{}") == [] and split_list_value("plain") is None


# ---------------------------------------------------------------------------------------------
# Argo CD


ARGO_APP = """\
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: cache
      namespace: argocd
    spec:
      project: default
      sources:
        - repoURL: registry-1.docker.io/bitnamicharts
          chart: redis
          targetRevision: 19.6.4
          helm:
            valueFiles:
              - $values/envs/prod/redis.yaml
            valuesObject:
              architecture: standalone
              master:
                persistence:
                  size: 4Gi
            values: |
              master:
                persistence:
                  size: 1Gi
            parameters:
              - name: master.persistence.size
                value: 32Gi
              - name: master.configuration
                value: |
                  maxmemory 2gb
                  maxmemory-policy allkeys-lru
              - name: master.count
                value: "1"
                forceString: true
              - name: master.extraFlags
                value: "{--save 900 1,--appendfsync everysec}"
        - repoURL: https://git.example.com/platform.git
          targetRevision: main
          ref: values
      destination:
        server: https://kubernetes.default.svc
        namespace: cache
    """

PROD_VALUES = """\
    master:
      resources:
        requests:
          memory: 3Gi
        limits:
          memory: 6Gi
      persistence:
        size: 2Gi
    """


def test_argo_precedence_parameters_over_values_object_over_value_files(tmp_path: Path) -> None:
    app = write(tmp_path, "apps/cache.yaml", ARGO_APP)
    values = write(tmp_path, "platform/envs/prod/redis.yaml", PROD_VALUES)
    _, found, _ = check([app, values])
    report, targets = check_paths([app, values], CheckOptions(profile="cache"))
    roles = {t.role: t for t in targets if t.name == "argocd/cache"}
    assert set(roles) == {"master"}
    t = roles["master"]
    assert (t.kind, t.chart, t.mode, t.chart_version) == ("Application", "bitnami/redis", "standalone", "19.6.4")
    # parameters > valuesObject (4Gi) > valueFiles (2Gi); the ignored values string (1Gi) plays no part.
    assert t.facts.storage_size.value == 32 * GI
    assert (Path(t.facts.storage_size.span.path).name, t.facts.storage_size.span.line) == ("cache.yaml", 26)
    # Memory comes from the $values file, which nothing above overrides.
    assert (t.facts.memory_limit.value, t.facts.memory_request.value) == (6 * GI, 3 * GI)
    assert (Path(t.facts.memory_limit.span.path).name, t.facts.memory_limit.span.line) == ("redis.yaml", 6)
    # A multi-line parameter value keeps its line mapping; `{a,b}` is a Helm list.
    assert at(t, "maxmemory") == (str(2 * GI), "cache.yaml", 29, 15)
    assert at(t, "maxmemory-policy") == ("allkeys-lru", "cache.yaml", 30, 15)
    assert t.value("save") == "900 1"
    assert t.value("appendfsync") == "everysec"
    assert [a.layer for a in t.evaluation.settings["save"].history][-1] == "master.extraFlags"
    # forceString keeps "1" a string; Helm's int() in the template still reads one pod.
    assert t.values.get("master.count").value == "1"
    assert t.facts.pods.value == 1
    assert ("RL102", "cache.yaml", 20, 9) in found  # helm.values is ignored next to valuesObject
    assert not any(f[0] in ("RL003", "RL301", "RL305", "RL201", "RL402") for f in found), found


def test_argo_value_files_missing_and_relative_to_the_source_path(tmp_path: Path) -> None:
    app = write(tmp_path, "repo/apps/cache.yaml", """\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: cache
          namespace: argocd
        spec:
          source:
            repoURL: https://git.example.com/charts.git
            path: charts/redis
            targetRevision: main
            helm:
              valueFiles:
                - values-prod.yaml
                - values-missing.yaml
              parameters:
                - name: commonConfiguration
                  value: |-
                    appendonly yes
                    appendfsync always
                    save 900 1
                - name: master.resources.limits.memory
                  value: 1Gi
          destination:
            namespace: cache
        """)
    chart_values = write(tmp_path, "repo/charts/redis/values-prod.yaml", """\
        redis:
          architecture: standalone
          master:
            configuration: |
              maxmemory 256mb
              maxmemory-policy allkeys-lfu
        """)
    # A chart in Git is only ours through redislint.io/values-path or a bundled `redis:` block.
    roles, found, _ = check([app, chart_values])
    assert set(roles) == {"master"}
    t = roles["master"]
    assert (t.chart, t.mode) == ("bitnami/redis", "standalone")
    # The parameters sit under the alias too: `commonConfiguration` at the top of the parent's values
    # is not the subchart's, so the chart default (AOF on, save "") still applies.
    assert t.value("appendfsync") == "everysec"
    assert t.value("save") == ""
    assert at(t, "maxmemory") == (str(256 * MI), "values-prod.yaml", 5, 7)
    assert ("RL003", "cache.yaml", 14, 11) in found  # values-missing.yaml is not among the inputs
    assert not any(f[0] == "RL003" and f[2] == 13 for f in found)


def test_argo_ignore_missing_value_files_and_unknown_ref(tmp_path: Path) -> None:
    app = write(tmp_path, "app.yaml", """\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: cache
        spec:
          sources:
            - repoURL: oci://registry-1.docker.io/bitnamicharts/redis
              path: .
              targetRevision: 20.0.3
              helm:
                ignoreMissingValueFiles: true
                valueFiles:
                  - values-optional.yaml
                  - $config/redis.yaml
                valuesObject:
                  architecture: standalone
        """)
    roles, found, findings = check([app])
    t = roles["master"]
    assert (t.chart, t.chart_version, t.redis_version.label) == ("bitnami/redis", "20.0.3", "Redis 7.4")
    rl003 = sorted((f.span.line, f.span.column, f.severity.value) for f in findings if f.rule == "RL003")
    # ignoreMissingValueFiles covers a missing file (which Argo CD reads from inside the chart
    # package: unseen, so a note), not a `$ref` no source defines (Argo CD fails: a warning).
    assert rl003 == [(13, 13, "note"), (14, 13, "warning")]


def test_argo_parameter_types_follow_helm_set(tmp_path: Path) -> None:
    app = write(tmp_path, "app.yaml", """\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: cache
        spec:
          source:
            repoURL: https://charts.bitnami.com/bitnami
            chart: redis
            targetRevision: 19.6.4
            helm:
              parameters:
                - name: architecture
                  value: replication
                - name: replica.replicaCount
                  value: "2"
                - name: master.persistence.enabled
                  value: "false"
                - name: master.disableCommands
                  value: "null"
                - name: master.podAnnotations.prometheus\\.io/scrape
                  value: "true"
        """)
    roles, found, _ = check([app])
    assert set(roles) == {"master", "replica"}
    master, replica = roles["master"], roles["replica"]
    assert replica.facts.pods.value == 2 and master.facts.replicas_of_master.value == 2
    assert (master.facts.persistent.value, master.facts.persistent.span.line) == (False, 17)
    assert master.values.get("master.podAnnotations").value == {"prometheus.io/scrape": True}
    # `null` deletes the chart's FLUSHDB/FLUSHALL renames from master.conf; replica.conf keeps them.
    assert [i.args for i in _lines(master.source) if i.key == "rename-command"] == []
    assert [i.args for i in _lines(replica.source) if i.key == "rename-command"] == [("FLUSHDB", ""),
                                                                                     ("FLUSHALL", "")]
    assert ("RL401", "app.yaml", 17, 18) in found
    # Replicas follow a master with no volume: RL401 (the root cause) says so, RL406 defers to it.
    assert ("RL406", "app.yaml", 17, 18) not in found


def _lines(source):
    for item in source.items:
        inner = getattr(item, "source", None)
        if inner is not None:
            yield from _lines(inner)
        else:
            yield item


# ---------------------------------------------------------------------------------------------
# Flux


def test_flux_target_path_overrides_inline_values_and_points_at_the_configmap(tmp_path: Path) -> None:
    hr = write(tmp_path, "hr.yaml", """\
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
              name: redis-sizing
              valuesKey: pvc-size
              targetPath: master.persistence.size
            - kind: ConfigMap
              name: redis-sizing
              valuesKey: replicas
              targetPath: replica.replicaCount
            - kind: ConfigMap
              name: redis-sizing
              valuesKey: flags
              targetPath: master.extraFlags[0]
            - kind: ConfigMap
              name: redis-overrides
              optional: true
          values:
            architecture: standalone
            master:
              persistence:
                size: 1Gi
              resources:
                limits:
                  memory: 2Gi
        """)
    cm = write(tmp_path, "sizing.yaml", """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: redis-sizing
          namespace: cache
        data:
          pvc-size: 16Gi
          replicas: "0"
          flags: "--maxmemory 1gb"
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: redis-sizing
          namespace: staging
        data:
          pvc-size: 1Mi
        """)
    roles, found, _ = check([hr, cm])
    t = roles["master"]
    assert t.facts.storage_size.value == 16 * GI  # targetPath beats spec.values (1Gi)
    span = t.facts.storage_size.span
    assert (Path(span.path).name, span.line, span.column) == ("sizing.yaml", 7, 13)
    assert t.values.get("replica.replicaCount").value == 0  # typed like `--set`
    assert at(t, "maxmemory") == (str(GI), "sizing.yaml", 9, 10)
    assert t.values.get("master.extraFlags").value == ["--maxmemory 1gb"]
    # The optional ConfigMap that is not among the inputs is only a note (it may not exist at all);
    # nothing else is unresolved.
    assert [f for f in found if f[0] == "RL003"] == [("RL003", "hr.yaml", 24, 7)], found
    assert ("RL304", "sizing.yaml", 9, 10) not in found  # 1gb < 2Gi
    assert ("RL305", "hr.yaml", 29, 5) in found  # noeviction: no policy written, so at spec.values master:


def test_flux_secret_data_is_decoded_and_never_printed(tmp_path: Path) -> None:
    values = "master:\n  configuration: |\n    maxmemory 300mb\n    maxmemory-policy allkeys-lru\n    requirepass " \
             "Tr0ub4dor-and-3\n"
    hr = write(tmp_path, "hr.yaml", """\
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
            - kind: Secret
              name: redis-values
            - kind: Secret
              name: redis-auth
              valuesKey: password
              targetPath: auth.password
            - kind: Secret
              name: redis-sops
          values:
            architecture: standalone
        """)
    secret = write(tmp_path, "secrets.yaml", f"""\
        apiVersion: v1
        kind: Secret
        metadata:
          name: redis-values
          namespace: cache
        data:
          values.yaml: {base64.b64encode(values.encode()).decode()}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: redis-auth
          namespace: cache
        stringData:
          password: correct-horse-battery
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: redis-sops
          namespace: cache
        data:
          values.yaml: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]
        sops:
          version: 3.8.1
        """)
    roles, found, findings = check([hr, secret])
    t = roles["master"]
    # base64 text cannot be mapped line by line: every line points at the encoded value.
    assert at(t, "maxmemory") == (str(300 * MI), "secrets.yaml", 7, 16)
    assert t.value("maxmemory-policy") == "allkeys-lru"
    assert t.values.get("auth.password").span.line == 15
    assert ("RL003", "hr.yaml", 18, 7) in found  # SOPS-encrypted: not readable
    assert not any("SOPS" not in f.message for f in findings if f.rule == "RL003")
    for args in (["check", "--format", "json", hr, secret], ["check", "--format", "sarif", hr, secret],
                 ["check", hr, secret], ["effective", "--all", hr, secret],
                 ["effective", "--format", "json", "--all", hr, secret]):
        out = CliRunner().invoke(main, args).output
        assert "Tr0ub4dor" not in out and "correct-horse" not in out, args


def test_flux_missing_non_optional_source_and_missing_key(tmp_path: Path) -> None:
    hr = write(tmp_path, "hr.yaml", """\
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
              name: not-passed
            - kind: ConfigMap
              name: redis-values
              valuesKey: prod.yaml
        """)
    cm = write(tmp_path, "cm.yaml", """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: redis-values
        data:
          values.yaml: |
            architecture: standalone
        """)
    roles, found, findings = check([hr, cm])
    assert set(roles) == {"master", "replica"}  # nothing read: the chart default architecture
    rl003 = sorted((f.span.line, f.message.split(";")[0].split(":")[0]) for f in findings if f.rule == "RL003")
    assert rl003 == [(12, "valuesFrom ConfigMap not-passed (key values.yaml) is not among the inputs"),
                     (14, "ConfigMap redis-values has no key prod.yaml")]
    # No spec.values: findings about absent settings point at valuesFrom.
    assert ("RL301", "hr.yaml", 11, 3) in found


def test_flux_v1_config_map_key_ref(tmp_path: Path) -> None:
    hr = write(tmp_path, "hr.yaml", """\
        apiVersion: helm.fluxcd.io/v1
        kind: HelmRelease
        metadata:
          name: redis
          namespace: cache
        spec:
          chart:
            repository: https://charts.bitnami.com/bitnami
            name: redis
            version: 17.3.8
          valuesFrom:
            - configMapKeyRef:
                name: redis-values
                key: redis.yaml
            - secretKeyRef:
                name: redis-secret-values
                optional: true
          values:
            architecture: standalone
        """)
    cm = write(tmp_path, "cm.yaml", """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: redis-values
          namespace: cache
        data:
          redis.yaml: |
            master:
              configuration: |-
                maxmemory 100mb
        """)
    roles, found, _ = check([hr, cm])
    assert at(roles["master"], "maxmemory") == (str(100 * MI), "cm.yaml", 10, 9)
    # Only the optional Secret, which is not among the inputs, is noted.
    assert [f[0] for f in found if f[0] == "RL003"] == ["RL003"]


def test_replica_count_zero_runs_no_replica(tmp_path: Path) -> None:
    values = write(tmp_path, "values.yaml", """\
        architecture: replication
        replica:
          replicaCount: 0
        """)
    roles, _, _ = check([values], chart_version="19.6.4")
    assert set(roles) == {"master"}
    assert roles["master"].facts.replicas_of_master.value == 0


# ---------------------------------------------------------------------------------------------
# Umbrella charts


def test_umbrella_alias_declared_with_an_annotation(tmp_path: Path) -> None:
    hr = write(tmp_path, "hr.yaml", """\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: platform
          namespace: apps
          annotations:
            redislint.io/values-path: cache.redis
        spec:
          chart:
            spec:
              chart: platform
              version: 3.1.0
          values:
            cache:
              redis:
                architecture: standalone
                master:
                  resourcesPreset: small
                  configuration: |
                    maxmemory 300mb
                    maxmemory-policy allkeys-lru
        """)
    roles, found, _ = check([hr])
    assert set(roles) == {"master"}
    t = roles["master"]
    assert (t.name, t.kind, t.chart, t.mode) == ("apps/platform", "HelmRelease", "bitnami/redis", "standalone")
    assert at(t, "maxmemory") == (str(300 * MI), "hr.yaml", 20, 13)
    assert (t.facts.memory_limit.value, t.facts.memory_limit.span.line) == (768 * MI, 18)
    assert ("RL307", "hr.yaml", 18, 28) in found
    assert not any(f[0] in ("RL101", "RL301", "RL305", "RL303") for f in found), found


def test_umbrella_auto_detected_in_an_argo_git_chart_and_disabled_subchart(tmp_path: Path) -> None:
    app = write(tmp_path, "apps.yaml", """\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: mastodon
          namespace: argocd
        spec:
          source:
            repoURL: https://git.example.com/apps.git
            path: charts/mastodon
            targetRevision: main
            helm:
              valuesObject:
                redis:
                  architecture: replication
                  replica:
                    replicaCount: 1
                    persistence:
                      enabled: false
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: other
          namespace: argocd
        spec:
          source:
            repoURL: https://git.example.com/apps.git
            path: charts/other
            helm:
              valuesObject:
                redis:
                  enabled: false
                  architecture: standalone
        """)
    report, targets = check_paths([app], CheckOptions(profile="cache"))
    assert [(t.name, t.role, t.chart) for t in targets] == [("argocd/mastodon", "master", "bitnami/redis"),
                                                            ("argocd/mastodon", "replica", "bitnami/redis")]
    replica = targets[1]
    assert replica.facts.pods.value == 1 and replica.facts.persistent.value is False
    assert {(f.rule, f.span.line, f.span.column) for f in report.findings if f.rule == "RL401"} == {("RL401", 18, 24)}


# ---------------------------------------------------------------------------------------------
# bitnami/redis before 14.0.0


LEGACY = """\
    cluster:
      enabled: true
      slaveCount: 1
    usePassword: false
    configmap: |-
      appendonly yes
      appendfsync always
    master:
      configmap: |-
        maxmemory 512mb
        maxmemory-policy allkeys-lru
      resources:
        limits:
          memory: 2Gi
    slave:
      configmap: |-
        maxmemory 512mb
        save 900 1
      extraFlags:
        - --maxmemory-policy allkeys-lfu
      persistence:
        size: 4Gi
    persistence:
      existingClaim: redis-master-data
    securityContext:
      enabled: true
      fsGroup: 1001
    containerSecurityContext:
      runAsUser: 1001
    """


def test_legacy_chart_13_layering(tmp_path: Path) -> None:
    values = write(tmp_path, "values.yaml", LEGACY)
    roles, found, _ = check([values], chart_version="13.0.2")
    assert set(roles) == {"master", "replica"}
    master, replica = roles["master"], roles["replica"]
    assert (master.chart_version, master.redis_version.label, master.mode) == ("13.0.2", "Redis 6.2", "replication")
    # redis.conf is `configmap`, then master.conf / replica.conf, then the role's extraFlags.
    assert at(master, "appendfsync") == ("always", "values.yaml", 7, 3)
    assert at(master, "maxmemory-policy") == ("allkeys-lru", "values.yaml", 11, 5)
    assert at(replica, "maxmemory-policy") == ("allkeys-lfu", "values.yaml", 20, 7)
    assert replica.value("save") == "900 1"
    assert [a.layer for a in replica.evaluation.settings["replica-read-only"].history][-1] == \
        "chart template replica.conf"
    assert master.value("protected-mode") == "no"  # usePassword: false
    # Top-level persistence.existingClaim is the master's claim; its size is not in the values.
    assert master.facts.persistent.origin == "existingClaim redis-master-data"
    assert (master.facts.storage_size.value, replica.facts.storage_size.value) == (None, 4 * GI)
    assert (master.facts.replicas_of_master.value, replica.facts.pods.value) == (1, 1)
    assert master.facts.memory_limit.value == 2 * GI
    assert replica.facts.memory_limit.value is None
    assert not any(f[0] in ("RL101", "RL102", "RL003") for f in found), found


def test_legacy_keys_have_no_effect_on_chart_14_and_later(tmp_path: Path) -> None:
    values = write(tmp_path, "values.yaml", LEGACY)
    roles, found, _ = check([values], chart_version="19.6.4")
    # cluster.enabled is ignored: the default architecture (replication) runs master and replicas.
    assert set(roles) == {"master", "replica"}
    assert roles["master"].value("appendfsync") == "everysec"  # `configmap` is not read
    issues = sorted((f[0], f[2]) for f in found if f[0] in ("RL101", "RL102"))
    assert issues == [("RL101", 1), ("RL101", 4), ("RL101", 5), ("RL101", 9), ("RL101", 23), ("RL101", 25),
                      ("RL101", 28), ("RL102", 15)]


def test_chart_14_keys_have_no_effect_on_chart_13(tmp_path: Path) -> None:
    values = write(tmp_path, "values.yaml", """\
        architecture: standalone
        commonConfiguration: |-
          maxmemory 1gb
        replica:
          replicaCount: 1
        """)
    roles, found, _ = check([values], chart_version="13.0.2")
    assert set(roles) == {"master", "replica"}  # architecture is not read before 14.0.0
    assert roles["master"].value("maxmemory") == "0"
    rl = sorted((f[0], f[2]) for f in found if f[0] in ("RL101", "RL102"))
    assert rl == [("RL101", 1), ("RL101", 2), ("RL102", 4)]


@pytest.mark.parametrize("version,roles", [("10.9.0", {"master", "replica"}), ("11.3.4", {"node"})])
def test_legacy_sentinel_ran_as_sidecars_before_11(tmp_path: Path, version: str, roles: set[str]) -> None:
    values = write(tmp_path, "values.yaml", """\
        cluster:
          enabled: true
        sentinel:
          enabled: true
        master:
          persistence:
            size: 8Gi
        """)
    got, _, _ = check([values], chart_version=version)
    assert set(got) == roles
