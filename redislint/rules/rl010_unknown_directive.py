"""A directive Redis does not know; Redis refuses to start.

## What it does
Flags a config line whose first word is not a Redis (or Valkey) directive in any version.

## Why is this bad?
Redis stops at the first unknown directive with `Bad directive or wrong number of arguments` and
exits. In Kubernetes the pod crash-loops, and with it every replica that depends on it. A typo in a
persistence directive (`apendonly`) is the worst kind: the setting you meant is never applied.

## Example
```conf
appendonly yes
apendfsync everysec
```

## Use instead
```conf
appendonly yes
appendfsync everysec
```

## Fix
Correct the spelling (the message suggests the closest directive), or remove the line.
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
    hint = f"; did you mean '{problem.detail}'?" if problem.detail else ""
    return (f"'{quote(line.name)}' is not a {target.redis_version.label} directive {where(line)}; Redis refuses "
            f"to start (\"{problem.reason}\"){hint}")


def _fix(target: Target, line: ConfLine, problem: LineProblem) -> str:
    name = quote(line.name)
    return f"Replace '{name}' with '{problem.detail}'" if problem.detail else f"Remove the '{name}' line"


RULE = define("RL010", "unknown-directive", "validity", Severity.ERROR, __doc__,
              line_problem_check(("unknown-directive",), _message, _fix), tags=("config-validity", "startup"))
