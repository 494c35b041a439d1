"""An old alias of a directive (`slaveof`, `slave-read-only`, `hash-max-ziplist-*`).

## What it does
Flags directive names that Redis accepts only as aliases of a newer name: one finding per file,
at the first such line, naming every other (they come from one decision, a config copied from an
older template). When the Redis version is assumed, it says from which release the new names exist:
on an older one the renamed line is a "Bad directive" (the `*-listpack-*` names arrived in 7.0).

## Why is this bad?
They still work (a real Redis 7.0 reads `hash-max-ziplist-entries 100` as
`hash-max-listpack-entries 100`), but `CONFIG GET` and `CONFIG REWRITE` show the new name, so
searching the running config for what you wrote finds nothing. Names Redis accepts and then
ignores (`list-max-ziplist-entries`) are not aliases: RL020 reports them.

## Example
```conf
slaveof 10.0.0.1 6379
```

## Use instead
```conf
replicaof 10.0.0.1 6379
```

## Fix
Rename the directive to its primary name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.assumptions import redis_version_assumed
from redislint.model import Related, Severity
from redislint.redisconf import DirectiveTable
from redislint.redisconf.directives import release_line
from redislint.redisconf.versions import column_label
from redislint.rules._api import Hit, define
from redislint.rules._helpers import user_lines
from redislint.rules._line_rules import quote

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def _unknown_before(target: Target, keys: list[str]) -> tuple[list[str], str]:
    """(labels of the releases of this flavor that lack one of the new names, the first that has them all):
    on the former the rename itself is a "Bad directive" (the ziplist names' listpack twins arrived in 7.0)."""
    table = DirectiveTable.for_version(target.redis_version)
    line = release_line(target.redis_version.flavor)
    known = set(line)
    for key in keys:
        info = table.lookup(key)
        known &= set(info.versions) if info is not None else set()
    missing = [column_label(c) for c in line if c not in known]
    first = next((column_label(c) for c in line if c in known), "")
    return missing, first


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    by_file: dict[str, list] = {}
    for line in user_lines(target):
        if getattr(line, "alias_used", False) and line.problem is None:
            by_file.setdefault(line.span.path, []).append(line)
    for lines in by_file.values():
        lines.sort(key=lambda line: (line.span.line, line.span.column))
        # One finding per file: the lines come from one decision (a config copied from an older template).
        first = lines[0]
        many = len(lines) > 1
        renames = [f"'{quote(line.name)}' → '{line.key}' (line {line.span.line})" for line in lines]
        message = (f"{len(lines)} directives use old alias names" if many else "A directive uses an old alias name") \
            + f" ({target.redis_version.label} reads {'them as the new ones' if many else 'it as the new one'}): " \
            + ", ".join(renames)
        fix = "Rename each to its primary name" if many else f"Rename '{quote(first.name)}' to '{first.key}'"
        missing, since = (_unknown_before(target, sorted({line.key for line in lines}))
                          if redis_version_assumed(target) else ([], ""))
        if missing:
            # The version was assumed: the rename is only safe where the new names exist.
            message += (f"; the Redis version is assumed, and the new name{'s exist' if many else ' exists'} only from "
                        f"{since} on: {', '.join(missing)} refuse{'s' if len(missing) == 1 else ''} the renamed "
                        "line (\"Bad directive\")")
            fix += f" once every server runs {since} or later"
        related = tuple(Related(line.name_span or line.span, f"also an alias of '{line.key}'") for line in lines[1:])
        yield Hit(message, first.name_span if first.name_span is not None else first.span, fix, related,
                  subject=f"{first.layer}:{first.key}")


RULE = define("RL017", "deprecated-alias", "validity", Severity.NOTE, __doc__, check, tags=("maintainability",))
