"""A values key the chart ignores in this mode or version: `master.*` in sentinel mode, `replica.*` standalone.

## What it does
Reports values that the chart reads only in another architecture or chart major:
- `master.*` (`primary.*`) in sentinel mode, where every node runs from `replica.*`;
- `replica.*` with `architecture: standalone`, where no replica runs;
- `sentinel.*` settings while sentinel is not enabled (an explicit `sentinel.enabled: false` is
  taken as a choice and not reported);
- a whole role block of another major: `master:` on bitnami/valkey 2.0.0+ (renamed `primary`),
  `slave:` on bitnami/redis 14.0.0+ (renamed `replica`), and the reverse on older releases.

Only keys that change what runs are reported (configuration, extraFlags, persistence,
resources, replica counts, kind …), and not when they only restate the chart default or switch
something off.

## Why is this bad?
The values look configured and the review passes, but the pods run with chart defaults: in
sentinel mode `master.persistence` and `master.resources` do nothing, and on valkey 2.x a
`master:` block leaves the primary with an 8Gi volume, the `nano` preset and no configuration.

## Example
```yaml
architecture: replication
sentinel:
  enabled: true
master:
  persistence:
    size: 16Gi
```

## Use instead
```yaml
architecture: replication
sentinel:
  enabled: true
replica:
  persistence:
    size: 16Gi
```

## Fix
Move the settings to the block this mode reads (`replica.*` in sentinel mode, `primary.*` on
valkey 2.x), or remove them.
"""

from redislint.model import Severity
from redislint.rules._api import define
from redislint.rules._values_issue_rules import values_issue_check

RULE = define("RL102", "values-ignored-in-mode", "values", Severity.WARNING, __doc__, values_issue_check("RL102"),
              tags=("values", "chart", "architecture"))
