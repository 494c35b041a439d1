"""A suppression that suppresses nothing.

## What it does
Reports a `# redislint: disable=CODE` comment, annotation or config entry when no finding of
that rule was suppressed by it in this run.

## Why is this bad?
A stale suppression is a hole waiting to be used: the problem it was written for is gone, but the
next time the same rule fires on that line nobody will see it.

## Example
```conf
# redislint: disable=RL203 -- sessions can be lost
appendonly yes
```

## Use instead
```conf
appendonly yes
```

## Fix
Delete the suppression (or the codes in it that no longer fire).
"""

from redislint.model import Severity
from redislint.rules._api import define

RULE = define("RL901", "unused-suppression", "suppressions", Severity.WARNING, __doc__, scope="suppression",
              tags=("suppressions",))
