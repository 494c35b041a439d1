"""The deployment-kind registry: which kind a chart reference, a values mapping or a custom resource is,
and a kind registered by a test alone yields targets through the same discovery path as the built-in ones."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from redislint.charts.release import Release
from redislint.kinds import registry as registry_module
from redislint.kinds.registry import (
    KINDS,
    DeploymentKind,
    Registry,
    kind_for_chart,
    kind_for_object,
    kind_for_umbrella,
    kind_for_values,
)
from redislint.sources import MapNode, ScalarNode, YamlDocument, load_yaml
from redislint.target import Target, TargetOptions
from redislint.targets import find_targets
from redislint.wrappers.conffiles import conf_target


def mapping(text: str) -> MapNode:
    root = load_yaml("values.yaml", textwrap.dedent(text)).documents[0].root
    assert isinstance(root, MapNode)
    return root


def test_chart_references_name_the_kinds_redislint_always_modelled():
    assert kind_for_chart("redis").id == "bitnami/redis"  # type: ignore[union-attr]
    assert kind_for_chart("bitnami/valkey").id == "bitnami/valkey"  # type: ignore[union-attr]
    assert kind_for_chart("oci://registry-1.docker.io/bitnamicharts/valkey").id == "bitnami/valkey"  # type: ignore[union-attr]
    assert kind_for_chart("redis-ha", "https://dandydeveloper.github.io/charts").id == "redis-ha"  # type: ignore[union-attr]
    assert kind_for_chart("mastodon") is None
    assert kind_for_object("redis.redis.opstreelabs.in/v1beta2", "Redis").id == "ot-operator"  # type: ignore[union-attr]
    assert kind_for_object("hyperspike.io/v1", "Valkey") is None  # an operator no kind models (RL004)


def test_values_shapes_and_umbrella_blocks():
    assert kind_for_values(mapping("architecture: standalone\n")).id == "bitnami/redis"  # type: ignore[union-attr]
    assert kind_for_values(mapping("primary:\n  persistence:\n    size: 1Gi\nauth: {}\n")).id == "bitnami/valkey"  # type: ignore[union-attr]
    assert kind_for_values(mapping("redis:\n  config:\n    save: '900 1'\nhaproxy: {}\n")).id == "redis-ha"  # type: ignore[union-attr]
    assert kind_for_values(mapping("image: nginx\n")) is None
    alias, kind = kind_for_umbrella(mapping("redis:\n  architecture: standalone\n"))  # type: ignore[misc]
    assert (alias, kind.id) == ("redis", "bitnami/redis")
    # A client's settings of some Redis elsewhere are no bundled chart.
    assert kind_for_umbrella(mapping("redis:\n  host: cache.example\n  architecture: standalone\n")) is None


# --------------------------------------------------------------------------------------------
# A kind of the test's own: a `valkey` chart of another publisher (the name collides with
# Bitnami's), whose values hold the server's config in `toyConfig`, and an operator resource.

def _toy_release_targets(rel: Release) -> list[Target]:
    found = rel.view.get("toyConfig")
    if found is None or not isinstance(found.node, ScalarNode):
        return []
    target = conf_target(rel.path, rel.name, rel.kind, found.node.embedded(), rel.anchor, TargetOptions(), "toyConfig")
    return [replace(target, chart=TOY.id)]


def _toy_object_targets(doc: YamlDocument, idx: object, opts: TargetOptions) -> list[Target]:
    assert isinstance(doc.root, MapNode)
    spec = doc.root.get("spec")
    config = spec.get("config") if isinstance(spec, MapNode) else None
    if not isinstance(config, ScalarNode):
        return []
    target = conf_target(doc.path, "toy-operator", "ToyRedis", config.embedded(), doc.span, opts, "spec.config")
    return [replace(target, chart=TOY.id)]


TOY = DeploymentKind(
    id="toy/valkey", display="toy valkey chart", flavor="valkey", chart_names=("valkey",),
    repo_markers=("charts.toy.example",), values_shape=lambda root: "toyConfig" in root,
    objects=(("toy.example", "ToyRedis"),), release_targets=_toy_release_targets,
    object_targets=_toy_object_targets)


def test_the_repository_decides_between_charts_of_one_name_then_the_values_then_the_default():
    reg = Registry((TOY, *KINDS))
    assert reg.for_chart("valkey", "https://charts.toy.example/stable") is TOY
    assert reg.for_chart("oci://charts.toy.example/library/valkey") is TOY
    assert reg.for_chart("valkey", "https://charts.bitnami.com/bitnami").id == "bitnami/valkey"  # type: ignore[union-attr]
    # An unknown repository (a mirror): Bitnami's, as before, unless the values are the other chart's.
    assert reg.for_chart("valkey", "https://mirror.internal/charts").id == "bitnami/valkey"  # type: ignore[union-attr]
    assert reg.for_chart("valkey", "https://mirror.internal/charts", (mapping("toyConfig: x\n"),)) is TOY
    assert reg.for_chart("redis", "https://charts.toy.example/stable").id == "bitnami/redis"  # type: ignore[union-attr]
    assert reg.for_object("toy.example/v1", "ToyRedis") is TOY


@pytest.fixture
def toy_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry_module, "registry", Registry((TOY, *KINDS)))


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def _targets(*paths: str) -> list[Target]:
    files = [load_yaml(p, Path(p).read_text()) for p in paths]
    return find_targets(files, [])


APPLICATION = """\
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: sessions
      namespace: argocd
    spec:
      source:
        repoURL: https://charts.toy.example/stable
        chart: valkey
        targetRevision: 1.2.3
        helm:
          valuesObject:
            toyConfig: |
              appendonly no
              save ""
    """


def test_a_kind_registered_by_a_test_yields_targets_through_discovery(tmp_path: Path, toy_registered: None):
    app = _write(tmp_path, "app.yaml", APPLICATION)
    values = _write(tmp_path, "values.yaml", "toyConfig: |\n  maxmemory 100mb\n")
    crd = _write(tmp_path, "crd.yaml", """\
        apiVersion: toy.example/v1
        kind: ToyRedis
        metadata:
          name: cache
        spec:
          config: |
            appendonly yes
        """)
    found = _targets(app, values, crd)
    assert [(Path(t.path).name, t.chart) for t in found] == [
        ("app.yaml", "toy/valkey"), ("values.yaml", "toy/valkey"), ("crd.yaml", "toy/valkey")]
    app_target, values_target, crd_target = found
    assert app_target.value("appendonly") == "no"
    assert app_target.setting("appendonly").history[-1].line.span.line == 14  # type: ignore[union-attr]
    assert values_target.value("maxmemory") == str(100 * 1024 * 1024)  # Redis: mb is 1024 * 1024
    assert crd_target.value("appendonly") == "yes"


def test_without_the_kind_the_same_application_is_bitnamis_valkey(tmp_path: Path):
    # Bitnami valkey 1.x (targetRevision 1.2.3) called its first role `master`.
    app = _write(tmp_path, "app.yaml", APPLICATION)
    assert [(t.chart, t.role) for t in _targets(app)] == [("bitnami/valkey", "master"), ("bitnami/valkey", "replica")]


HELMRELEASE = """\
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: sessions
      namespace: apps
    spec:
      chart:
        spec:
          chart: valkey
          version: 1.2.3
          sourceRef:
            kind: HelmRepository
            name: toy
            namespace: flux-system
      values:
        {values}
    """

REPOSITORY = """\
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: HelmRepository
    metadata:
      name: toy
      namespace: flux-system
    spec:
      url: https://charts.toy.example/stable
    """


def test_a_helmrepository_in_the_releases_file_names_the_publisher(tmp_path: Path, toy_registered: None):
    both = _write(tmp_path, "both.yaml", REPOSITORY + "---\n" + HELMRELEASE.format(values="image: {}"))
    # No toyConfig: only the repository says which `valkey` chart this is (it yields no target).
    assert _targets(both) == []
    elsewhere = _write(tmp_path, "release.yaml", HELMRELEASE.format(values="image: {}"))
    _write(tmp_path, "repository.yaml", REPOSITORY)
    assert {t.chart for t in _targets(elsewhere, str(tmp_path / "repository.yaml"))} == {"bitnami/valkey"}


def test_a_helmrepository_elsewhere_leaves_it_to_the_values(tmp_path: Path, toy_registered: None):
    release = _write(tmp_path, "release.yaml", HELMRELEASE.format(values="toyConfig: 'appendonly yes'"))
    _write(tmp_path, "repository.yaml", REPOSITORY.replace("charts.toy.example", "mirror.internal"))
    found = _targets(release, str(tmp_path / "repository.yaml"))
    assert [(t.chart, t.value("appendonly")) for t in found] == [("toy/valkey", "yes")]
