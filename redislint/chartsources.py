"""Helm chart sources are not YAML to check: templates beside a Chart.yaml, and files full of `{{ }}`.

A chart's `templates/*.yaml` are Go templates that become YAML only when Helm renders them; read
as YAML they are "broken" (RL001) or say nothing true. They are skipped with a note, never a
finding. A directory walk skips a chart's `templates/` as a whole (`sources.files`); this module
decides for a file named on the command line (pre-commit passes them one by one) and for a file
whose text is a template wherever it lives.
"""

from __future__ import annotations

import os
import re

from redislint.model import Notification
from redislint.sources import load_yaml

# A Go template action where YAML needs a node: at the start of a line (`{{- if .Values.x }}`,
# `- {{ include ... }}`) or as a plain value (`replicas: {{ .Values.replicas }}`).
_TEMPLATE_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?\{\{|:[ \t]+\{\{", re.MULTILINE)

NOTE = ("Helm chart template{where}: Go template text, not YAML, so not checked; check the chart's values, "
        "or its rendered output (helm template)")


def in_chart_templates(path: str) -> bool:
    """True for a file below the `templates/` directory of a chart (a directory holding Chart.yaml)."""
    here = os.path.dirname(os.path.abspath(path))
    while True:
        parent = os.path.dirname(here)
        if os.path.basename(here) == "templates" and os.path.isfile(os.path.join(parent, "Chart.yaml")):
            return True
        if parent == here:
            return False
        here = parent


def template_note(path: str, text: str) -> Notification | None:
    """A note when the YAML file `path` is a Helm template (by place, or by text that only a template
    engine can read); None when it is to be checked."""
    if path.endswith(".conf"):
        return None
    if path not in ("-", "<stdin>") and in_chart_templates(path):
        return Notification(path, NOTE.format(where=" (in the templates/ directory beside Chart.yaml)"),
                            level="note")
    if "{{" not in text or _TEMPLATE_LINE.search(text) is None:
        return None
    # Template actions inside block scalars (an alerting template in a ConfigMap) are fine YAML:
    # only text that does not parse is taken for a template.

    if not any(p.code == "RL001" for p in load_yaml(path, text).problems):
        return None
    return Notification(path, NOTE.format(where=" ({{ }} where YAML needs a value)"), level="note")
