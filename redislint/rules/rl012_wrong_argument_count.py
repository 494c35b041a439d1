"""A directive with too many or too few arguments; Redis refuses to start.

## What it does
Flags lines where a single-value directive has more than one argument (or none), such as
`dir /a /b`, `maxmemory 1 gb` or `appendonly` on its own.

## Why is this bad?
Redis exits at start-up with `wrong number of arguments`. A space inside a value (`1 gb`) is the
usual cause.

## Example
```conf
maxmemory 1 gb
```

## Use instead
```conf
maxmemory 1gb
```

## Fix
Remove the extra words, or quote a value that really contains spaces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.rules._api import define
from redislint.rules._line_rules import detail_of, line_problem_check, quote, where

if TYPE_CHECKING:
    from redislint.redisconf.lines import ConfLine, LineProblem
    from redislint.target import Target


def _message(target: Target, line: ConfLine, problem: LineProblem) -> str:
    return (f"'{quote(line.name)}' has {len(line.args)} argument(s) {where(line)}; {target.redis_version.label} "
            f"refuses to start (\"{problem.reason}\"){detail_of(line)}")


def _fix(target: Target, line: ConfLine, problem: LineProblem) -> str:
    return f"Give `{quote(line.name)}` exactly the arguments it takes"


RULE = define("RL012", "wrong-argument-count", "validity", Severity.ERROR, __doc__,
              line_problem_check(("wrong-arg-count",), _message, _fix), tags=("config-validity", "startup"))
