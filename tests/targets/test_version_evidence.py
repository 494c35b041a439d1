"""Chart versions inferred from evidence: a pinned image tag, the shape of the keys, a pin elsewhere in the
inputs, an umbrella chart's own Chart.yaml; and what a default that differs between them does to findings."""

from __future__ import annotations

import textwrap
from pathlib import Path

from redislint.engine import CheckOptions, check_paths
from redislint.model import Severity
from redislint.target import CHART_VERSION, PARENT_DEFAULTS, REDIS_VERSION

MI = 1024 * 1024


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return str(path)


def run(paths: list[str], profile: str = "cache"):
    report, targets = check_paths(paths, CheckOptions(profile=profile))
    return report, {(Path(t.path).name, t.role): t for t in targets}


def chart_assumption(target):
    [a] = [a for a in target.assumptions if a.kind == CHART_VERSION and not a.uncertain]
    return a


# --- each kind of evidence ------------------------------------------------------------------------

def test_an_exact_default_image_tag_names_the_releases_that_ship_it(tmp_path):
    path = write(tmp_path, "values.yaml", """\
        architecture: standalone
        image:
          tag: 7.2.1-debian-11-r0
        """)
    _, targets = run([path])
    master = targets[("values.yaml", "master")]
    assert master.chart_version == "18.1.2"  # 18.0.4–18.1.2 ship that tag; the newest of them
    a = chart_assumption(master)
    assert "the evidence leaves 18.0.4–18.1.2; assumed 18.1.2" in a.message
    assert "image.tag 7.2.1-debian-11-r0 is the default image of bitnami/redis 18.0.4–18.1.2" in a.evidence
    assert master.redis_version.label == "Redis 7.2"  # from the tag itself: nothing assumed about Redis
    assert not [x for x in master.assumptions if x.kind == REDIS_VERSION]


def test_a_plain_redis_version_tag_gives_the_releases_that_run_it(tmp_path):
    path = write(tmp_path, "values.yaml", """\
        architecture: standalone
        image:
          tag: "7.0.11"
        """)
    _, targets = run([path])
    master = targets[("values.yaml", "master")]
    assert master.chart_version.startswith("17.")
    assert any("runs 7.0.11, the default of bitnami/redis" in e for e in chart_assumption(master).evidence)


def test_the_tag_of_another_image_says_nothing_about_the_chart(tmp_path):
    path = write(tmp_path, "values.yaml", """\
        architecture: standalone
        image:
          repository: library/redis
          tag: 7.2.1
        """)
    _, targets = run([path])
    master = targets[("values.yaml", "master")]
    assert master.chart_version == "23.1.1"
    assert not any("image.tag" in e for e in chart_assumption(master).evidence)
    assert master.redis_version.label == "Redis 7.2"


def test_pre_14_keys_mean_a_pre_14_chart_and_its_layout(tmp_path):
    path = write(tmp_path, "values.yaml", """\
        cluster:
          enabled: false
        master:
          persistence:
            size: 4Gi
        configmap: |
          appendonly yes
        """)
    _, targets = run([path])
    master = targets[("values.yaml", "master")]
    assert master.chart_version == "13.0.2"
    assert chart_assumption(master).evidence == (
        "the keys written (cluster, configmap) are read by bitnami/redis 10.5.6–13.0.2",)
    assert master.mode == "standalone"  # cluster.enabled false, read as 13.x reads it
    assert master.value("appendonly") == "yes"  # the `configmap` key is this chart's redis.conf


def test_a_key_added_within_a_major_narrows_to_that_release(tmp_path):
    path = write(tmp_path, "values.yaml", """\
        architecture: standalone
        master:
          resourcesPreset: small
          persistentVolumeClaimRetentionPolicy:
            enabled: true
        """)
    _, targets = run([path])
    a = chart_assumption(targets[("values.yaml", "master")])
    assert "the evidence leaves 18.14.0–23.1.1" in a.message


def test_keys_of_two_eras_tell_nothing_and_the_stale_block_is_reported(tmp_path):
    path = write(tmp_path, "values.yaml", """\
        architecture: replication
        slave:
          persistence:
            size: 16Gi
        """)
    report, targets = run([path])
    a = chart_assumption(targets[("values.yaml", "master")])
    assert "nothing in the values narrows it" in a.message and a.evidence == ()
    assert [(f.rule, f.span.line) for f in report.findings if f.rule == "RL102"] == [("RL102", 2)]


def test_evidence_that_contradicts_the_rest_is_said_and_ignored(tmp_path):
    path = write(tmp_path, "values.yaml", """\
        architecture: standalone
        master:
          resourcesPreset: small
        image:
          tag: 7.0.11-debian-11-r0
        """)
    _, targets = run([path])
    a = chart_assumption(targets[("values.yaml", "master")])
    assert targets[("values.yaml", "master")].chart_version == "23.1.1"
    assert any(e.startswith("ignored, as it contradicts the rest: image.tag 7.0.11") for e in a.evidence)


def test_an_unpinned_helmrelease_installs_the_newest_release(tmp_path):
    path = write(tmp_path, "hr.yaml", """\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: redis, namespace: cache}
        spec:
          chart:
            spec: {chart: redis, sourceRef: {kind: HelmRepository, name: bitnami}}
          values:
            architecture: standalone
            image:
              tag: 7.2.1-debian-11-r0
        """)
    _, targets = run([path])
    master = targets[("hr.yaml", "master")]
    # Flux installs the newest: a pinned image does not make the chart older.
    assert master.chart_version == "23.1.1"
    a = chart_assumption(master)
    assert a.message.startswith("no chart version pinned: Flux installs the newest release; assumed bitnami/redis")
    assert not any(x.uncertain for x in master.assumptions)


def test_a_chart_source_not_among_the_inputs_leaves_the_version_to_the_evidence(tmp_path):
    path = write(tmp_path, "hr.yaml", """\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: valkey, namespace: cache}
        spec:
          chartRef: {kind: OCIRepository, name: valkey}
          values:
            architecture: standalone
            image:
              tag: 8.1.2-debian-12-r0
            primary:
              persistence:
                size: 2Gi
        """)
    _, targets = run([path])
    primary = targets[("hr.yaml", "primary")]
    assert primary.chart_version == "3.0.16"
    assert "(nothing among the inputs pins it)" in chart_assumption(primary).message


def test_a_helmrelease_pins_the_values_file_kustomize_makes_its_configmap_from(tmp_path):
    write(tmp_path, "redis/kustomization.yaml", """\
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [helmrelease.yaml]
        configMapGenerator:
          - name: redis-values
            files:
              - values.yaml=redis-values.yaml
        """)
    write(tmp_path, "redis/helmrelease.yaml", """\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: redis, namespace: cache}
        spec:
          chart:
            spec: {chart: redis, version: "17.x", sourceRef: {kind: HelmRepository, name: bitnami}}
          valuesFrom:
            - kind: ConfigMap
              name: redis-values
        """)
    write(tmp_path, "redis/redis-values.yaml", """\
        architecture: standalone
        master:
          persistence:
            size: 2Gi
        """)
    _, targets = run([str(tmp_path / "redis")])
    master = targets[("redis-values.yaml", "master")]
    assert master.chart_version == "17.17.1"  # the newest 17.x, what that HelmRelease installs
    evidence = chart_assumption(master).evidence[0]
    assert evidence.startswith("HelmRelease cache/redis (valuesFrom ConfigMap redis-values, which ")
    assert evidence.endswith("kustomization.yaml generates from this file) pins '17.x'")


# --- a default that differs between the releases still possible -----------------------------------

BARE = textwrap.dedent("""\
    architecture: standalone
    master:
      configuration: |
        maxmemory 150mb
    """)


def test_an_unknown_version_does_not_invent_a_limit_it_is_unsure_of(tmp_path):
    report, targets = run([write(tmp_path, "values.yaml", BARE)], profile="critical")
    master = targets[("values.yaml", "master")]
    [doubt] = [a for a in master.assumptions if a.uncertain]
    assert doubt.message.startswith("without resources in the values, the memory limit depends on that unknown "
                                    "version: no limit in 14.0.0–18.19.4; a 192Mi limit (preset nano) in 19.0.0–")
    memory = [f for f in report.findings if f.rule in ("RL302", "RL303", "RL304", "RL307", "RL308")]
    assert memory, "the nano limit of the newest release is still checked"
    for f in memory:
        assert f.severity is not Severity.ERROR, f
        assert "this rests on an assumption: without resources in the values" in f.message


def test_a_verdict_that_holds_for_every_release_keeps_its_severity_and_names_the_numbers(tmp_path):
    path = write(tmp_path, "values.yaml", "architecture: standalone\n")
    report, _ = run([path], profile="cache")
    [unset] = [f for f in report.findings if f.rule == "RL301"]  # maxmemory 0 is wrong with or without a limit
    assert unset.severity is Severity.ERROR
    assert "the memory limit 192Mi" in unset.message  # the numbers come from the assumed preset: said
    assert unset.message.endswith("a 192Mi limit (preset nano) assumed, as in 23.1.1)")


def test_the_likely_release_without_presets_gets_no_limit(tmp_path):
    path = write(tmp_path, "values.yaml", BARE + "image:\n  tag: 7.2.1-debian-11-r0\n")
    _, targets = run([path], profile="critical")
    master = targets[("values.yaml", "master")]
    assert master.facts.memory_limit.value is None  # 18.0.4–18.1.2 have no resourcesPreset
    # An image.tag is often overridden because it differs from the chart's default: it narrows the version,
    # but the default preset of the releases it rules out (nano from 19.0.0) stays an assumption.
    preset = [a for a in master.assumptions if a.uncertain]
    assert preset and "192Mi" in preset[0].message, master.assumptions


def test_releases_that_all_default_to_nano_are_not_in_doubt(tmp_path):
    path = write(tmp_path, "values.yaml", BARE + "  resourcesPreset: nano\n" + "  revisionHistoryLimit: 2\n")
    report, targets = run([path], profile="critical")
    master = targets[("values.yaml", "master")]
    assert master.facts.memory_limit.value == 192 * MI
    assert "the evidence leaves 19.6.0–23.1.1" in chart_assumption(master).message  # revisionHistoryLimit
    assert not any(a.uncertain for a in master.assumptions)


def test_resources_in_the_values_make_the_preset_irrelevant(tmp_path):
    path = write(tmp_path, "values.yaml", BARE + "  resources:\n    limits: {memory: 512Mi}\n")
    report, _ = run([path], profile="critical")
    assert not any("this rests on an assumption" in f.message for f in report.findings)
    json_notes = [n for n in report.assumptions if n.uncertain]
    assert json_notes == []  # not listed either: nothing rests on it


# --- umbrella charts --------------------------------------------------------------------------------

def test_a_known_parent_applies_its_defaults_and_pins_the_subchart(tmp_path):
    path = write(tmp_path, "authentik.yaml", """\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: authentik, namespace: auth}
        spec:
          chart:
            spec: {chart: authentik, version: 2022.12.0, sourceRef: {kind: HelmRepository, name: authentik}}
          values:
            redis:
              enabled: true
              master:
                persistence:
                  size: 1Gi
        """)
    _, targets = run([path])
    assert sorted(role for _, role in targets) == ["master"]  # authentik sets architecture standalone
    master = targets[("authentik.yaml", "master")]
    assert master.chart_version == "15.7.6" and master.redis_version.label == "Redis 6.2"
    [parent] = [a for a in master.assumptions if a.kind == PARENT_DEFAULTS]
    assert parent.message.startswith("chart authentik bundles bitnami/redis under `redis:` and sets enabled false, "
                                      "architecture standalone, auth.enabled false for it (read at authentik "
                                      "2022.12.0")
    assert "deploys no Redis" not in parent.message
    assert parent.evidence[0] == "goauthentik/helm charts/authentik/values.yaml at 01e27e672b38"


def test_a_known_parent_that_disables_the_subchart_says_these_values_do_nothing(tmp_path):
    path = write(tmp_path, "nextcloud.yaml", """\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: nextcloud, namespace: cloud}
        spec:
          chart:
            spec: {chart: nextcloud, version: 2.12.0, sourceRef: {kind: HelmRepository, name: nextcloud}}
          values:
            redis:
              architecture: standalone
              master:
                persistence:
                  size: 1Gi
        """)
    _, targets = run([path])
    master = targets[("nextcloud.yaml", "master")]
    assert master.chart_version.startswith("15.6.")  # nextcloud 2.12.0 pins 15.6.*
    [parent] = [a for a in master.assumptions if a.kind == PARENT_DEFAULTS]
    assert parent.message.endswith("these values do not set redis.enabled, so unless something else does, nextcloud "
                                   "deploys no Redis and these values have no effect")


def test_an_unknown_parent_says_the_subchart_defaults_are_assumed(tmp_path):
    path = write(tmp_path, "app.yaml", """\
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: app, namespace: app}
        spec:
          chart:
            spec: {chart: someapp, version: 1.2.3, sourceRef: {kind: HelmRepository, name: someapp}}
          values:
            redis:
              architecture: standalone
              master:
                persistence:
                  enabled: false
        """)
    report, targets = run([path])
    master = targets[("app.yaml", "master")]
    [parent] = [a for a in master.assumptions if a.kind == PARENT_DEFAULTS]
    assert parent.message == ("chart someapp bundles bitnami/redis under `redis:`, and its own values for that "
                              "subchart are not known to redislint: conclusions that depend on defaults assume "
                              "bitnami/redis's own wherever these values say nothing")
    key = next(n.key for n in report.assumptions if n.kind == PARENT_DEFAULTS)
    persistence = [f for f in report.findings if f.rule.startswith("RL4")]
    assert persistence and all(key in f.assumptions for f in persistence)
    assert not any(key in f.assumptions for f in report.findings if f.rule.startswith(("RL0", "RL1")))
