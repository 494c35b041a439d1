"""Rich tables for `redislint effective`: each directive's value and the chain of layers that set it."""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from redislint.durability import window_for
from redislint.naming import for_flavor
from redislint.output import safe
from redislint.output.wrap import wrap_text
from redislint.quantity import format_bytes
from redislint.secrets import redact_directive_value, redact_source, redact_text

if TYPE_CHECKING:
    from redislint.inputs import Inputs
    from redislint.target import Target


def _one(text: Any) -> str:
    """A name or path on one line (unsafe characters, tabs and line breaks replaced one for one)."""
    return safe.clean_name(str(text))


def _place(line: Any, own: str = "") -> str:
    """`path:line` of a config line; `line N` when it is in the target's own file `own` (shorter)."""
    span = getattr(line, "span", None) if line is not None else None
    return _where(span, own)


def _where(span: Any, own: str = "") -> str:
    if span is None or not span.path:
        return ""
    return f"line {span.line}" if span.path == own else f"{_one(span.path)}:{span.line}"


def _fact_row(table: Table, name: str, fact: Any, render: Any = str, own: str = "") -> None:
    value = "—" if fact.value is None else render(fact.value)
    table.add_row(name, value, fact.origin, _where(fact.span, own))


def heading(t: Target) -> str:
    """`path — kind name — role R (mode)`, without what would repeat: a redis.conf target is named after
    its file (`redis.conf — role server`), and a mode equal to the role is not said twice."""
    parts = [t.path]
    if t.name and t.name not in (t.path, os.path.basename(t.path)):
        parts.append(f"{t.kind} {t.name}" if t.kind and t.kind != t.name else t.name)
    role = f"role {t.role}" + (f" ({t.mode})" if t.mode and t.mode != t.role else "")
    parts.append(role)
    return " — ".join(parts)


def render_effective(targets: list[Target], inputs: Inputs, show_all: bool, persistence: tuple[str, ...],
                     width: int = 140) -> str:
    """The whole `effective` text output as a string (no colour; it is read and diffed).

    Everything fits `width` (the terminal's, else 140): sentences wrap at word boundaries with a
    hanging indent, and the tables shrink their columns and fold long cells.
    """
    buf = io.StringIO()
    # No markup and no emoji codes: paths, release names, values and messages come from the user's
    # files, and "[/x]" in any of them made rich raise MarkupError (":smile:" became an emoji).
    console = Console(file=buf, width=width, no_color=True, highlight=False, soft_wrap=False, markup=False,
                      emoji=False)
    def say(text: str, indent: int = 2) -> None:
        for line in wrap_text(text, width, indent):
            console.print(line)

    for n in inputs.notifications:
        say(f"{_one(n.path)}: {_one(redact_text(n.message))}")
    for p in inputs.problems:
        say(f"{_one(p.span.path)}:{p.span.line}:{p.span.column}: {p.code} {_one(redact_text(p.message))}")
    if not targets:
        say(f"No Redis target found in {inputs.files_read} file(s).")
    for t in targets:
        chart = f"{t.chart} {t.chart_version or '?'}, " if t.chart else ""
        console.print("")
        say(_one(heading(t)))
        say(f"{chart}{t.redis_version.label}")
        for note in t.version_notes:
            say(f"  note: {_one(note)}", 4)

        window = window_for(t)
        if window is not None:
            say(f"data-loss window: {window.text} — {for_flavor(window.reason, t.redis_version.flavor)}")
        table = Table(show_header=True, header_style="bold", expand=False)
        for col in ("directive", "value", "set by (winner last)"):
            table.add_column(col, overflow="fold")
        keys = sorted(t.evaluation.settings) if show_all else [k for k in persistence if k in t.evaluation.settings]
        for key in keys:
            s = t.evaluation.settings[key]
            # One layer per line (winner last): a chain reads down the cell at any width.
            chain = "\n→ ".join(
                f"{a.layer}{' @ ' + _place(a.line, t.path) if _place(a.line) else ''} = "
                f"{redact_directive_value(key, a.value)!r}"
                for a in s.history)
            table.add_row(key, repr(redact_directive_value(key, s.value)), chain)
        console.print(table)
        if t.facts.known:
            facts = Table(show_header=True, header_style="bold", expand=False)
            for col in ("fact", "value", "origin", "where"):
                facts.add_column(col, overflow="fold")
            f = t.facts
            _fact_row(facts, "memory limit", f.memory_limit, format_bytes, t.path)
            _fact_row(facts, "memory request", f.memory_request, format_bytes, t.path)
            _fact_row(facts, "persistent volume", f.persistent, str, t.path)
            _fact_row(facts, "storage size", f.storage_size, format_bytes, t.path)
            _fact_row(facts, "workload kind", f.workload_kind, str, t.path)
            _fact_row(facts, "pods", f.pods, str, t.path)
            _fact_row(facts, "replicas of master", f.replicas_of_master, str, t.path)
            _fact_row(facts, "fsGroup", f.fs_group, str, t.path)
            _fact_row(facts, "metrics exporter", f.metrics_enabled, str, t.path)
            console.print(facts)
        for line in t.evaluation.errors:
            reason = line.problem.reason if line.problem else ""
            if line.problem is not None and line.problem.kind == "templated":
                say(f"  not evaluated: {_place(line, t.path)}: {redact_source(line.raw)!r}: {reason}", 4)
            else:
                say(f"  {t.redis_version.flavor.capitalize()} would refuse to start: {_place(line, t.path)}: "
                    f"{redact_source(line.raw)!r}: {reason}", 4)
        for u in t.unresolved:
            say(f"  not evaluated: {_one(u.span.path)}:{u.span.line}: {_one(redact_text(u.message))}", 4)
    # Values and messages come from files too: the whole text is made safe as the `check` text output is.
    return safe.for_terminal(buf.getvalue())
