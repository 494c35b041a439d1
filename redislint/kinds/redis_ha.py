"""The redis-ha chart (DandyDeveloper, formerly helm/charts stable/redis-ha) as a deployment kind."""

from __future__ import annotations

from redislint.charts.redis_ha import redis_ha_targets
from redislint.kinds.base import DeploymentKind, Vocabulary
from redislint.sources import MapNode, ScalarNode

# Top-level keys of redis-ha's values that the Bitnami charts do not have.
REDIS_HA_HINTS = {"haproxy", "persistentVolume", "hardAntiAffinity", "splitBrainDetection", "exporter"}


def _keys(root: MapNode) -> set[str]:
    return {str(k.text) for k, _ in root.items() if isinstance(k, ScalarNode)}


def redis_ha_shape(root: MapNode) -> bool:
    """`redis.config` or `redis.customConfig` next to redis-ha's own top-level keys."""
    inner = root.get("redis")
    if not isinstance(inner, MapNode) or not ("config" in inner or "customConfig" in inner):
        return False
    return "replicas" in root or any(key in root for key in REDIS_HA_HINTS)


def redis_ha_2(root: MapNode) -> bool:
    """helm/charts stable/redis-ha 2.x values: `replicas.servers`, `redis_image`, `resources.server`."""
    replicas = root.get("replicas")
    return "redis_image" in root or (isinstance(replicas, MapNode) and "servers" in replicas)


def _bundled(block: MapNode, shaped: DeploymentKind | None) -> DeploymentKind | None:
    if shaped is REDIS_HA or _keys(block) & (REDIS_HA_HINTS | {"redis", "sentinel", "replicas"}):
        return REDIS_HA
    return None


# redis-ha 4.x values.yaml: one role, its config a map of directive: value rendered in sorted order.
VOCABULARY = Vocabulary(
    resources="redis.resources", memory_limit="redis.resources.limits.memory",
    memory_request="redis.resources.requests.memory", persistence="persistentVolume",
    persistence_enabled="persistentVolume.enabled", persistence_size="persistentVolume.size",
    storage_class="persistentVolume.storageClass", storage_classes=("persistentVolume.storageClass",),
    access_modes="persistentVolume.accessModes", workload_suffix="server", data_claim="data", role_config="redis.config",
    config_entry="redis.config.{directive}", min_replicas="redis.config.min-replicas-to-write",
    replica_count="replicas", metrics="exporter.enabled", service_monitor="exporter.serviceMonitor.enabled",
    alerts="prometheusRule", down_after="sentinel.config.down-after-milliseconds", down_after_default=10000,
    pod_security_context="securityContext")

REDIS_HA = DeploymentKind(
    id="redis-ha", display="redis-ha chart", flavor="redis", chart_names=("redis-ha",),
    repo_markers=("dandydeveloper",), name_default=True, values_shape=redis_ha_shape,
    umbrella_aliases=("redis-ha",), bundled=_bundled, release_targets=redis_ha_targets, vocabulary=VOCABULARY,
    always_fails_over=True)
