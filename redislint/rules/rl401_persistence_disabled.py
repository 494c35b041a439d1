"""Persistence disabled: the data directory is an emptyDir, and every RDB and AOF file dies with the pod.

## What it does
Flags a chart role whose `/data` is an emptyDir because `persistence.enabled` is false (or the
role runs as a DaemonSet), when the profile requires a persistent volume. Under a profile that
does not (`baseline`, `ephemeral`), it reports only a role that still writes RDB snapshots or an
AOF into that emptyDir, at most as a warning: the files are configured but cannot do their job.

## Why is this bad?
An emptyDir lives as long as the pod: a reschedule, a node drain or a deleted pod brings Redis
back empty, whatever `save` and `appendonly` say. Worse, `persistence.enabled: false` does not
turn AOF off: the chart's default `commonConfiguration` still says `appendonly yes`, so Redis keeps
writing and rewriting the AOF into the node's ephemeral storage until the kubelet evicts the pod
(bitnami/charts#3274, #28132).

## Example
```yaml
architecture: standalone
master:
  persistence:
    enabled: false
```

## Use instead
```yaml
architecture: standalone
master:
  persistence:
    enabled: true
    size: 16Gi
```

## Fix
Set `persistence.enabled: true` with a size for the data (runbook: `size: 16Gi`); if the data
really is disposable, also set `appendonly no` and `save ""` and use a profile that does not
require a volume. On a release already installed the StatefulSet is deleted with
`--cascade=orphan` first, and the pods restart on new, empty claims: carry the data over (BGSAVE
or BGREWRITEAOF, then copy the files the config loads), or let replicas resync one node at a time
under Sentinel, or accept that the first start is empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.kinds.registry import vocabulary_of
from redislint.model import Severity, Span
from redislint.rules._api import Hit, define
from redislint.rules._helpers import at_most, persistence_off, save_points, templated_keys
from redislint.rules._sizing import fact_span, keys_for, values_span

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def _switched(target: Target) -> bool:
    """True when the kind's values switch its volume (persistence.enabled): they say why there is none."""
    v = vocabulary_of(target)
    return v is not None and v.persistence_enabled is not None


def _cause(target: Target) -> tuple[str, str, Span] | None:
    """(why, what /data is on, span) for a role without a persistent volume; None when RL403 applies."""
    facts, keys = target.facts, keys_for(target)
    origin = str(facts.persistent.origin)
    if vocabulary_of(target) is not None and facts.volume == "emptyDir" \
            and (facts.persistence_enabled.value is True or not keys.enabled):
        # Switched on but given no size or claim (valkey-io), or a kind with no switch at all
        # (groundhog2k): the chart mounts an emptyDir, and the fact says which values left it so.
        return "no PersistentVolumeClaim holds the data directory", origin, \
            fact_span(facts.persistent) or values_span(target, keys.volume_block, keys.role_block)
    if _switched(target):  # a chart: its values say why
        if facts.persistence_enabled.value is not True:
            span = fact_span(facts.persistence_enabled) or values_span(target, keys.volume_block, keys.role_block)
            where = f"a {origin} volume on one node" if facts.volume == "hostPath" else "an emptyDir"
            return f"{keys.enabled} is false", where, span
        if facts.workload_kind.value == "DaemonSet" and keys.kind:
            span = fact_span(facts.workload_kind) or values_span(target, keys.kind, keys.role_block)
            return f"{keys.kind} is DaemonSet (the chart never gives a DaemonSet a PVC)", "an emptyDir", span
        if facts.pvc_created.value is False:
            return None  # a Deployment whose PVC is never created: RL403
    span = fact_span(facts.persistent) or target.config_anchor
    return "no PersistentVolumeClaim holds the data directory", origin, span


def _carry_over(target: Target) -> str:
    """What happens to the data held now when the pods move onto new, empty claims."""
    facts = target.facts
    if target.mode == "sentinel" and facts.pods.value > 1:
        return ("; the nodes then restart one at a time on new, empty claims and each resyncs from the current "
                "master, so the data carries over only if Sentinel has failed the master over before its pod is "
                "replaced (the chart's preStop asks it to): check `INFO replication` on the new master before the last "
                "pod rolls")
    aof = (target.value("appendonly") or "no").lower() == "yes"
    aof_files = target.value("appenddirname") or target.value("appendfilename") or "appendonly.aof"
    files = (f"{aof_files} (with appendonly yes Redis loads the AOF, never dump.rdb)" if aof
             else target.value("dbfilename") or "dump.rdb")
    what = "BGREWRITEAOF" if aof else "BGSAVE"
    return (f"; the {target.role} then restarts on a new, empty claim, and the data it holds now is lost unless it "
            f"is carried over: run {what} and `kubectl cp` {files} out of the pod before the upgrade, then copy it "
            "into the new volume and restart the pod (or accept that the first start is empty)")


def _persists(target: Target) -> bool:
    """True when the effective config writes RDB snapshots or an AOF."""
    return bool(save_points(target)) or (target.value("appendonly") or "no").lower() == "yes"


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    if not facts.known or facts.persistent.value:
        return
    required = profile.persistent_volume_required
    if not required and ({"save", "appendonly"} & templated_keys(target) or not _persists(target)):
        return  # no volume needed, and nothing is written that would need one
    found = _cause(target)
    if found is None:
        return
    cause, volume, span = found
    keys = keys_for(target)
    path = facts.data_path.value
    if facts.volume == "hostPath":
        lost = "a pod rescheduled to another node starts empty"
    else:
        lost = "every RDB and AOF file is lost whenever the pod is deleted or rescheduled"
    message = f"{cause}: {path} is on {volume}, so {lost}"
    caveat = ""
    vocabulary = vocabulary_of(target)
    if vocabulary is not None and keys.size and facts.volume == "emptyDir" \
            and (facts.persistence_enabled.value is True or not keys.enabled):
        claim = f", or name an existing claim in {vocabulary.existing_claim}" if vocabulary.existing_claim else ""
        fix = f"Set {keys.size} for the data (runbook: 16Gi){claim}"
    elif _switched(target) and keys.size and not keys.size.endswith(".size"):
        fix = f"Set {keys.enabled}: true with {keys.size} for the data (runbook: 16Gi)"
    elif _switched(target):
        fix = f"Set {keys.enabled}: true with a size for the data (runbook: size: 16Gi)"
    else:
        fix = f"Mount a PersistentVolumeClaim (volumeClaimTemplates) at {path}"
    if vocabulary is not None and facts.workload_kind.value == "StatefulSet":
        # volumeClaimTemplates of a StatefulSet cannot change: the upgrade fails (and Flux rolls back).
        caveat = ("; on a release already installed, Kubernetes refuses the new volumeClaimTemplates, so delete "
                  "the StatefulSet with `kubectl delete statefulset <name> --cascade=orphan` before the upgrade"
                  f"{_carry_over(target)}")
    if target.value("appendonly") == "yes" and facts.volume == "emptyDir":
        message += ("; with appendonly yes the AOF and its rewrites are written to the node's disk and count against "
                    "the pod's ephemeral storage (the kubelet evicts a pod over its limit)")

    if str(facts.medium.value) == "Memory":
        message += " (medium Memory: a tmpfs, see RL405)"
    # The consequence RL406 would report is said here, once (it defers to this finding).
    followers = facts.replicas_of_master.value or 0
    if target.mode == "replication" and target.role in ("master", "primary") and followers > 0:
        message += (f"; when the pod restarts empty, its {followers} replica{'s' if followers != 1 else ''} resync "
                    "from it and drop their copy too (bitnami/charts#11083)")
    elif target.mode == "sentinel" and facts.pods.value > 1:
        message += ("; a node that restarts empty before Sentinel fails it over stays master, and every replica "
                    "resyncs to its empty dataset")
    if required:
        yield Hit(message, span, fix + caveat, subject=keys.enabled, causes=("no-persistent-volume",))
        return
    message += "; the RDB or AOF configured here survives a crash of the container, not a new pod"
    fix += f", or turn persistence off ({persistence_off(target)}) if the data is disposable"
    yield Hit(message, span, fix + caveat, subject=keys.enabled, severity=at_most(profile, "RL401", Severity.WARNING),
              causes=("no-persistent-volume", "persistence-on"))


RULE = define("RL401", "persistence-disabled", "storage", Severity.ERROR, __doc__, check,
              tags=("storage", "kubernetes", "data-loss"))
