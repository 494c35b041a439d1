"""A directive this Redis version does not have (it exists in another version); Redis refuses to start.

## What it does
Flags directives that are valid in some Redis or Valkey version but not in the one this target
runs, e.g. `appenddirname` on Redis 6.2 or `primaryauth` on Redis (it is Valkey's name).

## Why is this bad?
The server exits at start-up with `Bad directive or wrong number of arguments`. It usually
appears after copying config from a newer version's documentation, or when the chart version
pins an older Redis than the author thought.

## Example
```conf
primaryuser replicator
```

## Use instead
```conf
masteruser replicator
```

## Fix
Use the directive this version knows, or run a Redis version that has it (`--redis-version`
tells redislint which one you run).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.rules._api import define
from redislint.rules._line_rules import line_problem_check, quote, where

if TYPE_CHECKING:
    from redislint.redisconf.lines import ConfLine, LineProblem
    from redislint.target import Target


def _message(target: Target, line: ConfLine, problem: LineProblem) -> str:
    # The detail is "'name' is not available in Redis 8.6; it exists in Valkey 8.0, ...": keep the versions.
    versions = problem.detail.rpartition("it exists in ")[2].strip()
    others = f" (it exists in {versions})" if versions else ""
    return (f"'{quote(line.name)}' is not available in {target.redis_version.label}{others} {where(line)}; "
            "Redis refuses to start")


def _fix(target: Target, line: ConfLine, problem: LineProblem) -> str:
    return f"Remove '{quote(line.name)}' or use the equivalent directive of {target.redis_version.label}"


RULE = define("RL016", "directive-not-in-version", "validity", Severity.ERROR, __doc__,
              line_problem_check(("not-in-version",), _message, _fix), tags=("config-validity", "versions"))
