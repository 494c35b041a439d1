"""CloudPirates' redis and valkey charts (oci://registry-1.docker.io/cloudpirates/*): what they share.

Recognition (four charts are called `redis` and four `valkey`), their common top-level keys and
vocabulary. Each chart assembles its config differently: `cloudpirates_redis` and
`cloudpirates_valkey` (facts from CloudPirates-io/helm-charts `charts/redis` 0.1.0 – 0.34.18 and
`charts/valkey` 0.1.0 – 0.25.5, deployments-beyond-bitnami.md §2).
"""

from __future__ import annotations

from redislint.charts.values_view import ValuesView
from redislint.charts.versions import Version
from redislint.kinds.base import Vocabulary
from redislint.sources import MapNode, ScalarNode, SeqNode
from redislint.target import ValuesIssue

REDIS_ID = "cloudpirates/redis"
VALKEY_ID = "cloudpirates/valkey"
DISPLAY = {REDIS_ID: "CloudPirates redis chart", VALKEY_ID: "CloudPirates valkey chart"}
CHART_NAMES = {REDIS_ID: ("redis",), VALKEY_ID: ("valkey",)}
# oci://registry-1.docker.io/cloudpirates/<chart>, github.com/CloudPirates-io/helm-charts.
REPO_MARKERS = ("cloudpirates",)

COMMON_TOP = ("global", "nameOverride", "fullnameOverride", "namespaceOverride", "clusterDomain", "commonLabels",
               "commonAnnotations", "image", "architecture", "replicaCount", "revisionHistoryLimit", "updateStrategy",
               "podLabels", "podAnnotations", "ipFamily", "service", "auth", "tls", "config", "persistence",
               "resources", "nodeSelector", "priorityClassName", "tolerations", "affinity",
               "terminationGracePeriodSeconds", "topologySpreadConstraints", "containerSecurityContext",
               "podSecurityContext", "livenessProbe", "readinessProbe", "startupProbe", "extraEnvVars", "extraObjects",
               "sentinel", "initContainer", "metrics", "serviceAccount", "networkPolicy", "pdb", "volumePermissions",
               "extraVolumes", "extraVolumeMounts", "extraPorts", "ingress", "externalReplica", "externalMaster")


def _generic(root: MapNode) -> bool:
    """`architecture` with keys no Bitnami release has at the top level (`config`, `extraFlags`,
    `useDeployment` …), or a top-level `replicaCount` with a top-level `persistence` or `resources`.

    One misplaced `resources:` or `persistence:` is a common mistake in Bitnami values (RL101 says
    where it belongs), so neither alone makes the values CloudPirates'.
    """
    if root.get("architecture") is None or any(root.get(k) is not None for k in _BITNAMI_ONLY):
        return False
    if any(root.get(k) is not None for k in _NEVER_BITNAMI):
        return True
    return root.get("replicaCount") is not None and (isinstance(root.get("persistence"), MapNode)
                                                     or isinstance(root.get("resources"), MapNode))


# Top-level keys of these charts that no Bitnami redis or valkey release has at the top level.
_NEVER_BITNAMI = ("config", "extraFlags", "extraConfig", "useDeployment", "clusterReplicaCount", "initContainer")
_BITNAMI_ONLY = ("commonConfiguration", "master", "primary", "replica", "existingConfigmap")


def _valkey_marked(root: MapNode) -> bool:
    config = root.get("config")
    if isinstance(config, MapNode) and any(config.get(k) is not None for k in ("save", "maxMemory", "maxMemoryPolicy")):
        return True
    extra = config.get("extraConfig") if isinstance(config, MapNode) else None
    image = root.get("image")
    repository = image.get("repository") if isinstance(image, MapNode) else None
    return isinstance(extra, SeqNode) or (isinstance(repository, ScalarNode) and "valkey" in str(repository.value))


def redis_shape(root: MapNode) -> bool:
    """charts/redis values: `config.content`, `clusterReplicaCount`, `useDeployment`, or the top-level
    layout (see `_generic`) without anything of the valkey chart."""
    if any(root.get(k) is not None for k in _BITNAMI_ONLY):
        return False
    config = root.get("config")
    if isinstance(config, MapNode) and config.get("content") is not None:
        return True
    if root.get("clusterReplicaCount") is not None or root.get("useDeployment") is not None:
        return True
    return _generic(root) and not _valkey_marked(root)


def valkey_shape(root: MapNode) -> bool:
    """charts/valkey values: `config.save`/`maxMemory`, a list `config.extraConfig`, or the top-level
    layout with a valkey image."""
    if any(root.get(k) is not None for k in _BITNAMI_ONLY):
        return False
    config = root.get("config")
    if isinstance(config, MapNode) and config.get("content") is not None:
        return False
    return _valkey_marked(root) and (isinstance(config, MapNode) or _generic(root))


def at_least(version: Version | None, floor: Version) -> bool:
    """True when the release is `floor` or later (an unknown release is taken as the newest)."""
    return version is None or version >= floor


def sentinel_ignored(view: ValuesView, architecture: str) -> list[ValuesIssue]:
    """sentinel.enabled outside architecture replication, which the chart ignores."""
    enabled = view.get("sentinel.enabled")
    if enabled is not None and enabled.value is True and architecture != "replication":
        return [ValuesIssue("RL102", f"sentinel.enabled has no effect with architecture {architecture}: the chart runs "
                            "Sentinel only with architecture replication", enabled.key_span, "sentinel.enabled",
                            "Set architecture: replication, or remove it")]
    return []


def vocabulary(redis: bool) -> Vocabulary:
    """Where both charts keep things; the redis chart has `useDeployment` and a singular accessMode."""
    return Vocabulary(resources="resources", memory_limit="resources.limits.memory",
                      memory_request="resources.requests.memory", persistence="persistence",
                      persistence_enabled="persistence.enabled", persistence_size="persistence.size",
                      storage_class="persistence.storageClass", existing_claim="persistence.existingClaim",
                      workload_kind="useDeployment" if redis else None, data_claim="data",
                      access_modes="persistence.accessMode" if redis else "persistence.accessModes",
                      service_monitor="metrics.serviceMonitor",
                      shared_config="config.content" if redis else "config.extraConfig",
                      replica_count="replicaCount", metrics="metrics.enabled",
                      pod_security_context="podSecurityContext", container_security_context="containerSecurityContext")

