"""The redis-ha chart (DandyDeveloper, formerly helm/charts stable/redis-ha) as a deployment kind.

How it is recognised, where its values keep things, and its targets: one `server` role per release,
whose config the chart renders from `redis.config` (or `redis.customConfig`). Its data tables are
`data/charts/redis-ha-values.tsv` (keys per release) and its rows of `chart-redis-versions.tsv`.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any

from redislint.charts.lifecycle import redis_ha_lifecycle
from redislint.charts.parents import with_parent_defaults
from redislint.charts.release import Release, release_versions
from redislint.charts.synthetic import NOWHERE, KeyValueText, SyntheticText
from redislint.charts.templating import relabel_problems
from redislint.charts.values_facts import FactReader, int_fact
from redislint.charts.values_keys import values_key_issues
from redislint.charts.values_view import Found, ValuesView
from redislint.charts.versions import Version, resolve
from redislint.facts import Fact, K8sFacts
from redislint.kinds.base import DeploymentKind, Vocabulary
from redislint.partial import from_values
from redislint.redisconf import ConfigSource, RedisVersion, evaluate, parse_conf
from redislint.sources import MapNode, ScalarNode, SeqNode
from redislint.target import ROLE_LAYER, Target

# redis.config and redis.customConfig are the one role's config (there is no shared block).
LAYER_KINDS = MappingProxyType({"redis.config": ROLE_LAYER, "redis.customConfig": ROLE_LAYER})

# templates/_configs.tpl defaults of `redis.config` (redis-ha 4.39.0 values.yaml).
DEFAULT_CONFIG: dict[str, Any] = {
    "min-replicas-to-write": 1,
    "min-replicas-max-lag": 5,
    "maxmemory": "0",
    "maxmemory-policy": "volatile-lru",
    "save": "900 1",
    "repl-diskless-sync": "yes",
    "rdbcompression": "yes",
    "rdbchecksum": "yes",
}


def _render(value: Any) -> list[str]:
    """How Go's template prints a value: lists give one line each, booleans true/false."""
    if isinstance(value, list):
        return [_render(v)[0] for v in value]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    return ["" if value is None else str(value)]


# `redis.disableCommands` (rename-command lines) first appears in 4.17.5; before that (stable/redis-ha
# 3.x included) the chart renders no rename-command line.
DISABLE_COMMANDS_SINCE = (4, 17, 5)


def config_lines(view: ValuesView, version: RedisVersion, chart_version: Version | None = None) -> list:
    """The chart's own lines, then `redis.config` in sorted key order (or `redis.customConfig`)."""
    lines = parse_conf(SyntheticText('dir "/data"\nport 6379'), "chart template", version)
    disable = view.get("redis.disableCommands")
    if chart_version is not None and chart_version < DISABLE_COMMANDS_SINCE:
        commands = []
    else:
        commands = [str(c) for c in disable.value or []] if disable is not None else ["FLUSHDB", "FLUSHALL"]
    for command in commands:
        lines += parse_conf(SyntheticText(f'rename-command {command} ""', disable.span if disable else NOWHERE),
                            "redis.disableCommands" if disable else "chart default disableCommands", version)
    custom = view.get("redis.customConfig")
    if custom is not None and isinstance(custom.node, ScalarNode) and custom.value:
        return lines + relabel_problems(parse_conf(custom.node.embedded(), "redis.customConfig", version))
    merged: dict[str, tuple[Any, Found | None, str]] = {k: (v, None, "chart default redis.config")
                                                        for k, v in DEFAULT_CONFIG.items()}
    for key, written in view.keys_under("redis.config"):
        if written.value is None:
            merged.pop(key, None)  # `key: null` deletes the chart default
        else:
            merged[key] = (written.value, written, "redis.config")
    for key in sorted(merged):  # Go templates range over maps in sorted key order
        value, found, layer = merged[key]
        items = found.node.items if found is not None and isinstance(found.node, SeqNode) else None
        for i, rendered in enumerate(_render(value)):
            text = f"{key} {rendered}".rstrip()
            if found is None:
                embedded: Any = SyntheticText(text)
            else:
                value_span = items[i].span if items is not None and i < len(items) else found.node.span
                embedded = KeyValueText(text, len(str(key)), found.key_span, value_span)
            lines += relabel_problems(parse_conf(embedded, layer, version))
    return lines


def redis_ha_targets(rel: Release) -> list[Target]:
    """The single role every redis-ha pod runs (it may be master or replica at any time)."""
    rel, parent_assumed = with_parent_defaults(rel)
    view = rel.view
    pinned = resolve("redis-ha", rel.chart_version_override or rel.version_constraint)
    if (pinned.version is not None and pinned.version < (3, 0, 0)) or view.get("redis_image") is not None \
            or view.get("replicas.servers") is not None:
        # stable/redis-ha before 3.0.0 configured Redis inside its own image: nothing here to model (RL004).
        return []
    versions = release_versions(rel)
    redis = versions.redis
    source = ConfigSource("/data/conf/redis.conf", tuple(config_lines(view, redis, versions.likely)))
    r = FactReader(view)
    enabled = r.fact("persistentVolume.enabled", True)
    host_path = r.fact("hostPath.path", "")
    size = r.quantity("persistentVolume.size", "10Gi")
    limit = r.quantity("redis.resources.limits.memory", None)
    request = r.quantity("redis.resources.requests.memory", None)
    pods = int_fact(view, "replicas", 3)
    persistent = Fact(enabled.value is True, enabled.span, "persistentVolume.enabled" if enabled.value is True
                      else ("hostPath " + str(host_path.value) if host_path.value else "emptyDir"))
    if not persistent.value:
        size = Fact(None, enabled.span, f"no PVC ({persistent.origin})")
    facts = K8sFacts(
        memory_request=request, memory_limit=limit, memory_limit_source="resources" if limit.value else "none",
        persistence_enabled=enabled, persistent=persistent, storage_size=size, pods=pods,
        volume="claim-template" if persistent.value else ("hostPath" if host_path.value else "emptyDir"),
        replicas_of_master=Fact(max(pods.value - 1, 0), pods.span, "replicas - 1 (one pod is master)"),
        fs_group=r.fact("securityContext.fsGroup", 1000), run_as_user=r.fact("securityContext.runAsUser", 1000),
        metrics_enabled=r.fact("exporter.enabled", False),
        alerts_enabled=Fact(bool(view.value("prometheusRule.enabled", False) and view.value("prometheusRule.rules")),
                            view.anchor("prometheusRule"), "prometheusRule"),
        data_path=Fact("/data", None, "chart template"), workload_kind=Fact("StatefulSet", None, "chart template"),
        **redis_ha_lifecycle(view, versions.likely))
    anchors = [view.anchor("redis.customConfig", "redis.config", "redis"), rel.values_anchor, rel.anchor]
    return [Target(path=rel.path, name=rel.name, kind=rel.kind, role="server", chart="redis-ha",
                   chart_version=versions.text, redis_version=redis,
                   assumptions=rel.assumptions + versions.assumptions + parent_assumed, mode="replication", source=source,
                   evaluation=evaluate(source, redis), facts=facts, anchor=rel.anchor,
                   config_anchors=tuple(a for a in anchors if a is not None), values=view, values_prefix="redis",
                   unresolved=rel.unresolved + tuple(r.unresolved), annotations=rel.annotations,
                   annotation_spans=rel.annotation_spans, partial=from_values(view), pin=rel.pin, layer_kinds=LAYER_KINDS,
                   values_issues=tuple(rel.issues) + tuple(values_key_issues(view, "redis-ha", versions.likely,
                                                                             "replication", ())))]


# --------------------------------------------------------------------------------------------
# Recognition

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


_REDIS_HA_2 = ("helm/charts stable/redis-ha before 3.0.0 (replicas.servers, redis_image) runs the "
               "quay.io/smile/redis image, whose Redis config is built into the image and not known here; "
               "its data is on an emptyDir volume, so a rescheduled pod starts empty")


def _not_modelled(constraint: str | None, root: MapNode | None) -> tuple[str, tuple[str, ...]] | None:
    """stable/redis-ha before 3.0.0, by the version a wrapper pins or by its values' shape."""
    if root is None:
        return (_REDIS_HA_2, ()) if constraint and re.match(r"^[~^=v]*[0-2]\.", constraint.strip()) else None
    return (_REDIS_HA_2, ("redis_image", "replicas")) if redis_ha_2(root) else None


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
    always_fails_over=True, not_modelled=_not_modelled, modelled="redis-ha 3.x and later")
