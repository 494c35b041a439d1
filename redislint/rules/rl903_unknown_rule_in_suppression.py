"""A suppression names a rule that does not exist.

## What it does
Reports codes and names in suppressions that match no rule.

## Why is this bad?
A typo (`RL2O3`) suppresses nothing, so the finding it was meant for is still reported — or, if
it was meant for the future, nobody can tell what it is for.

## Example
```conf
# redislint: disable=RL2O3 -- sessions only
appendonly no
```

## Use instead
```conf
# redislint: disable=RL203 -- sessions only
appendonly no
```

## Fix
Use a code or name from `redislint rules`.
"""

from redislint.model import Severity
from redislint.rules._api import define

RULE = define("RL903", "unknown-rule-in-suppression", "suppressions", Severity.WARNING, __doc__,
              scope="suppression", tags=("suppressions",))
