"""`redislint check`: merge settings, run the rules, print the report in the chosen format."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from redislint.errors import UserError
from redislint.model import Notification, Report

if TYPE_CHECKING:
    from redislint.options import CheckOptions

FAIL_RANKS = {"error": 3, "warning": 2, "note": 1, "never": 99}
# docs/rules.md carries an explicit <a id="RL203"> anchor per rule, so this link is exact.
RULE_HELP_URI = "{information_uri}/blob/main/docs/rules.md#{code}"


def exit_code(report: Report, fail_on: str, require_targets: bool) -> int:
    """0 clean, 1 findings at or above fail_on, 3 nothing to check when targets are required."""
    threshold = FAIL_RANKS[fail_on]
    if any(f.severity.rank >= threshold for f in report.findings):
        return 1
    if any(n.level == "error" for n in report.notifications):
        return 2  # a file that could not be analysed is an I/O error, never a green run
    if require_targets and report.targets_checked == 0:
        return 3
    return 0


def jobs_note(requested: int) -> list[Notification]:
    """Say when --jobs asked for more workers than there are CPUs (the run used one per CPU)."""
    from redislint.processes import available_cpus

    cpus = available_cpus()
    if requested <= cpus:
        return []
    return [Notification("", f"--jobs {requested}: this process may use {cpus} CPU{'s' if cpus != 1 else ''}, so "
                             f"at most {cpus} worker process{'es' if cpus != 1 else ''} ran", level="note")]


def baseline_root(baseline_path: str, config_path: str | None) -> str:
    """What a baseline's paths are relative to: the repository holding the baseline file, else the
    config file's directory, else the baseline's own directory — never the working directory, so
    that the same baseline works wherever the check is started."""
    from redislint.repository import find_root

    here = os.path.dirname(os.path.abspath(baseline_path))
    return find_root(here) or (os.path.dirname(os.path.abspath(config_path)) if config_path else here)


def _with_baseline(report: Report, cli: dict[str, Any], root: str) -> Report:
    """--baseline alone keeps only the findings not in the baseline."""
    from redislint import baseline

    new, _known = baseline.filter_new(report.findings, baseline.load(cli["baseline"]), root)
    return replace(report, findings=new)


def _update_baseline(report: Report, cli: dict[str, Any], root: str) -> int:
    """--update-baseline: write every finding to --baseline and say so on stderr (the report, on
    stdout, lists them); the run did what was asked, so it exits 0."""
    from redislint import baseline

    baseline.write(cli["baseline"], report.findings, root)
    files = len({f.span.path for f in report.findings})
    sys.stderr.write(f"redislint: wrote {len(report.findings)} finding(s) in {files} file(s) to {cli['baseline']} "
                     f"(paths relative to {root}); checks with --baseline {cli['baseline']} now report only "
                     "new findings\n")
    return 0


def sarif_category(value: str | None) -> str:
    """`--sarif-category`: the SARIF `automationDetails.id` (`NAME/`, category NAME for GitHub).

    One stable category per configured run, whatever profiles the files happen to have: a category
    built from the profiles in the run would change when a file with another profile is added, and
    the alerts of the old category would stay open forever.
    """
    name = (value or "redislint").strip().strip("/")
    if not name or any(not (ch.isalnum() or ch in "-_./") for ch in name):
        raise UserError(f"--sarif-category {value!r}: use letters, digits and - _ . / only, e.g. redislint-prod")
    return name + "/"


def planned_outputs(cli: dict[str, Any]) -> list[Any]:
    """The outputs `--format`, `--output` and `--statistics` ask for, checked before any work."""
    from redislint.commands import outputs
    from redislint.output import FORMATS

    destinations = outputs.plan(cli.get("fmt"), tuple(cli.get("output") or ()), FORMATS)
    sarif_category(cli.get("sarif_category"))
    if cli.get("statistics"):
        _statistics_renderer(next((d.fmt for d in destinations if d.path is None), "text"))
    return destinations


def render_outputs(report: Report, options: CheckOptions, cli: dict[str, Any], root: str,
                   destinations: list[Any]) -> None:
    """Render every output from the one report and write it (files first, then standard output)."""
    from redislint.commands import outputs
    from redislint.judging import selected_rules
    from redislint.output import OutputOptions
    from redislint.pipeline import gc_paused

    terminal = outputs.is_terminal(sys.stdout)
    base = OutputOptions(root=root, automation_id=sarif_category(cli.get("sarif_category")),
                         show_suppressed=bool(cli.get("show_suppressed")), help_uri=RULE_HELP_URI)
    shown = len(report.findings) + (len(report.suppressed) if base.show_suppressed else 0)
    rules = selected_rules(options)
    statistics = bool(cli.get("statistics"))
    rendered = []
    with gc_paused():  # rendering makes many short-lived strings; the report's objects need no rescans
        for d in destinations:
            opts = base
            render = outputs.formatter(d.fmt, options.jobs, shown)
            if d.path is None:
                # Standard output: colour and width for a person at a terminal; files that could not be
                # analysed are said on stderr instead (`_errors_to_stderr`), so stdout is the format alone.
                opts = base._replace(color=d.fmt == "text" and outputs.use_color(cli.get("color"), terminal),
                                     width=outputs.terminal_width(sys.stdout) if d.fmt == "text" else 0,
                                     notification_errors=False)
                if statistics:
                    render = _statistics_renderer(d.fmt)
            rendered.append((d, render(report, rules, opts)))
    for d, text in sorted(rendered, key=lambda item: item[0].path is None):  # files first, then stdout
        outputs.write(text, d.path)


def _statistics_renderer(fmt: str) -> Any:
    """`--statistics` replaces standard output's report with counts: a table, or JSON for `--format json`."""
    from redislint.output import statistics

    if fmt == "json":
        return statistics.render_json
    if fmt not in ("text", "concise"):
        raise UserError(f"--statistics prints counts as text or json, not {fmt}; write the {fmt} report "
                        f"with --output {fmt}=FILE")
    return statistics.render


def _errors_to_stderr(report: Report, stdout_fmt: str | None, root: str) -> None:
    """Say every file that could not be analysed on stderr, unless stdout's `github` annotations (in
    the same CI log) already say it: stdout carries the requested format and nothing else."""
    if stdout_fmt == "github":
        return
    from redislint.output.paths import PathMapper
    from redislint.output.safe import clean_name, defuse
    from redislint.secrets import redact_text

    mapper = PathMapper(root)
    for n in sorted((n for n in report.notifications if n.level == "error"),
                    key=lambda n: (n.path, n.line, n.column, n.message)):
        where = mapper.display(n.path, follow_links=False) if n.path else "-"
        if n.line >= 1:
            where += f":{n.line}" + (f":{n.column}" if n.column >= 1 else "")
        # Only the message is masked, as the formats mask it: a path is no secret (`secret.yaml`).
        sys.stderr.write(defuse(f"redislint: {clean_name(where)}: error: {clean_name(redact_text(n.message))}") + "\n")


def run_check(paths: list[str], **cli: Any) -> int:
    """Check PATHS and return the exit code."""
    from redislint.commands.settings import (
        assumed_versions,
        check_governed,
        check_options,
        config_used,
        show_settings,
    )
    from redislint.config import resolve_settings
    from redislint.engine import check_paths
    from redislint.profiles import ProfileError

    resolved = resolve_settings(cli, paths)
    if cli.get("show_settings"):
        from redislint.output.safe import for_terminal

        sys.stdout.write(for_terminal(show_settings(resolved)))  # values come from a config file
        return 0
    if cli.get("update_baseline") and not cli.get("baseline"):
        raise UserError("--update-baseline needs --baseline FILE")
    root = os.getcwd()
    destinations = planned_outputs(cli)
    options = check_options(resolved, cli)
    try:
        report, targets = check_paths(paths, options)
        if cli.get("add_suppressions"):
            from redislint.commands.suppressions import add_suppressions

            report, targets = add_suppressions(paths, report, targets, options)
    except ProfileError as exc:
        raise UserError(str(exc)) from exc
    check_governed([p for p in report.texts if p not in report.context], resolved, explicit=bool(cli.get("config")))
    from redislint.change.review import not_reviewed

    report.notifications = report.notifications + config_used(resolved) + assumed_versions(resolved) \
        + jobs_note(options.jobs) + not_reviewed(options)
    base = baseline_root(cli["baseline"], resolved.config_path) if cli.get("baseline") else ""
    if cli.get("baseline") and not cli.get("update_baseline"):
        report = _with_baseline(report, cli, base)
    render_outputs(report, options, cli, root, destinations)
    _errors_to_stderr(report, next((d.fmt for d in destinations if d.path is None), None), root)
    if cli.get("update_baseline"):
        return _update_baseline(report, cli, base)
    return exit_code(report, resolved.fail_on.value or "error", bool(cli.get("require_targets")))
