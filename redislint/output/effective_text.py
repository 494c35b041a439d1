"""Rich tables for `redislint effective`: each directive's value and the chain of layers that set it."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from redislint.output import safe
from redislint.quantity import format_bytes

if TYPE_CHECKING:
    from redislint.inputs import Inputs
    from redislint.target import Target


def _one(text: Any) -> str:
    """A name or path on one line (unsafe characters, tabs and line breaks replaced one for one)."""
    return safe.clean_name(str(text))


def _place(line: Any) -> str:
    span = getattr(line, "span", None) if line is not None else None
    return f"{_one(span.path)}:{span.line}" if span is not None and span.path else ""


def _fact_row(table: Table, name: str, fact: Any, render: Any = str) -> None:
    value = "—" if fact.value is None else render(fact.value)
    where = f"{_one(fact.span.path)}:{fact.span.line}" if fact.span is not None and fact.span.path else ""
    table.add_row(name, value, fact.origin, where)


def render_effective(targets: list["Target"], inputs: "Inputs", show_all: bool, persistence: tuple[str, ...],
                     width: int = 140) -> str:
    """The whole `effective` text output as a string (no colour; it is read and diffed)."""
    from redislint.secrets import redact_directive_value, redact_source, redact_text

    buf = io.StringIO()
    # No markup and no emoji codes: paths, release names, values and messages come from the user's
    # files, and "[/x]" in any of them made rich raise MarkupError (":smile:" became an emoji).
    console = Console(file=buf, width=width, no_color=True, highlight=False, soft_wrap=False, markup=False,
                      emoji=False)
    for n in inputs.notifications:
        console.print(f"{_one(n.path)}: {_one(redact_text(n.message))}")
    for p in inputs.problems:
        console.print(f"{_one(p.span.path)}:{p.span.line}:{p.span.column}: {p.code} {_one(redact_text(p.message))}")
    if not targets:
        console.print(f"No Redis target found in {inputs.files_read} file(s).")
    for t in targets:
        head = _one(f"{t.path} — {t.kind} {t.name} — role {t.role} ({t.mode})")
        chart = f"{t.chart} {t.chart_version or '?'}, " if t.chart else ""
        console.print(f"\n{head}")
        console.print(f"{chart}{t.redis_version.label}")
        for note in t.version_notes:
            console.print(f"  note: {note}")
        from redislint.durability import window_for

        window = window_for(t)
        if window is not None:
            console.print(f"data-loss window: {window.text} — {window.reason}")
        table = Table(show_header=True, header_style="bold", expand=False)
        for col in ("directive", "value", "set by (winner last)"):
            table.add_column(col, overflow="fold")
        keys = sorted(t.evaluation.settings) if show_all else [k for k in persistence if k in t.evaluation.settings]
        for key in keys:
            s = t.evaluation.settings[key]
            chain = " → ".join(
                f"{a.layer}{' @ ' + _place(a.line) if _place(a.line) else ''} = {redact_directive_value(key, a.value)!r}"
                for a in s.history)
            table.add_row(key, repr(redact_directive_value(key, s.value)), chain)
        console.print(table)
        if t.facts.known:
            facts = Table(show_header=True, header_style="bold", expand=False)
            for col in ("fact", "value", "origin", "where"):
                facts.add_column(col, overflow="fold")
            f = t.facts
            _fact_row(facts, "memory limit", f.memory_limit, format_bytes)
            _fact_row(facts, "memory request", f.memory_request, format_bytes)
            _fact_row(facts, "persistent volume", f.persistent)
            _fact_row(facts, "storage size", f.storage_size, format_bytes)
            _fact_row(facts, "workload kind", f.workload_kind)
            _fact_row(facts, "pods", f.pods)
            _fact_row(facts, "replicas of master", f.replicas_of_master)
            _fact_row(facts, "fsGroup", f.fs_group)
            _fact_row(facts, "metrics exporter", f.metrics_enabled)
            console.print(facts)
        for line in t.evaluation.errors:
            reason = line.problem.reason if line.problem else ""
            if line.problem is not None and line.problem.kind == "templated":
                console.print(f"  not evaluated: {_place(line)}: {redact_source(line.raw)!r}: {reason}")
            else:
                console.print(f"  Redis would refuse to start: {_place(line)}: {redact_source(line.raw)!r}: {reason}")
        for u in t.unresolved:
            console.print(f"  not evaluated: {_one(u.span.path)}:{u.span.line}: {_one(redact_text(u.message))}")
    # Values and messages come from files too: the whole text is made safe as the `check` text output is.
    return safe.for_terminal(buf.getvalue())
