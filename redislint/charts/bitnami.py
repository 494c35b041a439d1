"""Targets for the Bitnami redis and valkey charts: one per Redis role the chart runs."""

from __future__ import annotations

from types import MappingProxyType

from redislint.charts.bitnami_facts import build_facts
from redislint.charts.bitnami_layers import (
    ChartNames,
    common_layer,
    folded_blocks,
    role_script,
)
from redislint.charts.parents import with_parent_defaults
from redislint.charts.presets import preset_assumptions
from redislint.charts.release import Release, release_versions
from redislint.charts.values_facts import int_fact
from redislint.charts.values_keys import values_key_issues
from redislint.charts.values_view import ValuesView
from redislint.charts.versions import Version
from redislint.facts import Fact
from redislint.partial import from_values
from redislint.redisconf import ConfigSource, evaluate
from redislint.target import (
    FLAGS_LAYER,
    ROLE_LAYER,
    SHARED_DEFAULT_LAYER,
    SHARED_LAYER,
    Target,
    Unresolved,
    ValuesIssue,
)


def _names(chart: str, version: Version | None) -> ChartNames:
    if chart == "bitnami/valkey":
        primary = version is None or version >= (2, 0, 0)
        return ChartNames("commonConfiguration", "configuration", "valkey.conf",
                          "primary" if primary else "master", "replica", "primaryauth")
    if version is not None and version < (14, 0, 0):
        return ChartNames("configmap", "configmap", "redis.conf", "master", "slave", "masterauth")
    return ChartNames("commonConfiguration", "configuration", "redis.conf", "master", "replica", "masterauth")


def bitnami_targets(rel: Release) -> list[Target]:
    """Targets for master/primary, replica or sentinel node, in the chart's own layering."""
    rel, parent_assumed = with_parent_defaults(rel)
    versions = release_versions(rel, "valkey" if rel.chart == "bitnami/valkey" else "redis")
    chart_version, chart_version_text, redis_version = versions.likely, versions.text, versions.redis
    # An image.tag narrows the version but not the default preset: it is often set because it differs.
    presets_assumed = preset_assumptions(rel.chart, versions.strongly_possible or versions.possible, chart_version)
    names = _names(rel.chart, chart_version)
    view = rel.view
    legacy = names.common_key == "configmap"
    if legacy:
        cluster = view.value("cluster.enabled", True)
        architecture = "replication" if cluster is not False else "standalone"
        standalone_origin = Fact(0, view.anchor("cluster.enabled"), "cluster.enabled false")
    else:
        architecture = str(view.value("architecture", "replication"))
        standalone_origin = Fact(0, view.anchor("architecture"), "architecture standalone")
    sentinel = architecture == "replication" and view.value("sentinel.enabled", False) is True
    if sentinel and legacy and chart_version is not None and chart_version < (11, 0, 0):
        # Before 11.0.0 sentinel ran as a sidecar of the master and slave StatefulSets, which
        # kept their own start scripts (README "To 11.0.0").
        sentinel = False
    master_role = names.master_prefix if names.master_prefix == "primary" else "master"
    replica_count_path = "cluster.slaveCount" if legacy else f"{names.replica_prefix}.replicaCount"
    replica_default = 2 if legacy else 3
    if sentinel:
        roles = [("node", names.replica_prefix)]
        mode = "sentinel"
    elif architecture == "replication":
        roles = [(master_role, names.master_prefix), ("replica", names.replica_prefix)]
        mode = "replication"
    else:
        roles = [(master_role, names.master_prefix)]
        mode = "standalone"
    kinds = {names.common_key: SHARED_LAYER, f"chart default {names.common_key}": SHARED_DEFAULT_LAYER}
    for _, prefix in roles:
        kinds[f"{prefix}.{names.role_config_key}"] = ROLE_LAYER
        kinds[f"{prefix}.extraFlags"] = FLAGS_LAYER
    layer_kinds = MappingProxyType(kinds)
    targets: list[Target] = []
    anchors_base = [s for s in (rel.values_anchor, rel.anchor) if s is not None]
    common: ConfigSource | None = None  # redis.conf, the same for every role: built once
    partial = from_values(view)
    for role, prefix in roles:
        if role == "node":
            pods = int_fact(view, replica_count_path, replica_default)
            followers: Fact[int | None] = Fact(max(pods.value - 1, 0), pods.span, f"{replica_count_path} - 1 (one node is master)")
            retention = "sentinel"
        elif role == "replica":
            pods = int_fact(view, replica_count_path, replica_default)
            followers = Fact(None, None, "")
            retention = prefix
        else:
            count_path = f"{prefix}.replicaCount" if rel.chart == "bitnami/valkey" else f"{prefix}.count"
            pods = int_fact(view, count_path, 1)
            followers = (int_fact(view, replica_count_path, replica_default) if mode == "replication"
                         else standalone_origin)
            retention = prefix
        if role == "replica" and pods.value == 0 and pods.span is not None:
            continue  # replicaCount: 0 renders a StatefulSet with no pods: no Redis runs in this role
        facts, bad_values = build_facts(view, prefix, role, rel.chart, chart_version, architecture, pods,
                                        followers, retention, legacy)
        if common is None:
            common = common_layer(view, names, redis_version)
        source = role_script(view, role, names, redis_version, legacy, common)
        evaluation = evaluate(source, redis_version)
        config_key = f"{prefix}.{names.role_config_key}"
        issues = [_folded_issue(path, found) for path, found in folded_blocks(view, [names.common_key, config_key])] \
            + ([] if targets else list(rel.issues)
               + values_key_issues(view, rel.chart, chart_version, mode, [p for _, p in roles]))
        # Where a missing directive should go: the layer Redis reads last wins, and sentinel
        # nodes read commonConfiguration after replica.configuration.
        first, second = (names.common_key, config_key) if role == "node" else (config_key, names.common_key)
        anchors = [view.anchor(first), view.anchor(second), view.anchor(prefix)] + anchors_base
        targets.append(Target(
            path=rel.path, name=rel.name, kind=rel.kind, role=role, chart=rel.chart,
            chart_version=chart_version_text, redis_version=redis_version,
            assumptions=rel.assumptions + versions.assumptions + presets_assumed + parent_assumed,
            mode=mode, source=source, evaluation=evaluation, facts=facts, anchor=rel.anchor,
            config_anchors=tuple(a for a in anchors if a is not None), values=view, values_prefix=prefix,
            unresolved=rel.unresolved + tuple(bad_values) + tuple(_unresolved_role(view, prefix, legacy)),
            annotations=rel.annotations, annotation_spans=rel.annotation_spans, values_anchor=rel.values_anchor,
            values_issues=tuple(issues), partial=partial,
            upstream=targets[0] if role == "replica" and targets else None, layer_kinds=layer_kinds,
            pin=rel.pin,
        ))
    return targets


def _folded_issue(path: str, found) -> ValuesIssue:
    node = found.node
    lines = node.span.end_line - node.span.line
    joined = " ".join(str(node.value).split())
    shown = joined if len(joined) <= 60 else joined[:57] + "..."
    return ValuesIssue("RL015", f"{path} is a folded scalar: YAML joins its {max(lines, 1)} lines into "
                       f"'{shown}', which Redis reads as one directive and refuses to start", found.key_span, path,
                       f"Write {path}: | (a literal block) so each directive stays on its own line")


def _unresolved_role(view: ValuesView, prefix: str, legacy: bool = False) -> list[Unresolved]:
    """Values that take the config out of the chart's hands, so our model of it may be wrong."""
    out = []
    # Before 14.0.0 `command: /run.sh` was the default (values copied from the chart's own file).
    default_command = "/run.sh" if legacy else None
    checks = [
        ("existingConfigmap", "existingConfigmap replaces the chart's configuration ConfigMap; the Redis "
         "config it holds is not among the inputs, so every config check for this release is unverified"),
        (f"{prefix}.command", f"{prefix}.command replaces the chart's start script; the layering and "
         "extraFlags shown may not be what runs"),
        (f"{prefix}.args", f"{prefix}.args replaces the chart's start script arguments; the layering shown "
         "may not be what runs"),
        (f"{prefix}.preExecCmds", f"{prefix}.preExecCmds runs shell before Redis starts and may rewrite its config"),
        ("diagnosticMode.enabled", "diagnosticMode runs `sleep infinity` instead of Redis"),
    ]
    for path, message in checks:
        found = view.get(path)
        if path.endswith(".command") and found is not None and found.value == default_command:
            continue
        if found is not None and found.value not in (None, "", [], {}, False):
            out.append(Unresolved(message, found.key_span, path))
    return out
