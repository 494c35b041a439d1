"""The change makes Redis look for its data somewhere else: the new pods start empty, the old data is orphaned.

## What it does
With `check --base REF`, reports a target that kept RDB snapshots or an AOF on a persistent
volume at REF when the change makes it read another place:
- another claim: a different chart (Bitnami redis → valkey, another publisher), a renamed
  release, `fullnameOverride` or `nameOverride`, `existingClaim`, a StatefulSet that becomes a
  Deployment, Sentinel switched on (the `-node` StatefulSet has claims of its own);
- the same claim, but another `subPath`, or `dir` moved to another directory of the volume;
- the same directory, but another `dbfilename` (for the RDB) or `appenddirname`/`appendfilename`
  (for the AOF).
A change that takes persistence away altogether is RL213.

## Why is this bad?
Kubernetes names a StatefulSet's claims after the template and the StatefulSet
(`redis-data-<fullname>-master-0`), and the charts name the StatefulSet after the release and
chart. Whatever changes a name gives the new pods new, empty claims; the old claims stay behind,
holding the data nobody reads. The same goes for a file Redis now looks for under another name or
directory: it finds nothing and starts empty. Nothing fails: the release is healthy, only empty.

## Example
At the base revision (`--base REF`):
```yaml profile=cache
architecture: standalone
fullnameOverride: cache
```
The change:
```yaml
architecture: standalone
fullnameOverride: session-cache
```

## Use instead
Keep the names the data lives under, or point the new release at the old claim:
```yaml
architecture: standalone
fullnameOverride: session-cache
master:
  persistence:
    existingClaim: redis-data-cache-master-0
```

## Fix
Keep the old name (`fullnameOverride`, `releaseName`), or mount the old claim with
`persistence.existingClaim`; otherwise migrate before the switch: `BGSAVE` on the old pods, copy
dump.rdb (or the AOF directory) into the new claim, and only then start the new pods on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.change.pairs import role_kind
from redislint.change.places import version_span
from redislint.model import Severity, Span
from redislint.rules._api import Hit, define
from redislint.rules._helpers import is_user_span
from redislint.rules._sizing import fact_span
from redislint.rules._transitions import (
    aof_on,
    base_label,
    keeps_data,
    persisted,
    rdb_on,
    same_claim,
    templated,
    where,
)
from redislint.sources import node_at

if TYPE_CHECKING:
    from redislint.change.transition import Side, Transition
    from redislint.profiles import Profile
    from redislint.target import Target

LOST = "the new pods start with an empty data set, and the old data stays behind where nothing reads it"


def _claim_cause(change: Transition) -> tuple[str, Span | None]:
    """Why the claim is another one, and where that is written."""
    base, head = change.base, change.head
    before, after = base.target, head.target
    if before.chart != after.chart:
        return f"the chart changes from {before.chart or before.kind} to {after.chart or after.kind}", \
            _chart_span(head) or version_span(after, head.doc, image=False)
    if "claim" in (base.place.volume, head.place.volume):
        return "persistence.existingClaim changes", head.place.span
    for key in ("fullnameOverride", "nameOverride"):
        old, new = _value(before, key), _value(after, key)
        if old != new:
            found = after.values.get(key) if after.values is not None else None
            return f"{key} changes from {old or '(none)'} to {new or '(none)'}", found.span if found else None
    if base.identity.release != head.identity.release:
        return (f"the release is renamed from {base.identity.release} to {head.identity.release}",
                _name_span(head))
    if before.facts.workload_kind.value != after.facts.workload_kind.value:
        return f"{before.facts.workload_kind.value} becomes {after.facts.workload_kind.value}", \
            fact_span(after.facts.workload_kind)
    if before.mode != after.mode:
        where_set = after.values.anchor("sentinel.enabled", "architecture") if after.values is not None else None
        return f"the chart now runs {after.mode} instead of {before.mode}", where_set
    if before.chart_version != after.chart_version and base.place.workload != head.place.workload:
        return (f"{after.chart} {after.chart_version} names the workload {head.place.workload}, where "
                f"{before.chart_version} named it {base.place.workload}"), version_span(after, head.doc, image=False)
    return "the claim is another one", head.place.span


def _value(target: Target, key: str) -> str:
    return str(target.values.value(key) or "") if target.values is not None else ""


def _chart_span(side: Side) -> Span | None:
    for path in ("spec.chart.spec.chart", "spec.chart.name", "spec.chartRef.name", "spec.source.chart"):
        node = node_at(side.doc, path) if side.doc is not None else None
        if node is not None:
            return node.span
    return None


def _name_span(side: Side) -> Span | None:
    for path in ("spec.releaseName", "spec.source.helm.releaseName", "metadata.name"):
        node = node_at(side.doc, path) if side.doc is not None else None
        if node is not None:
            return node.span
    return None


def _moved(change: Transition) -> tuple[str, Span | None, str] | None:
    """(what moved, where it is written, subject), or None when the data is read where it was written."""
    base, head = change.base, change.head
    b, h = base.place, head.place
    after = head.target
    if b.volume != "unknown" and not same_claim(b, h):
        cause, span = _claim_cause(change)
        return f"{cause}: the data was on {where(b)} {base_label(change)}, the pods now mount {where(h)}", span, "claim"
    if b.sub_path != h.sub_path:
        p = after.values_prefix
        span = after.values.anchor(f"{p}.persistence.subPath", f"{p}.persistence.subPathExpr") \
            if after.values is not None and p else None
        return ((f"the volume's subPath changes from {b.sub_path or '(none)'} to {h.sub_path or '(none)'}: Redis now sees "
                "another directory of the claim"), span, "subPath")
    if b.in_volume != h.in_volume or (b.volume == "unknown" and b.dir != h.dir):
        return ((f"dir moves from {b.dir} ({base_label(change)}) to {h.dir}: dump.rdb and the AOF directory are looked "
                "for where they never were"), after.directive_span("dir"), "dir")
    for key, used in (("dbfilename", rdb_on(base.target)), ("appenddirname", aof_on(base.target)),
                      ("appendfilename", aof_on(base.target))):
        old, new = base.target.value(key), after.value(key)
        if used and old is not None and new is not None and old != new:
            return ((f"{key} changes from {old} ({base_label(change)}) to {new}: Redis looks for a file that was never "
                    "written"), after.directive_span(key), key)
    return None


def check(change: Transition, profile: Profile) -> Iterator[Hit]:
    base, head = change.base, change.head
    if role_kind(head.target.role) == "replica" or not persisted(base) or not keeps_data(head):
        return  # a replica resyncs; nothing was kept; or nothing is kept any more (RL213)
    if templated(change, "dir", "dbfilename", "appenddirname", "appendfilename"):
        return
    found = _moved(change)
    if found is None:
        return
    what, span, subject = found
    where_now = span if span is not None and is_user_span(span) else head.target.anchor
    old = base.place.claim
    fix = (f"Keep the old names, or mount the old claim (persistence.existingClaim: {old})" if old and subject == "claim"
           else "Keep the old location") + (", or migrate the data first: BGSAVE on the old pods, copy dump.rdb or the "
                                             "AOF directory to the new place, then start the new pods")
    yield Hit(f"{what}: {LOST}", where_now, fix, subject=f"data-path:{subject}")


RULE = define("RL410", "data-path-moved", "storage", Severity.ERROR, __doc__, check,
              tags=("storage", "kubernetes", "change", "data-loss"), scope="transition")
