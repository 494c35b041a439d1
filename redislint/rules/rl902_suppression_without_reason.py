"""A suppression without a reason, where the profile asks for one.

## What it does
In profiles that require it (`critical`), reports suppressions written without `-- reason`.

## Why is this bad?
Every exception in the configuration of critical data should say why it is safe, so the next
reviewer can tell a decision from a shortcut.

## Example
```yaml profile=critical
architecture: standalone
master:
  # redislint: disable=RL203
  configuration: |
    appendonly no
```

## Use instead
```yaml profile=critical
architecture: standalone
master:
  # redislint: disable=RL203 -- the data is rebuilt from Postgres on start
  configuration: |
    appendonly no
```

## Fix
Add ` -- why this is safe` after the codes.
"""

from redislint.model import Severity
from redislint.rules._api import define

RULE = define("RL902", "suppression-without-reason", "suppressions", Severity.ERROR, __doc__,
              scope="suppression", tags=("suppressions",))
