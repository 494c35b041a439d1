"""A directive value Redis rejects; Redis refuses to start.

## What it does
Checks every value the way Redis does: booleans must be `yes` or `no`, enums must be one of the
allowed words, numbers must be in range, memory sizes must use Redis units (`1gb`, `512mb`; no
`Gi`, no decimals), `save` needs pairs of numbers, quotes must balance.

## Why is this bad?
Redis exits at start-up on the first invalid value, with the reason this rule quotes. Values that
look right to a Kubernetes engineer are often wrong for Redis: `maxmemory 1Gi`, `appendonly true`,
`maxmemory 1.5gb`.

## Example
```conf
appendonly true
maxmemory 1Gi
```

## Use instead
```conf
appendonly yes
maxmemory 1gb
```

## Fix
Write the value the way Redis expects it; the message quotes Redis's own reason.
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
    value = " ".join(line.args) if line.args else ""
    return (f"{target.redis_version.label} rejects '{quote(f'{line.name} {value}')}' {where(line)}: "
            f"{problem.reason}; Redis refuses to start{detail_of(line)}")


def _fix(target: Target, line: ConfLine, problem: LineProblem) -> str:
    if problem.kind == "bom":
        return "Save the file as UTF-8 without a byte order mark (BOM)"
    if problem.kind == "non-breaking-space":
        return "Replace the no-break space(s) with ordinary spaces"
    return f"Give `{quote(line.name)}` a value {target.redis_version.label} accepts ({problem.reason})"


RULE = define("RL011", "invalid-directive-value", "validity", Severity.ERROR, __doc__,
              line_problem_check(("invalid-value", "unbalanced-quotes", "bom", "non-breaking-space"),
                                 _message, _fix), tags=("config-validity", "startup"))
