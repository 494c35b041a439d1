"""groundhog2k's redis and valkey charts (https://groundhog2k.github.io/helm-charts/): layering, facts, traps.

The two charts are the same templates with names swapped (`redisConfig` / `valkeyConfig`, …), read
at groundhog2k/helm-charts redis 2.4.4 and valkey 2.3.3 (deployments-beyond-bitnami.md §3): an init
container rebuilds `/data/conf/<name>.conf` on every start from its own lines, the user's config,
the extra secret's files and, with Sentinel, a `replicaof`; `args` follow on the command line.
"""

from __future__ import annotations

from typing import NamedTuple

from redislint.charts.values_view import ValuesView
from redislint.charts.versions import Version
from redislint.facts import Fact, K8sFacts
from redislint.kinds.base import (
    DeploymentKind,
    FactReader,
    Release,
    Vocabulary,
    int_fact,
    release_versions,
)
from redislint.kinds.chartkit import (
    KeySpec,
    argv_lines,
    chart_lines,
    covers,
    key_issues,
    make_target,
    memory_facts,
    text_lines,
    truthy,
)
from redislint.redisconf import ConfigSource, RedisVersion
from redislint.redisconf.versions import Flavor
from redislint.sources import MapNode, ScalarNode
from redislint.target import Target, Unresolved, ValuesIssue

REDIS_ID = "groundhog2k/redis"
VALKEY_ID = "groundhog2k/valkey"
DISPLAY = {REDIS_ID: "groundhog2k redis chart", VALKEY_ID: "groundhog2k valkey chart"}
CHART_NAMES = {REDIS_ID: ("redis",), VALKEY_ID: ("valkey",)}
REPO_MARKERS = ("groundhog2k",)


class Names(NamedTuple):
    """The names that differ between the redis and the valkey chart."""

    chart: str
    flavor: Flavor
    config: str  # redisConfig / valkeyConfig
    extra_secret: str  # extraSecretRedisConfigs: the name of one Secret whose files are appended
    extra_mounts: str  # extraRedisConfigs: mounted only, never appended
    extra_secrets: str
    conf_file: str
    volume: str


NAMES = {
    REDIS_ID: Names(REDIS_ID, "redis", "redisConfig", "extraSecretRedisConfigs", "extraRedisConfigs",
                    "extraRedisSecrets", "/data/conf/redis.conf", "redis-data"),
    VALKEY_ID: Names(VALKEY_ID, "valkey", "valkeyConfig", "extraSecretValkeyConfigs", "extraValkeyConfigs",
                     "extraValkeySecrets", "/data/conf/valkey.conf", "valkey-data"),
}
# redis chart 0.6.4 (PR #1210) made a non-HA release a Deployment by default; every valkey release has it.
DEPLOYMENT_DEFAULT_SINCE = {REDIS_ID: (0, 6, 4), VALKEY_ID: (1, 0, 0)}


def _keys(n: Names) -> KeySpec:
    return KeySpec(
        chart=n.chart,
        top=("image", "imagePullSecrets", "nameOverride", "fullnameOverride", "serviceAccount", "nodeSelector",
             "podAnnotations", "podLabels", "podSecurityContext", "securityContext", "service", "resources",
             "tolerations", "affinity", "customLivenessProbe", "livenessProbe", "customReadinessProbe",
             "readinessProbe", "customStartupProbe", "startupProbe", "env", "args", n.config, "storage", "haMode",
             "useDeploymentWhenNonHA", n.extra_secret, n.extra_mounts, n.extra_secrets, "sentinelConfig",
             "sentinelArgs", "sentinelResources", "initResources", "metrics", "networkPolicy",
             "podDisruptionBudget", "serviceMonitor", "extraEnvSecrets", "extraScripts", "updateStrategyType",
             "podManagementPolicy", "revisionHistoryLimit", "priorityClassName", "topologySpreadConstraints",
             "clusterDomain", "terminationGracePeriodSeconds", "sentinelSecurityContext", "initImage",
             "customLabels", "customAnnotations", "extraInitContainers", "extraInitEnvSecrets", "extraContainers",
             f"extra{n.flavor.capitalize()}EnvSecrets", "extraSentinelEnvSecrets", "extraSecretSentinelConfigs",
             "extraSentinelSecrets", "extraSentinelConfigs", "extraStorage"),
        closed={},
        loose={"storage": ("persistentVolumeClaimName", "requestedSize", "className", "accessModes", "volumeName",
                           "keepPvc", "persistentVolumeClaimRetentionPolicy", "annotations", "labels"),
               "haMode": ("enabled", "replicas", "quorum", "downAfterMilliseconds", "failoverTimeout", "useDnsNames",
                          "masterGroupName", "keepOldLogs", "parallelSyncs", "masterAliveTestTimeout", "failoverWait",
                          "dnsFailureWait")},
    )


KEYS = {chart: _keys(n) for chart, n in NAMES.items()}


# Keys of the valkey-io chart that groundhog2k's do not have (both charts have `valkeyConfig`).
_VALKEY_IO_KEYS = frozenset({"dataStorage", "auth", "replica", "deploymentStrategy", "tls", "valkeyLogLevel"})
_OWN_KEYS = frozenset({"haMode", "useDeploymentWhenNonHA", "storage", "args", "sentinelConfig", "sentinelArgs",
                       "customLabels", "extraSecretRedisConfigs", "extraRedisConfigs"})


def shape(root: MapNode) -> bool:
    """Values only these charts read: `haMode`, `useDeploymentWhenNonHA`, a top-level `redisConfig`, or
    `valkeyConfig` with keys of this layout and none of the valkey-io chart's."""
    keys = {str(k.text) for k, _ in root.items() if isinstance(k, ScalarNode)}
    if keys & {"haMode", "useDeploymentWhenNonHA", "extraSecretRedisConfigs", "extraRedisConfigs"}:
        return True
    if "redisConfig" in keys:
        return True
    return "valkeyConfig" in keys and bool(keys & _OWN_KEYS) and not keys & _VALKEY_IO_KEYS


def flavor_of(root: MapNode) -> str:
    """Which of the two charts values without a chart name are for: the config key names it."""
    return VALKEY_ID if root.get("valkeyConfig") is not None or root.get("extraValkeyConfigs") is not None else REDIS_ID


def release_targets(rel: Release) -> list[Target]:
    """Non-HA: one server (a Deployment by default); HA: every pod a Sentinel-managed node."""
    n = NAMES[rel.chart]
    versions = release_versions(rel, n.flavor)
    view, v = rel.view, versions.likely
    label = f"{n.chart} {versions.text}" if versions.text else n.chart
    ha = truthy(view, "haMode.enabled")
    issues = key_issues(view, KEYS[n.chart], v, label) + _mode_issues(view, n, ha)
    unresolved = []
    secret = view.get(n.extra_secret)
    if secret is not None and secret.value:
        unresolved.append(Unresolved(f"{n.extra_secret} appends every file of Secret {secret.value} after "
                                     f"{n.config}; it is not among the inputs, so the effective config may differ",
                                     secret.key_span, n.extra_secret))
    source = ConfigSource(n.conf_file, tuple(_config(view, n, versions.redis, ha)))
    anchors = [view.anchor(n.config)]
    if ha:
        return [make_target(rel, versions, chart=n.chart, role="node", mode="sentinel", source=source,
                            facts=_facts(view, n, v, ha), anchors=anchors, prefix="haMode", issues=tuple(issues),
                            unresolved=tuple(unresolved))]
    role = "primary" if n.flavor == "valkey" else "master"
    return [make_target(rel, versions, chart=n.chart, role=role, mode="standalone", source=source,
                        facts=_facts(view, n, v, ha), anchors=anchors, issues=tuple(issues),
                        unresolved=tuple(unresolved))]


def _config(view: ValuesView, n: Names, redis: RedisVersion, ha: bool) -> list:
    """init.sh: its own lines, the user's config, then (HA, when Sentinel knows a master) replicaof; args last."""
    lines = chart_lines("port 6379\nprotected-mode no\nbind 0.0.0.0\ndir /data\nreplica-announce-ip 10.0.0.1",
                        "chart init.sh", redis)
    lines += text_lines(view, n.config, redis)
    return lines + argv_lines(view, "args", redis)


def _facts(view: ValuesView, n: Names, v: Version | None, ha: bool) -> K8sFacts:
    r = FactReader(view)
    claim = r.fact("storage.persistentVolumeClaimName", "")
    size = r.quantity("storage.requestedSize", None)
    use_deployment = r.fact("useDeploymentWhenNonHA", True)
    deployment = not ha and use_deployment.value is not False and (v is None or v >= DEPLOYMENT_DEFAULT_SINCE[n.chart])
    keep = r.fact("storage.keepPvc", False)
    deleted = Fact(False, None, "")
    # Every claim the pod mounts exists: the chart creates it, or the user names one.
    created = Fact(True, None, "no PVC: an emptyDir")
    volume = "claim" if claim.value else ("claim-template" if size.value else "emptyDir")
    if claim.value:
        persistent = Fact(True, claim.span, f"existing claim {claim.value} (storage.persistentVolumeClaimName)"
                          + (", mounted by every pod" if ha else ""))
        size = Fact(None, claim.span, f"existing claim {claim.value}: its size is not in the values")
    elif size.value:
        created = Fact(True, size.span, "PVC created by the chart" if deployment else "volumeClaimTemplates")
        persistent = Fact(True, size.span, "PVC created by the chart (storage.requestedSize)" if deployment
                          else "volumeClaimTemplates (storage.requestedSize)")
        if deployment:
            # helm uninstall deletes the chart's PVC unless storage.keepPvc; not a StatefulSet retention
            # policy (what RL404 speaks of), so only said here.
            deleted = Fact(False, keep.span, "storage.keepPvc is false: helm uninstall deletes the chart's PVC"
                           if keep.value is not True else "storage.keepPvc")
        else:
            when = r.fact("storage.persistentVolumeClaimRetentionPolicy.whenDeleted", "Retain")
            deleted = Fact(when.value == "Delete", when.span, f"storage.persistentVolumeClaimRetentionPolicy "
                           f"whenDeleted {when.value}")
    else:
        block = view.anchor("storage.requestedSize", "storage")
        persistent = Fact(False, block, "an emptyDir: neither storage.requestedSize nor "
                          "storage.persistentVolumeClaimName is set, so the chart mounts no volume claim")
        size = Fact(None, block, "no PVC")
    if ha:
        pods = int_fact(view, "haMode.replicas", 3)
        kind = Fact("StatefulSet", view.anchor("haMode.enabled"), "haMode.enabled")
        followers: Fact[int | None] = Fact(max(pods.value - 1, 0), pods.span, "haMode.replicas - 1 (one node is master)")
    else:
        pods = Fact(1, None, "chart template (replicas: 1)")
        kind = Fact("Deployment", use_deployment.span, "useDeploymentWhenNonHA (strategy Recreate)") if deployment \
            else Fact("StatefulSet", use_deployment.span, "useDeploymentWhenNonHA is false")
        followers = Fact(0, view.anchor("haMode.enabled"), "haMode.enabled is false: no replicas",
                         values_path="haMode.enabled")
    # The chart's Deployment rolls out with Recreate (templates/deployment.yaml); its StatefulSets replace pods.
    strategy = Fact("Recreate" if kind.value == "Deployment" else "RollingUpdate", None, "chart template")
    return K8sFacts(update_strategy=strategy,
                    persistence_enabled=Fact(bool(persistent.value), persistent.span, persistent.origin), volume=volume,
                    persistent=persistent, storage_size=size, existing_claim=claim, pvc_created=created,
                    pvc_deleted_with_release=deleted, data_path=Fact("/data", None, "chart template"),
                    workload_kind=kind, pods=pods, replicas_of_master=followers,
                    fs_group=r.fact("podSecurityContext.fsGroup", 999),
                    run_as_user=r.fact("securityContext.runAsUser", 999),
                    metrics_enabled=r.fact("metrics.enabled", False), **memory_facts(r))


def _mode_issues(view: ValuesView, n: Names, ha: bool) -> list[ValuesIssue]:
    out = []
    mounts = view.get(n.extra_mounts)
    if mounts is not None and isinstance(mounts.value, list) and mounts.value:
        out.append(ValuesIssue("RL102", f"{n.extra_mounts} only mounts the ConfigMaps into the server container: "
                               f"init.sh builds {n.conf_file} from its own lines, {n.config} and the files of "
                               f"{n.extra_secret}, so nothing in these files takes effect unless {n.config} includes "
                               "them", mounts.key_span, n.extra_mounts,
                               f"Add `include <mountPath>/<file>` lines to {n.config}, or use {n.extra_secret}"))
    if not ha:
        enabled = view.get("haMode.enabled")
        if enabled is None or enabled.value is not False:
            for child, found in view.keys_under("haMode"):
                if child != "enabled" and found.value not in (None, "", False, {}, []):
                    out.append(ValuesIssue("RL102", f"haMode.{child} has no effect: haMode.enabled is false, so no "
                                           "Sentinel runs", found.key_span, f"haMode.{child}",
                                           "Set haMode.enabled: true, or remove it"))
    else:
        deploy = view.get("useDeploymentWhenNonHA")
        if deploy is not None and deploy.value is True:
            out.append(ValuesIssue("RL102", "useDeploymentWhenNonHA has no effect with haMode.enabled: HA always runs "
                                   "a StatefulSet", deploy.key_span, "useDeploymentWhenNonHA", "Remove it"))
    return out


def _shape_of(chart: str):
    def shaped(root: MapNode) -> bool:
        return shape(root) and flavor_of(root) == chart
    shaped.__doc__ = f"Values of {chart}: the groundhog2k layout with that chart's config key."
    return shaped


def _kind(chart: str) -> DeploymentKind:
    n = NAMES[chart]
    return DeploymentKind(
        id=chart, display=DISPLAY[chart], flavor=n.flavor, chart_names=CHART_NAMES[chart], repo_markers=REPO_MARKERS,
        values_shape=_shape_of(chart), release_targets=release_targets,
        vocabulary=Vocabulary(resources="resources", memory_limit="resources.limits.memory",
                              memory_request="resources.requests.memory", persistence="storage",
                              persistence_size="storage.requestedSize", storage_class="storage.className",
                              existing_claim="storage.persistentVolumeClaimName", shared_config=n.config,
                              access_modes="storage.accessModes", data_claim=n.volume,
                              service_monitor="metrics.serviceMonitor",
                              replica_count="haMode.replicas", metrics="metrics.enabled",
                              pod_security_context="podSecurityContext", container_security_context="securityContext"),
        # No PrometheusRule in these charts (RL702); RL404 names the role's retention key, and these
        # charts keep it under storage.*.
        covers=covers("RL702", "RL404"))


GROUNDHOG2K_REDIS = _kind(REDIS_ID)
GROUNDHOG2K_VALKEY = _kind(VALKEY_ID)
