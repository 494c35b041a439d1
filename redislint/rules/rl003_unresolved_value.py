"""Something redislint could not evaluate, and which checks that weakens.

## What it does
Reports every value that is filled in at deploy time or lives outside the inputs: Helm `{{ }}`
and Flux `${VAR}` substitutions, `valuesFrom` ConfigMaps and Argo CD `valueFiles` that were not
passed on the command line (or that fit several files, or live inside a chart package), a config
file a workload mounts from a ConfigMap that is missing, `existingConfigmap`, a custom
`command`/`args`, `diagnosticMode`, redis.conf `include` lines (redislint never opens the
included file), and config text it did not read: a line of more than 4 MiB or 10,000 words, or
everything after the 10,000th line of one config. It is reported once, at the reference. A values
layer that was not read may set anything below it, so the other findings of that target keep their
severity only when they hold whatever it contains (a line Redis refuses in a layer read after it);
the rest become notes that name the missing layer (an optional source, or `ignoreMissingValueFiles`,
makes this one a note).

## Why is this bad?
A linter that silently skips what it cannot see turns green on exactly the configs that hide
surprises. This finding says what was not checked, so a green run means what it says.

## Example
```yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
  namespace: cache
spec:
  chart:
    spec:
      chart: redis
      version: 20.0.3
  values:
    architecture: standalone
    master:
      configuration: |
        maxmemory ${REDIS_MAXMEMORY}
```

## Use instead
```yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
  namespace: cache
spec:
  chart:
    spec:
      chart: redis
      version: 20.0.3
  values:
    architecture: standalone
    master:
      configuration: |
        maxmemory 64mb
```

## Fix
Pass the files that hold the missing values (ConfigMaps for `valuesFrom`), or write the value
literally; if it must stay templated, suppress this finding with a reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.durability import PERSISTENCE_DIRECTIVES
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import is_user_span, iter_lines
from redislint.rules._line_rules import quote

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    for u in target.unresolved:
        yield Hit(u.message, u.span, "Pass the missing input, or suppress with a reason if it is intended",
                  subject=u.subject, severity=Severity(u.severity) if u.severity else None)
    for line in iter_lines(target.source):
        if line.problem is not None and line.problem.kind == "templated" and line.key in PERSISTENCE_DIRECTIVES:
            yield Hit(f"'{quote(line.raw)}' in {line.layer}: {line.problem.reason}", line.span,
                      "Write the value literally, or suppress with a reason", subject=f"{line.layer}:{line.key}")
        elif getattr(line, "role", "") == "include" and is_user_span(line.span):
            # Recorded, never read: the file may not exist here, and reading paths named by the
            # input (`include /etc/passwd`) is not a linter's business.
            target_file = quote(line.args[0]) if line.args else "?"
            yield Hit(f"'{quote(line.raw)}' in {line.layer}: redislint does not read included files, so what "
                      f"{target_file} sets was not checked; Redis reads it at this line, so the checks of every "
                      f"directive not set again after it are unverified", line.span,
                      "Pass the included settings inline, or suppress with a reason if the file is checked elsewhere",
                      subject=f"{line.layer}:include")
    for line in target.evaluation.quirks:
        if line.problem is not None and line.problem.kind == "save-limit":
            yield Hit(f"'{quote(line.raw)}' in {line.layer}: {line.problem.detail}", line.span,
                      "Keep a handful of save lines (each adds a save point)", subject=f"{line.layer}:save-limit")
        elif line.problem is not None and line.problem.kind == "not-read" and is_user_span(line.span):
            # An error whatever the profile: what follows could set anything, like a file not analysed.
            yield Hit(f"'{quote(line.raw)}' in {line.layer}: {line.problem.detail}", line.span,
                      "Keep the config to the directives Redis needs, on lines of ordinary length",
                      subject=f"{line.layer}:not-read:{line.index}", severity=Severity.ERROR)


RULE = define("RL003", "unresolved-value", "validity", Severity.WARNING, __doc__, check,
              tags=("coverage",))
