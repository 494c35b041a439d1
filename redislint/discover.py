"""Recognise what each YAML document is: HelmRelease, Argo CD Application, ConfigMap, values file, or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from redislint.sources import MapNode, Node, ScalarNode, YamlDocument, node_at

FLUX_API = re.compile(r"^helm\.toolkit\.fluxcd\.io/v2(beta[12])?$|^helm\.fluxcd\.io/v1$|^flux\.weave\.works/v1beta1$")
ARGO_API = re.compile(r"^argoproj\.io/")

# Top-level keys only the Bitnami redis/valkey charts use; two of them make a values file ours.
BITNAMI_KEYS = {"architecture", "commonConfiguration", "master", "replica", "sentinel", "primary",
                "existingConfigmap", "auth", "volumePermissions", "sysctl", "cluster", "slave", "configmap",
                "usePassword"}
ROLE_HINTS = {"configuration", "persistence", "resources", "resourcesPreset", "extraFlags", "replicaCount",
              "disableCommands", "count", "kind", "podSecurityContext", "configmap"}
REDIS_HA_HINTS = {"haproxy", "persistentVolume", "hardAntiAffinity", "splitBrainDetection", "exporter"}


def text_of(node: Node | None) -> str | None:
    """A scalar's string form, or None."""
    return str(node.text) if isinstance(node, ScalarNode) and node.value is not None else None


@dataclass(frozen=True, slots=True)
class DocKind:
    """What a document is, by apiVersion/kind or by shape."""

    kind: str  # HelmRelease, Application, ConfigMap, OCIRepository, values, other
    api_version: str = ""


def classify(doc: YamlDocument) -> DocKind:
    """Decide what a document is; unknown Kubernetes objects are `other`."""
    root = doc.root
    if not isinstance(root, MapNode):
        return DocKind("other")
    api = text_of(root.get("apiVersion")) or ""
    kind = text_of(root.get("kind")) or ""
    if kind == "HelmRelease" and (FLUX_API.match(api) or api.startswith("helm.")):
        return DocKind("HelmRelease", api)
    if kind == "Application" and ARGO_API.match(api):
        return DocKind("Application", api)
    if kind in ("ConfigMap", "Secret") and api == "v1":
        return DocKind(kind, api)
    if kind == "OCIRepository":
        return DocKind("OCIRepository", api)
    if kind in ("StatefulSet", "Deployment") and api.startswith("apps/"):
        return DocKind("Workload", api)
    if api or kind:
        return DocKind("other", api)
    return DocKind("values") if values_chart(root) else DocKind("other")


def values_chart(root: MapNode) -> str | None:
    """Which chart a bare values mapping is for, judging by its shape; None if it is not Redis values."""
    keys = {str(k.text) for k, _ in root.items()}
    if "redis" in keys and isinstance(root.get("redis"), MapNode):
        inner = root.get("redis")
        assert isinstance(inner, MapNode)
        inner_keys = {str(k.text) for k, _ in inner.items()}
        if inner_keys & {"config", "customConfig"} and (keys & REDIS_HA_HINTS or "replicas" in keys):
            return "redis-ha"
    hits = keys & BITNAMI_KEYS
    role_maps = [k for k in ("master", "replica", "primary", "slave") if isinstance(root.get(k), MapNode)]
    role_hits = any({str(k.text) for k, _ in root.get(r).items()} & ROLE_HINTS for r in role_maps)  # type: ignore[union-attr]
    strong = keys & {"architecture", "commonConfiguration", "existingConfigmap"}
    if strong or (role_hits and len(hits) >= 1):
        return "bitnami/valkey" if "primary" in keys else "bitnami/redis"
    return None


def metadata_name(root: MapNode) -> str:
    """namespace/name of a Kubernetes object (name alone without a namespace)."""
    name = text_of(node_at(root, "metadata.name")) or "?"
    ns = text_of(node_at(root, "metadata.namespace"))
    return f"{ns}/{name}" if ns else name


_CONF_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_.-]*)\s")


def looks_like_redis_conf(text: str) -> bool:
    """True when at least two non-comment lines start with a known Redis directive."""
    from redislint.redisconf import DirectiveTable, RedisVersion

    table = DirectiveTable.for_version(RedisVersion.newest("redis"))
    hits = 0
    for line in text.splitlines():
        m = _CONF_LINE.match(line + " ")
        if m and table.lookup(m.group(1)) is not None:
            hits += 1
            if hits >= 2:
                return True
    return False
