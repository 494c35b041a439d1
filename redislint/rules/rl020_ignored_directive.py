"""A directive this Redis version accepts and ignores: the line has no effect.

## What it does
Flags config lines that the target's Redis (or Valkey) version reads without an error and then
ignores: `list-max-ziplist-entries` and `list-max-ziplist-value` (ignored since lists became
quicklists), `lua-replicate-commands` on Redis 7.0 and later, `io-threads-do-reads` on Redis 8.0
and later, and the others the version's directive table marks as accepted and ignored. Old names
that are still aliases and take effect (`hash-max-ziplist-entries` and the other `*-ziplist-*`
names of hashes and sorted sets, `list-max-ziplist-size`) are RL017, not this rule.

## Why is this bad?
Whoever wrote the line believes it tunes something. Redis starts, logs nothing and uses its
default, so a memory or encoding setting that looks deliberate (often copied from a Redis 3 or 5
`redis.conf`) does nothing at all, and the next person keeps it because it looks deliberate too.

## Example
```conf
list-max-ziplist-entries 512
list-max-ziplist-value 64
```

## Use instead
```conf
list-max-listpack-size -2
```

## Fix
Remove the line. For list node sizes use `list-max-listpack-size` (`list-max-ziplist-size` before
Redis 7.0).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.assumptions import redis_version_assumed
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import at_most, user_lines
from redislint.rules._line_rules import quote, where

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target

# What to write instead, where something does what the ignored directive once did.
_INSTEAD = {
    "list-max-ziplist-entries": "list-max-listpack-size",
    "list-max-ziplist-value": "list-max-listpack-size",
}
# Ignored because what they asked for is now always done: nothing is lost, the line is only dead.
_BUILT_IN = {
    "io-threads-do-reads": "reads and parses on the I/O threads whenever io-threads is above 1",
}


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    for line in user_lines(target):
        if not getattr(line, "ignored", False) or getattr(line, "role", "") == "sentinel":
            continue
        name = quote(line.name)
        instead = _INSTEAD.get(line.name.lower())
        if instead and target.redis_version.major < 7 and target.redis_version.flavor == "redis":
            instead = "list-max-ziplist-size"
        tail = f"; list node sizes are set with {instead}" if instead else ""
        fix = f"Remove the '{name}' line" + (f" (use `{instead}` to size list nodes)" if instead else "")
        severity = None
        built_in = _BUILT_IN.get(line.name.lower())
        if built_in:
            # What the line asked for happens anyway: a dead line, not a behaviour the reviewer misses.
            tail = f": it always {built_in}, so nothing the line asked for is lost"
            severity = at_most(profile, "RL020", Severity.NOTE)
        if redis_version_assumed(target):
            tail += f" (the Redis version is assumed; on a release that reads '{name}', the line works)"
        yield Hit(f"'{quote(line.raw)}' {where(line)} has no effect: {target.redis_version.label} accepts "
                  f"'{name}' and ignores it{tail}", line.name_span if line.name_span is not None else line.span,
                  fix, subject=f"{line.layer}:{line.name.lower()}", severity=severity)


RULE = define("RL020", "ignored-directive", "validity", Severity.WARNING, __doc__, check,
              tags=("config-validity", "versions", "no-effect"))
