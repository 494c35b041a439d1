"""Text that is filled in later: it cannot be judged statically.

Helm `{{ }}`, Flux and envsubst `${VAR}`, and deploy-script placeholders written `__NAME__`
(`requirepass __REDIS_PASSWORD__`, replaced by `sed` at deploy time) are all recognised.
"""

from __future__ import annotations

import re
from typing import Any

from redislint.redisconf import LineProblem

TEMPLATE_RE = re.compile(r"\{\{.*?\}\}|\$\{[^}]*\}|(?<![\w])__[A-Z][A-Z0-9_]*[A-Z0-9]__(?![\w])")
_PLACEHOLDER_RE = re.compile(r"(?<![\w])__[A-Z][A-Z0-9_]*[A-Z0-9]__(?![\w])")


def is_templated(text: str) -> bool:
    """True when the text holds `{{ ... }}`, `${...}` or a `__PLACEHOLDER__`."""
    return "{{" in text or "${" in text or ("__" in text and _PLACEHOLDER_RE.search(text) is not None)


YAML_KEY_RE = re.compile(r"^[A-Za-z_][\w.-]*:$")


def relabel_problems(lines: list[Any]) -> list[Any]:
    """Re-label problems a person should read differently than Redis words them.

    Templated lines get the kind `templated` (reported once by RL003, not applied); lines such as
    `replica:` or `replicaCount: 2` get `yaml-in-conf` (RL014) instead of "unknown directive".
    """
    out = []
    for line in lines:
        if line.problem is not None and line.problem.kind in ("unknown-directive", "not-in-version") \
                and YAML_KEY_RE.match(line.name):
            line = line._replace(problem=line.problem._replace(kind="yaml-in-conf", detail=""))
        elif is_templated(line.raw):
            shown = TEMPLATE_RE.findall(line.raw)
            # Kept fatal so the evaluation does not apply a placeholder as if it were the value.
            line = line._replace(problem=LineProblem(
                "templated", f"the value is filled in at deploy time ({', '.join(shown) or line.raw}); "
                f"checks of {line.key} are skipped", "", True))
        out.append(line)
    return out
