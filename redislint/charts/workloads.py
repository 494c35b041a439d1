"""Hand-written (or `helm template`-rendered) StatefulSets and Deployments that run redis-server directly.

The container's command/args give the config file and the options after it; the config file is found
through the volume mounts in a ConfigMap among the inputs; memory comes from the container's own
`resources`; the data volume from `volumeClaimTemplates` or `volumes`. That links the pieces the way
the kubelet would, so fork-headroom and PVC rules work for manifests with no chart at all.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from typing import NamedTuple

from redislint.assumptions import version_assumptions
from redislint.charts.lifecycle import workload_lifecycle
from redislint.charts.templating import relabel_problems
from redislint.discover import (
    DataProblem,
    DataValue,
    InputIndex,
    data_value,
    metadata_name,
    text_of,
)
from redislint.facts import Fact, K8sFacts
from redislint.model import Span
from redislint.partial import Partial
from redislint.quantity import parse_quantity
from redislint.redisconf import (
    ConfigSource,
    RedisVersion,
    evaluate,
    lines_from_argv,
    parse_conf,
    parse_version,
)
from redislint.redisconf.versions import Flavor
from redislint.sources import MapNode, ScalarNode, SeqNode, YamlDocument, node_at
from redislint.target import Target, Unresolved

SERVERS = ("redis-server", "valkey-server")


class _Container(NamedTuple):
    node: MapNode
    argv: list[tuple[str, Span]]  # command + args, a simple `sh -c` script unwrapped


_SHELLS = ("sh", "bash", "ash", "dash")
# A script that does more than start one command (sequences, pipes, substitutions, redirections).
_SCRIPT_SYNTAX = re.compile(r"[;&|`<>]|\$\(|\n\s*\S")


def _strings(node: object) -> list[tuple[str, Span]]:
    if not isinstance(node, SeqNode):
        return []
    return [(str(i.text), i.span) for i in node.items if isinstance(i, ScalarNode)]


def _unwrap_shell(argv: list[tuple[str, Span]]) -> list[tuple[str, Span]] | None:
    """The argv of `sh -c "exec redis-server …"` when the script is that one command; None otherwise."""
    if not argv or posixpath.basename(argv[0][0]) not in _SHELLS:
        return argv
    flags = [i for i, (a, _) in enumerate(argv[:3]) if a.startswith("-") and "c" in a]
    if not flags or flags[0] + 1 >= len(argv):
        return None
    script, span = argv[flags[0] + 1]
    if _SCRIPT_SYNTAX.search(script.strip()):
        return None
    try:
        words = shlex.split(script)
    except ValueError:
        return None
    if words and words[0] == "exec":
        words = words[1:]
    if not words or posixpath.basename(words[0]) not in SERVERS:
        return None
    return [(w, span) for w in words]


# Images named after Redis that run something else next to it.
_NOT_A_SERVER = re.compile(r"exporter|commander|insight|operator|proxy|sentinel|browser|cli|tools|backup|ui\b")


def redis_image(image: str) -> bool:
    """True for an image that runs a Redis or Valkey server (not an exporter, a UI, a sentinel or a client)."""
    repo = image.rsplit("@", 1)[0]
    last = repo.rsplit("/", 1)[-1].split(":", 1)[0].lower()
    return bool(re.search(r"redis|valkey|keydb", last)) and not _NOT_A_SERVER.search(last)


def _redis_container(spec: MapNode) -> _Container | None:
    containers = spec.get("containers")
    if not isinstance(containers, SeqNode):
        return None
    for c in containers.items:
        if not isinstance(c, MapNode):
            continue
        argv = _unwrap_shell(_strings(c.get("command")) + _strings(c.get("args")))
        if argv is None or any(a == "--sentinel" for a, _ in argv):
            continue  # a script we cannot follow (RL004 says so), or a Sentinel, which holds no data
        image = text_of(c.get("image")) or ""
        if any(posixpath.basename(a) in SERVERS for a, _ in argv[:2]) or (
                not argv and redis_image(image) and not bitnami_image(image)):
            return _Container(c, argv)
    return None


def bitnami_image(image: str) -> bool:
    """Bitnami's images start Redis through their own scripts, which write redis.conf from environment variables."""
    repo = image.rsplit("@", 1)[0].split(":", 1)[0].lower()
    return "/bitnami/" in f"/{repo}" or "/bitnamilegacy/" in f"/{repo}" or repo.startswith(("bitnami/", "bitnamilegacy/"))


def _version(image: str, override: str | None) -> tuple[RedisVersion, tuple[str, ...]]:
    flavor: Flavor = "valkey" if "valkey" in image else "redis"
    if override and parse_version(override, flavor):
        return parse_version(override, flavor), ()  # type: ignore[return-value]
    tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else ""
    v = parse_version(tag, flavor) if tag else None
    if v is not None:
        return v, (f"{v.label} taken from image {image}",)
    newest = RedisVersion.newest(flavor)
    return newest, (f"image {image or '(none)'} names no version; assuming the newest, {newest.label}",)


def _mounted_volume(pod_spec: MapNode, container: MapNode, path: str) -> tuple[MapNode, MapNode] | None:
    """(volume, mount) that holds `path` in the container: the mount with the longest matching mountPath."""
    mounts = container.get("volumeMounts")
    volumes = pod_spec.get("volumes")
    if not isinstance(mounts, SeqNode) or not isinstance(volumes, SeqNode):
        return None
    best: tuple[int, MapNode] | None = None
    for m in mounts.items:
        if not isinstance(m, MapNode):
            continue
        mount_path = (text_of(m.get("mountPath")) or "").rstrip("/") or "/"
        if path == mount_path or path.startswith(mount_path.rstrip("/") + "/"):
            if best is None or len(mount_path) > best[0]:
                best = (len(mount_path), m)
    if best is None:
        return None
    name = text_of(best[1].get("name"))
    for v in volumes.items:
        if isinstance(v, MapNode) and text_of(v.get("name")) == name:
            return v, best[1]
    return None


def _projected_sources(volume: MapNode) -> list[tuple[str, MapNode]]:
    """(kind, source) of a configMap/secret volume, or of each source of a projected volume."""
    out = []
    for kind, key in (("ConfigMap", "configMap"), ("Secret", "secret")):
        src = volume.get(key)
        if isinstance(src, MapNode):
            out.append((kind, src))
    sources = node_at(volume, "projected.sources")
    if isinstance(sources, SeqNode):
        for item in sources.items:
            for kind, key in (("ConfigMap", "configMap"), ("Secret", "secret")):
                src = item.get(key) if isinstance(item, MapNode) else None
                if isinstance(src, MapNode):
                    out.append((kind, src))
    return out


def _key_for(source: MapNode, relative: str) -> str | None:
    """The data key that appears at `relative` inside the volume: `items[].path` maps keys to file
    names (and then only those keys appear); without items every key is a file of its own name."""
    items = source.get("items")
    if isinstance(items, SeqNode) and items.items:
        for item in items.items:
            if isinstance(item, MapNode) and posixpath.normpath(text_of(item.get("path")) or "") == relative:
                return text_of(item.get("key"))
        return None
    return relative if "/" not in relative else None


def _mounted_conf(doc: YamlDocument, pod_spec: MapNode, container: MapNode, conf_path: str,
                  idx: InputIndex) -> tuple[DataValue | None, str]:
    """The ConfigMap (or Secret) data value mounted at `conf_path`, and a description of where it was looked for."""
    found = _mounted_volume(pod_spec, container, conf_path)
    if found is None:
        return None, f"no volume mounts {conf_path}"
    volume, mount = found
    mount_path = (text_of(mount.get("mountPath")) or "").rstrip("/")
    rest = conf_path[len(mount_path):].strip("/")
    sub = (text_of(mount.get("subPath")) or "").strip("/")
    relative = posixpath.normpath("/".join(p for p in (sub, rest) if p)) if sub or rest else ""
    sources = _projected_sources(volume)
    if not sources:
        return None, f"volume {text_of(volume.get('name'))} mounted at {mount_path} is not a ConfigMap or Secret"
    namespace = text_of(node_at(doc.root, "metadata.namespace"))
    missing: list[str] = []
    for kind, source in sources:
        name = text_of(source.get("name")) if kind == "ConfigMap" else text_of(source.get("secretName") or
                                                                                  source.get("name"))
        key = _key_for(source, relative)
        if key is None:
            missing.append(f"{kind} {name} puts no file at {relative or '.'} (its items name other paths)")
            continue
        lookup = idx.lookup(kind, name or "?", namespace, doc.path)
        if lookup.doc is None:
            why = f"; {lookup.why}" if lookup.why else ""
            missing.append(f"{kind} {name} (mounted at {mount_path}) is not among the inputs{why}")
            continue
        try:
            value = data_value(lookup.doc, key)
        except DataProblem as exc:
            missing.append(f"{kind} {name} key {key} {exc}")
            continue
        if value is not None:
            return value, ""
        missing.append(f"{kind} {name} has no key {key}")
    return None, "; ".join(missing) or f"nothing is mounted at {conf_path}"


def mounted_config_objects(doc: YamlDocument, idx: InputIndex) -> list[YamlDocument]:
    """ConfigMaps and Secrets a workload that runs Redis mounts: checked as part of it, not on their own."""
    root = doc.root
    pod_spec = node_at(root, "spec.template.spec") if isinstance(root, MapNode) else None
    if not isinstance(pod_spec, MapNode) or _redis_container(pod_spec) is None:
        return []
    volumes = pod_spec.get("volumes")
    namespace = text_of(node_at(root, "metadata.namespace"))
    out = []
    for v in volumes.items if isinstance(volumes, SeqNode) else ():
        if not isinstance(v, MapNode):
            continue
        for kind, source in _projected_sources(v):
            name = text_of(source.get("name")) if kind == "ConfigMap" else text_of(source.get("secretName"))
            found = idx.lookup(kind, name, namespace, doc.path).doc if name else None
            if found is not None:
                out.append(found)
    return out


def _data_volume(root: MapNode, pod_spec: MapNode, container: MapNode,
                 data_dir: str) -> tuple[Fact, Fact, Fact, str, Fact]:
    """(persistent, storage size, medium, what it is: `K8sFacts.volume`, the existing claim mounted) of the
    volume holding `data_dir`."""
    mounts = container.get("volumeMounts")
    best: tuple[int, str] | None = None
    if isinstance(mounts, SeqNode):
        for m in mounts.items:
            if isinstance(m, MapNode):
                mp = (text_of(m.get("mountPath")) or "").rstrip("/") or "/"
                if data_dir == mp or data_dir.startswith(mp + "/") or mp == "/":
                    if best is None or len(mp) > best[0]:
                        best = (len(mp), text_of(m.get("name")) or "")
    if best is None:
        return (Fact(False, container.span, f"no volume is mounted at {data_dir}: the container's own filesystem"),
                Fact(None), Fact(""), "none", Fact(""))
    name = best[1]
    claims = node_at(root, "spec.volumeClaimTemplates")
    if isinstance(claims, SeqNode):
        for c in claims.items:
            if isinstance(c, MapNode) and text_of(node_at(c, "metadata.name")) == name:
                storage = node_at(c, "spec.resources.requests.storage")
                size = None
                if isinstance(storage, ScalarNode):
                    try:
                        size = parse_quantity(storage.value)
                    except ValueError:
                        size = None
                return (Fact(True, c.span, f"volumeClaimTemplates {name}"),
                        Fact(size, storage.span if storage is not None else c.span, f"volumeClaimTemplates {name}"),
                        Fact(""), "claim-template", Fact(""))
    volumes = pod_spec.get("volumes")
    if isinstance(volumes, SeqNode):
        for v in volumes.items:
            if isinstance(v, MapNode) and text_of(v.get("name")) == name:
                if v.get("persistentVolumeClaim") is not None:
                    claim = text_of(node_at(v, "persistentVolumeClaim.claimName"))
                    return (Fact(True, v.span, f"persistentVolumeClaim {claim}"), Fact(None), Fact(""), "claim",
                            Fact(claim or "", v.span, "persistentVolumeClaim.claimName"))
                medium = text_of(node_at(v, "emptyDir.medium")) or ""
                kind = "emptyDir" if v.get("emptyDir") is not None else "volume"
                return (Fact(False, v.span, f"{kind} {name}"), Fact(None), Fact(medium, v.span, f"{kind} {name}"),
                        "emptyDir" if kind == "emptyDir" else "none", Fact(""))
    return Fact(False, container.span, f"volume {name} not found"), Fact(None), Fact(""), "none", Fact("")


def workload_targets(doc: YamlDocument, idx: InputIndex, redis_version: str | None) -> list[Target]:
    """A `server` target for a StatefulSet/Deployment whose container runs redis-server."""
    root = doc.root
    if not isinstance(root, MapNode):
        return []
    kind = text_of(root.get("kind")) or ""
    pod_spec = node_at(root, "spec.template.spec")
    if not isinstance(pod_spec, MapNode):
        return []
    found = _redis_container(pod_spec)
    if found is None:
        return []
    container = found.node
    image = text_of(container.get("image")) or ""
    version, notes = _version(image, redis_version)
    argv = found.argv
    unresolved: list[Unresolved] = []
    start = next((i for i, (a, _) in enumerate(argv) if posixpath.basename(a) in SERVERS), None)
    options = argv[start + 1:] if start is not None else []
    items: list = []
    partial: Partial | None = None
    if options and not options[0][0].startswith("-"):
        conf_path, conf_span = options[0]
        options = options[1:]
        value, why = _mounted_conf(doc, pod_spec, container, conf_path, idx)
        if value is not None:
            # Not an include: redis-server reads the file and the options after it as one text
            # (the file's lines, then the options), so a `--save` option adds save points to the
            # file's instead of replacing them as a `save` after an include does on Redis 7+.
            items += relabel_problems(parse_conf(value.embedded(), f"ConfigMap {conf_path}", version))
        else:
            unresolved.append(Unresolved(f"redis-server reads {conf_path}, but {why}; its directives were not "
                                         "checked", conf_span, "config file"))
            # The options after the file are read after it: they hold whatever it contains.
            partial = Partial((f"the config file {conf_path}",),
                              frozenset((span.path, span.line) for _, span in options))
    items += relabel_problems(lines_from_argv(options, "container args", version))
    source = ConfigSource("redis-server argv", tuple(items))
    evaluation = evaluate(source, version)
    data_dir = evaluation.settings["dir"].value if "dir" in evaluation.settings else ""
    data_dir = data_dir or text_of(container.get("workingDir")) or "/data"
    persistent, size, medium, volume, claim = _data_volume(root, pod_spec, container, data_dir)
    limit_node = node_at(container, "resources.limits.memory")
    request_node = node_at(container, "resources.requests.memory")

    def quantity(node: object, what: str) -> Fact:
        if isinstance(node, ScalarNode):
            try:
                return Fact(parse_quantity(node.value), node.span, f"container {what}")
            except ValueError:
                unresolved.append(Unresolved(f"{what} {node.text!r} is not a Kubernetes quantity", node.span, what))
        return Fact(None, container.span, f"no {what}")

    replicas_node = node_at(root, "spec.replicas")
    pods = int(replicas_node.value) if isinstance(replicas_node, ScalarNode) and isinstance(replicas_node.value, int) else 1
    security = node_at(pod_spec, "securityContext.fsGroup")
    run_as = node_at(container, "securityContext.runAsUser") or node_at(pod_spec, "securityContext.runAsUser")
    containers = pod_spec.get("containers")
    siblings = containers.items if isinstance(containers, SeqNode) else ()
    # Without runAsUser the official image's entrypoint starts as root and chowns its data dir, so
    # only a non-root user can hit "Permission denied" on the volume.
    root_user = not isinstance(run_as, ScalarNode) or run_as.value == 0
    facts = K8sFacts(
        memory_limit=quantity(limit_node, "resources.limits.memory"),
        memory_request=quantity(request_node, "resources.requests.memory"),
        memory_limit_source="container" if isinstance(limit_node, ScalarNode) else "none",
        persistence_enabled=Fact(persistent.value, persistent.span, persistent.origin), persistent=persistent,
        storage_size=size, medium=medium, volume=volume, existing_claim=claim, workload_kind=Fact(kind, root.span, "kind"),
        data_path=Fact(data_dir, None, "dir"), pods=Fact(pods, replicas_node.span if replicas_node else None, "spec.replicas"),
        replicas_of_master=Fact(0, None, "a plain workload sets up no replication"),
        fs_group=Fact(security.value if isinstance(security, ScalarNode) else None,
                      security.span if security is not None else None, "securityContext.fsGroup"),
        run_as_user=Fact(run_as.value if isinstance(run_as, ScalarNode) else None,
                         run_as.span if run_as is not None else None, "securityContext.runAsUser"),
        pod_security_context_enabled=Fact(True),
        volume_permissions=Fact(root_user, None, "runs as root" if root_user else "runs as a non-root user"),
        metrics_enabled=Fact(any("exporter" in (text_of(c.get("image")) or "") for c in siblings
                                 if isinstance(c, MapNode)), None, "exporter sidecar"),
        **workload_lifecycle(root, pod_spec, container))
    args_key = container.key_node("args")
    anchor = args_key.span if args_key is not None else container.span
    return [Target(path=doc.path, name=metadata_name(root), kind=kind, role="server", chart="", chart_version=None,
                   redis_version=version, assumptions=version_assumptions(notes), mode="server", source=source,
                   evaluation=evaluation, facts=facts, anchor=doc.span, config_anchors=(anchor, doc.span),
                   unresolved=tuple(unresolved), partial=partial)]
