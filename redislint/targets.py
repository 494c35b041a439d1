"""Find every Redis target in the loaded inputs: chart releases, values files, ConfigMaps, redis.conf files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from redislint.charts.templating import relabel_problems
from redislint.charts.bitnami import Release, bitnami_targets, chart_from_name
from redislint.charts.redis_ha import redis_ha_targets
from redislint.charts.workloads import workload_targets
from redislint.charts.values_view import ValuesLayer, ValuesView
from redislint.discover import classify, looks_like_redis_conf, metadata_name, text_of, values_chart
from redislint.facts import K8sFacts
from redislint.model import Span
from redislint.redisconf import ConfigSource, Include, RedisVersion, evaluate, parse_conf, parse_version
from redislint.sources import (EmbeddedText, MapNode, ScalarNode, SeqNode, YamlDocument, YamlFile,
                               load_yaml_embedded, node_at)
from redislint.target import Target, Unresolved


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


@dataclass(slots=True)
class _Index:
    """Objects other documents refer to by name (valuesFrom ConfigMaps, chartRef OCIRepositories)."""

    configmaps: dict[str, YamlDocument] = field(default_factory=dict)
    oci: dict[str, YamlDocument] = field(default_factory=dict)
    used_as_values: set[int] = field(default_factory=set)


def _index(files: list[YamlFile]) -> _Index:
    idx = _Index()
    for f in files:
        for doc in f.documents:
            kind = classify(doc).kind
            if kind in ("ConfigMap", "Secret"):
                root = doc.root
                assert isinstance(root, MapNode)
                idx.configmaps[f"{kind}/{text_of(node_at(root, 'metadata.name'))}"] = doc
            elif kind == "OCIRepository":
                assert isinstance(doc.root, MapNode)
                idx.oci[str(text_of(node_at(doc.root, "metadata.name")))] = doc
    return idx


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


def _values_from(root: MapNode, idx: _Index, path: str) -> tuple[list[ValuesLayer], list[Unresolved]]:
    """Flux valuesFrom entries found among the inputs, in Flux's merge order (earlier < later)."""
    layers: list[ValuesLayer] = []
    unresolved: list[Unresolved] = []
    items = node_at(root, "spec.valuesFrom")
    if not isinstance(items, SeqNode):
        return layers, unresolved
    for item in items.items:
        if not isinstance(item, MapNode):
            continue
        kind = text_of(item.get("kind")) or "ConfigMap"
        name = text_of(item.get("name")) or "?"
        key = text_of(item.get("valuesKey")) or "values.yaml"
        if item.get("targetPath") is not None:
            unresolved.append(Unresolved(f"valuesFrom {kind} {name} sets targetPath "
                                         f"{text_of(item.get('targetPath'))}; that single value is not checked",
                                         item.span, "spec.valuesFrom"))
            continue
        doc = idx.configmaps.get(f"{kind}/{name}")
        data = node_at(doc.root, f"data.{key}") if doc is not None and isinstance(doc.root, MapNode) else None
        if doc is not None and kind == "Secret" and data is None:
            data = node_at(doc.root, f"stringData.{key}") if isinstance(doc.root, MapNode) else None
        if isinstance(data, ScalarNode) and isinstance(data.value, str):
            idx.used_as_values.add(id(doc))
            parsed = load_yaml_embedded(data.embedded())
            for vdoc in parsed.documents:
                if isinstance(vdoc.root, MapNode):
                    layers.append(ValuesLayer(f"{kind} {name} ({key})", vdoc.root))
            continue
        optional = text_of(item.get("optional")) in ("true", "True")
        if not optional:
            unresolved.append(Unresolved(
                f"valuesFrom {kind} {name} (key {key}) is not among the inputs; values it sets were not "
                "checked — pass its file too", item.span, "spec.valuesFrom"))
    return layers, unresolved


def _flux_chart(root: MapNode, idx: _Index) -> tuple[str | None, str | None]:
    """(chart name, version constraint) of a HelmRelease, following chartRef to an OCIRepository."""
    name = text_of(node_at(root, "spec.chart.spec.chart")) or text_of(node_at(root, "spec.chart.name"))
    version = text_of(node_at(root, "spec.chart.spec.version")) or text_of(node_at(root, "spec.chart.version"))
    if name:
        return name, version
    ref_name = text_of(node_at(root, "spec.chartRef.name"))
    if ref_name:
        oci = idx.oci.get(ref_name)
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


def chart_targets(release: Release) -> list[Target]:
    """Targets of one release of a chart we model."""
    return redis_ha_targets(release) if release.chart == "redis-ha" else bitnami_targets(release)


def _helmrelease_targets(doc: YamlDocument, idx: _Index, opts: TargetOptions) -> list[Target]:
    root = doc.root
    assert isinstance(root, MapNode)
    chart_name, constraint = _flux_chart(root, idx)
    chart = chart_from_name(chart_name or "")
    layers, unresolved = _values_from(root, idx, doc.path)
    values = node_at(root, "spec.values")
    if isinstance(values, MapNode):
        layers.append(ValuesLayer("spec.values", values))
    values_key = root.get("spec")
    values_anchor = (values_key.key_node("values").span if isinstance(values_key, MapNode)
                     and values_key.key_node("values") is not None else None)
    if chart is None:
        prefix, chart = _umbrella_prefix(layers)
        if prefix is None:
            return []
        layers = [ValuesLayer(l.name, l.root, (prefix,)) for l in layers]
        constraint = None
    ann, ann_spans = _annotations(root)
    release = Release(doc.path, metadata_name(root), "HelmRelease", chart, constraint, ValuesView(layers),
                      doc.span, values_anchor, ann, ann_spans, tuple(unresolved), opts.redis_version,
                      opts.chart_version)
    return chart_targets(release)


def _argo_targets(doc: YamlDocument, opts: TargetOptions) -> list[Target]:
    root = doc.root
    assert isinstance(root, MapNode)
    sources = node_at(root, "spec.sources")
    candidates = list(sources.items) if isinstance(sources, SeqNode) else [node_at(root, "spec.source")]
    out: list[Target] = []
    for src in candidates:
        if not isinstance(src, MapNode):
            continue
        chart = chart_from_name(text_of(src.get("chart")) or "")
        if chart is None:
            continue
        helm = src.get("helm")
        layers: list[ValuesLayer] = []
        anchor = src.span
        if isinstance(helm, MapNode):
            obj = helm.get("valuesObject")
            values = helm.get("values")
            # ApplicationSourceHelm.ValuesYAML(): valuesObject when set, otherwise the values string.
            if isinstance(obj, MapNode):
                layers.append(ValuesLayer("helm.valuesObject", obj))
                anchor = helm.key_node("valuesObject").span  # type: ignore[union-attr]
            elif isinstance(values, ScalarNode) and isinstance(values.value, str):
                for vdoc in load_yaml_embedded(values.embedded()).documents:
                    if isinstance(vdoc.root, MapNode):
                        layers.append(ValuesLayer("helm.values", vdoc.root))
                anchor = helm.key_node("values").span  # type: ignore[union-attr]
        ann, ann_spans = _annotations(root)
        release = Release(doc.path, metadata_name(root), "Application", chart, text_of(src.get("targetRevision")),
                          ValuesView(layers), doc.span, anchor, ann, ann_spans, (), opts.redis_version,
                          opts.chart_version)
        out += chart_targets(release)
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


def _configmap_targets(doc: YamlDocument, idx: _Index, opts: TargetOptions) -> list[Target]:
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
    from dataclasses import replace

    return replace(t, annotations=ann, annotation_spans=spans)


def _consume_mounted_configmaps(doc: YamlDocument, idx: _Index) -> None:
    """ConfigMaps a Redis workload mounts are checked as part of it, not on their own."""
    volumes = node_at(doc.root, "spec.template.spec.volumes") if isinstance(doc.root, MapNode) else None
    if isinstance(volumes, SeqNode):
        for v in volumes.items:
            name = text_of(node_at(v, "configMap.name")) if isinstance(v, MapNode) else None
            cm = idx.configmaps.get(f"ConfigMap/{name}") if name else None
            if cm is not None:
                idx.used_as_values.add(id(cm))


def find_targets(yaml_files: list[YamlFile], conf_files: list[ConfFile],
                 opts: TargetOptions = TargetOptions()) -> list[Target]:
    """Every target in the inputs, in file and document order."""
    idx = _index(yaml_files)
    out: list[Target] = []
    for f in yaml_files:
        for doc in f.documents:
            kind = classify(doc).kind
            if kind == "HelmRelease":
                out += _helmrelease_targets(doc, idx, opts)
            elif kind == "Application":
                out += _argo_targets(doc, opts)
            elif kind == "values":
                out += _values_targets(doc, opts)
            elif kind == "Workload":
                found = workload_targets(doc, idx.configmaps, opts.redis_version)
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
