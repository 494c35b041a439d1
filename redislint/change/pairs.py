"""Which target at the base revision each current target is: by file, kind, name and role, then looser.

A role keeps its identity across chart changes that rename it (`master` → `primary` from bitnami/redis
to bitnami/valkey, `master` → `node` when Sentinel is switched on): what matters is which process held
the data. Targets are paired in three passes, each only among those still unpaired:
1. the same file (renames followed), kind, name and role;
2. the same kind, name and role in another file, when only one candidate exists on each side (a
   release moved to another file);
3. the same file, kind and role, when only one candidate exists on each side (a renamed release).
Anything left is new (no base to compare with) or removed (nothing to report).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from redislint.target import Target

_PRIMARY = frozenset({"master", "primary", "node", "server"})


def role_kind(role: str) -> str:
    """"primary" for a process that holds the data set as its own, "replica" for a follower."""
    return "primary" if role in _PRIMARY else "replica"


def pair(head: Sequence[Target], base: Sequence[Target]) -> list[tuple[Target, Target]]:
    """(base, head) pairs, in the order of `head`."""
    left_head = list(head)
    left_base = list(base)
    found: dict[int, Target] = {}  # id(head target) -> base target
    passes: list[tuple[Callable[[Target], Hashable], bool]] = [
        (lambda t: (t.path, t.kind, t.name, role_kind(t.role)), False),
        (lambda t: (t.kind, t.name, role_kind(t.role)), True),
        (lambda t: (t.path, t.kind, role_kind(t.role)), True),
    ]
    for key, unique in passes:
        by_key: dict[Hashable, list[Target]] = {}
        for t in left_base:
            by_key.setdefault(key(t), []).append(t)
        counts: dict[Hashable, int] = {}
        for t in left_head:
            counts[key(t)] = counts.get(key(t), 0) + 1
        for t in list(left_head):
            k = key(t)
            candidates = by_key.get(k)
            if not candidates or (unique and (len(candidates) != 1 or counts[k] != 1)):
                continue
            # Among several, the same role first (master before node), then the first in file order.
            match = next((c for c in candidates if c.role == t.role), candidates[0])
            candidates.remove(match)
            found[id(t)] = match
            left_head.remove(t)
            left_base.remove(match)
    return [(found[id(t)], t) for t in head if id(t) in found]
