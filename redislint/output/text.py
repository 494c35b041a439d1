"""The `text` format (default): findings grouped by file, the offending line marked, a summary.

    charts/redis/values.yaml (2 findings)

    charts/redis/values.yaml:14:7: error RL203 aof-disabled
      AOF is disabled for the master: appendonly is "no".
        14 |       appendonly no
           |       ^^^^^^^^^^^^^
      target: prod/redis (master), profile critical
      related: charts/redis/values.yaml:30:9: persistence.enabled is true here
      fix: Set `appendonly yes` in master.configuration.

    3 files read, 1 Redis target checked, 1 error, 0 warnings, 0 notes (profile critical).

The summary line is always printed, also when nothing was found ("0 Redis targets found"). Colour
only when `options.color`; without it the output is plain text joined from the same segments,
independent of the terminal and of environment variables. This is the only module that
imports rich. Everything taken from files (paths, messages, fix hints, targets, source lines) is
shown with secrets masked and unsafe characters replaced (`safe.clean`: no terminal escapes, C1 or
bidi controls), and every line is defused (`safe.defuse_line`): none starts with `::` or holds a
`##[`, so the text output printed in a GitHub Actions log cannot run a workflow command.

`render` is a pure function of the report. `render_in_runs` renders the same text from runs of whole
files that a caller may map over worker processes (the `check` driver does for large reports,
`commands.outputs.text_formatter`), the parts joined in order: the same text byte for byte.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from itertools import groupby
from typing import TYPE_CHECKING, NamedTuple

from redislint.model import AssumptionNote, Report
from redislint.output import OutputOptions, safe
from redislint.output._common import (
    Entry,
    PathMapper,
    SourceLines,
    clean,
    entries,
    ordered_notifications,
    plural,
    shown_columns,
    summary_line,
)
from redislint.output.assumed import Assumed, text_of, who
from redislint.output.wrap import wrap_line

if TYPE_CHECKING:
    from redislint.rules._api import Rule

TAB_SIZE = 4
MAX_SOURCE_CELLS = 160  # longer source lines are cut around the span
_STYLE = {"error": "bold red", "warning": "bold yellow", "note": "bold cyan"}

# One output line as (text, style) segments. Rich `Text` objects are built only when colour is on:
# for thousands of findings they cost more than the check itself.
Segment = tuple[str, "str | None"]
Line = list[Segment]


def _line(*parts: str | tuple[str, str]) -> Line:
    """A line from plain strings and (text, style) pairs, like `Text.assemble`."""
    return [(p, None) if isinstance(p, str) else (p[0], p[1]) for p in parts]


def render(report: Report, rules: Sequence[Rule], options: OutputOptions) -> str:
    """Render `report` for people."""
    return render_in_runs(report, rules, options, 1, _in_order)


# How a caller renders runs of files: `map_runs(render_run, runs)` -> their texts, in order.
MapRuns = Callable[[Callable[["_GroupsTask"], str], list["_GroupsTask"]], list[str]]


def _in_order(fn: Callable[[_GroupsTask], str], runs: list[_GroupsTask]) -> list[str]:
    return [fn(run) for run in runs]


def render_in_runs(report: Report, rules: Sequence[Rule], options: OutputOptions, runs: int,
                   map_runs: MapRuns) -> str:
    """`render`, the files' findings split into at most `runs` runs of whole files rendered by
    `map_runs` (which may send them to other processes: a run carries only the texts it shows)."""
    mapper = PathMapper(options.root)
    shown = entries(report, options, mapper, fingerprints=False)
    groups = [list(group) for _, group in groupby(shown, key=lambda e: e.path)]
    headers, left = _assumption_headers(groups, Assumed(report), mapper)
    tasks = _split(groups, runs, report.texts, options, headers)
    out = "".join(map_runs(_render_groups, tasks))
    width = options.width

    tail: list[Line] = _other_assumptions(left, mapper)
    notes = [n for n in ordered_notifications(report, mapper) if options.notification_errors or n.level != "error"]
    if notes:
        tail.append(_line(("Files not analysed:" if any(n.level == "error" for n in notes) else "Notes:",
                           "bold")))
        for n in notes:
            # A run-level notification (no file) starts at its level, like a compiler's "note:".
            place: tuple = ()
            if n.path:
                where = mapper.display(n.path, follow_links=False)
                if n.line >= 1:
                    where += f":{n.line}" + (f":{n.column}" if n.column >= 1 else "")
                place = ((_safe_path(where), "bold"), ": ")
            tail.append(_line(
                "  ", *place, (n.level, _STYLE.get(n.level, "bold red")), ": ", _one_line(clean(n.message)),
            ))
        tail.append(_line(""))

    summary_style = "bold yellow" if report.targets_checked == 0 else "bold"
    tail.append(_line((summary_line(report), summary_style)))
    return out + _emit(tail, options.color, width)


class _GroupsTask(NamedTuple):
    """Files' findings to render (in one process), with the texts they show and how."""

    groups: list[list[Entry]]
    texts: dict[str, str]
    root: str
    color: bool
    headers: dict[str, list[Line]] = {}  # display path -> the assumption lines shown under its heading
    width: int = 0  # terminal width to wrap to (0: none)


def _assumption_headers(groups: list[list[Entry]], assumed: Assumed,
                        mapper: PathMapper) -> tuple[dict[str, list[Line]], list[AssumptionNote]]:
    """Under each file's heading, once, the assumptions its findings rest on and those of the targets it
    defines; and the assumptions shown under no heading (targets without findings)."""
    headers: dict[str, list[Line]] = {}
    placed: set[str] = set()
    for items in groups:
        path = items[0].path
        keys = {k for e in items for k in e.finding.assumptions}
        notes = [n for n in assumed.notes if n.key in keys or mapper.display(n.path) == path]
        lines: list[Line] = []
        by_target: dict[str, list[AssumptionNote]] = {}
        for n in notes:
            placed.add(n.key)
            by_target.setdefault(who(n), []).append(n)
        for label, mine in by_target.items():
            lines.append(_line(("  assumed for ", "dim"), (_one_line(label), "bold"), ":"))
            lines += [_line("    - ", _one_line(text_of(n))) for n in mine]
        if lines:
            headers[path] = lines
    return headers, [n for n in assumed.notes if n.key not in placed]


MAX_LISTED_TARGETS = 5  # targets named per assumption in the list for targets without findings


def _other_assumptions(notes: list[AssumptionNote], mapper: PathMapper) -> list[Line]:
    """Assumptions of targets without findings: a clean result rests on them too. Targets that
    assumed the same are listed together."""
    if not notes:
        return []
    by_text: dict[str, list[str]] = {}
    for n in notes:
        by_text.setdefault(text_of(n), []).append(f"{mapper.display(n.path)} {who(n)}")
    out = [_line(("Assumed for targets without findings:", "bold"))]
    for text, targets in by_text.items():
        named = ", ".join(targets[:MAX_LISTED_TARGETS])
        if len(targets) > MAX_LISTED_TARGETS:
            named += f" and {len(targets) - MAX_LISTED_TARGETS} more"
        out.append(_line("  ", (_safe_path(named), "bold"), ": ", _one_line(text)))
    out.append(_line(""))
    return out


def _split(groups: list[list[Entry]], workers: int, texts: dict[str, str],
           options: OutputOptions, headers: dict[str, list[Line]] | None = None) -> list[_GroupsTask]:
    """`groups` in `workers` runs of consecutive files with about as many findings each."""
    headers = headers or {}
    if workers <= 1:
        return [_GroupsTask(groups, texts, options.root, options.color, headers, options.width)]
    total = sum(len(g) for g in groups)
    tasks: list[_GroupsTask] = []
    current: list[list[Entry]] = []
    size = 0
    for group in groups:
        current.append(group)
        size += len(group)
        if size * workers >= total * (len(tasks) + 1) and len(tasks) < workers - 1:
            tasks.append(_task(current, texts, options, headers))
            current = []
    if current:
        tasks.append(_task(current, texts, options, headers))
    return tasks


def _task(groups: list[list[Entry]], texts: dict[str, str], options: OutputOptions,
          headers: dict[str, list[Line]]) -> _GroupsTask:
    """A task carrying only the texts and headings its findings show (it may be sent to another process)."""
    paths = {e.finding.span.path for group in groups for e in group}
    shown = {group[0].path for group in groups}
    return _GroupsTask(groups, {p: texts[p] for p in paths if p in texts}, options.root, options.color,
                       {p: lines for p, lines in headers.items() if p in shown}, options.width)


def _render_groups(task: _GroupsTask) -> str:
    """Each file's heading and findings, as text."""
    mapper = PathMapper(task.root)
    lines = SourceLines(task.texts)
    out: list[Line] = []
    for items in task.groups:
        out.append(_line((_safe_path(items[0].path), "bold underline"), f" ({plural(len(items), 'finding')})"))
        out += task.headers.get(items[0].path, [])
        out.append(_line(""))
        for entry in items:
            out += _finding(entry, mapper, lines, task.width)
            out.append(_line(""))
    return _emit(out, task.color, task.width)


def _finding(entry: Entry, mapper: PathMapper, lines: SourceLines, width: int = 0) -> list[Line]:
    f, s = entry.finding, entry.finding.span
    level = f.severity.value
    header = _line(
        (_safe_path(f"{entry.path}:{s.line}:{s.column}"), "bold"), ": ",
        (level, _STYLE[level]), " ",
        (_safe_path(f.rule), "bold"), " ", _safe_path(f.name),
    )
    if entry.suppressed:
        header.append((" (suppressed)", "dim"))
    out = [header]
    for part in _safe(clean(f.message)).strip().split("\n"):
        out.append(_line("  " + part))
    out += _snippet(entry, lines, level, width)
    context = []
    if f.target:
        context.append(f.target + (f" ({f.role})" if f.role else ""))
    elif f.role:
        context.append(f.role)
    if f.profile:
        context.append(f"profile {f.profile}")
    if context:
        out.append(_line(("  target: ", "dim"), _one_line(", ".join(context))))
    for r in f.related:
        where = f"{mapper.display(r.span.path)}:{r.span.line}:{r.span.column}"
        out.append(_line(("  related: ", "dim"), (_safe_path(where), "bold"), ": ",
                         _one_line(clean(r.message))))
    if f.fix.strip():
        out.append(_line(("  fix: ", "bold green"), _one_line(clean(f.fix))))
    return out


def _snippet(entry: Entry, lines: SourceLines, level: str, width: int = 0) -> list[Line]:
    """The first line of the span with a caret underline, or nothing when the text is unknown.

    Source lines are never wrapped (the caret would no longer point at the span): a line longer
    than `MAX_SOURCE_CELLS`, or than the terminal `width` leaves room for, is cut around the span.
    """
    s = entry.finding.span
    shown = lines.shown(s.path, s.line)
    if shown is None:
        return []
    raw, ranges = shown
    single_line = s.end_line <= s.line
    end_column = s.end_column if single_line else len(lines.raw(s.path, s.line) or "") + 1
    col, end = shown_columns(max(s.column, 1), max(end_column, s.column, 1), ranges)
    line = _safe(raw)
    number = str(s.line)
    room = MAX_SOURCE_CELLS if width <= 0 else max(min(MAX_SOURCE_CELLS, width - len(f"    {number} | ") - 2), 20)
    # Cut very long lines (minified JSON) around the span.
    start_cut = 0
    if _cells(line.expandtabs(TAB_SIZE)) > room:
        start_cut = max(0, col - 1 - room // 4)
        line = ("…" if start_cut else "") + line[start_cut:start_cut + room] + "…"
        offset = 1 if start_cut else 0
        col, end = col - start_cut + offset, min(end - start_cut + offset, len(line))
    line = line.rstrip()
    c0 = min(col - 1, len(line))
    c1 = min(max(end - 1, c0), len(line))
    before = _cells(line[:c0].expandtabs(TAB_SIZE))
    carets = max(_cells(line[:c1].expandtabs(TAB_SIZE)) - before, 1)
    gutter = " " * len(number)
    marker = _line(f"    {gutter} | ", (" " * before + "^" * carets, _STYLE[level]))
    if not single_line:
        marker.append((f" (to line {s.end_line})", "dim"))
    return [
        _line((f"    {number} | ", "blue"), line.expandtabs(TAB_SIZE)),
        marker,
    ]


def _cells(text: str) -> int:
    """Terminal cells `text` takes (control characters already replaced): wide characters count twice."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len  # noqa: PLC0415 - a few ms of imports, paid only for a line that needs it

    return cell_len(text)


_safe = safe.clean
_safe_path = safe.clean_name


def _one_line(text: str) -> str:
    return " ".join(_safe(text).split("\n")).strip()


def _wrapped(lines: list[Line], width: int) -> list[Line]:
    """`lines` wrapped to `width` (0: as they are); a continuation line is indented two cells more
    than its line (a hanging indent: a message, fix or note reads as one block)."""
    if width <= 0:
        return lines
    out: list[Line] = []
    for line in lines:
        plain = "".join(text for text, _ in line)
        out += wrap_line(line, width, len(plain) - len(plain.lstrip(" ")) + 2)
    return out


def _emit(lines: list[Line], color: bool, width: int = 0) -> str:
    """The lines as text (wrapped to `width` when it is set), each defused (`safe.defuse_line`);
    coloured only when asked."""
    lines = _wrapped(lines, width)
    if not color:
        return "".join(safe.defuse_line("".join(text for text, _ in line)) + "\n" for line in lines)
    from rich.console import Console  # noqa: PLC0415 - rich loads only for coloured output
    from rich.text import Text  # noqa: PLC0415 - rich loads only for coloured output

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="standard", no_color=False,
                      highlight=False, markup=False, emoji=False, soft_wrap=True, width=10_000, _environ={})
    for line in lines:
        plain = "".join(text for text, _ in line)
        defused = safe.defuse_line(plain)
        if defused != plain:  # rare: a file's text would start a workflow command; shown unstyled
            line = [(defused, None)]
        console.print(Text.assemble(*[(text, style) if style else text for text, style in line]), soft_wrap=True)
    return buffer.getvalue()
