"""CloudPirates' valkey chart: its ConfigMap (`config.save`, `config.maxMemory`, `config.extraConfig`) and roles.

Read from CloudPirates-io/helm-charts `charts/valkey` 0.1.0 – 0.25.5 (deployments-beyond-bitnami.md
§2.5): always a StatefulSet; `persistence.enabled: false` leaves the `save` schedule in place.
"""

from __future__ import annotations

from redislint.charts.values_view import ValuesView
from redislint.charts.versions import Version
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
    chart_lines,
    covers,
    item_lines,
    key_issues,
    make_target,
    memory_facts,
    truthy,
    written,
)
from redislint.kinds.cloudpirates import (
    CHART_NAMES,
    COMMON_TOP,
    DISPLAY,
    REPO_MARKERS,
    VALKEY_ID,
    at_least,
    sentinel_ignored,
    valkey_shape,
    vocabulary,
)
from redislint.redisconf import ConfigSource, RedisVersion
from redislint.target import Target, Unresolved

# charts/valkey: `architecture` arrived in 0.9.0 (PR #518); before it replicaCount > 1 ran lone primaries.
VALKEY_ARCHITECTURE_SINCE: Version = (0, 9, 0)

VALKEY_KEYS = KeySpec(
    chart=VALKEY_ID,
    top=COMMON_TOP,
    closed={"persistence": ("enabled", "storageClass", "annotations", "size", "accessModes", "existingClaim"),
            "config": ("maxMemory", "maxMemoryPolicy", "save", "extraConfig", "existingConfigmap", "mountPath")},
    since={"architecture": VALKEY_ARCHITECTURE_SINCE},
)



def valkey_targets(rel: Release) -> list[Target]:
    """standalone: one primary; replication: primary + replicas, or Sentinel nodes."""
    versions = release_versions(rel, "valkey")
    view, v = rel.view, versions.likely
    label = f"{VALKEY_ID} {versions.text}" if versions.text else VALKEY_ID
    modern = at_least(v, VALKEY_ARCHITECTURE_SINCE)
    architecture = str(view.value("architecture", "standalone")) if modern else "standalone"
    sentinel = architecture == "replication" and truthy(view, "sentinel.enabled")
    issues = key_issues(view, VALKEY_KEYS, v, label)
    if not sentinel:
        issues += sentinel_ignored(view, architecture)
    unresolved: list[Unresolved] = []
    existing = view.get("config.existingConfigmap")
    if existing is not None and existing.value:
        unresolved.append(Unresolved(f"config.existingConfigmap {existing.value} replaces the chart's valkey.conf; "
                                     "that ConfigMap is not among the inputs, so the config checks of this release "
                                     "are unverified", existing.key_span, "config.existingConfigmap"))
    count = int_fact(view, "replicaCount", 3)
    anchors = [view.anchor("config.extraConfig", "config")]
    valkey = versions.redis
    if architecture != "replication":
        pods = count if not modern else Fact(1, view.anchor("architecture"), "architecture standalone (replicas: 1)")
        return [make_target(rel, versions, chart=VALKEY_ID, role="primary", mode="standalone",
                            source=_valkey_source(view, valkey, "primary", architecture), anchors=anchors,
                            facts=_valkey_facts(view, pods, Fact(0, pods.span, "standalone: no replicas")),
                            issues=tuple(issues), unresolved=tuple(unresolved))]
    if sentinel:
        return [make_target(rel, versions, chart=VALKEY_ID, role="node", mode="sentinel",
                            source=_valkey_source(view, valkey, "node", architecture), anchors=anchors,
                            facts=_valkey_facts(view, count, Fact(max(count.value - 1, 0), count.span,
                                                                  "replicaCount - 1 (one node is master)")),
                            issues=tuple(issues), unresolved=tuple(unresolved))]
    primary = make_target(rel, versions, chart=VALKEY_ID, role="primary", mode="replication",
                          source=_valkey_source(view, valkey, "primary", architecture), anchors=anchors,
                          facts=_valkey_facts(view, Fact(1, None, "pod 0 is the primary"),
                                              Fact(max(count.value - 1, 0), count.span, "replicaCount - 1")),
                          issues=tuple(issues), unresolved=tuple(unresolved))
    if count.value <= 1:
        return [primary]
    return [primary, make_target(rel, versions, chart=VALKEY_ID, role="replica", mode="replication",
                                 source=_valkey_source(view, valkey, "replica", architecture), anchors=anchors,
                                 facts=_valkey_facts(view, Fact(count.value - 1, count.span, "replicaCount - 1"),
                                                     Fact(None, None, "")), upstream=primary)]


def _valkey_configmap(view: ValuesView, valkey: RedisVersion) -> list:
    """templates/configmap.yaml: fixed lines, `dir /data`, `save`, maxmemory, then config.extraConfig."""
    tpl = "chart configmap.yaml"
    lines = chart_lines("bind 0.0.0.0", tpl, valkey)
    lines += chart_lines("port 0\ntls-port 6380", "tls.enabled", valkey, view.anchor("tls.enabled")) \
        if truthy(view, "tls.enabled") else chart_lines("port 6379", tpl, valkey)
    lines += chart_lines('daemonize no\nsupervised no\nloglevel notice\nlogfile ""\ndir /data', tpl, valkey)
    save = view.get("config.save")
    if save is None:
        lines += chart_lines("save 900 1 300 10 60 10000", "chart default config.save", valkey)
    else:
        value = str(save.value or "").strip()
        lines += chart_lines(f"save {value}" if value else 'save ""', "config.save", valkey, save.span)
    memory = view.get("config.maxMemory")
    if memory is not None and memory.value:
        lines += chart_lines(f"maxmemory {memory.value}", "config.maxMemory", valkey, memory.span)
        policy = view.get("config.maxMemoryPolicy")
        lines += chart_lines(f"maxmemory-policy {policy.value if policy is not None else 'allkeys-lru'}",
                             "config.maxMemoryPolicy" if policy is not None else "chart default config.maxMemoryPolicy",
                             valkey, policy.span if policy is not None else None)
    return lines + item_lines(view, "config.extraConfig", valkey)


def _valkey_source(view: ValuesView, valkey: RedisVersion, role: str, architecture: str) -> ConfigSource:
    """Standalone reads the ConfigMap; replication reads /tmp/valkey/valkey.conf: role lines, then the ConfigMap."""
    body = [] if written(view, "config.existingConfigmap") else _valkey_configmap(view, valkey)
    if architecture != "replication":
        return ConfigSource("/etc/valkey/valkey.conf", tuple(body))
    script = "chart init script"
    if role == "replica":
        pre = chart_lines("replicaof valkey-0.valkey-headless 6379\nreplica-read-only yes",
                          "chart init script (pod ordinal > 0)", valkey)
    else:
        pre = chart_lines("replica-read-only yes", script, valkey)
    return ConfigSource("/tmp/valkey/valkey.conf", tuple(pre) + tuple(body))


def _valkey_facts(view: ValuesView, pods: Fact[int], followers: Fact) -> K8sFacts:
    r = FactReader(view)
    enabled = r.fact("persistence.enabled", True)
    claim = r.fact("persistence.existingClaim", "")
    size = r.quantity("persistence.size", "8Gi")
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
    # values.yaml ships resources.limits.memory 64Mi: unless overridden, that is the limit.
    memory = memory_facts(r, default_limit=None if view.get("resources") is not None else "64Mi",
                          default_request=None if view.get("resources") is not None else "64Mi")
    volume = "emptyDir" if enabled.value is not True else ("claim" if claim.value else "claim-template")
    return K8sFacts(persistence_enabled=enabled, persistent=persistent, storage_size=size, existing_claim=claim,
                    volume=volume,
                    pvc_created=Fact(True, None, "no claim is referenced that the chart does not create"),
                    data_path=Fact("/data", None, "chart template"),
                    workload_kind=Fact("StatefulSet", None, "chart template"), pods=pods, replicas_of_master=followers,
                    fs_group=r.fact("podSecurityContext.fsGroup", 1000),
                    run_as_user=r.fact("containerSecurityContext.runAsUser", 999),
                    metrics_enabled=r.fact("metrics.enabled", False), **memory)


CLOUDPIRATES_VALKEY = DeploymentKind(
    id=VALKEY_ID, display=DISPLAY[VALKEY_ID], flavor="valkey", chart_names=CHART_NAMES[VALKEY_ID],
    repo_markers=REPO_MARKERS, values_shape=valkey_shape, release_targets=valkey_targets,
    vocabulary=vocabulary(False), covers=covers("RL702", "RL404"))
