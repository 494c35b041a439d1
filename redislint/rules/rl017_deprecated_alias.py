"""An old alias of a directive (`slaveof`, `slave-read-only`, `hash-max-ziplist-*`).

## What it does
Flags directive names that Redis accepts only as aliases of a newer name.

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

from typing import Iterator

from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import user_lines
from redislint.rules._line_rules import quote


def check(target, profile) -> Iterator[Hit]:
    for line in user_lines(target):
        if getattr(line, "alias_used", False) and line.problem is None:
            yield Hit(f"'{quote(line.name)}' is an old alias of '{line.key}' in {target.redis_version.label}",
                      line.name_span if line.name_span is not None else line.span,
                      f"Rename '{quote(line.name)}' to '{line.key}'", subject=f"{line.layer}:{line.key}")


RULE = define("RL017", "deprecated-alias", "validity", Severity.NOTE, __doc__, check, tags=("maintainability",))
