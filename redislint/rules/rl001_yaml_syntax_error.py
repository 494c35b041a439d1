"""The YAML file cannot be parsed; nothing in it was checked.

## What it does
Reports YAML syntax errors at the exact line and column where the parser stopped: tabs used for
indentation, bad indentation, unclosed quotes or brackets.

## Why is this bad?
Flux and Argo CD refuse the file, so the change never deploys — or worse, an older revision keeps
running while everyone believes the fix is live. Nothing after the error can be checked.

## Example
```yaml
master:
  configuration: "appendonly yes
```

## Use instead
```yaml
master:
  configuration: "appendonly yes"
```

## Fix
Fix the syntax at the reported position; `yamllint` gives more detail on style.
"""

from redislint.model import Severity
from redislint.rules._api import define

RULE = define("RL001", "yaml-syntax-error", "validity", Severity.ERROR, __doc__, scope="source",
              tags=("yaml",))
