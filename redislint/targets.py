"""Find every Redis target in the loaded inputs: chart releases, values files, ConfigMaps, redis.conf files."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from redislint.charts.bitnami import Release, bitnami_targets, chart_from_name
from redislint.charts.redis_ha import redis_ha_targets
from redislint.charts.templating import relabel_problems
from redislint.charts.values_view import (SetLayer, ValuesLayer, ValuesView, parse_set_path, split_list_value,
                                          typed_value, value_node)
from redislint.charts.workloads import workload_targets
from redislint.discover import (DataProblem, InputIndex, classify, data_value, looks_like_redis_conf, metadata_name,
                                text_of, values_chart)
from redislint.facts import K8sFacts
from redislint.model import Span
from redislint.redisconf import ConfigSource, Include, RedisVersion, evaluate, parse_conf, parse_version
from redislint.sources import (EmbeddedText, MapNode, Node, ScalarNode, SeqNode, YamlDocument, YamlFile,
                               load_yaml_embedded, node_at)
from redislint.target import Target, Unresolved, ValuesIssue

VALUES_PATH_ANNOTATION = "redislint.io/values-path"


@dataclass(frozen=True, slots=True)
class TargetOptions:
    """Command-line overrides that apply to every target."""

    redis_version: str | None = None
    chart_version: str | None = None
    chart: str | None = None  # force the chart of bare values files


@dataclass(frozen=True, slots=True)
class ConfFile:
    """A plain redis.conf / valkey.conf file."""

    path: str
    text: str


def _annotations(root: MapNode) -> tuple[dict[str, str], dict[str, Span]]:
    ann = node_at(root, "metadata.annotations")
    values: dict[str, str] = {}
    spans: dict[str, Span] = {}
    if isinstance(ann, MapNode):
        for k, v in ann.items():
            if str(k.text).startswith("redislint.io/") and isinstance(v, ScalarNode):
                values[str(k.text)] = str(v.text)
                spans[str(k.text)] = v.span
    return values, spans


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


@dataclass(slots=True)
class FluxValues:
    """The layers of one HelmRelease, lowest priority first, and what could not be read."""

    layers: list[ValuesLayer] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    # The `values:` key, else the `valuesFrom:` key: where a finding about an absent key points.
    anchor: Span | None = None


@dataclass(frozen=True, slots=True)
class _Ref:
    kind: str
    name: str
    key: str
    target_path: str | None
    optional: bool
    node: MapNode  # the list item, for findings about the reference itself


def _truthy(node) -> bool:
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
                            text_of(ref.get("key")) or "values.yaml", None, _truthy(ref.get("optional")), item))
            continue
        for other in ("externalSourceRef", "chartFileRef"):
            ref = item.get(other)
            if isinstance(ref, MapNode):
                if not _truthy(ref.get("optional")):
                    what = text_of(ref.get("url")) or text_of(ref.get("path")) or "?"
                    out.append(Unresolved(f"valuesFrom {other} {what} is not read; values it sets were not checked",
                                          item.span, "spec.valuesFrom"))
                break
        else:
            out.append(_Ref(text_of(item.get("kind")) or "ConfigMap", text_of(item.get("name")) or "?",
                            text_of(item.get("valuesKey")) or "values.yaml", text_of(item.get("targetPath")),
                            _truthy(item.get("optional")), item))
    return out


def flux_values(root: MapNode, idx: InputIndex) -> FluxValues:
    """Every values layer of a HelmRelease found among the inputs, in Flux's merge order."""
    out = FluxValues()
    spec = root.get("spec")
    namespace = text_of(node_at(root, "metadata.namespace"))
    items = node_at(root, "spec.valuesFrom")
    late: list[ValuesLayer] = []
    if isinstance(items, SeqNode):
        for ref in _refs(items):
            if isinstance(ref, Unresolved):
                out.unresolved.append(ref)
                continue
            layer = _layer(ref, idx, namespace, out.unresolved)
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


def _layer(ref: _Ref, idx: InputIndex, namespace: str | None, unresolved: list[Unresolved]) -> ValuesLayer | None:
    what = f"valuesFrom {ref.kind} {ref.name} (key {ref.key})"
    doc = idx.lookup(ref.kind, ref.name, namespace)
    if doc is None:
        if not ref.optional:
            unresolved.append(Unresolved(f"{what} is not among the inputs; values it sets were not checked — pass its "
                                         "file too", ref.node.span, "spec.valuesFrom"))
        return None
    try:
        value = data_value(doc, ref.key)
    except DataProblem as exc:
        idx.used_as_values.add(id(doc))
        unresolved.append(Unresolved(f"{what} {exc}; values it sets were not checked", ref.node.span, "spec.valuesFrom"))
        return None
    idx.used_as_values.add(id(doc))
    if value is None:
        if not ref.optional:
            unresolved.append(Unresolved(f"{ref.kind} {ref.name} has no key {ref.key}: Flux fails this release "
                                         "(set optional: true to allow it)", ref.node.span, "spec.valuesFrom"))
        return None
    label = f"{ref.kind} {ref.name} ({ref.key})"
    if ref.target_path:
        path = parse_set_path(ref.target_path)
        target_node = ref.node.get("targetPath")
        if path is None:
            unresolved.append(Unresolved(f"valuesFrom targetPath {ref.target_path!r} is not a Helm --set path; the "
                                         "value was not checked", target_node.span if target_node is not None
                                         else ref.node.span, "spec.valuesFrom"))
            return None
        text = value.text
        quoted = len(text) >= 2 and text[0] == text[-1] and text[0] in "'\""
        typed = text[1:-1] if quoted else typed_value(text)
        node = value_node(typed, text[1:-1] if quoted else text, value.value_span, None if quoted else value.node)
        layer = SetLayer(value.value_span)
        layer.set(path, node, value.key_span)
        return ValuesLayer(f"{label} → {ref.target_path}", layer.build(), assigned=True)
    parsed = load_yaml_embedded(value.embedded())
    root = next((d.root for d in parsed.documents if isinstance(d.root, MapNode)), None)
    if root is None:
        if parsed.documents and any(d.root is not None for d in parsed.documents):
            unresolved.append(Unresolved(f"{what} does not hold a YAML mapping of values; Flux fails this release",
                                         value.key_span, "spec.valuesFrom"))
        return None
    return ValuesLayer(label, root)


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


@dataclass(slots=True)
class ArgoValues:
    """The layers of one Application source, lowest priority first."""

    layers: list[ValuesLayer] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    issues: list[ValuesIssue] = field(default_factory=list)
    anchor: Span | None = None  # valuesObject / values key, else `helm:`, else the source


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
    ignore_missing = _truthy(helm.get("ignoreMissingValueFiles"))
    base = text_of(src.get("path")) or ""
    for item in files.items:
        if not isinstance(item, ScalarNode) or not text_of(item):
            continue
        name = str(item.text)
        if name.startswith(("http://", "https://")):
            out.unresolved.append(Unresolved(f"valueFiles {name} is fetched over the network by Argo CD and was not "
                                             "read; values it sets were not checked", item.span, "helm.valueFiles"))
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
                    item.span, "helm.valueFiles"))
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
        force = _truthy(p.get("forceString"))
        items = None if force else split_list_value(text)
        typed = [typed_value(i) for i in items] if items is not None else typed_value(text, force)
        layer.set(path, value_node(typed, text, span, value if isinstance(value, ScalarNode) else None), span)
    if layer.count:
        out.layers.append(ValuesLayer("helm.parameters", layer.build(), assigned=True))


# --------------------------------------------------------------------------------------------
# Releases: a chart we model, or an umbrella chart that bundles one.


def _flux_chart(root: MapNode, idx: InputIndex) -> tuple[str | None, str | None]:
    """(chart name, version constraint) of a HelmRelease, following chartRef to an OCIRepository."""
    name = text_of(node_at(root, "spec.chart.spec.chart")) or text_of(node_at(root, "spec.chart.name"))
    version = text_of(node_at(root, "spec.chart.spec.version")) or text_of(node_at(root, "spec.chart.version"))
    if name:
        return name, version
    ref_name = text_of(node_at(root, "spec.chartRef.name"))
    if ref_name:
        namespace = text_of(node_at(root, "spec.chartRef.namespace")) or text_of(node_at(root, "metadata.namespace"))
        oci = idx.lookup(text_of(node_at(root, "spec.chartRef.kind")) or "OCIRepository", ref_name, namespace)
        if oci is not None and isinstance(oci.root, MapNode):
            url = text_of(node_at(oci.root, "spec.url")) or ref_name
            ref = text_of(node_at(oci.root, "spec.ref.semver")) or text_of(node_at(oci.root, "spec.ref.tag"))
            return url, ref
        return ref_name, None
    return None, None


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


@dataclass(frozen=True, slots=True)
class _Wrapper:
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
    ann, ann_spans = _annotations(root)
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
        layers = [replace(layer, prefix=prefix) for layer in layers]
        constraint = None  # the wrapper pins the parent chart, not the bundled one
    release = Release(w.doc.path, metadata_name(root), w.kind, chart, constraint, ValuesView(layers), w.doc.span,
                      w.values_anchor, ann, ann_spans, w.unresolved, opts.redis_version, opts.chart_version,
                      w.issues)
    return chart_targets(release)


def _helmrelease_wrapper(doc: YamlDocument, idx: InputIndex) -> _Wrapper:
    root = doc.root
    assert isinstance(root, MapNode)
    chart_name, constraint = _flux_chart(root, idx)
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


def _conf_version(opts: TargetOptions) -> tuple[RedisVersion, tuple[str, ...]]:
    if opts.redis_version:
        v = parse_version(opts.redis_version)
        if v is not None:
            return v, ()
    v = RedisVersion.newest("redis")
    return v, (f"Redis version unknown; assuming the newest, {v.label} (use --redis-version)",)


def conf_target(path: str, name: str, kind: str, embedded, anchor: Span, opts: TargetOptions,
                layer: str | None = None) -> Target:
    """One `server` target for a redis.conf text (a file, or a ConfigMap data key)."""
    version, notes = _conf_version(opts)
    source = ConfigSource(layer or name, tuple(relabel_problems(parse_conf(embedded, layer or name, version))))
    return Target(path=path, name=name, kind=kind, role="server", chart="", chart_version=None,
                  redis_version=version, version_notes=notes, mode="server", source=source,
                  evaluation=evaluate(source, version), facts=K8sFacts(known=False), anchor=anchor,
                  config_anchors=(anchor,))


def _configmap_targets(doc: YamlDocument, idx: InputIndex, opts: TargetOptions) -> list[Target]:
    root = doc.root
    assert isinstance(root, MapNode)
    if id(doc) in idx.used_as_values:
        return []
    data = root.get("data")
    if not isinstance(data, MapNode):
        return []
    confs = {str(k.text): v for k, v in data.items()
             if isinstance(v, ScalarNode) and isinstance(v.value, str)
             and (str(k.text).endswith(".conf") or looks_like_redis_conf(v.value))
             and not str(k.text).startswith("sentinel")}
    name = metadata_name(root)
    ann, ann_spans = _annotations(root)
    out: list[Target] = []
    base = confs.get("redis.conf") or confs.get("valkey.conf")
    roles = {k: v for k, v in confs.items() if k in ("master.conf", "primary.conf", "replica.conf")}
    if base is not None and roles:
        # A rendered Bitnami ConfigMap: each role runs redis.conf then its own file (start-*.sh).
        version, notes = _conf_version(opts)
        base_key = "redis.conf" if "redis.conf" in confs else "valkey.conf"
        common = ConfigSource(base_key, tuple(parse_conf(base.embedded(), base_key, version)))
        for key, node in sorted(roles.items()):
            role_src = ConfigSource(key, tuple(parse_conf(node.embedded(), key, version)))
            source = ConfigSource("redis-server argv", (Include(common, None), Include(role_src, None)))
            role = key.split(".")[0]
            out.append(Target(path=doc.path, name=name, kind="ConfigMap", role=role, chart="",
                              chart_version=None, redis_version=version, version_notes=notes, mode="server",
                              source=source, evaluation=evaluate(source, version), facts=K8sFacts(known=False),
                              anchor=doc.span, config_anchors=(data.key_node(key).span,),  # type: ignore[union-attr]
                              annotations=ann, annotation_spans=ann_spans))
        return out
    for key, node in sorted(confs.items()):
        key_span = data.key_node(key).span  # type: ignore[union-attr]
        t = conf_target(doc.path, f"{name}:{key}", "ConfigMap", node.embedded(), key_span, opts, key)
        out.append(_with_annotations(t, ann, ann_spans))
    return out


def _with_annotations(t: Target, ann: dict[str, str], spans: dict[str, Span]) -> Target:
    return replace(t, annotations=ann, annotation_spans=spans)


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
                out += _configmap_targets(doc, idx, opts)
    for c in conf_files:
        embedded = EmbeddedText.for_file(c.path, c.text)
        out.append(conf_target(c.path, PurePath(c.path).name, "redis.conf", embedded,
                               Span(c.path, 1, 1, 1, 1), opts))
    return out
