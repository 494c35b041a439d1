"""YAML written inside a redis.conf block: Redis reads it as directives and refuses to start.

## What it does
Flags lines such as `replica:` or `replicaCount: 2` inside a `configuration: |` block (or any
redis.conf text). They look like values keys but sit in the config string, where Redis reads them.

## Why is this bad?
Redis exits with `Bad directive or wrong number of arguments`, and the setting the author meant
(two replicas) is never applied either. The runbook's "Critical Data" example does exactly this.

## Example
```yaml
architecture: replication
master:
  configuration: |
    appendonly yes
    replica:
      replicaCount: 2
```

## Use instead
```yaml
architecture: replication
master:
  configuration: |
    appendonly yes
replica:
  replicaCount: 2
```

## Fix
Move the lines out of the config block to the values level they belong to (`replica.replicaCount`).
When the whole `commonConfiguration` or `configuration` is written as a YAML map, rewrite it as a
`|` block of redis.conf lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import iter_lines
from redislint.rules._line_rules import quote

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    for line in iter_lines(target.source):
        if line.problem is not None and line.problem.kind == "yaml-in-conf" and line.problem.detail == "map":
            # The whole value was written as a YAML map; the chart renders it as `key: value` text.
            yield Hit(f"{line.layer} is a YAML map, so the chart writes '{quote(line.raw)}' into redis.conf; "
                      f"Redis refuses to start (\"{line.problem.reason}\")", line.span,
                      f"Write {line.layer} as a `|` block of redis.conf lines: `{quote(line.name.rstrip(':'))} ...`",
                      subject=f"{line.layer}:{line.name}")
        elif line.problem is not None and line.problem.kind == "yaml-in-conf":
            yield Hit(f"'{quote(line.raw)}' in {line.layer} is YAML, not a Redis directive; Redis refuses to "
                      f"start (\"{line.problem.reason}\")", line.span,
                      f"Move '{quote(line.name.rstrip(':'))}' out of the config block to the values level it "
                      "belongs to",
                      subject=f"{line.layer}:{line.name}")


RULE = define("RL014", "yaml-in-redis-conf", "validity", Severity.ERROR, __doc__, check,
              tags=("config-validity", "startup"))
