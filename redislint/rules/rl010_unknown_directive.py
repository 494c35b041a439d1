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

from redislint.model import Severity
from redislint.rules._api import define
from redislint.rules._line_rules import line_problem_check, quote, where


def _message(target, line) -> str:
    hint = f"; did you mean '{line.problem.detail}'?" if line.problem.detail else ""
    return (f"'{quote(line.name)}' is not a {target.redis_version.label} directive {where(line)}; Redis refuses "
            f"to start (\"{line.problem.reason}\"){hint}")


def _fix(target, line) -> str:
    name = quote(line.name)
    return f"Replace '{name}' with '{line.problem.detail}'" if line.problem.detail else f"Remove the '{name}' line"


RULE = define("RL010", "unknown-directive", "validity", Severity.ERROR, __doc__,
              line_problem_check(("unknown-directive",), _message, _fix), tags=("config-validity", "startup"))
