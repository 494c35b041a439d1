"""Where a target keeps its data: the claim, the workload that owns it, the directory inside the volume.

A change compares these between the base and the current revision. The names follow the charts'
own templates: Bitnami's `common.names.fullname` (`fullnameOverride`, else the release name, suffixed
with the chart name unless it already contains it), workloads `<fullname>-master|-primary|-replicas|
-node` with the claim template `redis-data` (`valkey-data` for bitnami/valkey), a Deployment's claim
`<template>-<fullname>-<role>`; redis-ha's `<fullname>-server` with the template `data`; a
hand-written StatefulSet's own names. The release name is the wrapper's: Flux `spec.releaseName`, else
`[<targetNamespace>-]<name>`; Argo CD `helm.releaseName`, else the Application's name. A plain values
file does not say it: its names are shown with `<release>` in place of the release name, which
is the same at both revisions, so only the overrides written in it can change them.
"""

from __future__ import annotations

import posixpath
from typing import Any, NamedTuple

from redislint.discover import text_of
from redislint.kinds.base import Vocabulary
from redislint.kinds.registry import kind_of, vocabulary_of
from redislint.model import Span
from redislint.rules.rl210_persistence_dir_not_on_volume import resolve_dir
from redislint.sources import MapNode, Node, ScalarNode, SeqNode, node_at
from redislint.target import Target

# A values file does not name its release: names derived from it are shown with this in its place.
UNKNOWN_RELEASE = "<release>"


class Identity(NamedTuple):
    """The Helm release (or workload) a target belongs to, as far as the inputs say."""

    release: str | None  # None: not known (a values file)
    namespace: str | None


class ClaimTemplate(NamedTuple):
    """The part of a claim Kubernetes never lets change in place, with where each value is written."""

    size: int | None
    storage_class: str | None  # None: the cluster's default class; "" an explicit empty class
    access_modes: tuple[str, ...]
    size_span: Span | None = None
    class_span: Span | None = None
    modes_span: Span | None = None


class Place(NamedTuple):
    """Where one target's RDB and AOF live."""

    volume: str  # "claim-template", "claim", "emptyDir", "hostPath", "none" (container filesystem), "unknown"
    workload: str | None  # "StatefulSet cache-redis-master"; None when not known
    claim: str | None  # the PVC the first pod mounts ("redis-data-cache-redis-master-0"), or the existing claim
    namespace: str | None
    sub_path: str  # the volume's subPath ("" for none)
    mount: str | None  # where the volume is mounted in the container
    dir: str | None  # the directory Redis writes to (`dir`, relative lines resolved)
    template: ClaimTemplate | None  # for a claim the chart or workload creates
    span: Span | None  # the value that names the claim (fullnameOverride, existingClaim …), if written

    @property
    def in_volume(self) -> str | None:
        """`dir` relative to the volume ("." for its top), or None when Redis writes outside it."""
        if self.dir is None or self.mount is None:
            return None
        mount = posixpath.normpath(self.mount)
        if self.dir == mount:
            return "."
        if self.dir.startswith(mount.rstrip("/") + "/"):
            return posixpath.relpath(self.dir, mount)
        return None


def identity(target: Target, doc: MapNode | None) -> Identity:
    """The release name and namespace of the object that deploys `target`."""
    if doc is None:
        return Identity(None, None)
    kind = text_of(doc.get("kind"))
    name = text_of(node_at(doc, "metadata.name"))
    namespace = text_of(node_at(doc, "metadata.namespace"))
    if kind == "HelmRelease":
        target_ns = text_of(node_at(doc, "spec.targetNamespace"))
        release = text_of(node_at(doc, "spec.releaseName")) or (
            f"{target_ns}-{name}" if target_ns and name else name)
        return Identity(release, target_ns or namespace)
    if kind in ("Application", "ApplicationSet"):
        spec = node_at(doc, "spec.template.spec" if kind == "ApplicationSet" else "spec")
        if kind == "ApplicationSet":
            name = text_of(node_at(doc, "spec.template.metadata.name")) or name
        sources = [node_at(spec, "source")] + list(getattr(node_at(spec, "sources"), "items", ()))
        release = next((text_of(node_at(s, "helm.releaseName")) for s in sources
                        if text_of(node_at(s, "helm.releaseName"))), None)
        return Identity(release or name, text_of(node_at(spec, "destination.namespace")) or namespace)
    if target.kind in ("StatefulSet", "Deployment"):
        return Identity(name, namespace)
    return Identity(None, None)


def _fullname(target: Target, release: str | None) -> tuple[str | None, Span | None]:
    """Helm's `<chart>.fullname` for the target's chart, and where an override is written."""
    view = target.values
    kind = kind_of(target)
    chart_name = kind.chart_names[0] if kind is not None and kind.chart_names else "redis"
    override = view.get("fullnameOverride") if view is not None else None
    if override is not None and override.value:
        return str(override.value)[:63].rstrip("-"), override.span
    if release is None:
        release = UNKNOWN_RELEASE  # the same at both revisions unless an override changes
    named = view.get("nameOverride") if view is not None else None
    name = str(named.value) if named is not None and named.value else chart_name
    full = release if name in release else f"{release}-{name}"
    return full[:63].rstrip("-"), named.span if named is not None else None


def _found(target: Target, path: str) -> Any:
    return target.values.get(path) if target.values is not None else None


def _suffix(target: Target, v: Vocabulary) -> str:
    """The workload's name after the fullname: the kind's one suffix, else Bitnami's by role."""
    if v.workload_suffix:
        return v.workload_suffix
    if target.role == "node":
        return "node"
    if target.role == "replica":
        return "slave" if target.values_prefix == "slave" else "replicas"
    return target.values_prefix or "master"


def place(target: Target, ident: Identity, doc: MapNode | None) -> Place:
    """Where `target` keeps its data (see the module docstring for the names)."""
    setting = target.setting("dir")
    data_dir = resolve_dir(setting.history) if setting is not None else None
    facts = target.facts
    if not facts.known:
        return Place("unknown", None, None, None, "", None, data_dir, None, None)
    mount = str(facts.data_path.value or "") or None
    v = vocabulary_of(target)
    if v is not None:
        return _chart(target, v, ident, data_dir, mount)
    return _workload(target, ident, doc, data_dir)


def _storage_class(target: Target, *paths: str) -> tuple[str | None, Span | None]:
    """The first storage class written among `paths` (Bitnami's precedence order); "-" means ""."""
    for path in paths:
        found = _found(target, path)
        if found is not None and found.value not in (None, ""):
            value = str(found.value)
            return ("" if value == "-" else value), found.span
    return None, None


def _modes(target: Target, path: str) -> tuple[tuple[str, ...], Span | None]:
    found = _found(target, path)
    if found is not None and isinstance(found.value, list):
        return tuple(str(m) for m in found.value), found.span
    return ("ReadWriteOnce",), None


def _volume(target: Target) -> str:
    facts = target.facts
    if facts.persistent.value and facts.existing_claim.value:
        return "claim"
    return facts.volume or ("claim-template" if facts.persistent.value else "none")


def _chart(target: Target, v: Vocabulary, ident: Identity, data_dir: str | None, mount: str | None) -> Place:
    """A chart's role: the names its templates give the workload and the claim, from its vocabulary."""
    facts = target.facts
    full, full_span = _fullname(target, ident.release)
    ns_found = _found(target, v.namespace_override) if v.namespace_override else None
    namespace = str(ns_found.value) if ns_found is not None and ns_found.value else ident.namespace
    kind = str(facts.workload_kind.value or "StatefulSet")
    suffix = f"{full}-{_suffix(target, v)}" if full else None
    sub = (_found(target, v.sub_path) or _found(target, f"{v.sub_path}Expr")) if v.sub_path else None
    sub_path = str(sub.value) if sub is not None and sub.value else ""
    volume = _volume(target)
    claim: str | None = None
    template: ClaimTemplate | None = None
    span = full_span
    if volume == "claim":
        claim = str(facts.existing_claim.value)
        span = facts.existing_claim.span
    elif volume == "claim-template":
        name = v.data_claim or "data"
        claim = None if suffix is None else (f"{name}-{suffix}" if kind == "Deployment" else f"{name}-{suffix}-0")
        storage_class, class_span = _storage_class(target, *v.storage_classes)
        modes, modes_span = _modes(target, v.access_modes) if v.access_modes else (("ReadWriteOnce",), None)
        template = ClaimTemplate(facts.storage_size.value, storage_class, modes, facts.storage_size.span,
                                 class_span, modes_span)
    return Place(volume, f"{kind} {suffix}" if suffix else None, claim, namespace, sub_path, mount, data_dir,
                 template, span)


def _workload(target: Target, ident: Identity, doc: MapNode | None, data_dir: str | None) -> Place:
    """A hand-written StatefulSet or Deployment: its own claim templates, volumes and mounts."""
    facts = target.facts
    volume = _volume(target)
    workload = f"{target.kind} {ident.release}" if ident.release else None
    mount_node = _data_mount(doc, data_dir)
    mount = text_of(mount_node.get("mountPath")) if mount_node is not None else None
    sub_path = (text_of(mount_node.get("subPath")) or text_of(mount_node.get("subPathExpr")) or "") \
        if mount_node is not None else ""
    name = text_of(mount_node.get("name")) if mount_node is not None else None
    claim: str | None = None
    template: ClaimTemplate | None = None
    if volume == "claim-template" and doc is not None and name:
        claim = f"{name}-{ident.release}-0" if ident.release else None
        for item in getattr(node_at(doc, "spec.volumeClaimTemplates"), "items", ()):
            if isinstance(item, MapNode) and text_of(node_at(item, "metadata.name")) == name:
                template = _template_of(item, facts.storage_size.value)
    elif volume == "claim":
        claim = str(facts.existing_claim.value) or None
    return Place(volume, workload, claim, ident.namespace, sub_path, mount, data_dir, template, None)


def _template_of(item: MapNode, size: int | None) -> ClaimTemplate:
    storage = node_at(item, "spec.resources.requests.storage")
    cls = node_at(item, "spec.storageClassName")
    modes = node_at(item, "spec.accessModes")
    mode_list = tuple(str(m.text) for m in modes.items if isinstance(m, ScalarNode)) \
        if isinstance(modes, SeqNode) else ()
    return ClaimTemplate(size, text_of(cls) if isinstance(cls, ScalarNode) else None, mode_list,
                         storage.span if storage is not None else item.span, cls.span if cls is not None else None,
                         modes.span if modes is not None else None)


def _data_mount(doc: MapNode | None, data_dir: str | None) -> MapNode | None:
    """The volumeMount of the Redis container that holds `data_dir` (the longest matching mountPath)."""
    if doc is None or data_dir is None:
        return None
    best: tuple[int, MapNode] | None = None
    for container in getattr(node_at(doc, "spec.template.spec.containers"), "items", ()):
        for m in getattr(node_at(container, "volumeMounts"), "items", ()):
            if not isinstance(m, MapNode):
                continue
            path = (text_of(m.get("mountPath")) or "").rstrip("/") or "/"
            inside = data_dir == path or data_dir.startswith(path.rstrip("/") + "/")
            if inside and (best is None or len(path) > best[0]):
                best = (len(path), m)
    return best[1] if best is not None else None


def version_span(target: Target, doc: MapNode | None, image: bool = True) -> Span | None:
    """Where the running version is chosen: the image tag written in the values, else the chart version of
    the wrapper (Flux `spec.chart.spec.version`, Argo CD `targetRevision`), else a workload's image."""
    if image:
        for path in ("image.tag", "image.repository"):
            found = _found(target, path)
            if found is not None:
                return found.span
    if doc is None:
        return None
    for path in ("spec.chart.spec.version", "spec.chart.version", "spec.source.targetRevision",
                 "spec.template.spec.source.targetRevision"):
        written = node_at(doc, path)
        if isinstance(written, ScalarNode):
            return written.span
    for source in getattr(node_at(doc, "spec.sources"), "items", ()):
        if text_of(node_at(source, "chart")) and isinstance(node_at(source, "targetRevision"), ScalarNode):
            return node_at(source, "targetRevision").span  # type: ignore[union-attr]
    if image:
        for container in getattr(node_at(doc, "spec.template.spec.containers"), "items", ()):
            node: Node | None = node_at(container, "image")
            if isinstance(node, ScalarNode) and any(w in str(node.text) for w in ("redis", "valkey")):
                return node.span
    return None
