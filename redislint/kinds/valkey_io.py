"""The official Valkey chart (valkey-io/valkey-helm, chart `valkey`): recognition, layering, facts, traps.

Facts read from the chart's templates at tags v0.7.x – valkey-0.12.0 (deployments-beyond-bitnami.md §1):
`init.sh` rebuilds `/data/conf/valkey.conf` on every start from its own lines, then `valkeyConfig`,
then `/extravalkeyconfigs/*`; the server runs `valkey-server <that file>`, with no argv of the user's.
Nothing writes `save`, `appendonly` or `maxmemory`: Valkey's built-in defaults apply.
"""

from __future__ import annotations

from dataclasses import replace

from redislint.charts.values_view import ValuesView
from redislint.charts.versions import Version, format_semver
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
from redislint.redisconf import ConfigSource, RedisVersion
from redislint.sources import MapNode, ScalarNode
from redislint.target import Target, Unresolved, ValuesIssue

ID = "valkey-io/valkey"
DISPLAY = "valkey-io/valkey-helm chart"
CHART_NAMES = ("valkey",)
# https://valkey.io/valkey-helm/ (the HelmRepository), github.com/valkey-io/valkey-helm (Git sources).
REPO_MARKERS = ("valkey.io/valkey-helm", "valkey-io/valkey-helm")

REPLICA_MODE_SINCE: Version = (0, 9, 0)  # replica.* and the fixed single-pod Deployment
BIND_ALL_SINCE: Version = (0, 8, 0)  # `bind * -::*` and the ACL file under /etc/valkey
NEWEST_WITHOUT_SENTINEL: Version = (0, 12, 0)  # replica.sentinel is on main only (no release yet)

KEYS = KeySpec(
    chart=ID,
    top=("global", "image", "imagePullSecrets", "nameOverride", "fullnameOverride", "clusterDomain",
         "serviceAccount", "podAnnotations", "podLabels", "workloadAnnotations", "commonLabels",
         "podSecurityContext", "priorityClassName", "runtimeClassName", "securityContext", "service",
         "networkPolicy", "resources", "initResources", "startupProbe", "livenessProbe", "readinessProbe",
         "extraInitContainers", "extraContainers", "dataStorage", "extraValkeySecrets", "extraValkeyConfigs",
         "extraSecretValkeyConfigs", "extraVolumes", "extraVolumeMounts", "valkeyConfig", "auth", "replica", "tls",
         "nodeSelector", "tolerations", "affinity", "deploymentStrategy", "topologySpreadConstraints",
         "podDisruptionBudget", "valkeyLogLevel", "env", "metrics", "replicaCount", "storage", "ingress",
         "autoscaling"),
    closed={
        "dataStorage": ("enabled", "persistentVolumeClaimName", "subPath", "volumeName", "requestedSize",
                        "className", "accessModes", "keepPvc", "annotations", "labels", "hostPath", "enable"),
        "replica": ("enabled", "replicas", "terminationGracePeriodSeconds", "replicationUser", "disklessSync",
                    "minReplicasToWrite", "minReplicasMaxLag", "service", "persistence",
                    "persistentVolumeClaimRetentionPolicy", "sentinel"),
        "replica.persistence": ("size", "storageClass", "accessModes"),
    },
    since={"replica": REPLICA_MODE_SINCE, "dataStorage.hostPath": REPLICA_MODE_SINCE,
           "deploymentStrategy": (0, 7, 6)},
    removed={
        "dataStorage.enable": ((0, 7, 1), "dataStorage.enabled",
                               "0.7.1 renamed it to dataStorage.enabled, so the chart creates no PVC from it"),
        "replicaCount": ((0, 9, 0), "replica.enabled",
                         ("0.9.0 runs the standalone Deployment with exactly one pod; replicas come from "
                          "replica.enabled")),
        "storage": ((0, 5, 0), "dataStorage", "0.5.0 replaced the storage block with dataStorage"),
    },
)


def values_shape(root: MapNode) -> bool:
    """Values only this chart reads: `dataStorage`, `auth.aclUsers`/`usersExistingSecret`, or `valkeyConfig`
    with a `replica.persistence` block."""
    keys = {str(k.text) for k, _ in root.items() if isinstance(k, ScalarNode)}
    if keys & {"haMode", "useDeploymentWhenNonHA"}:
        return False  # groundhog2k's
    if "dataStorage" in keys or "extraValkeySecrets" in keys:
        return True
    auth = root.get("auth")
    if isinstance(auth, MapNode) and any(auth.get(k) is not None for k in ("aclUsers", "usersExistingSecret")):
        return True  # Bitnami and CloudPirates spell ACLs `auth.acl.*`
    replica = root.get("replica")
    return "valkeyConfig" in keys and isinstance(replica, MapNode) and replica.get("persistence") is not None


def release_targets(rel: Release) -> list[Target]:
    """The primary (and the replicas in replica mode), each with the config init.sh assembles."""
    versions = release_versions(rel, "valkey")
    view, chart_version = rel.view, versions.likely
    label = f"{ID} {versions.text}" if versions.text else ID
    issues: list[ValuesIssue] = key_issues(view, KEYS, chart_version, label)
    replica_mode = truthy(view, "replica.enabled") and _at_least(chart_version, REPLICA_MODE_SINCE)
    sentinel = replica_mode and truthy(view, "replica.sentinel.enabled")
    if sentinel and not _at_least(chart_version, _after(NEWEST_WITHOUT_SENTINEL)):
        sentinel = False
        found = view.get("replica.sentinel.enabled")
        assert found is not None
        issues.append(ValuesIssue("RL101", f"replica.sentinel is not read by {label}: Sentinel exists only on the "
                                  f"chart's main branch, in no release up to {format_semver(NEWEST_WITHOUT_SENTINEL)}; "
                                  "pod 0 stays the primary and nothing fails over", found.key_span,
                                  "replica.sentinel.enabled", "Remove it, or plan failover another way"))
    issues += _extra_configs_issue(view)
    if replica_mode:
        issues += _ignored_in_replica_mode(view)
    elif view.get("replica") is not None and written(view, "replica.persistence.size") \
            and _at_least(chart_version, REPLICA_MODE_SINCE):
        found = view.get("replica.persistence")
        assert found is not None
        issues.append(ValuesIssue("RL102", "replica.persistence has no effect: replica.enabled is false, so the "
                                  "chart runs a single-pod Deployment whose data volume comes from dataStorage.*",
                                  found.key_span, "replica.persistence",
                                  "Set dataStorage.enabled: true with dataStorage.requestedSize, or replica.enabled: true"))
    unresolved = _unresolved(view)
    redis = versions.redis
    anchors = [view.anchor("valkeyConfig")]
    if not replica_mode:
        facts = _standalone_facts(view, chart_version)
        source = ConfigSource("/data/conf/valkey.conf", tuple(_config(view, redis, chart_version, "primary", False)))
        return [make_target(rel, versions, chart=ID, role="primary", mode="standalone", source=source, facts=facts,
                            anchors=anchors, issues=tuple(issues), unresolved=tuple(unresolved))]
    replicas = int_fact(view, "replica.replicas", 2)
    if sentinel:
        facts = _replica_mode_facts(view, replicas, "node")
        source = ConfigSource("/data/conf/valkey.conf", tuple(_config(view, redis, chart_version, "node", True)))
        return [make_target(rel, versions, chart=ID, role="node", mode="sentinel", source=source, facts=facts,
                            anchors=anchors, prefix="replica", issues=tuple(issues), unresolved=tuple(unresolved))]
    primary_src = ConfigSource("/data/conf/valkey.conf", tuple(_config(view, redis, chart_version, "primary", True)))
    primary = make_target(rel, versions, chart=ID, role="primary", mode="replication", source=primary_src,
                          facts=_replica_mode_facts(view, replicas, "primary"), anchors=anchors, prefix="replica",
                          issues=tuple(issues), unresolved=tuple(unresolved))
    out = [primary]
    if replicas.value > 0:
        replica_src = ConfigSource("/data/conf/valkey.conf", tuple(_config(view, redis, chart_version, "replica", True)))
        out.append(make_target(rel, versions, chart=ID, role="replica", mode="replication", source=replica_src,
                               facts=_replica_mode_facts(view, replicas, "replica"), anchors=anchors,
                               prefix="replica", upstream=primary))
    return out


def _at_least(version: Version | None, floor: Version) -> bool:
    return version is None or version >= floor


def _after(version: Version) -> Version:
    return (version[0], version[1], version[2] + 1)


def _config(view: ValuesView, redis: RedisVersion, chart_version: Version | None, role: str,
            replica_mode: bool) -> list:
    """init.sh's lines in its order, then valkeyConfig (later lines win)."""
    script = "chart init.sh"
    modern = _at_least(chart_version, BIND_ALL_SINCE)
    if truthy(view, "tls.enabled") and modern:
        lines = chart_lines("port 0\ntls-port 6379", script, redis, view.anchor("tls.enabled"))
    else:
        lines = chart_lines("port 6379", script, redis)
    lines += chart_lines(f"protected-mode no\n{'bind * -::*' if modern else 'bind 0.0.0.0'}\ndir /data", script, redis)
    if truthy(view, "auth.enabled"):
        acl = "/etc/valkey/users.acl" if modern else "/data/conf/users.acl"
        lines += chart_lines(f"aclfile {acl}", "auth.enabled", redis, view.anchor("auth.enabled"))
    if role in ("replica", "node"):
        lines += chart_lines("replica-announce-ip valkey-0.valkey-headless\nreplica-announce-port 6379", script, redis)
    if role == "replica":
        lines += chart_lines("replicaof valkey-0.valkey-headless 6379", "chart init.sh (pod index > 0)", redis)
    # With Sentinel every pod may be demoted, so every pod gets the replica-side settings.
    if role in ("replica", "node") and truthy(view, "replica.disklessSync"):
        lines += chart_lines("repl-diskless-sync yes\nrepl-diskless-sync-delay 5", "replica.disklessSync", redis,
                             view.anchor("replica.disklessSync"))
    to_write = view.get("replica.minReplicasToWrite")
    if replica_mode:
        try:
            count = int(to_write.value) if to_write is not None else 0
        except (TypeError, ValueError):
            count = 0
        if count > 0 and to_write is not None:
            lag = view.get("replica.minReplicasMaxLag")
            lines += chart_lines(f"min-replicas-to-write {count}", "replica.minReplicasToWrite", redis, to_write.span)
            lines += chart_lines(f"min-replicas-max-lag {lag.value if lag is not None else 10}",
                                 "replica.minReplicasMaxLag" if lag is not None else "chart default minReplicasMaxLag",
                                 redis, lag.span if lag is not None else None)
    return lines + text_lines(view, "valkeyConfig", redis)


def _standalone_facts(view: ValuesView, chart_version: Version | None) -> K8sFacts:
    """The Deployment's data volume, first match wins (templates/deploy_valkey.yaml)."""
    r = FactReader(view)
    enabled = r.fact("dataStorage.enabled", False)
    claim = r.fact("dataStorage.persistentVolumeClaimName", "")
    size = r.quantity("dataStorage.requestedSize", None)
    host = r.fact("dataStorage.hostPath", "") if _at_least(chart_version, REPLICA_MODE_SINCE) else Fact("", None, "")
    keep = r.fact("dataStorage.keepPvc", False)
    # Every claim the pod mounts exists: the chart creates it, or the user names one.
    created = Fact(True, None, "no PVC: an emptyDir")
    deleted = Fact(False, None, "")
    volume = "claim" if claim.value else ("claim-template" if enabled.value is True and size.value else
                                          "hostPath" if host.value else "emptyDir")
    if claim.value:
        persistent = Fact(True, claim.span, f"existing claim {claim.value} (dataStorage.persistentVolumeClaimName)")
        size = Fact(None, claim.span, f"existing claim {claim.value}: its size is not in the values")
    elif enabled.value is True and size.value:
        persistent = Fact(True, size.span, "PVC created by the chart (dataStorage.requestedSize)")
        created = Fact(True, size.span, "PVC created by the chart")
        # A plain PVC of the release, which `helm uninstall` deletes unless dataStorage.keepPvc. That is
        # not a StatefulSet retention policy (what RL404 speaks of), so it is only said here.
        deleted = Fact(False, keep.span, "dataStorage.keepPvc is false: helm uninstall deletes the chart's PVC"
                       if keep.value is not True else "dataStorage.keepPvc")
    elif host.value:
        persistent = Fact(False, host.span, f"hostPath {host.value} (dataStorage.hostPath), a directory on one node")
        size = Fact(None, host.span, "hostPath: no PVC")
    elif enabled.value is True:
        persistent = Fact(False, enabled.span, "an emptyDir: dataStorage.enabled is true, but without "
                          "dataStorage.requestedSize or dataStorage.persistentVolumeClaimName the chart creates no PVC "
                          "and mounts an emptyDir (its NOTES still say persistence is enabled)")
        size = Fact(None, enabled.span, "no PVC")
    else:
        persistent = Fact(False, enabled.span, "an emptyDir (dataStorage.enabled is false)")
        size = Fact(None, enabled.span, "no PVC")
    pods = Fact(1, None, "templates/deploy_valkey.yaml (replicas: 1)")
    if not _at_least(chart_version, REPLICA_MODE_SINCE):
        # Before 0.9.0 `replicaCount` pods ran as independent primaries behind one Service.
        pods = int_fact(view, "replicaCount", 1)
    strategy = r.fact("deploymentStrategy", "RollingUpdate")
    return K8sFacts(persistence_enabled=enabled, persistent=persistent, storage_size=size, pvc_created=created,
                    existing_claim=claim, volume=volume, pvc_deleted_with_release=deleted, data_path=Fact("/data", None, "chart template"),
                    workload_kind=Fact("Deployment", None, f"replica.enabled is false: a Deployment (strategy "
                                       f"{strategy.value})"),
                    pods=pods, replicas_of_master=Fact(0, view.anchor("replica.enabled"), "replica.enabled is false: no replicas",
                                                      values_path="replica.enabled"),
                    update_strategy=strategy, extra={"deployment_strategy": strategy},
                    **_common_facts(r))


def _replica_mode_facts(view: ValuesView, replicas: Fact[int], role: str) -> K8sFacts:
    """The StatefulSet's claim template `valkey-data` (replica.persistence.*; size required)."""
    r = FactReader(view)
    size = r.quantity("replica.persistence.size", None)
    persistent = Fact(True, size.span, "volumeClaimTemplates valkey-data (replica.persistence)")
    deleted = retention_deleted(r, "replica.persistentVolumeClaimRetentionPolicy")
    pods = {"primary": Fact(1, None, "pod 0 is always the primary"),
            "replica": Fact(replicas.value, replicas.span, "replica.replicas"),
            "node": Fact(replicas.value + 1, replicas.span, "replica.replicas + 1")}[role]
    followers: Fact[int | None] = Fact(replicas.value, replicas.span, "replica.replicas")
    return K8sFacts(persistence_enabled=Fact(True, None, "replica mode always uses claim templates"),
                    persistent=persistent, volume="claim-template", storage_size=size, pvc_created=Fact(True, size.span, "volumeClaimTemplates"),
                    pvc_deleted_with_release=deleted, data_path=Fact("/data", None, "chart template"),
                    workload_kind=Fact("StatefulSet", view.anchor("replica.enabled"), "replica.enabled"),
                    pods=pods,
                    replicas_of_master=followers if role in ("primary", "node") else Fact(None, None, ""),
                    **_common_facts(r))


def _common_facts(r: FactReader) -> dict:
    rule_on = r.fact("metrics.prometheusRule.enabled", False)
    rules = r.view.get("metrics.prometheusRule.rules")
    alerts = Fact(bool(rule_on.value is True and rules is not None and rules.value), rules.span if rules else rule_on.span,
                  "metrics.prometheusRule")
    return {**memory_facts(r), "fs_group": r.fact("podSecurityContext.fsGroup", 1000),
            "run_as_user": r.fact("securityContext.runAsUser", 1000),
            "metrics_enabled": r.fact("metrics.enabled", False), "alerts_enabled": alerts}


def _extra_configs_issue(view: ValuesView) -> list[ValuesIssue]:
    """`extraValkeyConfigs` mounts ConfigMaps into the server container; init.sh never reads them."""
    found = view.get("extraValkeyConfigs")
    if found is None or not found.value or not isinstance(found.value, list):
        return []
    config = str(view.value("valkeyConfig", "") or "")
    mounts = [str(m.get("mountPath", "")) for m in found.value if isinstance(m, dict) and m.get("mountPath")]
    included = [m for m in mounts if any(line.split()[:1] == ["include"] and m.rstrip("/") in line
                                         for line in config.splitlines())]
    if mounts and len(included) == len(mounts):
        return []
    return [ValuesIssue("RL102", "extraValkeyConfigs only mounts the ConfigMaps into the Valkey container: init.sh "
                        "builds /data/conf/valkey.conf from its own lines, valkeyConfig and /extravalkeyconfigs/*, so "
                        "nothing in these files takes effect unless valkeyConfig includes them",
                        found.key_span, "extraValkeyConfigs",
                        "Add `include <mountPath>/<file>` lines to valkeyConfig, or put the directives in valkeyConfig")]


def _ignored_in_replica_mode(view: ValuesView) -> list[ValuesIssue]:
    """dataStorage.* sizes the standalone Deployment only; replica mode ignores it."""
    out = []
    for child, found in view.keys_under("dataStorage"):
        if found.value in (None, "", False, [], {}) or child in ("accessModes", "volumeName"):
            continue
        out.append(ValuesIssue("RL102", f"dataStorage.{child} has no effect with replica.enabled: the StatefulSet's "
                               "volumes come from replica.persistence.*", found.key_span, f"dataStorage.{child}",
                               "Move the size and class to replica.persistence.size / storageClass"))
    return out


def _unresolved(view: ValuesView) -> list[Unresolved]:
    out = []
    if truthy(view, "extraSecretValkeyConfigs"):
        found = view.get("extraSecretValkeyConfigs")
        assert found is not None
        out.append(Unresolved("extraSecretValkeyConfigs appends every file of a volume mounted at /extravalkeyconfigs "
                              "last; those files are not among the inputs, so the effective config may differ",
                              found.key_span, "extraSecretValkeyConfigs"))
    if truthy(view, "replica.enabled") and not written(view, "replica.persistence.size"):
        found = view.get("replica.enabled")
        assert found is not None
        out.append(Unresolved("replica.enabled without replica.persistence.size: the chart refuses to render "
                              "(valkey.validateReplicaPersistence), so nothing is deployed until a size is set",
                              found.key_span, "replica.persistence.size"))
    return out


_COMMON = Vocabulary(resources="resources", memory_limit="resources.limits.memory",
                     memory_request="resources.requests.memory", shared_config="valkeyConfig",
                     replica_count="replica.replicas", metrics="metrics.enabled",
                     service_monitor="metrics.serviceMonitor", alerts="metrics.prometheusRule",
                     min_replicas="replica.minReplicasToWrite", pod_security_context="podSecurityContext",
                     container_security_context="securityContext")

VALKEY_IO = DeploymentKind(
    id=ID, display=DISPLAY, flavor="valkey", chart_names=CHART_NAMES, repo_markers=REPO_MARKERS,
    values_shape=values_shape, release_targets=release_targets,
    # Standalone (values_prefix ""): the Deployment's volume is dataStorage.*.
    vocabulary=replace(_COMMON, persistence="dataStorage", persistence_enabled="dataStorage.enabled",
                       persistence_size="dataStorage.requestedSize", storage_class="dataStorage.className",
                       existing_claim="dataStorage.persistentVolumeClaimName", access_modes="dataStorage.accessModes",
                       sub_path="dataStorage.subPath"),
    # Replica mode (values_prefix "replica"): the StatefulSet's claim template is replica.persistence.*.
    role_vocabularies={"replica": replace(_COMMON, persistence="replica.persistence",
                                          persistence_size="replica.persistence.size",
                                          storage_class="replica.persistence.storageClass",
                                          access_modes="replica.persistence.accessModes", data_claim="valkey-data")},
    covers=covers(),
)
