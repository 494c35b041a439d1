"""Flux HelmRelease values: valuesFrom ConfigMaps and Secrets, spec.values and targetPath, in Flux's order."""

from __future__ import annotations

import os
from typing import NamedTuple

from redislint.assumptions import version_assumptions
from redislint.charts.values_view import (
    SetLayer,
    ValuesLayer,
    parse_set_path,
    typed_value,
    unseen_layer,
    value_node,
)
from redislint.discover import DataProblem, InputIndex, data_value, text_of
from redislint.model import Span
from redislint.sources import (
    MapNode,
    SeqNode,
    SourceProblem,
    load_yaml_embedded,
    node_at,
)
from redislint.target import CHART, CHART_VERSION, Assumption, Unresolved

# --------------------------------------------------------------------------------------------
# Flux HelmRelease values: `spec.valuesFrom` ConfigMaps and Secrets, `spec.values`, in Flux's order.
#
# helm-controller (docs/spec/v2/helmreleases.md): "merged in the order given, with the later values
# overwriting earlier, and then inline values overwriting those. When `targetPath` is set, it will
# overwrite everything before, including inline values." So the layers are: valuesFrom items
# without targetPath, in order < `spec.values` < items with targetPath, in order.
#
# A targetPath item sets one value at a `--set` path: the text of the ConfigMap/Secret key, typed as
# Helm's strvals types it unless it is quoted (then it stays a string). Its spans point at that key
# in the ConfigMap or Secret. Secret `data` is base64: it is decoded to be read, and never shown.
# Flux v1 (`helm.fluxcd.io/v1`) wrote the same references as `configMapKeyRef` / `secretKeyRef`.


class FluxValues:
    """The layers of one HelmRelease, lowest priority first, and what could not be read."""

    __slots__ = ("anchor", "layers", "problems", "unresolved")

    def __init__(self) -> None:
        self.layers: list[ValuesLayer] = []
        self.unresolved: list[Unresolved] = []
        self.problems: list[SourceProblem] = []  # syntax errors and duplicate keys of values strings
        # The `values:` key, else the `valuesFrom:` key: where a finding about an absent key points.
        self.anchor: Span | None = None


class _Ref(NamedTuple):
    kind: str
    name: str
    key: str
    target_path: str | None
    optional: bool
    node: MapNode  # the list item, for findings about the reference itself


def truthy(node) -> bool:
    return text_of(node) in ("true", "True", "TRUE")


def _refs(items: SeqNode) -> list[_Ref | Unresolved]:
    out: list[_Ref | Unresolved] = []
    for item in items.items:
        if not isinstance(item, MapNode):
            continue
        v1 = next(((k, item.get(k)) for k in ("configMapKeyRef", "secretKeyRef") if isinstance(item.get(k), MapNode)),
                  None)
        if v1 is not None:  # helm.fluxcd.io/v1
            ref_kind, ref = v1
            assert isinstance(ref, MapNode)
            out.append(_Ref("ConfigMap" if ref_kind == "configMapKeyRef" else "Secret", text_of(ref.get("name")) or "?",
                            text_of(ref.get("key")) or "values.yaml", None, truthy(ref.get("optional")), item))
            continue
        for other in ("externalSourceRef", "chartFileRef"):
            ref = item.get(other)
            if isinstance(ref, MapNode):
                what = text_of(ref.get("url")) or text_of(ref.get("path")) or "?"
                optional = truthy(ref.get("optional"))
                out.append(Unresolved(f"valuesFrom {other} {what}{', optional,' if optional else ''} is not read; "
                                      "values it sets were not checked", item.span, "spec.valuesFrom",
                                      "note" if optional else "", f"valuesFrom {other} {what}"))
                break
        else:
            out.append(_Ref(text_of(item.get("kind")) or "ConfigMap", text_of(item.get("name")) or "?",
                            text_of(item.get("valuesKey")) or "values.yaml", text_of(item.get("targetPath")),
                            truthy(item.get("optional")), item))
    return out


def flux_values(root: MapNode, idx: InputIndex, path: str) -> FluxValues:
    """Every values layer of a HelmRelease (in file `path`) found among the inputs, in Flux's merge order.

    A source that exists but cannot be read (not among the inputs, encrypted, fetched by Flux) is an
    unseen layer at its place in that order: what it may set is not settled.
    """
    out = FluxValues()
    spec = root.get("spec")
    namespace = text_of(node_at(root, "metadata.namespace"))
    items = node_at(root, "spec.valuesFrom")
    late: list[ValuesLayer] = []
    if isinstance(items, SeqNode):
        for ref in _refs(items):
            if isinstance(ref, Unresolved):
                out.unresolved.append(ref)
                out.layers.append(unseen_layer(ref.message.split(" is not read")[0].rstrip(","), ref.span))
                continue
            layer = _layer(ref, idx, namespace, path, out)
            if layer is not None:
                (late if ref.target_path else out.layers).append(layer)
    values = node_at(root, "spec.values")
    if isinstance(values, MapNode):
        out.layers.append(ValuesLayer("spec.values", values))
    out.layers += late
    if isinstance(spec, MapNode):
        key = spec.key_node("values") if isinstance(values, MapNode) else None
        key = key or (spec.key_node("valuesFrom") if isinstance(items, SeqNode) and items.items else None)
        out.anchor = key.span if key is not None else None
    return out


def _layer(ref: _Ref, idx: InputIndex, namespace: str | None, path: str, out: FluxValues) -> ValuesLayer | None:
    what = f"valuesFrom {ref.kind} {ref.name} (key {ref.key})"
    unresolved = out.unresolved
    found = idx.lookup(ref.kind, ref.name, namespace, path)
    doc = found.doc
    if doc is None:
        why = f" ({found.why})" if found.why else ""
        if not ref.optional:
            unresolved.append(Unresolved(f"{what} is not among the inputs{why}; values it sets were not checked — "
                                         "pass its file too", ref.node.span, "spec.valuesFrom", unseen_layer=what))
        else:
            # Flux applies an optional source whenever it exists in the cluster: say so, quietly.
            unresolved.append(Unresolved(f"{what}, optional, is not among the inputs{why}; if it exists in the "
                                         "cluster, the values it sets were not checked", ref.node.span,
                                         "spec.valuesFrom", "note", f"{what}, optional,"))
        return unseen_layer(what, ref.node.span)
    try:
        value = data_value(doc, ref.key)
    except DataProblem as exc:
        idx.used_as_values.add(id(doc))
        unresolved.append(Unresolved(f"{what} {exc}; values it sets were not checked", ref.node.span, "spec.valuesFrom",
                                     unseen_layer=what))
        return unseen_layer(what, ref.node.span)
    idx.used_as_values.add(id(doc))
    if value is None:
        if not ref.optional:
            unresolved.append(Unresolved(f"{ref.kind} {ref.name} has no key {ref.key}: Flux fails this release "
                                         "(set optional: true to allow it)", ref.node.span, "spec.valuesFrom"))
        return None
    label = f"{ref.kind} {ref.name} ({ref.key})"
    if ref.target_path:
        set_path = parse_set_path(ref.target_path)
        target_node = ref.node.get("targetPath")
        if set_path is None:
            unresolved.append(Unresolved(f"valuesFrom targetPath {ref.target_path!r} is not a Helm --set path; the "
                                         "value was not checked", target_node.span if target_node is not None
                                         else ref.node.span, "spec.valuesFrom"))
            return None
        text = value.text
        quoted = len(text) >= 2 and text[0] == text[-1] and text[0] in "'\""
        typed = text[1:-1] if quoted else typed_value(text)
        node = value_node(typed, text[1:-1] if quoted else text, value.value_span, None if quoted else value.node)
        layer = SetLayer(value.value_span)
        layer.set(set_path, node, value.key_span)
        return ValuesLayer(f"{label} → {ref.target_path}", layer.build(), assigned=True)
    parsed = load_yaml_embedded(value.embedded())
    out.problems.extend(parsed.problems)
    root = next((d.root for d in parsed.documents if isinstance(d.root, MapNode)), None)
    if root is None:
        if parsed.documents and any(d.root is not None for d in parsed.documents):
            unresolved.append(Unresolved(f"{what} does not hold a YAML mapping of values; Flux fails this release",
                                         value.key_span, "spec.valuesFrom"))
        return None
    return ValuesLayer(label, root)


class FluxChart(NamedTuple):
    """The chart a HelmRelease installs, as far as the inputs say."""

    name: str  # as written: "redis", "oci://…/valkey", a chartRef's name; "" when none
    constraint: str | None
    # How the name was found: "chart" (spec.chart), "ref" (the chartRef object was read), or
    # "assumed" (the chartRef object is not among the inputs: only its name is known).
    how: str = "chart"
    assumptions: tuple[Assumption, ...] = ()  # what was assumed about the chart and its version
    span: Span | None = None  # where the chart is named (for RL004)
    # The repository it comes from (an OCIRepository's `spec.url`): which publisher's chart it is
    # (`redislint.kinds.registry.kind_for_chart`); "" when the inputs do not say.
    repo_url: str = ""
    version_span: Span | None = None  # spec.chart.spec.version, when written


def flux_chart(root: MapNode, idx: InputIndex, path: str) -> FluxChart:
    """The chart of a HelmRelease, following `chartRef` to an OCIRepository or HelmChart."""
    name_node = node_at(root, "spec.chart.spec.chart") or node_at(root, "spec.chart.name")
    name = text_of(name_node)
    version = text_of(node_at(root, "spec.chart.spec.version")) or text_of(node_at(root, "spec.chart.version"))
    if name:
        source_kind = text_of(node_at(root, "spec.chart.spec.sourceRef.kind"))
        repo_url = _repository_url(root, idx, path) if source_kind == "HelmRepository" else ""
        if source_kind in ("GitRepository", "Bucket"):
            # Flux ignores `version` for these sources: the chart is whatever the revision holds.
            return FluxChart(name, None, "chart", version_assumptions(
                [f"chart {name} comes from a {source_kind}; its version is whatever that revision holds"],
                CHART_VERSION), name_node.span)  # type: ignore[union-attr]
        if version is None and text_of(node_at(root, "spec.chart.spec.chart")):
            version = "*"  # helm-controller's default: the newest release (None: not known from the inputs)
        version_node = node_at(root, "spec.chart.spec.version") or node_at(root, "spec.chart.version")
        return FluxChart(name, version, "chart", (), name_node.span, repo_url,  # type: ignore[union-attr]
                         version_node.span if version_node is not None else None)
    ref_node = node_at(root, "spec.chartRef.name")
    ref_name = text_of(ref_node)
    if not ref_name:
        return FluxChart("", None, "chart")
    kind = text_of(node_at(root, "spec.chartRef.kind")) or "OCIRepository"
    namespace = text_of(node_at(root, "spec.chartRef.namespace")) or text_of(node_at(root, "metadata.namespace"))
    found = idx.lookup(kind, ref_name, namespace, path)
    obj = found.doc.root if found.doc is not None else None
    if isinstance(obj, MapNode) and kind == "OCIRepository":
        url = text_of(node_at(obj, "spec.url")) or ref_name
        ref = text_of(node_at(obj, "spec.ref.semver")) or text_of(node_at(obj, "spec.ref.tag"))
        assumed = () if ref else version_assumptions([(f"OCIRepository {ref_name} pins no tag or semver range (a "
                                                       "digest or the latest tag); the chart version is unknown")],
                                                     CHART_VERSION)
        return FluxChart(url, ref, "ref", assumed, ref_node.span, url)  # type: ignore[union-attr]
    if isinstance(obj, MapNode) and kind == "HelmChart":
        chart = text_of(node_at(obj, "spec.chart")) or ref_name
        where = found.doc.path if found.doc is not None else path
        repo_url = _repository_url(obj, idx, where, "spec.sourceRef") \
            if text_of(node_at(obj, "spec.sourceRef.kind")) == "HelmRepository" else ""
        return FluxChart(chart, text_of(node_at(obj, "spec.version")), "ref", (), ref_node.span,  # type: ignore[union-attr]
                         repo_url)
    why = f" ({found.why})" if found.why else ""
    return FluxChart(ref_name, None, "assumed", (Assumption(
        CHART, f"chartRef {kind} {ref_name} is not among the inputs{why}, so the chart and its version are unknown",
        ref_node.span, f"chartRef {kind} {ref_name}"),), ref_node.span)  # type: ignore[union-attr]


def _repository_url(root: MapNode, idx: InputIndex, path: str, ref: str = "spec.chart.spec.sourceRef") -> str:
    """The `spec.url` of the HelmRepository that `ref` names, when the same file defines it ("" otherwise).

    Only the referrer's own file is searched: a repository named by every release would otherwise tie
    each release's file to the file that defines it (`discover.INDEXED_KINDS`, the repository index,
    the per-file pipeline), for a URL that only tells apart charts sharing a name; the values' shape
    does that too (`kinds.registry.kind_for_chart`).
    """
    name = text_of(node_at(root, f"{ref}.name"))
    namespace = text_of(node_at(root, f"{ref}.namespace")) or text_of(node_at(root, "metadata.namespace"))
    own = idx.file_at(os.path.abspath(path)) if path not in ("-", "<stdin>") else None
    if not name or own is None:
        return ""
    for doc in own.documents:
        obj = doc.root
        if not isinstance(obj, MapNode) or text_of(obj.get("kind")) != "HelmRepository" \
                or text_of(node_at(obj, "metadata.name")) != name:
            continue
        ns = text_of(node_at(obj, "metadata.namespace"))
        if ns is None or namespace is None or ns == namespace:
            return text_of(node_at(obj, "spec.url")) or ""
    return ""
