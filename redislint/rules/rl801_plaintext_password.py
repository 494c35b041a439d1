"""A Redis password is written in plain text in the values or the config.

## What it does
Reports literal passwords in `auth.password` (`password` before chart 14, `global.redis.password`),
in `requirepass`, `masterauth` and `primaryauth` lines of any configuration block or redis.conf,
in `--requirepass` / `--masterauth` items of `extraFlags`, and in ACL `user ... >password` rules.
An empty value (the chart then generates a random password) and a `${VAR}` or `{{ }}` reference
filled in at deploy time are not plain-text passwords. The finding says where the password is;
it never repeats it.

## Why is this bad?
A password committed to Git is readable by everyone with access to the repository, its forks, its
CI logs and its history, forever: rotating it means rewriting history or accepting that the old
one leaked. It also ends up in the rendered ConfigMap or pod arguments, readable by anyone who can
`kubectl get` them.

## Example
```yaml
architecture: standalone
auth:
  password: s3cr3t-redis-pw
```

## Use instead
```yaml
architecture: standalone
auth:
  existingSecret: redis-auth
  existingSecretPasswordKey: redis-password
```

## Fix
Store the password in a Kubernetes Secret and point the chart at it with `auth.existingSecret`
(and `auth.existingSecretPasswordKey`); for a plain redis.conf, keep the secret in a separate file
mounted from a Secret and `include` it. Then rotate the password: it is in the Git history.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.charts.templating import is_templated
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import user_lines
from redislint.target import FLAGS_LAYER

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target

SECRET_DIRECTIVES = frozenset({"requirepass", "masterauth", "primaryauth"})
VALUES_KEYS = ("auth.password", "password", "global.redis.password", "global.valkey.password")


def _literal(value: object) -> bool:
    """A non-empty string that is not filled in at deploy time."""
    if value is None or isinstance(value, bool):
        return False
    text = str(value).strip()
    return bool(text) and not is_templated(text)


def _fix(target: Target) -> str:
    if target.values is not None:
        return ("Move the password to a Kubernetes Secret, set `auth.existingSecret` (and "
                "`auth.existingSecretPasswordKey`), remove the literal, and rotate the password")
    return ("Keep the password out of this file (include a file mounted from a Secret), remove the literal, and "
            "rotate the password")


def _values_hits(target: Target) -> Iterator[Hit]:
    view = target.values
    if view is None:
        return
    for path in VALUES_KEYS:
        found = view.get(path)
        if found is None or not _literal(found.value) or isinstance(found.value, (dict, list)):
            continue
        yield Hit(f"Redis password written in plain text in {path} ({found.layer}): anyone who can read the "
                  "repository can read it", found.key_span, _fix(target), subject=path)


def _line_hits(target: Target) -> Iterator[Hit]:
    for line in user_lines(target):
        if line.problem is not None and line.problem.kind == "templated":
            continue
        flag = target.layer_kind(line.layer) == FLAGS_LAYER
        if line.key in SECRET_DIRECTIVES:
            if not any(_literal(a) for a in line.args):
                continue
            name = f"--{line.name}" if flag else line.name
            what = f"`{name}`"
        elif line.key == "user" and any(a.startswith(">") and len(a) > 1 and not is_templated(a)
                                        for a in line.args[1:]):
            what = "an ACL `user` rule (`>password`)"
        else:
            continue
        yield Hit(f"Redis password written in plain text in {what} in {line.layer} (line {line.span.line}): anyone "
                  "who can read the repository can read it", line.span, _fix(target),
                  subject=f"{line.layer}:{line.key}")


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    yield from _values_hits(target)
    yield from _line_hits(target)


RULE = define("RL801", "plaintext-password", "secrets", Severity.ERROR, __doc__, check,
              tags=("security", "secrets"))
