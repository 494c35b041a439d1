"""What the transition rules (`check --base`) share: whether data was kept, where, and in what form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from redislint.rules._helpers import save_points, templated_keys

if TYPE_CHECKING:
    from redislint.change.places import Place
    from redislint.change.transition import Side, Transition
    from redislint.target import Target

PERSISTENT_VOLUMES = ("claim-template", "claim", "hostPath")


def rdb_on(target: Target) -> bool:
    """Snapshots are written (at least one save point)."""
    return bool(save_points(target))


def aof_on(target: Target) -> bool:
    """The append-only file is written."""
    return (target.value("appendonly") or "no").lower() == "yes"


def keeps_data(side: Side) -> bool:
    """What Redis writes at this revision survives the pod: a claim (or a node's hostPath) holds `dir`.
    A redis.conf or ConfigMap without its pod: `dir` is taken to be on a disk that stays (a VM, a
    volume the inputs do not show)."""
    place = side.place
    if place.volume == "unknown":
        return True
    return place.volume in PERSISTENT_VOLUMES and place.in_volume is not None


def persisted(side: Side) -> bool:
    """Data was on disk at this revision: snapshots or the AOF, written where they survive the pod."""
    return keeps_data(side) and (rdb_on(side.target) or aof_on(side.target))


def templated(change: Transition, *keys: str) -> bool:
    """One of `keys` is filled in at deploy time on either side: nothing can be compared."""
    return any(k in templated_keys(change.base.target) or k in templated_keys(change.head.target) for k in keys)


def same_claim(a: Place, b: Place) -> bool:
    """Both revisions mount the same claim: by name when both names are known (a new release may mount
    the old claim with existingClaim), else the same workload's claim template."""
    if a.claim and b.claim:
        return a.claim == b.claim and a.namespace == b.namespace
    return a.volume == b.volume and a.workload == b.workload and a.namespace == b.namespace


def same_data(a: Place, b: Place) -> bool:
    """Both revisions read the data from the same place: the same claim (or, without Kubernetes, the same dir)."""
    if a.volume == "unknown" or b.volume == "unknown":
        return a.dir == b.dir
    return same_claim(a, b) and a.sub_path == b.sub_path and a.in_volume == b.in_volume


def where(place: Place) -> str:
    """The place as a reviewer looks for it: the claim, else the volume and directory."""
    if place.volume == "unknown":
        return place.dir or "the working directory"
    sub = f", subPath {place.sub_path}" if place.sub_path else ""
    inside = place.in_volume
    at = f" (dir {place.dir})" if inside not in (None, ".") else ""
    if place.volume == "claim" and place.claim:
        return f"the PersistentVolumeClaim {place.claim}{sub}{at}"
    if place.volume == "claim-template":
        claim = f"PersistentVolumeClaim {place.claim}" if place.claim else "the claim of its volumeClaimTemplates"
        owner = f" of {place.workload}" if place.workload and not place.claim else ""
        return f"{'the ' if place.claim else ''}{claim}{owner}{sub}{at}"
    if place.volume == "hostPath":
        return f"a hostPath volume{sub}{at}"
    return f"{place.volume}{at}"


def base_label(change: Transition) -> str:
    """"at origin/main" (and the file's old path when the change moved it)."""
    moved = f", in {change.renamed_from}" if change.renamed_from else ""
    return f"at {change.ref}{moved}"


def role_words(target: Target) -> str:
    """"the master" / "every node" / "redis.conf": who the finding is about."""
    if target.role == "node":
        return "every node"
    if target.role in ("master", "primary"):
        return f"the {target.role}"
    return "the server"
