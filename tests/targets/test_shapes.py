"""Every way a Redis deployment is written yields targets, and what cannot be analysed says so (RL004).

Each test is a deployment written the way people write them in GitOps repositories: Flux chartRef
to an OCIRepository or HelmChart, Argo CD charts from a Git path, ApplicationSet templates and
app-of-apps values, umbrella charts' values, old charts, hand-written StatefulSets.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from redislint.engine import CheckOptions, check_paths
from redislint.targets import TargetOptions

MI = 1024 * 1024
GI = 1024 * MI


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return str(path)


def run(paths: list[str], profile: str = "cache", chart_version: str | None = None, select: tuple[str, ...] = ()):
    """(targets, findings) of one check."""
    report, targets = check_paths(paths, CheckOptions(profile=profile, select=select,
                                                      targets=TargetOptions(None, chart_version)))
    return targets, report.findings


def said(target) -> str:
    """Everything the target says it assumed, one sentence after the other."""
    return " | ".join(a.message for a in target.assumptions)


def where(findings, rule: str) -> list[tuple[str, int, int]]:
    return sorted((Path(f.span.path).name, f.span.line, f.span.column) for f in findings if f.rule == rule)


# ---------------------------------------------------------------------------------------------
# Flux chartRef (Flux 2.3+): the chart and its version live on the OCIRepository or HelmChart.

OCI_REPOSITORY = """\
    ---
    apiVersion: source.toolkit.fluxcd.io/v1beta2
    kind: OCIRepository
    metadata:
      name: redis
    spec:
      interval: 12h
      layerSelector:
        mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
        operation: copy
      url: oci://registry-1.docker.io/bitnamicharts/redis
      ref:
        tag: 19.6.4
    """

CHARTREF_RELEASE = """\
    ---
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: redis
    spec:
      interval: 30m
      chartRef:
        kind: OCIRepository
        name: redis
      values:
        architecture: standalone
        master:
          resources:
            limits:
              memory: 512Mi
    """


def test_chartref_to_an_oci_repository_in_the_same_directory(tmp_path: Path) -> None:
    oci = write(tmp_path, "app/ocirepository.yaml", OCI_REPOSITORY)
    hr = write(tmp_path, "app/helmrelease.yaml", CHARTREF_RELEASE)
    targets, findings = run([hr, oci])
    [t] = targets
    assert (t.chart, t.chart_version, t.redis_version.label, t.mode) == ("bitnami/redis", "19.6.4", "Redis 7.2",
                                                                       "standalone")
    assert "chart" not in said(t), said(t)
    assert where(findings, "RL003") == []


def test_chartref_to_a_helm_chart_object(tmp_path: Path) -> None:
    write(tmp_path, "cache/helmchart.yaml", """\
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: HelmChart
        metadata:
          name: cache-valkey
          namespace: cache
        spec:
          interval: 10m
          chart: valkey
          version: "2.4.*"
          sourceRef:
            kind: HelmRepository
            name: bitnami
        """)
    write(tmp_path, "cache/release.yaml", """\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: valkey
          namespace: cache
        spec:
          interval: 10m
          chartRef:
            kind: HelmChart
            name: cache-valkey
          values:
            architecture: standalone
            primary:
              resourcesPreset: small
        """)
    targets, _ = run([str(tmp_path / "cache")])
    [t] = targets
    assert (t.chart, t.chart_version, t.role) == ("bitnami/valkey", "2.4.7", "primary")
    assert t.facts.memory_limit.value == 768 * MI


def test_chartref_not_among_the_inputs_is_decided_from_the_values_and_said(tmp_path: Path) -> None:
    hr = write(tmp_path, "helmrelease.yaml", """\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: sessions
          namespace: web
        spec:
          interval: 1h
          chartRef:
            kind: OCIRepository
            name: sessions-chart
            namespace: flux-system
          values:
            architecture: standalone
            primary:
              persistence:
                size: 1Gi
        """)
    [t], _ = run([hr])
    assert (t.chart, t.role, t.facts.storage_size.value) == ("bitnami/valkey", "primary", GI)
    notes = said(t)
    assert "chartRef OCIRepository sessions-chart is not among the inputs" in notes
    assert "chart assumed to be bitnami/valkey from the values' shape" in notes


def test_chartref_name_decides_when_the_values_say_nothing(tmp_path: Path) -> None:
    hr = write(tmp_path, "hr.yaml", """\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: redis
        spec:
          chartRef:
            kind: OCIRepository
            name: redis
          values:
            auth:
              enabled: false
        """)
    [t1, t2], _ = run([hr])
    assert {t1.role, t2.role} == {"master", "replica"}
    assert "chart assumed to be bitnami/redis from its name 'redis'" in said(t1)


def test_unrelated_files_on_the_command_line_do_not_change_a_file_s_results(tmp_path: Path) -> None:
    """A namespace-less OCIRepository elsewhere is not the release's chart (it may be another one)."""
    hr = write(tmp_path, "team-a/redis/helmrelease.yaml", textwrap.dedent(CHARTREF_RELEASE).replace(
        "  name: redis\nspec:", "  name: redis\n  namespace: team-a\nspec:"))
    other = write(tmp_path, "team-b/sources/ocirepository.yaml", OCI_REPOSITORY)
    alone, _ = run([hr])
    together, _ = run([hr, other])
    assert [(t.role, t.chart_version) for t in alone] == [(t.role, t.chart_version) for t in together]
    assert together[0].chart_version != "19.6.4"
    # In another namespace, written out: never the same object either.
    write(tmp_path, "team-a/redis/ocirepository.yaml", textwrap.dedent(OCI_REPOSITORY).replace(
        "  name: redis\n", "  name: redis\n  namespace: team-b\n"))
    near, _ = run([str(tmp_path / "team-a")])
    assert near[0].chart_version != "19.6.4"
    assert "is in namespace team-b" in said(near[0])


# ---------------------------------------------------------------------------------------------
# Argo CD: charts from a Git path, ApplicationSet templates, Application bodies in values.


def test_argo_chart_from_the_bitnami_charts_repository_path(tmp_path: Path) -> None:
    app = write(tmp_path, "redis.yaml", """\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: redis
          namespace: argocd
        spec:
          project: default
          source:
            repoURL: https://github.com/bitnami/charts.git
            targetRevision: redis/20.1.0
            path: bitnami/redis
            helm:
              values: |
                architecture: standalone
                master:
                  persistence:
                    size: 4Gi
          destination:
            server: https://kubernetes.default.svc
            namespace: redis
        """)
    [t], _ = run([app])
    assert (t.chart, t.chart_version, t.redis_version.label) == ("bitnami/redis", "20.1.0", "Redis 7.4")
    assert (t.facts.storage_size.value, t.facts.storage_size.span.line) == (4 * GI, 17)
    head = app.replace("redis.yaml", "head.yaml")
    Path(head).write_text(Path(app).read_text().replace("redis/20.1.0", "main"))
    [t], _ = run([head])
    assert t.chart == "bitnami/redis" and t.chart_version == "23.1.1"
    assert "targetRevision main names no release of chart redis" in said(t)


def test_argo_chart_in_own_git_directory_named_after_the_chart(tmp_path: Path) -> None:
    app = write(tmp_path, "app.yaml", """\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: cache
        spec:
          source:
            repoURL: https://git.example.com/platform/charts.git
            targetRevision: redis-ha-4.22.4
            path: charts/redis-ha
            helm:
              valuesObject:
                persistentVolume:
                  size: 20Gi
        """)
    [t], _ = run([app])
    assert (t.chart, t.chart_version, t.facts.storage_size.value) == ("redis-ha", "4.22.4", 20 * GI)
    assert "chart assumed to be redis-ha" in said(t), said(t)


def test_applicationset_template_is_the_application_it_generates(tmp_path: Path) -> None:
    appset = write(tmp_path, "redis-appset.yaml", """\
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: redis
          namespace: argocd
        spec:
          generators:
            - list:
                elements:
                  - cluster: dev
                    url: https://kubernetes.default.svc
          template:
            metadata:
              name: "{{cluster}}-redis"
            spec:
              project: default
              source:
                repoURL: https://charts.bitnami.com/bitnami
                chart: redis
                targetRevision: 18.19.4
                helm:
                  valuesObject:
                    replica:
                      replicaCount: 2
                    master:
                      persistence:
                        enabled: false
              destination:
                server: "{{url}}"
                namespace: redis
        """)
    targets, findings = run([appset])
    assert [(t.name, t.kind, t.role, t.chart_version) for t in targets] == [
        ("argocd/redis ({{cluster}}-redis)", "ApplicationSet", "master", "18.19.4"),
        ("argocd/redis ({{cluster}}-redis)", "ApplicationSet", "replica", "18.19.4")]
    assert targets[0].facts.persistent.value is False and targets[1].facts.pods.value == 2
    assert ("redis-appset.yaml", 27, 26) in where(findings, "RL401")


def test_app_of_apps_values_hold_application_bodies(tmp_path: Path) -> None:
    values = write(tmp_path, "values.yaml", """\
        applications:
          redis:
            namespace: argocd
            project: platform
            source:
              repoURL: registry-1.docker.io/bitnamicharts
              chart: redis
              targetRevision: 20.6.2
              helm:
                values: |
                  architecture: standalone
                  master:
                    configuration: |-
                      maxmemory 256mb
                      maxmemory-policy allkeys-lru
            destination:
              server: https://kubernetes.default.svc
              namespace: redis
          - not-an-app
        """.replace("      - not-an-app\n", ""))
    [t], _ = run([values])
    assert (t.name, t.chart_version, t.value("maxmemory")) == ("values.yaml:redis", "20.6.2", str(256 * MI))
    assert t.written("maxmemory").line.span.line == 14


# ---------------------------------------------------------------------------------------------
# Umbrella charts' values files: the bundled chart's values under its name.


def test_umbrella_values_file_with_redis_valkey_and_redis_ha(tmp_path: Path) -> None:
    app = write(tmp_path, "app/values.yaml", """\
        replicaCount: 2
        image:
          repository: ghcr.io/example/app
        redis:
          enabled: true
          architecture: standalone
          auth:
            existingSecret: app-redis
          master:
            persistence:
              enabled: false
        """)
    cache = write(tmp_path, "cache/values.yaml", """\
        valkey:
          auth:
            enabled: false
          primary:
            resourcesPreset: medium
        """)
    ha = write(tmp_path, "ha/values.yaml", """\
        redis-ha:
          replicas: 3
          haproxy:
            enabled: true
        """)
    targets, _ = run([app, cache, ha])
    got = [(Path(t.path).parent.name, t.chart, t.role) for t in targets]
    assert got == [("app", "bitnami/redis", "master"), ("cache", "bitnami/valkey", "primary"),
                   ("cache", "bitnami/valkey", "replica"), ("ha", "redis-ha", "server")]
    assert targets[0].facts.persistent.value is False
    assert targets[0].facts.persistent.span.line == 11
    assert "bundled by a parent chart, whose own defaults for it are not known" in said(targets[0])


def test_a_client_s_redis_settings_are_no_deployment(tmp_path: Path) -> None:
    values = write(tmp_path, "values.yaml", """\
        redis:
          host: redis-master.cache.svc
          port: 6379
          auth:
            existingSecret: app-redis
        """)
    targets, findings = run([values])
    assert targets == [] and findings == []


def test_legacy_bitnami_umbrella_values(tmp_path: Path) -> None:
    values = write(tmp_path, "values.yaml", """\
        redis:
          cluster:
            enabled: false
          usePassword: false
          master:
            persistence:
              enabled: false
          configmap: |-
            maxmemory-policy allkeys-lru
        """)
    targets, _ = run([values], chart_version="12.10.1")
    [t] = targets
    assert (t.chart, t.mode, t.chart_version, t.redis_version.label) == ("bitnami/redis", "standalone", "12.10.1",
                                                                         "Redis 6.0")
    # Before 14.0.0 `configmap` is redis.conf, and `master.persistence.enabled: false` is an emptyDir.
    assert (t.value("maxmemory-policy"), t.written("maxmemory-policy").line.span.line) == ("allkeys-lru", 9)
    assert t.facts.persistent.value is False and t.facts.persistent.origin == "persistence disabled: emptyDir"
    assert t.value("protected-mode") == "no"  # usePassword: false


# ---------------------------------------------------------------------------------------------
# Old charts: stable/redis-ha 2.x and 3.x.


def test_stable_redis_ha_3_renders_no_rename_command_lines(tmp_path: Path) -> None:
    hr = write(tmp_path, "release.yaml", """\
        apiVersion: helm.fluxcd.io/v1
        kind: HelmRelease
        metadata:
          name: redis-ha
          namespace: cache
        spec:
          releaseName: redis-ha
          chart:
            repository: https://kubernetes-charts.storage.googleapis.com
            name: redis-ha
            version: 3.9.4
          values:
            redis:
              config:
                maxmemory: 1gb
        """)
    [t], _ = run([hr])
    assert (t.chart, t.chart_version, t.redis_version.label) == ("redis-ha", "3.9.4", "Redis 5.0")
    assert renamed(t) == []
    assert t.value("save") == "900 1" and t.value("maxmemory") == str(1024 ** 3)
    newer = hr.replace("release.yaml", "newer.yaml")
    Path(newer).write_text(Path(hr).read_text().replace("3.9.4", "4.22.4"))
    [t], _ = run([newer])
    assert renamed(t) == ['rename-command FLUSHDB ""', 'rename-command FLUSHALL ""']


def renamed(target) -> list[str]:
    from redislint.rules._helpers import iter_lines

    return [line.raw for line in iter_lines(target.source) if line.key == "rename-command"]


def test_stable_redis_ha_2_is_not_analysed_and_says_why(tmp_path: Path) -> None:
    values = write(tmp_path, "values.yaml", """\
        replicas:
          servers: 3
          sentinels: 3
        redis_image: quay.io/smile/redis:4.0.11-r1
        resources:
          server:
            limits:
              memory: 700Mi
        """)
    targets, findings = run([values])
    assert targets == []
    assert where(findings, "RL004") == [("values.yaml", 4, 1)]
    [f] = [f for f in findings if f.rule == "RL004"]
    assert f.severity.value == "warning" and "emptyDir" in f.message


# ---------------------------------------------------------------------------------------------
# Hand-written workloads: a ConfigMap mounted through items, `sh -c`, what cannot be followed.

STATEFULSET_TEMPLATE = """\
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: redis-config
      namespace: queue
    data:
      redis-config: |
        maxmemory 200mb
        maxmemory-policy noeviction
        appendonly yes
    ---
    apiVersion: apps/v1
    kind: StatefulSet
    metadata:
      name: redis
      namespace: queue
    spec:
      serviceName: redis
      template:
        spec:
          containers:
            - name: redis
              image: redis:7.2.4
    {command}
              volumeMounts:
                - mountPath: /data
                  name: data
    {mount}
          volumes:
            - name: config
              configMap:
                name: redis-config
                items:
                  - key: redis-config
                    path: {item_path}
    """
COMMAND = """\
          command:
            - redis-server
            - /redis-master/redis.conf"""
MOUNT = """\
            - mountPath: /redis-master
              name: config"""


def statefulset(command: str = COMMAND, mount: str = MOUNT, item_path: str = "redis.conf") -> str:
    """The StatefulSet with its container's command, its config mount and the item's path replaced."""
    return textwrap.dedent(STATEFULSET_TEMPLATE).format(command=textwrap.indent(textwrap.dedent(command), " " * 10),
                                                        mount=textwrap.indent(textwrap.dedent(mount), " " * 12),
                                                        item_path=item_path)


def test_configmap_mounted_through_items_is_followed_to_the_argument(tmp_path: Path) -> None:
    path = write(tmp_path, "redis.yaml", statefulset())
    [t], findings = run([path])
    assert (t.kind, t.name, t.redis_version.label) == ("StatefulSet", "queue/redis", "Redis 7.2")
    assert (t.value("maxmemory"), t.written("maxmemory").line.span.line) == (str(200 * MI), 8)
    assert t.value("appendonly") == "yes"
    assert where(findings, "RL003") == [] and where(findings, "RL010") == []


def test_items_that_put_no_file_at_the_argument_say_so(tmp_path: Path) -> None:
    path = write(tmp_path, "redis.yaml", statefulset(item_path="other.conf"))
    [t], findings = run([path])
    [f] = [f for f in findings if f.rule == "RL003"]
    assert (f.span.line, "puts no file at redis.conf") == (26, "puts no file at redis.conf")
    assert "puts no file at redis.conf" in f.message
    assert t.partial is not None


def test_subpath_and_items_together(tmp_path: Path) -> None:
    text = statefulset(COMMAND.replace("/redis-master/", "/usr/local/etc/redis/"), """\
        - mountPath: /usr/local/etc/redis/redis.conf
          name: config
          subPath: redis.conf""")
    [t], _ = run([write(tmp_path, "redis.yaml", text)])
    assert t.value("maxmemory-policy") == "noeviction"


def test_sh_c_with_one_redis_server_command_is_followed(tmp_path: Path) -> None:
    text = statefulset("""\
        command: ["sh", "-c"]
        args:
          - exec redis-server /redis-master/redis.conf --appendfsync always""")
    [t], findings = run([write(tmp_path, "redis.yaml", text)])
    assert t.value("appendfsync") == "always" and t.value("maxmemory") == str(200 * MI)
    assert where(findings, "RL004") == []


def test_what_a_workload_does_that_cannot_be_followed_is_rl004(tmp_path: Path) -> None:
    script = write(tmp_path, "script.yaml", statefulset("""\
        command: ["/bin/sh", "-c"]
        args:
          - |
            cp /redis-master/redis.conf /data/redis.conf
            exec redis-server /data/redis.conf"""))
    bitnami = write(tmp_path, "bitnami.yaml", """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: cache
        spec:
          template:
            spec:
              containers:
                - name: redis
                  image: docker.io/bitnami/redis:7.2.4-debian-12-r9
                  env:
                    - name: ALLOW_EMPTY_PASSWORD
                      value: "yes"
        """)
    exporter = write(tmp_path, "exporter.yaml", """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: redis-exporter
        spec:
          template:
            spec:
              containers:
                - name: exporter
                  image: oliver006/redis_exporter:v1.62.0
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: redis-backup
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                    - name: backup
                      image: redis:7.2.4
                      command: ["redis-cli", "-h", "redis", "--rdb", "/backup/dump.rdb"]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: sentinel
        spec:
          template:
            spec:
              containers:
                - name: sentinel
                  image: redis:7.2.4
                  command: ["sh", "-c", "redis-server /etc/sentinel.conf --sentinel"]
        """)
    targets, findings = run([script, bitnami, exporter])
    # The redis.conf the script copies is still checked as the ConfigMap that holds it.
    assert [t.name for t in targets] == ["queue/redis-config:redis-config"]
    assert where(findings, "RL004") == [("bitnami.yaml", 10, 18), ("script.yaml", 23, 18)]
    messages = " | ".join(f.message for f in findings if f.rule == "RL004")
    assert "through `sh`" in messages and "Bitnami's own scripts" in messages
    assert "cp /redis-master" not in messages  # a command line may hold a password: never shown


def test_operators_and_charts_redislint_does_not_model_are_rl004(tmp_path: Path) -> None:
    path = write(tmp_path, "cluster.yaml", """\
        apiVersion: hyperspike.io/v1
        kind: Valkey
        metadata:
          name: sessions
        spec:
          nodes: 3
          volumePermissions: true
        ---
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: cache-cluster
        spec:
          chart:
            spec:
              chart: redis-cluster
              version: 11.0.6
          values:
            cluster:
              nodes: 6
        ---
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: mastodon
        spec:
          chart:
            spec:
              chart: mastodon
              version: 6.0.0
          values:
            redis:
              enabled: true
        ---
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: podinfo
        spec:
          chart:
            spec:
              chart: podinfo
          values:
            redis:
              enabled: true
              repository: redis
              host: redis.cache.svc
        """)
    targets, findings = run([path])
    assert targets == []
    assert where(findings, "RL004") == [("cluster.yaml", 2, 1), ("cluster.yaml", 16, 14), ("cluster.yaml", 33, 7)]
    messages = [f.message for f in sorted(findings, key=lambda f: f.span.line) if f.rule == "RL004"]
    assert "Valkey of the operator hyperspike.io" in messages[0]
    assert "the chart redis-cluster is not one redislint models" in messages[1]
    assert "redis.enabled turns on a redis that mastodon bundles" in messages[2]


def test_summary_says_what_was_skipped_and_why(tmp_path: Path) -> None:
    from redislint.engine import selected_rules
    from redislint.output import FORMATTERS, OutputOptions

    write(tmp_path, "a/redis.yaml", statefulset())
    write(tmp_path, "b/notes.yaml", "kind: Something\nspec: {}\n")
    write(tmp_path, "c/service.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n")
    write(tmp_path, "d/values.yaml", "replicas:\n  servers: 3\nredis_image: quay.io/smile/redis:4.0.11-r1\n")
    options = CheckOptions(profile="cache")
    report, _ = check_paths([str(tmp_path)], options)
    assert report.skipped == {"with no Redis in it": 2, "with a Redis not analysed (RL004)": 1}
    text = FORMATTERS["text"](report, selected_rules(options), OutputOptions(root=str(tmp_path), color=False))
    assert "4 files read, 1 Redis target checked" in text
    assert "3 files skipped (2 with no Redis in it, 1 with a Redis not analysed (RL004))" in text
    import json

    document = json.loads(FORMATTERS["json"](report, selected_rules(options), OutputOptions(root=str(tmp_path))))
    assert document["summary"]["files_skipped"] == report.skipped


def test_chartref_namespace_defaults_to_the_release_s_as_flux_does(tmp_path: Path) -> None:
    text = textwrap.dedent("""\
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: OCIRepository
        metadata:
          name: redis-chart
          namespace: flux-system
        spec:
          url: oci://registry-1.docker.io/bitnamicharts/redis
          ref:
            tag: 21.0.0
        ---
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: redis-cache
          namespace: apps
        spec:
          chartRef:
            kind: OCIRepository
            name: redis-chart
          values: {}
        """)
    targets, findings = run([write(tmp_path, "a.yaml", text)])
    assert targets == []
    [f] = [f for f in findings if f.rule == "RL004"]
    assert f.span.line == 19 and "was found, but not in this namespace" in f.message
    assert "neither the values nor that name say which chart it is" in f.message
    fixed = text.replace("    name: redis-chart\n  values", "    name: redis-chart\n    namespace: flux-system\n  values")
    targets, _ = run([write(tmp_path, "b.yaml", fixed)])
    assert [(t.chart, t.chart_version) for t in targets] == [("bitnami/redis", "21.0.0")] * 2


def test_file_by_file_checking_gives_the_one_pass_report(tmp_path: Path, monkeypatch) -> None:
    """Cross-file chartRef to a HelmChart, a values ConfigMap with a duplicate key read from another
    file, and RL004: the per-file route (`redislint.parallel`) reports them as one pass does."""
    import json

    from redislint import parallel
    from redislint.engine import selected_rules
    from redislint.output import FORMATTERS, OutputOptions

    write(tmp_path, "cache/helmchart.yaml", """\
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: HelmChart
        metadata:
          name: cache-valkey
          namespace: cache
        spec:
          chart: valkey
          version: "2.4.*"
        """)
    write(tmp_path, "cache/release.yaml", """\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: valkey
          namespace: cache
        spec:
          chartRef:
            kind: HelmChart
            name: cache-valkey
          valuesFrom:
            - kind: ConfigMap
              name: valkey-values
        """)
    write(tmp_path, "cache/values.yaml", """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: valkey-values
          namespace: cache
        data:
          values.yaml: |
            architecture: standalone
            architecture: replication
        """)
    write(tmp_path, "other/cluster.yaml", """\
        apiVersion: hyperspike.io/v1
        kind: Valkey
        metadata:
          name: sessions
        """)
    write(tmp_path, "other/notes.yaml", "kind: Something\nspec: {}\n")

    def rendered(stream_min: int) -> tuple[str, dict]:
        monkeypatch.setattr(parallel, "STREAM_MIN_FILES", stream_min)
        options = CheckOptions(profile="cache", jobs=1)
        report, _ = check_paths([str(tmp_path)], options)
        text = FORMATTERS["json"](report, selected_rules(options), OutputOptions(root=str(tmp_path)))
        return text, json.loads(text)

    one_pass, doc = rendered(10**9)
    assert rendered(1)[0] == one_pass
    rules = sorted((f["rule"], f["path"], f["line"]) for f in doc["findings"] if f["rule"] in ("RL002", "RL004"))
    assert rules == [("RL002", "cache/values.yaml", 9), ("RL004", "other/cluster.yaml", 2)]
    assert doc["summary"]["targets_checked"] == 2  # replication: the later `architecture` wins
    assert doc["summary"]["files_skipped"] == {"with a Redis not analysed (RL004)": 1, "with no Redis in it": 1}
