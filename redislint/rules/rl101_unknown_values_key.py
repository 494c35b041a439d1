"""A values key the chart version does not read: a typo, or a key of another chart major.

## What it does
Checks every key under the chart's values against the chart's own key table for the deployed
release (`redislint/data/charts`), and suggests what was meant: a renamed key
(`cluster.enabled` → `architecture` in bitnami/redis 14.0.0), a close spelling
(`persistance` → `persistence`), or the same key one level down (`resources` → `master.resources`).
Freeform maps (labels, annotations, `resources`, `affinity` …) and `global.*` are not judged. A key
written with dots (`master.persistence.size:` as one key) is reported too. A key that touches
no data (an update strategy, a Service, labels) is at most a warning, whatever the profile; an
ignored `resources` block says which preset applies instead, and its fix keeps a memory limit.

## Why is this bad?
Helm accepts any key and the Bitnami schemas do not forbid extra ones, so a misspelled or renamed
key is dropped silently: the PVC keeps the chart's 8Gi, the limit stays at the preset, and
the reviewer believes the values are in force.

## Example
```yaml
architecture: standalone
master:
  persistance:
    size: 16Gi
```

## Use instead
```yaml
architecture: standalone
master:
  persistence:
    size: 16Gi
```

## Fix
Rename the key as suggested, or remove it.
"""

from redislint.model import Severity
from redislint.rules._api import define
from redislint.rules._values_issue_rules import values_issue_check

# A top-level `resources:` the chart never reads is why a preset applies: RL307 defers to this finding.
MISPLACED_CAUSES = ("misplaced-resources",)

RULE = define("RL101", "unknown-values-key", "values", Severity.WARNING, __doc__,
              values_issue_check("RL101", MISPLACED_CAUSES),
              tags=("values", "chart", "typo"))
