"""The change runs an older Redis (or Valkey) than the one that wrote the data: it cannot read the RDB format.

## What it does
With `check --base REF`, reports a target that kept RDB snapshots or an RDB-based AOF (the AOF's
base file is an RDB with `aof-use-rdb-preamble yes`, the default) on a persistent volume at REF,
when the change runs a server version that cannot load the RDB format the REF version writes:
a downgrade across an RDB format version (Redis 7.4 → 7.2), or a move from Redis 7.4 or later to
Valkey. The versions are those the target resolves (image tag, chart version); when one of them
was assumed, the finding says so.

## Why is this bad?
Every RDB file starts with its format version, and a server refuses any version newer than its
own: "Can't handle RDB format version 12", then "Fatal error loading the DB ... Exiting". The pods
crash-loop on the data they were meant to serve until the files are removed from the volume, and
the data with them. RDB format versions by release, from `RDB_VERSION` in `src/rdb.h`: Redis 6.0
and 6.2 write 9, 7.0 writes 10, 7.2 writes 11, 7.4 to 8.4 write 12, 8.6 writes 13, 8.8 writes 14,
8.10 writes 15; Valkey 7.2 to 8.1 write 11 (valkey-io/valkey#665 moved 8.0 back to 11 to stay
loadable by Redis 7.2), Valkey 9.0 and 9.1 write 80. Valkey reserves 12 to 79 for other
projects' formats and refuses them under its default `rdb-version-check strict` (valkey#1604;
Redis 7.4 → Valkey: valkey#845, Redis 8.6 → Valkey 9.0: valkey-doc#419).

## Example
At the base revision (`--base REF`):
```yaml profile=cache
architecture: standalone
image:
  tag: 7.4.1-debian-12-r0
```
The change:
```yaml
architecture: standalone
image:
  tag: 7.2.5-debian-12-r0
```

## Use instead
Stay on a version that reads the data; upgrades are one-way:
```yaml
architecture: standalone
image:
  tag: 7.4.2-debian-12-r0
```

## Fix
Keep a version at least as new as the one that wrote the data. To move to an older version or
to Valkey, migrate the keys instead of the files (replicate them with a tool that speaks both
formats, such as RIOT or librdb's `rdb-cli`, into a fresh instance of the target version), then
switch the clients over.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.change.pairs import role_kind
from redislint.change.places import version_span
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import at_most
from redislint.rules._transitions import (
    aof_on,
    base_label,
    persisted,
    rdb_on,
    same_data,
)

if TYPE_CHECKING:
    from redislint.change.transition import Transition
    from redislint.profiles import Profile
    from redislint.redisconf import RedisVersion

# RDB_VERSION in src/rdb.h of each release line (see the docstring for the sources): the first
# release of a line that writes a format; later lines up to the next row write the same.
RDB_FORMATS: dict[str, tuple[tuple[tuple[int, int], int], ...]] = {
    "redis": (((6, 0), 9), ((7, 0), 10), ((7, 2), 11), ((7, 4), 12), ((8, 6), 13), ((8, 8), 14), ((8, 10), 15)),
    "valkey": (((7, 2), 11), ((9, 0), 80)),
}
# The newest release line each table row set is known to cover: a newer server may write a format
# not listed, so nothing is concluded about it.
NEWEST_KNOWN = {"redis": (8, 10), "valkey": (9, 1)}
FOREIGN = range(12, 80)  # reserved by Valkey for other projects' formats (VALKEY RDB_FOREIGN_VERSION_MIN..MAX)


def rdb_format(version: RedisVersion) -> int | None:
    """The RDB format `version` writes; None when the table does not cover it."""
    line = (version.major, version.minor)
    if line > NEWEST_KNOWN[version.flavor]:
        return None
    found = None
    for first, fmt in RDB_FORMATS[version.flavor]:
        if line >= first:
            found = fmt
    return found


def loads(reader: RedisVersion, fmt: int, writer: RedisVersion) -> bool:
    """Whether `reader` (with its default strict version check) loads an RDB of format `fmt` written by `writer`."""
    own = rdb_format(reader)
    if own is None:
        return True  # a newer server than the table knows: no conclusion
    if reader.flavor == "valkey":
        return fmt <= 11 or (fmt not in FOREIGN and fmt <= own)
    return fmt <= own and (writer.flavor == "redis" or fmt <= 11)  # Valkey 9 writes a VALKEY header Redis never reads


def check(change: Transition, profile: Profile) -> Iterator[Hit]:
    base, head = change.base, change.head
    before, after = base.target, head.target
    if role_kind(after.role) == "replica" or not persisted(base) or not same_data(base.place, head.place):
        return
    rdb_based = rdb_on(before) or (aof_on(before) and (before.value("aof-use-rdb-preamble") or "yes") == "yes")
    if not rdb_based:
        return  # a plain-text AOF only: commands are replayed, there is no format version to refuse
    fmt = rdb_format(before.redis_version)
    if fmt is None or rdb_format(after.redis_version) is None or loads(after.redis_version, fmt, before.redis_version):
        return
    old, new = before.redis_version.label, after.redis_version.label
    relaxed = after.redis_version.flavor == "valkey" and (after.value("rdb-version-check") or "strict") == "relaxed"
    why = (f"{old} ({base_label(change)}) writes RDB format {fmt}, and {new} "
           + (f"reads formats up to {rdb_format(after.redis_version)}" if fmt not in FOREIGN
              or after.redis_version.flavor == "redis" else "refuses formats 12 to 79, which it reserves for other projects"))
    message = (f"{why}: the pods fail at start with \"Can't handle RDB format version {fmt}\" and crash-loop on the data "
               "on the volume, until it is removed and the data with it")
    if relaxed:
        message += "; rdb-version-check relaxed makes Valkey try, and it still fails on any key type it does not know"
    fix = (f"Keep {old} or newer; to move to {new}, migrate the keys into a fresh instance (replication or a tool such as "
           "RIOT or librdb's rdb-cli) instead of reusing the files")
    yield Hit(message, version_span(after, head.doc) or after.anchor, fix, subject="redis-version",
              severity=at_most(profile, "RL214", Severity.WARNING) if relaxed else None)


RULE = define("RL214", "rdb-format-downgrade", "persistence", Severity.ERROR, __doc__, check,
              tags=("persistence", "change", "version"), scope="transition")
