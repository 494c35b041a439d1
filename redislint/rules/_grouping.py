"""One root cause, one finding: which rule owns each root cause, and which rules defer to it.

A single decision in the config (AOF off, no maxmemory, persistence on for disposable data) can
break several rules at once. The user should read it once, at the line to change, with every
consequence in that one message. So each rule tags its hits with the root causes they stem from
(`Hit.causes`), and for each target the engine keeps a deferring rule's hit only when the owner
of every cause it shares did not report that cause. The owner's message carries the consequences
the deferring rules would have spelled out, and the owner's finding takes the worst severity of
the group (a tmpfs under an emptyDir is an error even where the emptyDir alone is a warning).

Deferral happens before suppressions: suppressing the owner's finding (inline, in the config file
or through a baseline) hides the whole group, never leaving a sibling that says the same thing.
When the owner does not run (its severity is `off`, or `--select`/`--ignore` leave it out), the
deferring rules report on their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple, TypeVar


class RootCause(NamedTuple):
    """A decision in the config that several rules can see; `owner` reports it, `deferrers` step back."""

    name: str
    owner: str
    deferrers: tuple[str, ...]
    why: str


# The one table. Order does not matter; every rule's hits name their causes from this list.
ROOT_CAUSES: tuple[RootCause, ...] = (
    RootCause("aof-off", "RL203", ("RL205", "RL406", "RL208"),
              "AOF off under a profile that requires it: RL203 gives the data-loss window it leaves, the "
              "replicas that resync from the master when it restarts empty, and an `rdbchecksum no` that would "
              "then write the AOF's RDB base without a CRC (its fix removes the line)."),
    RootCause("appendfsync", "RL204", ("RL205",),
              "An appendfsync the profile does not allow: RL204 gives the seconds it can lose."),
    RootCause("rdb-off", "RL201", ("RL205", "RL406", "RL208"),
              "No save points under a profile that requires snapshots (with the AOF off too, the window is "
              "unbounded and a restarted master comes back empty): RL201 and RL203 each name their own line; an "
              "`rdbchecksum no` that would write the snapshots back without a CRC is removed by the same fix."),
    RootCause("chart-default-common", "RL201", ("RL204", "RL205"),
              "The release runs the chart's default commonConfiguration as shipped (`appendonly yes`, `save \"\"`, "
              "appendfsync left at everysec), in any architecture: RL201's one edit (the role's configuration, or one "
              "commonConfiguration text where every role or sentinel node reads it) adds the save points and the "
              "appendfsync the profile wants, so it also settles RL204."),
    RootCause("save-points", "RL205", ("RL202",),
              "With the AOF off, save points that leave the window too long or unbounded: RL205 compares it with "
              "the profile's maximum; RL202 alone would only say that the snapshot can be old."),
    RootCause("no-maxmemory", "RL301", ("RL303", "RL306"),
              "maxmemory 0 under a profile that requires it: the eviction policy never acts (RL306) and fork "
              "headroom cannot be sized (RL303); RL301 says both."),
    RootCause("unbounded-dataset", "RL303", ("RL306",),
              "maxmemory 0 where the profile does not require it (RL301 off), on a role that forks: RL303 sizes "
              "what the limit allows and says that the written eviction policy never acts."),
    RootCause("persistence-on", "RL211",
              ("RL204", "RL206", "RL207", "RL208", "RL209", "RL210", "RL303", "RL401", "RL402", "RL405", "RL601"),
              "Snapshots or the AOF on for disposable data: every rule about how well that persistence works "
              "(its fsync, fork, disk, volume, permissions) is a consequence of keeping it at all."),
    RootCause("no-persistent-volume", "RL401", ("RL406",),
              "The data directory is an emptyDir: replicas that resync from the restarted, empty master (RL406) "
              "are a consequence RL401 names. (A tmpfs medium, RL405, is a decision of its own.)"),
    RootCause("fork-headroom", "RL303", ("RL307", "RL308"),
              "maxmemory too large for the memory limit's fork headroom: RL303 gives the numbers, says where the "
              "limit comes from (a Bitnami preset: RL307) and that the request is below maxmemory too (RL308); "
              "lowering maxmemory settles all three."),
    RootCause("replica-smaller", "RL309", ("RL303", "RL307", "RL308"),
              "A replica whose memory limit cannot hold the master's data set: RL309 gives both numbers and the size "
              "that holds it, fork headroom included (RL303), where the limit comes from (a preset: RL307) and the "
              "request below the data (RL308)."),
    RootCause("misplaced-resources", "RL101", ("RL307",),
              "A `resources` block written where the chart never reads it (top level instead of master.resources): "
              "the preset applies instead, and RL101 says so at the line to move."),
    RootCause("maxmemory-over-limit", "RL304", ("RL307", "RL308"),
              "maxmemory at or above the memory limit: lowering it (RL304's fix) also settles the preset (RL307) "
              "and the request below maxmemory (RL308)."),
)

OWNER: dict[str, str] = {c.name: c.owner for c in ROOT_CAUSES}
DEFERS: dict[str, frozenset[str]] = {c.name: frozenset(c.deferrers) for c in ROOT_CAUSES}


def _rank() -> dict[str, int]:
    """A rule's place in an order where every owner comes before the rules that defer to it."""
    edges: dict[str, set[str]] = {}
    for c in ROOT_CAUSES:
        for d in c.deferrers:
            edges.setdefault(c.owner, set()).add(d)
    rank: dict[str, int] = {}
    visiting: set[str] = set()

    def depth(code: str) -> int:
        if code in rank:
            return rank[code]
        if code in visiting:
            raise ValueError(f"root causes defer in a cycle through {code}")
        visiting.add(code)
        owners = [o for o, ds in edges.items() if code in ds]
        rank[code] = 1 + max((depth(o) for o in owners), default=-1)
        visiting.discard(code)
        return rank[code]

    for code in {c.owner for c in ROOT_CAUSES} | {d for c in ROOT_CAUSES for d in c.deferrers}:
        depth(code)
    return rank


RANK: dict[str, int] = _rank()

T = TypeVar("T")


def one_finding_per_cause(items: Sequence[T], code_of: Callable[[T], str],
                          causes_of: Callable[[T], tuple[str, ...]]) -> list[tuple[T, tuple[T, ...]]]:
    """`items` (one target's hits) without those whose root cause an owner already reports, in order,
    each kept item with the items it stands for (dropped because they defer to it).

    `code_of(item)` is the rule code and `causes_of(item)` the hit's causes. Owners are decided
    first, so a rule that is both (RL303 defers to RL301 and owns the preset's fork headroom) only
    owns what it still reports. The caller gives a kept item the worst severity of the group: the
    one finding carries every consequence.
    """
    if not any(causes_of(i) for i in items):
        return [(item, ()) for item in items]
    order = sorted(range(len(items)), key=lambda i: RANK.get(code_of(items[i]), 0))
    reporter: dict[tuple[str, str], int] = {}  # (owner code, cause) -> index of the kept item
    kept: dict[int, list[T]] = {}
    for i in order:
        code, causes = code_of(items[i]), causes_of(items[i])
        owner = next((reporter[(OWNER[c], c)] for c in causes
                      if code in DEFERS.get(c, ()) and (OWNER[c], c) in reporter), None)
        if owner is not None:
            kept[owner].append(items[i])
            continue
        kept[i] = []
        for c in causes:
            reporter.setdefault((code, c), i)
    return [(items[i], tuple(kept[i])) for i in range(len(items)) if i in kept]


def table_markdown() -> str:
    """The table as Markdown, for docs/rules.md."""
    rows = ["| Root cause | Reported by | Defers to it | Why |", "| --- | --- | --- | --- |"]
    for c in ROOT_CAUSES:
        rows.append(f"| `{c.name}` | [{c.owner}](#{c.owner}) | "
                    f"{', '.join(f'[{d}](#{d})' for d in c.deferrers)} | {c.why} |")
    return "\n".join(rows) + "\n"


def causes_known(causes: Iterable[str]) -> list[str]:
    """The causes in `causes` that the table does not define (a typo in a rule)."""
    return [c for c in causes if c not in OWNER]
