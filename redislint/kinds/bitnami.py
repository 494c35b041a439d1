"""The Bitnami redis and valkey charts as deployment kinds: how they are recognised, and their targets.

How the charts turn values into Redis processes lives in `redislint.charts.bitnami*`.
"""

from __future__ import annotations

from redislint.charts.bitnami import bitnami_targets
from redislint.discover import looks_like_redis_conf
from redislint.kinds.base import DeploymentKind
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


_BITNAMI_REPOS = ("charts.bitnami.com", "bitnamicharts", "github.com/bitnami/charts")

BITNAMI_REDIS = DeploymentKind(
    id="bitnami/redis", display="Bitnami redis chart", flavor="redis", chart_names=("redis",),
    repo_markers=_BITNAMI_REPOS, name_default=True, values_shape=_redis_shape, umbrella_aliases=("redis",),
    bundled=_bundled_redis, release_targets=bitnami_targets)

BITNAMI_VALKEY = DeploymentKind(
    id="bitnami/valkey", display="Bitnami valkey chart", flavor="valkey", chart_names=("valkey",),
    repo_markers=_BITNAMI_REPOS, name_default=True, values_shape=_valkey_shape, umbrella_aliases=("valkey",),
    bundled=_bundled_valkey, release_targets=bitnami_targets)
