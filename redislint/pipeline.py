"""What both drivers of a check share (one process: `engine`; file by file: `parallel`): the run
context (options, selected rules, a per-run profile cache, GC pausing) and the stages, as functions,
from discovered targets to the finished report."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from redislint import partial
from redislint.assumptions import report_notes
from redislint.inputs import ReadInputs
from redislint.judging import (
    AnyTarget,
    ProfileCache,
    fallback_notification,
    merge_roles,
    profile_choice,
    profile_for_path,
    rule_severity,
    run_rules,
    selected_rules,
    source_findings,
)
from redislint.model import Finding, Report
from redislint.options import CheckOptions
from redislint.repo_index import target_reads
from redislint.rules import Rule
from redislint.sources import SourceProblem, YamlFile
from redislint.suppression_findings import suppress
from redislint.target import Target
from redislint.targets import ConfFile, Discovery, iter_targets

if TYPE_CHECKING:
    from redislint.change.review import Review


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building the run's trees (and while rendering its report).

    Loading, target building and rules create hundreds of thousands of long-lived, acyclic objects
    (nodes, spans, config lines); every GC generation-2 pass rescans all of them, which made a
    1000-file run spend a third of its time in the collector and the time superlinear in the size
    of one big file. Nothing here creates reference cycles worth collecting (a run leaves a
    handful), so the collector simply waits until the pipeline is done.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True, slots=True, kw_only=True)
class RunContext:
    """One run: its options, the rules they select, the profiles loaded so far and the files read only
    to resolve references (`hidden`). Every cache lives here, so a second run in the same process
    starts from nothing; a worker process builds its own from the same options."""

    options: CheckOptions
    rules: list[Rule]
    profiles: ProfileCache
    hidden: frozenset[str] = frozenset()

    @classmethod
    def start(cls, options: CheckOptions, hidden: frozenset[str] = frozenset()) -> RunContext:
        """A fresh context for a run with `options`."""
        return cls(options=options, rules=selected_rules(options), profiles=ProfileCache(), hidden=hidden)

    def gc_paused(self) -> contextlib.AbstractContextManager[None]:
        """Pause the cyclic GC for the run's work (see `gc_paused`)."""
        return gc_paused()


# -- stages ----------------------------------------------------------------------------------------

def judged_targets(yaml_files: list[YamlFile], conf_files: list[ConfFile], ctx: RunContext,
                   found: Discovery) -> Iterator[tuple[int, Target, list[Finding]]]:
    """Discover targets one at a time and judge each under its own profile: (the discovery pass that
    yielded it, the target, its findings). A caller that keeps only the findings holds one target
    at a time."""
    for target in iter_targets(yaml_files, conf_files, ctx.options.targets, found):
        yield found.stage, target, run_rules([target], ctx.rules, ctx.options, ctx.profiles)


def judged_problems(problems: list[SourceProblem], ctx: RunContext) -> list[Finding]:
    """YAML syntax errors, duplicate keys and unanalysed Redis (RL001, RL002, RL004), under the run's profile."""
    return source_findings(problems, ctx.rules, ctx.options, ctx.profiles)


def finish_report(ctx: RunContext, findings: list[Finding], targets: Sequence[AnyTarget], read: ReadInputs,
                  file_status: dict[str, str] | None = None, change: Review | None = None) -> Report:
    """Merge roles, apply suppressions and build the report from the findings of every target, in order.

    `targets` need only `path`, `name`, `role`, `annotations`, `annotation_spans`, `anchor` and
    `assumptions` (as `judging.LightTarget` has them), and `reads` when there are `hidden` files;
    `file_status` is what became of each file read (`Discovery.files`), for the summary.
    `hidden`: files read only to resolve references (`repo_index`); everything is judged as in a
    run over the whole repository, then only what lies in the other files is reported, and only
    targets that are in them or read them count. `change` (`check --base`) adds the transition
    findings before suppressions, and with --changed-only keeps only what the change touched after them.
    """
    options, rules, profiles, hidden = ctx.options, ctx.rules, ctx.profiles, ctx.hidden
    texts, notifications = read.texts, list(read.notifications)
    # suppress() reads only path, name, annotations, annotation_spans and anchor of a target.
    if change is not None:
        findings = change.merge(findings)
    kept, suppressed = suppress(merge_roles(partial.shadowed(findings, targets)), texts, cast("list[Target]", list(targets)),
                                list(options.extra_suppressions),
                                {r.code for r in rules}, profile_for_path(targets, options, profiles),
                                lambda rule, profile: rule_severity(rule, profile, options))
    if getattr(hidden, "partial", False) and options.config_path:
        # Whether a config `suppress:` entry matches nothing only a run over every file can say.
        kept = [f for f in kept if not (f.rule == "RL901" and f.span.path == options.config_path)]
    if change is not None:
        kept, suppressed = change.keep(kept), change.keep(suppressed)
    if hidden:
        kept = [f for f in kept if f.span.path not in hidden]
        suppressed = [f for f in suppressed if f.span.path not in hidden]
        notifications = [n for n in notifications if n.path not in hidden]
        reported = texts.keys() - hidden
        targets = [t for t in targets if t.path not in hidden or not target_reads(t).isdisjoint(reported)]
    used_profiles = sorted({profiles.get(profile_choice(t, options, profiles)).name for t in targets}
                           or {profiles.get(profile_choice(None, options, profiles)).name})
    fallback = fallback_notification(targets, options, profiles)
    return Report(findings=sorted(kept, key=lambda f: f.sort_key), suppressed=suppressed,
                  notifications=list(notifications) + ([fallback] if fallback is not None else []),
                  files_read=read.files_read, targets_checked=len(targets),
                  profiles=tuple(used_profiles), rules_run=tuple(r.code for r in rules), texts=texts,
                  assumptions=report_notes(targets), skipped=skipped_files(file_status or {}, hidden),
                  context=hidden)


SKIP_REASONS = {"not Redis": "with no Redis in it", "not analysed": "with a Redis not analysed (RL004)"}


def skipped_files(file_status: dict[str, str], hidden: frozenset[str] = frozenset()) -> dict[str, int]:
    """Files read that hold no Redis target nor anything a target reads, by reason (files read
    only to resolve references left out)."""
    out: dict[str, int] = {}
    for path, status in file_status.items():
        if path in hidden:
            continue
        reason = SKIP_REASONS.get(status)
        if reason is not None:
            out[reason] = out.get(reason, 0) + 1
    return out
