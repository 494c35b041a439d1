"""Plain redis.conf text as targets: files, and ConfigMaps that hold one (a rendered Bitnami ConfigMap runs per role)."""

from __future__ import annotations

from dataclasses import replace

from redislint.assumptions import version_assumptions
from redislint.charts.release import Release
from redislint.charts.templating import relabel_problems
from redislint.charts.values_view import ValuesLayer, ValuesView
from redislint.discover import (
    InputIndex,
    looks_like_redis_conf,
    looks_like_values_text,
    metadata_name,
)
from redislint.facts import K8sFacts
from redislint.kinds.registry import kind_for_umbrella, kind_for_values
from redislint.model import Span
from redislint.redisconf import (
    ConfigSource,
    Include,
    RedisVersion,
    evaluate,
    parse_conf,
    parse_version,
)
from redislint.sources import (
    MapNode,
    ScalarNode,
    YamlDocument,
    load_yaml_embedded,
    node_at,
)
from redislint.target import Target, TargetOptions


def annotations_of(root: MapNode) -> tuple[dict[str, str], dict[str, Span]]:
    """The `redislint.io/*` annotations of an object, with the span of each value."""
    ann = node_at(root, "metadata.annotations")
    values: dict[str, str] = {}
    spans: dict[str, Span] = {}
    if isinstance(ann, MapNode):
        for k, v in ann.items():
            if str(k.text).startswith("redislint.io/") and isinstance(v, ScalarNode):
                values[str(k.text)] = str(v.text)
                spans[str(k.text)] = v.span
    return values, spans



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
                  redis_version=version, assumptions=version_assumptions(notes), mode="server", source=source,
                  evaluation=evaluate(source, version), facts=K8sFacts(known=False), anchor=anchor,
                  config_anchors=(anchor,))


def is_values_key(key: str, text: str) -> bool:
    """A data key that holds Helm values (`values.yaml`, or YAML mapping text under another name)."""
    return key.endswith((".yaml", ".yml")) or (not key.endswith(".conf") and looks_like_values_text(text))


def configmap_targets(doc: YamlDocument, idx: InputIndex, opts: TargetOptions, found=None) -> list[Target]:
    """The redis.conf texts of a ConfigMap not read by another input, and the Redis chart values it holds.

    A key that holds Helm values is values, never a redis.conf (its indented `appendonly yes` lines
    belong to a `commonConfiguration: |` block): it is a values target of its own when it is values
    of a chart we model, and nothing otherwise.
    """
    root = doc.root
    assert isinstance(root, MapNode)
    if id(doc) in idx.used_as_values:
        return []
    data = root.get("data")
    if not isinstance(data, MapNode):
        return []
    name = metadata_name(root)
    ann, ann_spans = annotations_of(root)
    strings = {str(k.text): v for k, v in data.items() if isinstance(v, ScalarNode) and isinstance(v.value, str)}
    values_keys = {k for k, v in strings.items() if is_values_key(k, v.value)}
    confs = {k: v for k, v in strings.items()
             if k not in values_keys and (k.endswith(".conf") or looks_like_redis_conf(v.value))
             and not k.startswith("sentinel")}
    out: list[Target] = []
    for key in sorted(values_keys):
        out += _values_key_targets(doc, name, key, strings[key], opts, found, (ann, ann_spans))
    base = confs.get("redis.conf") or confs.get("valkey.conf")
    roles = {k: v for k, v in confs.items() if k in ("master.conf", "primary.conf", "replica.conf")}
    if base is not None and roles:
        # A rendered Bitnami ConfigMap: each role runs redis.conf then its own file (start-*.sh).
        version, notes = _conf_version(opts)
        base_key = "redis.conf" if "redis.conf" in confs else "valkey.conf"
        common = ConfigSource(base_key, tuple(parse_conf(base.embedded(), base_key, version)))
        # The chart renders sentinel.conf into the same ConfigMap when Sentinel runs: only then is a
        # replica ever promoted.
        mode = "sentinel" if any(k.startswith("sentinel") for k in strings) else "server"
        master: Target | None = None
        for key, node in sorted(roles.items()):
            role_src = ConfigSource(key, tuple(parse_conf(node.embedded(), key, version)))
            source = ConfigSource("redis-server argv", (Include(common, None), Include(role_src, None)))
            role = key.split(".")[0]
            # An absent directive goes into redis.conf, which every role reads first: one line for both
            # roles (the role's file is where it goes only to differ from the other role).
            anchors = (data.key_node(base_key).span, data.key_node(key).span)  # type: ignore[union-attr]
            target = Target(path=doc.path, name=name, kind="ConfigMap", role=role, chart="",
                            chart_version=None, redis_version=version, assumptions=version_assumptions(notes),
                            mode=mode, source=source, evaluation=evaluate(source, version), facts=K8sFacts(known=False),
                            anchor=doc.span, config_anchors=anchors, annotations=ann, annotation_spans=ann_spans,
                            upstream=master if role == "replica" else None)
            master = master or (target if role != "replica" else None)
            out.append(target)
        return out
    for key, node in sorted(confs.items()):
        key_span = data.key_node(key).span  # type: ignore[union-attr]
        t = conf_target(doc.path, f"{name}:{key}", "ConfigMap", node.embedded(), key_span, opts, key)
        out.append(_withannotations_of(t, ann, ann_spans))
    return out


def _values_key_targets(doc: YamlDocument, name: str, key: str, node: ScalarNode, opts: TargetOptions,
                        found, annotations: tuple[dict[str, str], dict[str, Span]]) -> list[Target]:
    """A ConfigMap key holding values of a chart we model, checked as a values file of its own."""
    parsed = load_yaml_embedded(node.embedded())
    vroot = next((d.root for d in parsed.documents if isinstance(d.root, MapNode)), None)
    if not isinstance(vroot, MapNode):
        return []
    kind = kind_for_values(vroot)
    prefix: tuple[str, ...] = ()
    if kind is None:
        umbrella = kind_for_umbrella(vroot)
        if umbrella is None:
            return []
        prefix, kind = (umbrella[0],), umbrella[1]
    if kind.release_targets is None:
        return []
    if found is not None:
        found.add_problems(list(parsed.problems))
    release = Release(path=doc.path, name=f"{name}:{key}", kind="ConfigMap", chart=kind.id, version_constraint=None,
                      view=ValuesView([ValuesLayer(f"ConfigMap {name} ({key})", vroot, prefix)]), anchor=doc.span,
                      values_anchor=node.span, annotations=annotations[0], annotation_spans=annotations[1],
                      redis_version_override=opts.redis_version, chart_version_override=opts.chart_version)
    return kind.release_targets(release)


def _withannotations_of(t: Target, ann: dict[str, str], spans: dict[str, Span]) -> Target:
    return replace(t, annotations=ann, annotation_spans=spans)
