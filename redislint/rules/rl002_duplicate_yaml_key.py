"""A key appears twice in the same YAML mapping.

## What it does
Reports the second occurrence of a key in one mapping, with the line of the first.

## Why is this bad?
Most YAML loaders keep the last value and drop the first without a word, and Helm's own loader
may reject the file instead — either way one of the two blocks someone wrote has no effect. Two
`configuration:` keys under `master:` is a common merge accident.

## Example
```yaml
master:
  persistence:
    size: 8Gi
  persistence:
    enabled: true
```

## Use instead
```yaml
master:
  persistence:
    size: 8Gi
    enabled: true
```

## Fix
Merge the two blocks into one key.
"""

from redislint.model import Severity
from redislint.rules._api import define

RULE = define("RL002", "duplicate-yaml-key", "validity", Severity.ERROR, __doc__, scope="source",
              tags=("yaml",))
