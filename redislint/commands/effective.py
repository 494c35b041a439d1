"""`redislint effective`: the config Redis will run with, and where each value came from."""

from __future__ import annotations

import sys
from typing import Any

from redislint.durability import PERSISTENCE_DIRECTIVES, window_for
from redislint.target import Target


def _where(line: Any) -> tuple[str | None, int | None, int | None]:
    span = getattr(line, "span", None) if line is not None else None
    if span is None or not span.path:
        return None, None, None
    return span.path, span.line, span.column


def setting_json(setting: Any) -> dict[str, Any]:
    """One directive: winning value, its layer and place, and every earlier layer that set it."""
    from redislint.secrets import redact_directive_value

    history = []
    for a in setting.history:
        path, line, column = _where(a.line)
        history.append({"layer": a.layer, "value": redact_directive_value(setting.key, a.value),
                        "path": path, "line": line, "column": column})
    last = history[-1] if history else {"layer": None, "path": None, "line": None, "column": None}
    return {"value": redact_directive_value(setting.key, setting.value), "layer": last["layer"],
            "path": last["path"], "line": last["line"], "column": last["column"], "history": history}


def target_json(t: Target, show_all: bool) -> dict[str, Any]:
    """The JSON contract of one target (version 1)."""
    from redislint.secrets import redact_source, redact_text

    keys = sorted(t.evaluation.settings) if show_all else [k for k in PERSISTENCE_DIRECTIVES
                                                           if k in t.evaluation.settings]
    facts = t.facts
    errors = []
    for line in t.evaluation.errors:
        if line.problem is not None and line.problem.kind == "templated":
            continue  # not an error: reported under "unresolved"
        path, ln, col = _where(line)
        errors.append({"path": path, "line": ln, "column": col, "directive": redact_text(line.name),
                       "kind": line.problem.kind if line.problem else "", "reason": line.problem.reason if line.problem else ""})
    window = window_for(t)
    return {
        "data_loss_window": None if window is None else {
            "seconds": None if window.unbounded else window.seconds, "text": window.text,
            "mechanism": window.mechanism, "reason": window.reason},
        "path": t.path, "name": t.name, "kind": t.kind, "role": t.role, "mode": t.mode, "chart": t.chart or None,
        "chart_version": t.chart_version, "redis_version": t.redis_version.label, "notes": list(t.version_notes),
        "config": {k: setting_json(t.evaluation.settings[k]) for k in keys},
        "memory_request_bytes": facts.memory_request.value if facts.known else None,
        "memory_limit_bytes": facts.memory_limit.value if facts.known else None,
        "memory_limit_source": facts.memory_limit_source if facts.known else "unknown",
        "persistent": facts.persistent.value if facts.known else None,
        "storage_size_bytes": facts.storage_size.value if facts.known else None,
        "replicas": facts.pods.value if facts.known else None,
        "facts": facts.to_json() if facts.known else {},
        "errors": errors,
        "unresolved": [{"message": redact_text(u.message), "path": u.span.path, "line": u.span.line}
                       for u in t.unresolved] + [
            {"message": redact_text(f"{redact_source(line.raw.strip())!r}: {line.problem.reason}"),
             "path": _where(line)[0], "line": _where(line)[1]}
            for line in t.evaluation.errors if line.problem is not None and line.problem.kind == "templated"],
    }


def run_effective(paths: list[str], *, role: str | None, show_all: bool, fmt: str, redis_version: str | None,
                  chart_version: str | None, chart: str | None, **_: Any) -> int:
    """Print the effective config of every target in PATHS."""
    from redislint.inputs import parse_inputs, read_inputs
    from redislint.repo_index import add_repository_files, target_reads
    from redislint.targets import TargetOptions, find_targets

    read = read_inputs(paths)
    # As `check` does: references to the repository's other files are resolved through them, and
    # only the targets of the files given, or that read them, are shown.
    hidden = add_repository_files(read)
    inputs = parse_inputs(read)
    targets = find_targets(inputs.yaml_files, inputs.conf_files, TargetOptions(redis_version, chart_version, chart))
    if hidden:
        given = read.texts.keys() - hidden
        targets = [t for t in targets if t.path not in hidden or not target_reads(t).isdisjoint(given)]
        inputs.problems = [p for p in inputs.problems if p.span.path not in hidden]
        inputs.notifications = [n for n in inputs.notifications if n.path not in hidden]
    if role:
        targets = [t for t in targets if t.role == role]
    if fmt == "json":
        from redislint.secrets import redact_text

        doc = {"version": 1, "targets": [target_json(t, show_all) for t in targets],
               "files_read": inputs.files_read,
               "notifications": [{"path": n.path, "line": n.line, "message": redact_text(n.message)}
                                 for n in inputs.notifications],
               "problems": [{"rule": p.code, "path": p.span.path, "line": p.span.line, "column": p.span.column,
                             "message": redact_text(p.message)} for p in inputs.problems]}
        from redislint.output import safe

        sys.stdout.write(safe.dumps(doc, indent=2, sort_keys=True) + "\n")
    else:
        from redislint.commands.outputs import terminal_width
        from redislint.output.effective_text import render_effective

        sys.stdout.write(render_effective(targets, inputs, show_all, PERSISTENCE_DIRECTIVES,
                                          width=terminal_width(sys.stdout, fallback=140)))
    return 2 if inputs.notifications and not targets else 0
