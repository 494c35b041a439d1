"""The Bitnami redis and valkey charts as deployment kinds: how they are recognised, and their targets.

How the charts turn values into Redis processes lives in `redislint.charts.bitnami*`.
"""

from __future__ import annotations

from dataclasses import replace

from redislint.charts.bitnami import bitnami_targets
from redislint.discover import looks_like_redis_conf
from redislint.kinds.base import DeploymentKind, Vocabulary
from redislint.sources import MapNode, ScalarNode

# Top-level keys only the Bitnami redis/valkey charts use; two of them make a values file theirs.
BITNAMI_KEYS = {"architecture", "commonConfiguration", "master", "replica", "sentinel", "primary",
                "existingConfigmap", "auth", "volumePermissions", "sysctl", "cluster", "slave", "configmap",
                "usePassword"}
ROLE_HINTS = {"configuration", "persistence", "resources", "resourcesPreset", "extraFlags", "replicaCount",
              "disableCommands", "count", "kind", "podSecurityContext", "configmap"}
_STRONG = {"architecture", "commonConfiguration", "existingConfigmap"}
_ROLES = ("master", "replica", "primary", "slave")
# Keys of an umbrella's block that say nothing about which chart it holds.
_GENERIC = {"enabled", "global", "nameOverride", "fullnameOverride"}


def _keys(root: MapNode) -> set[str]:
    return {str(k.text) for k, _ in root.items() if isinstance(k, ScalarNode)}


def _legacy(root: MapNode, keys: set[str]) -> bool:
    """Bitnami redis before 14.0.0: `cluster.enabled`/`slaveCount`, `usePassword`, a `configmap` of directives."""
    cluster = root.get("cluster")
    cluster_keys = _keys(cluster) if isinstance(cluster, MapNode) else set()
    configmap = root.get("configmap")
    conf_text = isinstance(configmap, ScalarNode) and isinstance(configmap.value, str) \
        and looks_like_redis_conf(configmap.value)
    legacy = {"usePassword", "slave"} & keys
    return bool(conf_text or (cluster_keys & {"enabled", "slaveCount"} and (legacy or "master" in keys)))


def bitnami_shape(root: MapNode) -> bool:
    """Values of a Bitnami redis or valkey chart (either: `primary` tells valkey apart)."""
    keys = _keys(root)
    hits = keys & BITNAMI_KEYS
    role_hits = False
    for role in _ROLES:
        node = root.get(role)
        if isinstance(node, MapNode) and _keys(node) & ROLE_HINTS:
            role_hits = True
            break
    return bool(keys & _STRONG or (role_hits and hits) or _legacy(root, keys))


def _redis_shape(root: MapNode) -> bool:
    return "primary" not in root and bitnami_shape(root)


def _valkey_shape(root: MapNode) -> bool:
    return "primary" in root and bitnami_shape(root)


def _bundled_redis(block: MapNode, shaped: DeploymentKind | None) -> DeploymentKind | None:
    """Under `redis:` the values' shape decides; a block of Bitnami keys alone is Bitnami's."""
    if shaped is not None:
        return shaped
    keys = _keys(block) - _GENERIC
    if not keys & BITNAMI_KEYS:
        return None
    return BITNAMI_VALKEY if "primary" in keys else BITNAMI_REDIS


def _bundled_valkey(block: MapNode, shaped: DeploymentKind | None) -> DeploymentKind | None:
    """Under `valkey:` a Valkey chart: the shape decides between Valkey charts, else Bitnami's."""
    if shaped is not None:
        return shaped if shaped.flavor == "valkey" else BITNAMI_VALKEY
    keys = _keys(block) - _GENERIC
    if not keys & BITNAMI_KEYS:
        return None
    return BITNAMI_VALKEY


def _vocabulary(data_claim: str) -> Vocabulary:
    """Where bitnami/redis 14.0.0 and later (and every bitnami/valkey) keep things (bitnami-chart.md §2)."""
    return Vocabulary(
        role_block="{role}", resources="{role}.resources", memory_limit="{role}.resources.limits.memory",
        memory_request="{role}.resources.requests.memory", resources_preset="{role}.resourcesPreset",
        persistence="{role}.persistence", persistence_enabled="{role}.persistence.enabled",
        persistence_size="{role}.persistence.size", persistence_medium="{role}.persistence.medium",
        storage_class="{role}.persistence.storageClass", existing_claim="{role}.persistence.existingClaim",
        workload_kind="{role}.kind", data_claim=data_claim,
        storage_classes=("global.storageClass", "{role}.persistence.storageClass", "global.defaultStorageClass"),
        access_modes="{role}.persistence.accessModes", sub_path="{role}.persistence.subPath",
        namespace_override="namespaceOverride", shared_config="commonConfiguration",
        role_config="{role}.configuration", replica_count="replica.replicaCount", metrics="metrics.enabled",
        service_monitor="metrics.serviceMonitor.enabled", alerts="metrics.prometheusRule",
        down_after="sentinel.downAfterMilliseconds", down_after_default=60000,
        pod_security_context="{role}.podSecurityContext", container_security_context="{role}.containerSecurityContext",
        volume_permissions="volumePermissions.enabled")


_REDIS_VOCABULARY = _vocabulary("redis-data")
# Before 14.0.0: a `configmap` text every role reads (and `{role}.configmap`), `cluster.slaveCount`
# replicas, and one top-level securityContext.
_LEGACY_VOCABULARY = replace(_REDIS_VOCABULARY, shared_config="configmap", role_config="{role}.configmap",
                             replica_count="cluster.slaveCount", pod_security_context="securityContext",
                             container_security_context="containerSecurityContext")


def _redis_vocabulary(chart_version: str | None) -> Vocabulary:
    major = (chart_version or "").split(".")[0]
    return _LEGACY_VOCABULARY if major.isdigit() and int(major) < 14 else _REDIS_VOCABULARY


_BITNAMI_REPOS = ("charts.bitnami.com", "bitnamicharts", "github.com/bitnami/charts")

BITNAMI_REDIS = DeploymentKind(
    id="bitnami/redis", display="Bitnami redis chart", flavor="redis", chart_names=("redis",),
    repo_markers=_BITNAMI_REPOS, name_default=True, values_shape=_redis_shape, umbrella_aliases=("redis",),
    bundled=_bundled_redis, release_targets=bitnami_targets, vocabulary=_REDIS_VOCABULARY,
    vocabulary_for=_redis_vocabulary)

BITNAMI_VALKEY = DeploymentKind(
    id="bitnami/valkey", display="Bitnami valkey chart", flavor="valkey", chart_names=("valkey",),
    repo_markers=_BITNAMI_REPOS, name_default=True, values_shape=_valkey_shape, umbrella_aliases=("valkey",),
    bundled=_bundled_valkey, release_targets=bitnami_targets, vocabulary=_vocabulary("valkey-data"))
