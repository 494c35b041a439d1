"""CloudPirates' redis chart: which file the server reads, what the chart injects, and its traps.

Read from CloudPirates-io/helm-charts `charts/redis` 0.1.0 – 0.34.18 (deployments-beyond-bitnami.md
§2.1–2.4): the chart's ConfigMap (`config.content`, `save ""` without persistence, `extraConfig` in
standalone from 0.30.4), or the init script's /tmp/redis.conf (replication, cluster, and standalone
with a password from 0.33.3), then `extraFlags` on the command line.
"""

from __future__ import annotations

from redislint.charts.values_view import ValuesView
from redislint.charts.versions import Version, format_semver
from redislint.facts import Fact, K8sFacts
from redislint.kinds.base import (
    DeploymentKind,
    FactReader,
    Release,
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
    retention_deleted,
    text_lines,
    truthy,
    written,
)
from redislint.kinds.cloudpirates import (
    CHART_NAMES,
    COMMON_TOP,
    DISPLAY,
    REDIS_ID,
    REPO_MARKERS,
    at_least,
    redis_shape,
    sentinel_ignored,
    vocabulary,
)
from redislint.redisconf import ConfigSource, RedisVersion
from redislint.sources import MapNode
from redislint.target import Target, Unresolved, ValuesIssue

# charts/redis milestones (git log of charts/redis; §2.1).
CLUSTER_SINCE: Version = (0, 12, 0)  # architecture: cluster (and its `appendonly yes`)
SAVE_EMPTY_SINCE: Version = (0, 16, 2)  # `save ""` in the chart ConfigMap when persistence is off (PR #677)
EXTRA_CONFIG_SINCE: Version = (0, 20, 4)  # extraConfig, appended by the init container only
USE_DEPLOYMENT_SINCE: Version = (0, 26, 0)
EXTRA_CONFIG_IN_CONFIGMAP_SINCE: Version = (0, 30, 4)  # also rendered into the ConfigMap (PR #1385)
INIT_FOR_PASSWORD_SINCE: Version = (0, 33, 3)  # standalone with a password runs the init path (PR #1501)

REDIS_KEYS = KeySpec(
    chart=REDIS_ID,
    top=COMMON_TOP + ("clusterReplicaCount", "useDeployment", "cluster", "extraConfig", "extraFlags",
                       "persistentVolumeClaimRetentionPolicy"),
    closed={"persistence": ("enabled", "storageClass", "accessMode", "size", "mountPath", "annotations",
                            "existingClaim", "subPath", "labels"),
            "config": ("mountPath", "content", "existingConfigmap", "existingConfigmapKey")},
    since={"extraConfig": EXTRA_CONFIG_SINCE, "useDeployment": USE_DEPLOYMENT_SINCE, "cluster": CLUSTER_SINCE,
           "clusterReplicaCount": CLUSTER_SINCE},
)


def redis_targets(rel: Release) -> list[Target]:
    """standalone: one master; replication: master + replicas, or Sentinel nodes; cluster: nodes."""
    versions = release_versions(rel, "redis")
    view, v = rel.view, versions.likely
    label = f"{REDIS_ID} {versions.text}" if versions.text else REDIS_ID
    architecture = str(view.value("architecture", "standalone"))
    if architecture == "cluster" and not at_least(v, CLUSTER_SINCE):
        architecture = "standalone"
    sentinel = architecture == "replication" and truthy(view, "sentinel.enabled")
    issues = key_issues(view, REDIS_KEYS, v, label) + _redis_mode_issues(view, v, architecture, sentinel)
    unresolved = _redis_unresolved(view)
    anchors = [view.anchor("extraConfig", "config.content", "config")]
    redis = versions.redis
    count = int_fact(view, "replicaCount", 3)
    if architecture == "standalone":
        facts = _redis_facts(view, v, architecture, "master", count)
        return [make_target(rel, versions, chart=REDIS_ID, role="master", mode="standalone",
                            source=_redis_source(view, v, redis, architecture, "master"), facts=facts,
                            anchors=anchors, issues=tuple(issues), unresolved=tuple(unresolved))]
    if sentinel or architecture == "cluster":
        mode = "sentinel" if sentinel else "cluster"
        return [make_target(rel, versions, chart=REDIS_ID, role="node", mode=mode,
                            source=_redis_source(view, v, redis, architecture, "node"),
                            facts=_redis_facts(view, v, architecture, "node", count), anchors=anchors,
                            issues=tuple(issues), unresolved=tuple(unresolved))]
    master = make_target(rel, versions, chart=REDIS_ID, role="master", mode="replication",
                         source=_redis_source(view, v, redis, architecture, "master"),
                         facts=_redis_facts(view, v, architecture, "master", count), anchors=anchors,
                         issues=tuple(issues), unresolved=tuple(unresolved))
    if count.value <= 1:
        return [master]
    return [master, make_target(rel, versions, chart=REDIS_ID, role="replica", mode="replication",
                                source=_redis_source(view, v, redis, architecture, "replica"),
                                facts=_redis_facts(view, v, architecture, "replica", count), anchors=anchors,
                                upstream=master)]


def _init_path(view: ValuesView, v: Version | None, architecture: str) -> bool:
    """Whether the init container builds /tmp/redis.conf (else the server reads the mounted file)."""
    if architecture != "standalone":
        return True
    password = truthy(view, "auth.enabled", True) and not truthy(view, "auth.acl.enabled")
    return password and at_least(v, INIT_FOR_PASSWORD_SINCE)


def _chart_configmap(view: ValuesView, v: Version | None, redis: RedisVersion, architecture: str) -> list | None:
    """The chart's own ConfigMap text (templates/configmap.yaml); None when the user's replaces it."""
    if written(view, "config.existingConfigmap"):
        return None
    content = view.get("config.content")
    if content is not None and not content.value:
        return None  # empty content: no ConfigMap, the init script writes a minimal config
    lines = text_lines(view, "config.content", redis) if content is not None else \
        chart_lines("bind * -::*", "chart default config.content", redis)
    if truthy(view, "tls.enabled"):
        lines += chart_lines("port 0\ntls-port 6380", "tls.enabled", redis, view.anchor("tls.enabled"))
    else:
        lines += chart_lines("port 6379", "chart configmap.yaml", redis)
    persistence = view.get("persistence.enabled")
    if persistence is not None and persistence.value is False and at_least(v, SAVE_EMPTY_SINCE):
        lines += chart_lines('save ""', "persistence.enabled", redis, persistence.span)
    if architecture == "standalone" and at_least(v, EXTRA_CONFIG_IN_CONFIGMAP_SINCE):
        lines += text_lines(view, "extraConfig", redis)
    return lines


def _redis_source(view: ValuesView, v: Version | None, redis: RedisVersion, architecture: str, role: str) -> ConfigSource:
    """The file redis-server reads, in the order the init script or the ConfigMap writes it, then extraFlags."""
    mounted = _chart_configmap(view, v, redis, architecture)
    if not _init_path(view, v, architecture):
        file_lines = mounted or []
        name = "/usr/local/etc/redis/redis.conf"
    else:
        name = "/tmp/redis.conf"
        file_lines = []
        script = "chart init script"
        if architecture == "replication" and truthy(view, "sentinel.enabled"):
            file_lines += chart_lines("min-replicas-to-write 0\nmin-replicas-max-lag 0", script, redis)
        elif role == "replica":
            file_lines += chart_lines("replicaof redis-0.redis-headless 6379\nreplica-read-only yes",
                                      "chart init script (pod ordinal > 0)", redis)
        if architecture == "cluster":
            file_lines += chart_lines("cluster-enabled yes\ncluster-config-file nodes.conf", script, redis)
            file_lines += chart_lines("appendonly yes", "chart init script (architecture cluster)", redis,
                                      view.anchor("architecture"))
        file_lines += mounted if mounted is not None else chart_lines("bind * -::*\nport 6379", script, redis)
        if at_least(v, EXTRA_CONFIG_SINCE):
            file_lines += text_lines(view, "extraConfig", redis)
    return ConfigSource(name, tuple(file_lines) + tuple(argv_lines(view, "extraFlags", redis)))


def _redis_facts(view: ValuesView, v: Version | None, architecture: str, role: str, count: Fact[int]) -> K8sFacts:
    r = FactReader(view)
    enabled = r.fact("persistence.enabled", True)
    claim = r.fact("persistence.existingClaim", "")
    size = r.quantity("persistence.size", "8Gi")
    mount = r.fact("persistence.mountPath", "/data")
    use_deployment = r.fact("useDeployment", False) if at_least(v, USE_DEPLOYMENT_SINCE) else Fact(False, None, "")
    if enabled.value is not True:
        persistent = Fact(False, enabled.span, "an emptyDir (persistence.enabled is false)")
        size = Fact(None, enabled.span, "no PVC")
        volume = "emptyDir"
    elif claim.value:
        volume = "claim"
        persistent = Fact(True, claim.span, f"existing claim {claim.value} (persistence.existingClaim)")
        size = Fact(None, claim.span, f"existing claim {claim.value}: its size is not in the values")
    else:
        volume = "claim-template"
        persistent = Fact(True, enabled.span, "volumeClaimTemplates data (persistence.*)")
    deployment = use_deployment.value is True and enabled.value is not True
    kind = Fact("Deployment" if deployment else "StatefulSet", use_deployment.span if deployment else None,
                "useDeployment with persistence disabled" if deployment else "chart template")
    pods = {"master": Fact(1, None, "pod 0 is the master") if architecture != "standalone" else
            Fact(1, view.anchor("architecture"), "architecture standalone (replicas: 1)"),
            "replica": Fact(max(count.value - 1, 0), count.span, "replicaCount - 1"),
            "node": count}[role]
    followers: Fact = Fact(None, None, "")
    if role == "master":
        followers = Fact(max(count.value - 1, 0), count.span, "replicaCount - 1") if architecture != "standalone" \
            else Fact(0, view.anchor("architecture"), "architecture standalone")
    elif role == "node":
        followers = Fact(max(count.value - 1, 0), count.span, "replicaCount - 1 (one node is master)")
    volume = "emptyDir" if enabled.value is not True else ("claim" if claim.value else "claim-template")
    return K8sFacts(persistence_enabled=enabled, persistent=persistent, storage_size=size, existing_claim=claim,
                    volume=volume,
                    pvc_created=Fact(True, None, "no claim is referenced that the chart does not create"),
                    pvc_deleted_with_release=retention_deleted(r, "persistentVolumeClaimRetentionPolicy",
                                                               gate="persistentVolumeClaimRetentionPolicy.enabled"),
                    data_path=mount, workload_kind=kind, pods=pods, replicas_of_master=followers,
                    fs_group=r.fact("podSecurityContext.fsGroup", 999),
                    run_as_user=r.fact("containerSecurityContext.runAsUser", 999),
                    metrics_enabled=r.fact("metrics.enabled", False), **memory_facts(r))


def _redis_mode_issues(view: ValuesView, v: Version | None, architecture: str, sentinel: bool) -> list[ValuesIssue]:
    out = []
    extra = view.get("extraConfig")
    if extra is not None and extra.value and architecture == "standalone":
        if not at_least(v, EXTRA_CONFIG_IN_CONFIGMAP_SINCE) and not _init_path(view, v, architecture):
            out.append(ValuesIssue("RL102", f"extraConfig has no effect in standalone mode before "
                                   f"{format_semver(EXTRA_CONFIG_IN_CONFIGMAP_SINCE)}: only the init container "
                                   "appends it, and a standalone release runs straight from the ConfigMap "
                                   "(CloudPirates-io/helm-charts#1376)", extra.key_span, "extraConfig",
                                   f"Put the directives in config.content, or upgrade the chart to "
                                   f"{format_semver(EXTRA_CONFIG_IN_CONFIGMAP_SINCE)} or later"))
        elif written(view, "config.existingConfigmap") and not _init_path(view, v, architecture):
            out.append(ValuesIssue("RL102", "extraConfig has no effect with config.existingConfigmap in standalone "
                                   "mode: it is rendered only into the chart's own ConfigMap, which is not mounted",
                                   extra.key_span, "extraConfig", "Add the directives to your own ConfigMap"))
    deploy = view.get("useDeployment")
    if deploy is not None and deploy.value is True and truthy(view, "persistence.enabled", True) \
            and at_least(v, USE_DEPLOYMENT_SINCE):
        out.append(ValuesIssue("RL102", "useDeployment has no effect while persistence.enabled is true: the chart "
                               "always runs a StatefulSet to hold the claims", deploy.key_span, "useDeployment",
                               "Remove it (a Deployment is only used without persistence)"))
    if architecture != "cluster":
        out += _block_ignored(view, "cluster", f"architecture is {architecture}", ("config",))
        count = view.get("clusterReplicaCount")
        if count is not None and count.value not in (None, 0):
            out.append(ValuesIssue("RL102", f"clusterReplicaCount has no effect: architecture is {architecture}",
                                   count.key_span, "clusterReplicaCount", "Remove it, or set architecture: cluster"))
    if architecture == "standalone":
        count = view.get("replicaCount")
        if count is not None and count.value not in (None, 1, 3):
            out.append(ValuesIssue("RL102", "replicaCount has no effect with architecture standalone: the chart runs "
                                   "one pod", count.key_span, "replicaCount",
                                   "Remove it, or set architecture: replication"))
    if not sentinel:
        out += sentinel_ignored(view, architecture)
    return out


def _block_ignored(view: ValuesView, block: str, why: str, children: tuple[str, ...]) -> list[ValuesIssue]:
    found = view.get(block)
    if found is None or not isinstance(found.node, MapNode):
        return []
    return [ValuesIssue("RL102", f"{block}.{child} has no effect: {why}", sub.key_span, f"{block}.{child}",
                        f"Remove it, or set architecture: {block}")
            for child, sub in view.keys_under(block) if child in children and sub.value not in (None, {}, "")]



def _redis_unresolved(view: ValuesView) -> list[Unresolved]:
    found = view.get("config.existingConfigmap")
    if found is None or not found.value:
        return []
    return [Unresolved(f"config.existingConfigmap {found.value} replaces the chart's redis.conf (and with it the "
                       "`save \"\"` the chart adds when persistence is off); that ConfigMap is not among the inputs, so "
                       "the config checks of this release are unverified", found.key_span, "config.existingConfigmap")]


CLOUDPIRATES_REDIS = DeploymentKind(
    id=REDIS_ID, display=DISPLAY[REDIS_ID], flavor="redis", chart_names=CHART_NAMES[REDIS_ID],
    repo_markers=REPO_MARKERS, values_shape=redis_shape, release_targets=redis_targets,
    # No PrometheusRule key is known in these charts: RL702 cannot say what to set; RL404 names the
    # role's retention key, and these charts keep one at the top level.
    vocabulary=vocabulary(True), covers=covers("RL702", "RL404"))
