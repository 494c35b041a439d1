"""A `# comment` after a value: Redis reads it as more arguments and refuses to start.

## What it does
Flags config lines with a `#` after the value. Redis treats `#` as a comment only at the start of
a line; anywhere else it is just another word.

## Why is this bad?
`appendonly yes # durable` fails with `wrong number of arguments`, and
`save 900 1 # every 15 min` with `Invalid save parameters` — Redis exits and the pod crash-loops.
On Redis 6.2 the `save` form is worse: it is accepted and silently turns snapshots off. The
runbook's own examples (`save 900 1      # Save after 15min...`) do this.

## Example
```conf
appendonly yes
appendfsync everysec  # good balance
```

## Use instead
```conf
appendonly yes
# good balance
appendfsync everysec
```

## Fix
Move the comment to its own line above the directive.
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
    if problem.reason:
        effect = f"Redis refuses to start (\"{problem.reason}\")"
    else:
        effect = f"{target.redis_version.label} accepts it but silently clears every save point"
    return f"'{quote(line.raw)}' has a trailing comment {where(line)}: {effect}"


def _fix(target: Target, line: ConfLine, problem: LineProblem) -> str:
    return "Move the comment to its own line above the directive"


RULE = define("RL013", "trailing-comment", "validity", Severity.ERROR, __doc__,
              line_problem_check(("trailing-comment",), _message, _fix), tags=("config-validity", "startup"))
