"""Run a check: read the inputs, then drive the stages (`pipeline`) in one pass or file by file (`parallel`).

`check_paths` is the entry point of `redislint check`; `check_read` is the one-process driver over
inputs already read (`fix` needs the whole targets it returns). `CheckOptions`, `DEFAULT_PROFILE`
and `selected_rules` are re-exported here, where most callers look for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from redislint import parallel
from redislint.inputs import ReadInputs, parse_inputs, read_inputs
from redislint.judging import (
    AnyTarget,
    LightTarget,
    ProfileCache,
    merge_roles,
    run_rules,
    selected_rules,
)
from redislint.model import Finding, Report
from redislint.options import DEFAULT_PROFILE, PROFILE_ANNOTATION, CheckOptions
from redislint.pipeline import RunContext, finish_report, judged_problems, judged_targets
from redislint.target import Target
from redislint.targets import Discovery

if TYPE_CHECKING:
    from redislint.change.review import Review

__all__ = ["DEFAULT_PROFILE", "PROFILE_ANNOTATION", "CheckOptions", "LightTarget", "check_paths", "check_read",
           "check_targets", "selected_rules"]


def check_paths(paths: list[str], options: CheckOptions) -> tuple[Report, Sequence[AnyTarget]]:
    """The whole pipeline for `redislint check`.

    Small inputs run in one pass over all files. Many files, more than 1 MB of text, or `jobs`
    above 1 go through `redislint.parallel`, which checks file by file, in worker processes when
    that pays, with the same report byte for byte; the targets it returns then carry only what
    suppressions and profiles need (`judging.LightTarget`: path, name, annotations, anchor).
    """
    read = read_inputs(paths, options.max_bytes, options.exclude)
    hidden: frozenset[str] = frozenset()
    if options.repository:
        from redislint.repo_index import add_repository_files  # noqa: PLC0415 - only runs that resolve through the repository

        hidden = add_repository_files(read, options.exclude, options.max_bytes)
    change = None
    if options.base is not None:  # the transitions first: the state check may free its trees as it goes
        from redislint.change.review import review  # noqa: PLC0415 - git and the change review only for --base

        change = review(read, paths, options)
        read.notifications.extend(change.notes)
    ctx = RunContext.start(options, hidden)
    how = parallel.plan(read, options.jobs)
    if how.streaming:
        return parallel.check_streaming(read, ctx, how, change)
    return _one_pass(read, ctx, change)


def check_read(read: ReadInputs, options: CheckOptions,
               hidden: frozenset[str] = frozenset(), change: Review | None = None) -> tuple[Report, list[Target]]:
    """The one-pass pipeline over inputs already read; the targets come back whole (`fix` needs
    their config lines and versions). `hidden`: files read only to resolve references; `change`:
    what `check --base` found (`change.review`)."""
    return _one_pass(read, RunContext.start(options, hidden), change)


def _one_pass(read: ReadInputs, ctx: RunContext, change: Review | None) -> tuple[Report, list[Target]]:
    """Every file parsed, then the stages over all of them at once (references resolved among all)."""
    with ctx.gc_paused():
        inputs = parse_inputs(read)
        found = Discovery()
        targets: list[Target] = []
        findings: list[Finding] = []
        for _, target, judged in judged_targets(inputs.yaml_files, inputs.conf_files, ctx, found):
            targets.append(target)
            findings += judged
        findings += judged_problems(inputs.problems + found.problems, ctx)
        report = finish_report(ctx, findings, targets, read, found.files, change)
    return report, targets


def check_targets(targets: list[Target], options: CheckOptions) -> list[Finding]:
    """Run the rules on targets already built (tests, `effective`)."""
    return merge_roles(run_rules(targets, selected_rules(options), options, ProfileCache()))
