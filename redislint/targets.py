"""Find every Redis target in the loaded inputs: chart releases, values files, ConfigMaps, redis.conf files."""

from __future__ import annotations

from pathlib import PurePath
from typing import NamedTuple

from redislint.charts.bitnami import Release, bitnami_targets, chart_from_name
from redislint.charts.redis_ha import redis_ha_targets
from redislint.charts.values_view import ValuesLayer, ValuesView
from redislint.charts.workloads import workload_targets
from redislint.discover import (
    InputIndex,
    classify,
    metadata_name,
    text_of,
    values_chart,
)
from redislint.model import Span
from redislint.sources import (
    EmbeddedText,
    MapNode,
    Node,
    SeqNode,
    YamlDocument,
    YamlFile,
    node_at,
)
from redislint.target import ConfFile, Target, TargetOptions, Unresolved, ValuesIssue
from redislint.wrappers.argocd import argo_values, ref_sources
from redislint.wrappers.conffiles import annotations_of, conf_target, configmap_targets
from redislint.wrappers.flux import flux_chart, flux_values

__all__ = ["ConfFile", "TargetOptions", "chart_targets", "conf_target", "find_targets"]

VALUES_PATH_ANNOTATION = "redislint.io/values-path"




# --------------------------------------------------------------------------------------------
# Releases: a chart we model, or an umbrella chart that bundles one.


def _umbrella_prefix(layers: list[ValuesLayer]) -> tuple[str | None, str]:
    """For a chart we do not model, the alias under which a bundled redis/valkey is configured."""
    for layer in reversed(layers):
        for alias in ("redis", "valkey"):
            sub = layer.root.get(alias)
            if isinstance(sub, MapNode) and values_chart(sub):
                return alias, ("bitnami/valkey" if alias == "valkey" or values_chart(sub) == "bitnami/valkey"
                               else "bitnami/redis")
    return None, ""


def _chart_under(layers: list[ValuesLayer], prefix: tuple[str, ...]) -> str:
    """The chart whose values sit under `prefix` (declared with redislint.io/values-path)."""
    for layer in reversed(layers):
        node: Node | None = layer.root
        for key in prefix:
            node = node.get(key) if isinstance(node, MapNode) else None
        if isinstance(node, MapNode):
            chart = values_chart(node)
            if chart:
                return chart
    last = prefix[-1].lower() if prefix else ""
    return "bitnami/valkey" if "valkey" in last else ("redis-ha" if last == "redis-ha" else "bitnami/redis")


class _Wrapper(NamedTuple):
    """What a HelmRelease or Application source says about one chart deployment, before the chart model."""

    doc: YamlDocument
    kind: str
    chart_name: str  # as written: "redis", "oci://…/valkey", "mastodon", ""
    constraint: str | None
    layers: list[ValuesLayer]
    values_anchor: Span | None
    unresolved: tuple[Unresolved, ...]
    issues: tuple[ValuesIssue, ...] = ()


def chart_targets(release: Release) -> list[Target]:
    """Targets of one release of a chart we model."""
    return redis_ha_targets(release) if release.chart == "redis-ha" else bitnami_targets(release)


def _wrapper_targets(w: _Wrapper, opts: TargetOptions) -> list[Target]:
    """Targets of a wrapped release: a chart we model, or an umbrella chart that bundles one."""
    root = w.doc.root
    assert isinstance(root, MapNode)
    ann, ann_spans = annotations_of(root)
    chart = chart_from_name(w.chart_name)
    layers, constraint = w.layers, w.constraint
    values_path = ann.get(VALUES_PATH_ANNOTATION, "").strip()
    prefix: tuple[str, ...] = ()
    if values_path:
        # Declared: the chart's values sit under this key path of an umbrella chart's values.
        prefix = tuple(p for p in values_path.split(".") if p)
        chart = _chart_under(layers, prefix) if prefix else chart
    elif chart is None:
        alias, found = _umbrella_prefix(layers)
        if alias is None:
            return []
        prefix, chart = (alias,), found
    if chart is None:
        return []
    if prefix:
        # The parent chart's dependency condition (`redis.enabled: false`) turns the subchart off.
        enabled = ValuesView(layers).value(".".join(prefix) + ".enabled")
        if enabled is False:
            return []
        layers = [layer._replace(prefix=prefix) for layer in layers]
        constraint = None  # the wrapper pins the parent chart, not the bundled one
    release = Release(w.doc.path, metadata_name(root), w.kind, chart, constraint, ValuesView(layers), w.doc.span,
                      w.values_anchor, ann, ann_spans, w.unresolved, opts.redis_version, opts.chart_version,
                      w.issues)
    return chart_targets(release)


def _helmrelease_wrapper(doc: YamlDocument, idx: InputIndex) -> _Wrapper:
    root = doc.root
    assert isinstance(root, MapNode)
    chart_name, constraint = flux_chart(root, idx)
    values = flux_values(root, idx)
    return _Wrapper(doc, "HelmRelease", chart_name or "", constraint, values.layers, values.anchor,
                    tuple(values.unresolved))


def _argo_wrappers(doc: YamlDocument, idx: InputIndex) -> list[_Wrapper]:
    root = doc.root
    assert isinstance(root, MapNode)
    sources = node_at(root, "spec.sources")
    candidates = list(sources.items) if isinstance(sources, SeqNode) else [node_at(root, "spec.source")]
    refs = ref_sources(sources if isinstance(sources, SeqNode) else None)
    out: list[_Wrapper] = []
    for src in candidates:
        if not isinstance(src, MapNode):
            continue
        chart_field = text_of(src.get("chart"))
        repo = text_of(src.get("repoURL")) or ""
        if chart_field:
            chart_name, constraint = chart_field, text_of(src.get("targetRevision"))
        elif repo.startswith("oci://"):
            # Current docs: `repoURL: oci://registry-1.docker.io/bitnamicharts/redis` with `path: .`.
            chart_name, constraint = repo, text_of(src.get("targetRevision"))
        else:
            chart_name, constraint = "", None  # a chart in Git: only an umbrella or a declared values-path
        if src.get("helm") is None and not chart_field and text_of(src.get("ref")):
            continue  # a values-only source (`ref: values`)
        values = argo_values(src, refs, idx)
        out.append(_Wrapper(doc, "Application", chart_name, constraint, values.layers, values.anchor,
                            tuple(values.unresolved), tuple(values.issues)))
    return out


def _values_targets(doc: YamlDocument, opts: TargetOptions) -> list[Target]:
    root = doc.root
    assert isinstance(root, MapNode)
    chart = opts.chart or values_chart(root)
    if chart not in ("bitnami/redis", "bitnami/valkey", "redis-ha"):
        return []
    name = PurePath(doc.path).name + (f"#{doc.index + 1}" if doc.index else "")
    release = Release(doc.path, name, "values", chart, None, ValuesView([ValuesLayer("values file", root)]),
                      doc.span, doc.span, {}, {}, (), opts.redis_version, opts.chart_version)
    return chart_targets(release)


def _consume_mounted_configmaps(doc: YamlDocument, idx: InputIndex) -> None:
    """ConfigMaps a Redis workload mounts are checked as part of it, not on their own."""
    volumes = node_at(doc.root, "spec.template.spec.volumes") if isinstance(doc.root, MapNode) else None
    if isinstance(volumes, SeqNode):
        for v in volumes.items:
            name = text_of(node_at(v, "configMap.name")) if isinstance(v, MapNode) else None
            for cm in idx.objects.get(("ConfigMap", name), []) if name else []:
                idx.used_as_values.add(id(cm))


def _configmaps(idx: InputIndex) -> dict[str, YamlDocument]:
    """ConfigMaps by `ConfigMap/<name>`, as hand-written workloads look them up."""
    return {f"{kind}/{name}": docs[0] for (kind, name), docs in idx.objects.items() if docs}


def find_targets(yaml_files: list[YamlFile], conf_files: list[ConfFile],
                 opts: TargetOptions = TargetOptions()) -> list[Target]:
    """Every target in the inputs, in file and document order."""
    idx = InputIndex.build(yaml_files)
    # First the wrappers, which consume the ConfigMaps, Secrets and values files they refer to
    # wherever those appear among the inputs; then every document in order.
    wrapped: dict[int, list[_Wrapper]] = {}
    for f in yaml_files:
        for doc in f.documents:
            kind = classify(doc).kind
            if kind == "HelmRelease":
                wrapped[id(doc)] = [_helmrelease_wrapper(doc, idx)]
            elif kind == "Application":
                wrapped[id(doc)] = _argo_wrappers(doc, idx)
    configmaps = _configmaps(idx)
    out: list[Target] = []
    for f in yaml_files:
        for doc in f.documents:
            kind = classify(doc).kind
            if kind in ("HelmRelease", "Application"):
                for w in wrapped.get(id(doc), []):
                    out += _wrapper_targets(w, opts)
            elif kind == "values":
                if id(doc) not in idx.used_as_values:
                    out += _values_targets(doc, opts)
            elif kind == "Workload":
                found = workload_targets(doc, configmaps, opts.redis_version)
                if found:
                    _consume_mounted_configmaps(doc, idx)
                out += found
    # ConfigMaps last: only those not already consumed as valuesFrom sources are config targets.
    for f in yaml_files:
        for doc in f.documents:
            if classify(doc).kind == "ConfigMap":
                out += configmap_targets(doc, idx, opts)
    for c in conf_files:
        embedded = EmbeddedText.for_file(c.path, c.text)
        out.append(conf_target(c.path, PurePath(c.path).name, "redis.conf", embedded,
                               Span(c.path, 1, 1, 1, 1), opts))
    return out
