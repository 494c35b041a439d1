"""The traps of each chart, as a user sees them: the finding, its line, through the whole pipeline."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.kinds.helpers import FIXTURES

from redislint.engine import CheckOptions, check_paths


def findings(tmp_path: Path, fixture: str, profile: str) -> list:
    shutil.copy(FIXTURES / fixture, tmp_path / fixture)
    report, _ = check_paths([str(tmp_path / fixture)], CheckOptions(profile=profile))
    return report.findings


def by_rule(found: list) -> dict[str, list[tuple[int, str]]]:
    out: dict[str, list[tuple[int, str]]] = {}
    for f in found:
        out.setdefault(f.rule, []).append((f.span.line, f.message))
    return out


def test_valkey_io_enabled_storage_without_size_is_an_emptydir(tmp_path: Path) -> None:
    found = by_rule(findings(tmp_path, "valkey-io-session-helmrelease.yaml", "session"))
    ((line, message),) = found["RL401"]
    assert line == 34  # dataStorage.enabled: true
    assert "dataStorage.enabled is true" in message and "emptyDir" in message
    ((line, message),) = found["RL102"]
    assert line == 36 and message.startswith("extraValkeyConfigs only mounts")


def test_valkey_io_default_persistence_is_valkeys_own(tmp_path: Path) -> None:
    # Under critical, which requires the AOF: the chart writes no `appendonly`, so Valkey's default
    # (off) is what the replica-mode fixture would run without its valkeyConfig line.
    text = (FIXTURES / "valkey-io-replica-values.yaml").read_text().replace("  appendonly yes\n", "")
    (tmp_path / "v.yaml").write_text(text)
    report, _ = check_paths([str(tmp_path / "v.yaml")], CheckOptions(profile="critical"))
    aof = [f for f in report.findings if f.rule == "RL203"]
    assert aof and all("Valkey" in f.message for f in aof)


def test_cloudpirates_cluster_without_persistence_still_writes_an_aof(tmp_path: Path) -> None:
    found = by_rule(findings(tmp_path, "cloudpirates-redis-cluster-helmrelease.yaml", "cache"))
    ((line, message),) = found["RL401"]
    assert line == 29  # persistence.enabled: false
    assert "appendonly yes" in message


def test_groundhog2k_without_a_size_has_no_volume(tmp_path: Path) -> None:
    found = by_rule(findings(tmp_path, "groundhog2k-redis-values.yaml", "session"))
    ((line, message),) = found["RL401"]
    assert line == 8 and "neither storage.requestedSize nor storage.persistentVolumeClaimName" in message
    assert [line for line, _ in found["RL303"]] == [3]  # maxmemory 400mb against a 512Mi limit


def test_groundhog2k_ha_fixture_is_clean_but_for_what_it_says(tmp_path: Path) -> None:
    found = by_rule(findings(tmp_path, "groundhog2k-valkey-ha-values.yaml", "queue"))
    assert set(found) == {"RL102"}
    assert found["RL102"][0][0] == 14


OCI_RELEASE = """\
apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata:
  name: {name}
  namespace: flux-system
spec:
  url: {url}
  ref:
    tag: {tag}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cache
  namespace: apps
spec:
  chartRef:
    kind: OCIRepository
    name: {name}
    namespace: flux-system
  values:
    architecture: standalone
"""


def test_chart_ref_to_an_oci_repository_names_the_publisher(tmp_path: Path) -> None:
    from redislint.inputs import load_inputs
    from redislint.targets import TargetOptions, find_targets

    cases = {"oci://registry-1.docker.io/cloudpirates/valkey": ("0.25.5", "cloudpirates/valkey"),
             "oci://registry-1.docker.io/cloudpirates/redis": ("0.34.18", "cloudpirates/redis"),
             "oci://registry-1.docker.io/bitnamicharts/redis": ("20.1.0", "bitnami/redis")}
    for i, (url, (tag, chart)) in enumerate(cases.items()):
        path = tmp_path / f"hr{i}.yaml"
        path.write_text(OCI_RELEASE.format(name=f"src{i}", url=url, tag=tag))
        inputs = load_inputs([str(path)])
        got = {(t.chart, t.chart_version) for t in find_targets(inputs.yaml_files, inputs.conf_files, TargetOptions())}
        assert got == {(chart, tag)}, url


def test_chart_option_names_any_chart_kind(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from redislint.cli import main

    # Generic keys only: without --chart these values could be anyone's.
    path = tmp_path / "values.yaml"
    path.write_text("architecture: standalone\npersistence:\n  enabled: false\n")
    result = CliRunner().invoke(main, ["effective", "--format", "json", "--chart", "cloudpirates/valkey", str(path)])
    assert result.exit_code == 0, result.output
    (target,) = json.loads(result.output)["targets"]
    assert target["chart"] == "cloudpirates/valkey"
    refused = CliRunner().invoke(main, ["check", "--chart", "cloudpirates/memcached", str(path)])
    assert refused.exit_code == 2 and "cloudpirates/valkey" in refused.output


HELMCHART_RELEASE = """\
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: flux-system
spec:
  url: {url}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata:
  name: cache-chart
  namespace: flux-system
spec:
  chart: {chart}
  version: {version}
  sourceRef:
    kind: HelmRepository
    name: charts
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cache
  namespace: flux-system
spec:
  chartRef:
    kind: HelmChart
    name: cache-chart
  values:
    resources:
      limits:
        memory: 1Gi
"""


def test_chart_ref_to_a_helm_chart_names_the_publisher_by_its_repository(tmp_path: Path) -> None:
    from redislint.inputs import load_inputs
    from redislint.targets import TargetOptions, find_targets

    cases = {("https://groundhog2k.github.io/helm-charts/", "redis", "2.4.4"): "groundhog2k/redis",
             ("https://groundhog2k.github.io/helm-charts/", "valkey", "2.3.3"): "groundhog2k/valkey",
             ("https://valkey.io/valkey-helm/", "valkey", "0.11.0"): "valkey-io/valkey"}
    for i, ((url, chart, version), kind) in enumerate(cases.items()):
        path = tmp_path / f"hr{i}.yaml"
        path.write_text(HELMCHART_RELEASE.format(url=url, chart=chart, version=version))
        inputs = load_inputs([str(path)])
        got = {(t.chart, t.chart_version) for t in find_targets(inputs.yaml_files, inputs.conf_files, TargetOptions())}
        assert got == {(kind, version)}, url


def test_fixes_name_the_keys_of_the_kind(tmp_path: Path) -> None:
    found = {f.rule: f for f in findings(tmp_path, "valkey-io-session-helmrelease.yaml", "critical")}
    assert found["RL401"].fix.startswith("Set dataStorage.requestedSize for the data")
    assert "dataStorage.persistentVolumeClaimName" in found["RL401"].fix
    assert "replica.enabled is false" in found["RL501"].message
    assert found["RL501"].fix.startswith("Set `replica.enabled: true`")
    plain = tmp_path / "plain.yaml"
    plain.write_text("dataStorage:\n  className: ssd\n")
    report, _ = check_paths([str(plain)], CheckOptions(profile="session"))
    (rl401,) = [f for f in report.findings if f.rule == "RL401"]
    assert rl401.fix.startswith("Set dataStorage.enabled: true with dataStorage.requestedSize")
    found = {f.rule: f for f in findings(tmp_path, "groundhog2k-redis-values.yaml", "critical")}
    assert found["RL401"].fix.startswith("Set storage.requestedSize for the data")
    assert found["RL501"].fix.startswith("Set `haMode.enabled: true`")
