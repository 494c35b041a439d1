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

from redislint.model import Severity
from redislint.rules._api import define
from redislint.rules._line_rules import line_problem_check, where


def _message(target, line) -> str:
    value = " ".join(line.args) if line.args else ""
    return (f"{target.redis_version.label} rejects '{line.name} {value}'".rstrip() +
            f" {where(line)}: {line.problem.reason}; Redis refuses to start")


def _fix(target, line) -> str:
    return f"Give {line.name} a value {target.redis_version.label} accepts ({line.problem.reason})"


RULE = define("RL011", "invalid-directive-value", "validity", Severity.ERROR, __doc__,
              line_problem_check(("invalid-value", "unbalanced-quotes", "bom", "non-breaking-space"),
                                 _message, _fix), tags=("config-validity", "startup"))
