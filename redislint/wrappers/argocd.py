"""Argo CD Application values: valueFiles < valuesObject or values < parameters, spans mapped to the inputs."""

from __future__ import annotations

import posixpath

from redislint.charts.values_view import (
    SetLayer,
    ValuesLayer,
    parse_set_path,
    split_list_value,
    typed_value,
    value_node,
)
from redislint.discover import InputIndex, text_of
from redislint.model import Span
from redislint.sources import MapNode, ScalarNode, SeqNode, load_yaml_embedded
from redislint.target import Unresolved, ValuesIssue
from redislint.wrappers.flux import truthy

# --------------------------------------------------------------------------------------------
# Argo CD Application values: `valueFiles`, `valuesObject` or `values`, `parameters`, in Argo CD's order.
#
# docs/user-guide/helm.md: "parameters > valuesObject > values > valueFiles > chart values.yaml".
# `valuesObject` and `values` are not merged: `ApplicationSourceHelm.ValuesYAML()` returns
# `valuesObject` when it is set and the `values` string otherwise, so a `values` string next to a
# `valuesObject` is ignored (reported as RL102).
#
# `valueFiles` are paths inside the chart's repository (relative to `source.path`), or `$ref/path`
# inside the repository of another source with `ref: <ref>` (multi-source Applications). They are
# read when one of the input files' paths ends with that path; a missing one is RL003 unless
# `ignoreMissingValueFiles: true`. Remote (http) value files are never fetched.
#
# `parameters[]` become one layer on top, built as `helm --set` (or `--set-string` with
# `forceString: true`) would, with every span at the parameter's `value`.


class ArgoValues:
    """The layers of one Application source, lowest priority first."""

    __slots__ = ("layers", "unresolved", "issues", "anchor")

    def __init__(self, anchor: Span | None = None) -> None:
        self.layers: list[ValuesLayer] = []
        self.unresolved: list[Unresolved] = []
        self.issues: list[ValuesIssue] = []
        self.anchor = anchor  # valuesObject / values key, else `helm:`, else the source


def ref_sources(sources: SeqNode | None) -> dict[str, MapNode]:
    """`ref:` name -> source, for `$ref/path` value files."""
    out: dict[str, MapNode] = {}
    if isinstance(sources, SeqNode):
        for src in sources.items:
            if isinstance(src, MapNode) and text_of(src.get("ref")):
                out[str(text_of(src.get("ref")))] = src
    return out


def argo_values(src: MapNode, refs: dict[str, MapNode], idx: InputIndex) -> ArgoValues:
    """Every values layer of one Application source found among the inputs."""
    out = ArgoValues(anchor=src.span)
    helm = src.get("helm")
    if not isinstance(helm, MapNode):
        return out
    out.anchor = src.key_node("helm").span  # type: ignore[union-attr]
    _value_files(src, helm, refs, idx, out)
    obj, values = helm.get("valuesObject"), helm.get("values")
    if isinstance(obj, MapNode):
        out.layers.append(ValuesLayer("helm.valuesObject", obj))
        out.anchor = helm.key_node("valuesObject").span  # type: ignore[union-attr]
        if isinstance(values, ScalarNode) and isinstance(values.value, str) and values.value.strip():
            key = helm.key_node("values")
            out.issues.append(ValuesIssue(
                "RL102", "helm.values has no effect: helm.valuesObject is also set, and Argo CD then uses "
                "valuesObject alone (the two are not merged), so nothing in this values string is applied",
                key.span if key is not None else values.span, "helm.values",
                "Move these values into helm.valuesObject, or remove one of the two"))
    elif isinstance(values, ScalarNode) and isinstance(values.value, str):
        for vdoc in load_yaml_embedded(values.embedded()).documents:
            if isinstance(vdoc.root, MapNode):
                out.layers.append(ValuesLayer("helm.values", vdoc.root))
        out.anchor = helm.key_node("values").span  # type: ignore[union-attr]
    _parameters(helm, out)
    return out


def _value_files(src: MapNode, helm: MapNode, refs: dict[str, MapNode], idx: InputIndex, out: ArgoValues) -> None:
    files = helm.get("valueFiles")
    if not isinstance(files, SeqNode):
        return
    ignore_missing = truthy(helm.get("ignoreMissingValueFiles"))
    base = text_of(src.get("path")) or ""
    for item in files.items:
        if not isinstance(item, ScalarNode) or not text_of(item):
            continue
        name = str(item.text)
        if name.startswith(("http://", "https://")):
            out.unresolved.append(Unresolved(f"valueFiles {name} is fetched over the network by Argo CD and was not "
                                             "read; values it sets were not checked", item.span, "helm.valueFiles",
                                             unseen_layer=f"valueFiles {name}"))
            continue
        if name.startswith("$"):
            ref, _, rest = name[1:].partition("/")
            if ref not in refs:
                out.unresolved.append(Unresolved(f"valueFiles {name}: no source of this Application has ref: {ref}, "
                                                 "so Argo CD cannot render it", item.span, "helm.valueFiles"))
                continue
            candidates = [rest]
        else:
            joined = posixpath.normpath(posixpath.join(base, name)) if base else name
            candidates = [joined, name] if joined != name else [name]
        found = []
        for candidate in candidates:
            found = idx.find_files(candidate)
            if found:
                break
        if not found:
            if not ignore_missing:
                out.unresolved.append(Unresolved(
                    f"valueFiles {name} is not among the inputs; values it sets were not checked — pass that file too",
                    item.span, "helm.valueFiles", unseen_layer=f"valueFiles {name}"))
            continue
        for f in found:
            doc = next((d for d in f.documents if isinstance(d.root, MapNode)), None)
            if doc is not None:
                idx.used_as_values.add(id(doc))
                out.layers.append(ValuesLayer(f"valueFiles {name}", doc.root))  # type: ignore[arg-type]


def _parameters(helm: MapNode, out: ArgoValues) -> None:
    file_params = helm.get("fileParameters")
    if isinstance(file_params, SeqNode):
        for p in file_params.items:
            if isinstance(p, MapNode):
                out.unresolved.append(Unresolved(
                    f"helm.fileParameters {text_of(p.get('name')) or '?'} takes its value from the file "
                    f"{text_of(p.get('path')) or '?'} in the repository, which was not read; that value was not checked",
                    p.span, "helm.fileParameters"))
    params = helm.get("parameters")
    if not isinstance(params, SeqNode) or not params.items:
        return
    key = helm.key_node("parameters")
    layer = SetLayer(key.span if key is not None else params.span)
    for p in params.items:
        if not isinstance(p, MapNode):
            continue
        name_node, value = p.get("name"), p.get("value")
        name = text_of(name_node) or ""
        path = parse_set_path(name)
        span = value.span if value is not None else (name_node.span if name_node is not None else p.span)
        if path is None:
            shown = name if len(name) <= 80 else name[:77] + "..."
            out.unresolved.append(Unresolved(f"helm.parameters name {shown!r} is not a Helm --set path; Argo CD fails "
                                             "to render it", span, "helm.parameters"))
            continue
        text = str(value.text) if isinstance(value, ScalarNode) and value.value is not None else ""
        force = truthy(p.get("forceString"))
        items = None if force else split_list_value(text)
        typed = [typed_value(i) for i in items] if items is not None else typed_value(text, force)
        layer.set(path, value_node(typed, text, span, value if isinstance(value, ScalarNode) else None), span)
    if layer.count:
        out.layers.append(ValuesLayer("helm.parameters", layer.build(), assigned=True))
