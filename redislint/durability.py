"""How much acknowledged data a Redis configuration can lose: the data-loss window, in seconds.

One model, shared by the rules (RL204, RL205, RL207) and `redislint effective`:

* **AOF on** (`appendonly yes`): Redis loads the AOF at start-up and ignores dump.rdb, so the
  AOF alone decides the window.
  * `appendfsync always` → **0 s**: the AOF is fsynced before Redis replies.
  * `appendfsync everysec` → **1 s**: a background fsync once per second. When the disk is slow,
    Redis postpones a pending fsync for up to 2 s before it blocks, so the true worst case is
    about **2 s** (`worst_case_seconds`). Profiles count everysec as 1 s.
  * `appendfsync no` → **about 30 s**: Redis never fsyncs; Linux writes dirty pages back once they
    are older than `vm.dirty_expire_centisecs` (3000, i.e. 30 s).
  * `no-appendfsync-on-rewrite yes`: while a BGSAVE or AOF-rewrite child runs, Redis skips fsync,
    so for the length of each rewrite the window is that of `appendfsync no` (about 30 s). This
    is a caveat (`rewrite_seconds`), not the steady-state number.
* **RDB only**: a save point `<seconds> <changes>` fires when `changes` writes happened and
  `seconds` passed since the last save. A single write followed by silence is saved only by a
  point with `changes <= 1` (0 means "every N seconds"; a negative value, from an overflowed
  `int`, behaves like 0). The window is the shortest such interval (plus the time the BGSAVE
  takes to write); with no such point it is **unbounded**: a low write rate is never saved.
* **Neither** → **unbounded**: nothing reaches the disk.

Separately, `failover_window` bounds what a failover can lose: with `min-replicas-to-write N`
(N >= 1) and `min-replicas-max-lag L` (L >= 1) the master refuses writes unless N replicas
acknowledged within L seconds, so a promoted replica misses at most about L seconds of writes;
otherwise (either is 0, which disables the feature) the loss is unbounded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from redislint.kinds.registry import kind_of
from redislint.rules._helpers import save_points  # a refused `save ... # comment` line counted as meant

if TYPE_CHECKING:
    from redislint.target import Target

UNBOUNDED = math.inf
ALWAYS_SECONDS = 0.0
# Every directive that decides whether data survives; `effective` shows these by default, and a
# templated value of one of them weakens a check (RL003), unlike e.g. a templated requirepass.
PERSISTENCE_DIRECTIVES = (
    "save", "appendonly", "appendfsync", "appendfilename", "appenddirname", "dir", "dbfilename",
    "stop-writes-on-bgsave-error", "rdbcompression", "rdbchecksum", "no-appendfsync-on-rewrite",
    "auto-aof-rewrite-percentage", "auto-aof-rewrite-min-size", "aof-load-truncated", "aof-use-rdb-preamble",
    "maxmemory", "maxmemory-policy", "min-replicas-to-write", "min-replicas-max-lag", "repl-diskless-sync",
    "replicaof",
)

# Turning the AOF on over data that only dump.rdb holds: with `appendonly yes` in the file, the restarted
# Redis loads the (missing, so new and empty) AOF and ignores dump.rdb, and its next snapshot overwrites
# dump.rdb (redis/redis#12484, #1826; tests/rules/test_aof_switch.py shows it on a real redis-server).
# Switched on at run time, Redis first rewrites its whole data set into the new AOF. Every fix that
# turns the AOF on (RL203, RL205) and the transition rule RL212 give this one procedure.
LIVE_AOF_SWITCH = ("run `CONFIG SET appendonly yes` on every running server of this role, wait until "
                   "`INFO persistence` shows `aof_rewrite_in_progress:0` (and `aof_rewrite_scheduled:0`): Redis has "
                   "then written the data set into the AOF")

EVERYSEC_SECONDS = 1.0
EVERYSEC_WORST_SECONDS = 2.0  # the fsync Redis postpones for up to 2 s on a slow disk
KERNEL_WRITEBACK_SECONDS = 30.0  # vm.dirty_expire_centisecs = 3000


class LossWindow(NamedTuple):
    """A data-loss window: how old the newest acknowledged write lost in a crash can be."""

    seconds: float  # math.inf when unbounded
    mechanism: str  # "aof", "rdb", "none" or "replication"
    reason: str  # the computation in words, with numbers, for messages
    worst_case_seconds: float = 0.0  # >= seconds; everysec: 2 s
    # Window while a BGSAVE or AOF rewrite child runs (no-appendfsync-on-rewrite yes), else None.
    rewrite_seconds: float | None = None
    save_point: tuple[int, int] | None = None  # the save point that bounds an RDB-only window

    @property
    def unbounded(self) -> bool:
        """True when no amount of time guarantees a write reaches the disk."""
        return math.isinf(self.seconds)

    @property
    def text(self) -> str:
        """"1 s", "about 30 s", "unbounded"."""
        return format_seconds(self.seconds, approximate=self.mechanism == "aof"
                              and self.seconds == KERNEL_WRITEBACK_SECONDS)

    def exceeds(self, limit: float) -> bool:
        """True when the window is larger than a profile's maximum."""
        return self.seconds > limit


def format_seconds(seconds: float, approximate: bool = False) -> str:
    """3600.0 -> "3600 s"; inf -> "unbounded"."""
    if math.isinf(seconds):
        return "unbounded"
    number = f"{int(seconds)}" if float(seconds).is_integer() else f"{seconds:g}"
    return f"{'about ' if approximate else ''}{number} s"


def fires_on_one_change(point: tuple[int, int]) -> bool:
    """A save point that saves after a single write (changes 0 or 1; negative wraps act like 0)."""
    return point[1] <= 1


def _pairs_text(points: Iterable[tuple[int, int]]) -> str:
    return " ".join(f"{s} {c}" for s, c in points)


def aof_window(appendfsync: str, no_appendfsync_on_rewrite: bool = False) -> LossWindow:
    """The window of an enabled AOF; ValueError for an appendfsync value Redis does not know."""
    policy = appendfsync.strip().lower()
    rewrite = KERNEL_WRITEBACK_SECONDS if no_appendfsync_on_rewrite else None
    caveat = ("; with no-appendfsync-on-rewrite yes no fsync happens while a BGSAVE or AOF rewrite "
              "runs, so for the length of each rewrite the window is about 30 s"
              if no_appendfsync_on_rewrite and policy != "no" else "")
    if policy == "always":
        return LossWindow(ALWAYS_SECONDS, "aof", "appendonly yes with appendfsync always fsyncs the AOF "
                          "before Redis replies, so 0 s" + caveat, ALWAYS_SECONDS, rewrite)
    if policy == "everysec":
        return LossWindow(EVERYSEC_SECONDS, "aof", "appendonly yes with appendfsync everysec fsyncs the "
                          "AOF once per second, so 1 s (about 2 s when a slow disk makes Redis postpone "
                          "the fsync)" + caveat, EVERYSEC_WORST_SECONDS, rewrite)
    if policy == "no":
        return LossWindow(KERNEL_WRITEBACK_SECONDS, "aof", "appendonly yes with appendfsync no never fsyncs the "
                          "AOF, and Linux writes dirty pages back after about 30 s", KERNEL_WRITEBACK_SECONDS,
                          rewrite)
    raise ValueError(f"unknown appendfsync {appendfsync!r}")


def rdb_window(save_points: Iterable[tuple[int, int]]) -> LossWindow:
    """The window of RDB snapshots alone: the shortest save point that fires on one change."""
    points = list(save_points)
    if not points:
        return none_window()
    single = [p for p in points if fires_on_one_change(p)]
    if single:
        best = min(single, key=lambda p: p[0])
        return LossWindow(float(best[0]), "rdb", f"with the AOF off only RDB snapshots persist (save "
                          f"{_pairs_text(points)}), and the shortest save point that fires on a single change is "
                          f"{best[0]} {best[1]}, so a write waits up to "
                          f"{best[0]} s (plus the time the BGSAVE takes) before it is on disk",
                          float(best[0]), None, best)
    fewest = min(points, key=lambda p: (p[1], p[0]))
    return LossWindow(UNBOUNDED, "rdb", f"with the AOF off only RDB snapshots persist (save {_pairs_text(points)}), "
                      f"and no save point fires on a single change (the lowest threshold is {fewest[1]} changes in "
                      f"{fewest[0]} s), so fewer than {fewest[1]} writes are never saved", UNBOUNDED, None, None)


def none_window() -> LossWindow:
    """No AOF and no save points."""
    return LossWindow(UNBOUNDED, "none", "appendonly no and no save points: nothing is written to disk, so a "
                      "restart loses every write", UNBOUNDED)


def data_loss_window(*, appendonly: bool, appendfsync: str = "everysec",
                     save_points: Iterable[tuple[int, int]] = (),
                     no_appendfsync_on_rewrite: bool = False) -> LossWindow:
    """The window of a whole persistence configuration (the AOF wins when it is on)."""
    if appendonly:
        return aof_window(appendfsync, no_appendfsync_on_rewrite)
    return rdb_window(save_points)


def failover_window(min_replicas_to_write: int, min_replicas_max_lag: int = 10) -> LossWindow:
    """What a failover to a replica can lose: bounded by the lag only when min-replicas is in force."""
    if min_replicas_to_write <= 0:
        return LossWindow(UNBOUNDED, "replication", f"with min-replicas-to-write {min_replicas_to_write} the master "
                          "acknowledges writes no replica has received, so a failover to a lagging replica "
                          "loses them", UNBOUNDED)
    if min_replicas_max_lag <= 0:
        return LossWindow(UNBOUNDED, "replication", "min-replicas-max-lag 0 turns min-replicas-to-write off, so "
                          "a failover to a lagging replica loses any amount of writes", UNBOUNDED)
    lag = float(min_replicas_max_lag)
    return LossWindow(lag, "replication", f"with min-replicas-to-write {min_replicas_to_write} and "
                      f"min-replicas-max-lag {min_replicas_max_lag} the master refuses writes unless "
                      f"{min_replicas_to_write} replica(s) acknowledged within {min_replicas_max_lag} s", lag)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def window_for(target: Target) -> LossWindow | None:
    """The window of a target's effective config; None when appendfsync holds a value Redis rejects."""
    appendonly = (target.value("appendonly") or "no").lower() == "yes"
    try:
        return data_loss_window(appendonly=appendonly, appendfsync=target.value("appendfsync") or "everysec",
                                save_points=save_points(target),
                                no_appendfsync_on_rewrite=(target.value("no-appendfsync-on-rewrite") or "no")
                                .lower() == "yes")
    except ValueError:
        return None


MASTER_ROLES = ("master", "primary", "node")


def failover_source(target: Target) -> bool:
    """True when the target runs a master that replicas follow, or a node that may become one.

    Chart roles master/primary and sentinel nodes; redis-ha's single `server` role (every pod may be
    master). A hand-written workload sets up no replication we can see, and a chart replica takes
    no writes. For a bare redis.conf (nothing known about the pod), any file without `replicaof`.
    """
    if target.facts.known:
        if target.role in MASTER_ROLES:
            return True
        return target.role == "server" and bool(target.chart) and target.mode in ("replication", "sentinel")
    return target.role in MASTER_ROLES + ("server",) and not target.value("replicaof")


def fails_over(target: Target) -> bool:
    """True when something promotes a replica automatically: Sentinel (Bitnami sentinel mode, a kind
    that always runs it: every redis-ha release). Bitnami `replication` without Sentinel has copies,
    not automatic standbys."""
    if target.mode == "sentinel":
        return True
    kind = kind_of(target) if target.chart else None
    return kind is not None and kind.always_fails_over


def follows_only(target: Target) -> bool:
    """True for a replica nothing promotes that ignores maxmemory (`replica-ignore-maxmemory yes`, the
    default since Redis 5): it takes no client writes, holds exactly its master's data set, and its own
    maxmemory and eviction policy never act (evict.c returns early on such a replica). Its memory is
    judged against the master's data set (RL309, RL303), never with advice to set its own maxmemory."""
    if target.role != "replica" or fails_over(target):
        return False
    return (target.value("replica-ignore-maxmemory") or "").lower() == "yes"


def failover_window_for(target: Target) -> LossWindow:
    """`failover_window` from a target's effective min-replicas-to-write / min-replicas-max-lag."""
    return failover_window(_int(target.value("min-replicas-to-write"), 0),
                           _int(target.value("min-replicas-max-lag"), 10))


def snapshots_may_hold_data(target: Target) -> bool:
    """True when dump.rdb may hold the only copy of the data: save points are on (or written on a line
    Redis refuses, which the person means to keep) and the data directory outlives the pod (or, for a
    bare config, nothing says it does not). Then the AOF must be switched on at run time first."""
    if not save_points(target):
        return False
    facts = target.facts
    return not facts.known or bool(facts.persistent.value)


def aof_on_fix(target: Target, change: str) -> str:
    """`change` (the edit that turns the AOF on) with the live switch in front of it when existing
    snapshots would otherwise be ignored at the next restart."""
    if not snapshots_may_hold_data(target):
        return change
    return (f"On a Redis that already holds data, first {LIVE_AOF_SWITCH}; only then {change[:1].lower()}"
            f"{change[1:]} (changed in the config alone, the restarted Redis loads a new, empty AOF and ignores "
            "dump.rdb)")
