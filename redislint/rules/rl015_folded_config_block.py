"""A redis.conf block written with `>`: YAML joins the lines and Redis refuses to start.

## What it does
Flags `commonConfiguration` or `*.configuration` values written as folded scalars (`>`, or a
plain scalar over several lines).

## Why is this bad?
A folded scalar turns line breaks into spaces, so `appendonly yes` and `save 900 1` become one
line `appendonly yes save 900 1`. Redis reads that as `appendonly` with four arguments and exits.

## Example
```yaml
architecture: standalone
master:
  configuration: >
    appendonly yes
    save 900 1
```

## Use instead
```yaml
architecture: standalone
master:
  configuration: |
    appendonly yes
    save 900 1
```

## Fix
Use a literal block scalar (`|`) for redis.conf text.
"""

from redislint.model import Severity
from redislint.rules._api import define
from redislint.rules._values_issue_rules import values_issue_check

RULE = define("RL015", "folded-config-block", "validity", Severity.ERROR, __doc__, values_issue_check("RL015"),
              tags=("config-validity", "startup", "yaml"))
