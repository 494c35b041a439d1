"""`check --base REF`: compare every target with itself at REF and report the transitions that lose data.

The base revision is read from git (`change.git`), its files placed where the change has them
(`change.tree`), and both revisions go through the same discovery as any check. Targets are paired
(`change.pairs`); a pair whose configuration and storage are the same at both revisions is left
alone, any other is handed to the transition rules (`scope="transition"`), judged under the current
target's profile like its other findings. The state findings of the run are not touched, except
where a transition finding names their root cause itself (`SUPERSEDES`): one root cause, one finding.

`Review` goes through the engine to `pipeline.finish_report`, which merges its findings before
suppressions and baselines, and applies `--changed-only` after them.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from redislint.change.pairs import pair
from redislint.change.places import identity, place
from redislint.change.scope import Parsed, affected, subset
from redislint.change.transition import Side, Transition, signature
from redislint.errors import UserError
from redislint.model import Finding, Notification, new_finding
from redislint.sources import MapNode

if TYPE_CHECKING:
    from redislint.inputs import ReadInputs
    from redislint.options import CheckOptions
    from redislint.target import Target

# Changed files whose targets are built and compared together (their referrers and what they read
# with them); the trees of one batch are freed before the next.
BATCH = 100
# A transition finding that says everything a state finding says about the same line (its own or one
# of its related locations) replaces it: RL103 names the keys a chart upgrade drops, with their new
# names (RL101, RL102 at each key); RL213 says what switching persistence off does to the data that
# was kept (RL401 emptyDir, RL210 dir off the volume, RL201/RL203 snapshots or AOF off, at its line).
SUPERSEDES: dict[str, tuple[str, ...]] = {"RL103": ("RL101", "RL102"), "RL213": ("RL401", "RL210", "RL201", "RL203")}


class Review(NamedTuple):
    """What the change does: its transition findings, and what it touched (for --changed-only)."""

    findings: tuple[Finding, ...] = ()
    superseded: frozenset[tuple[str, str, Any]] = frozenset()  # (rule, target, span) of replaced findings
    # path -> lines the change added or modified; a NamedTuple's dict default is one shared object, never mutated
    lines: dict[str, frozenset[int]] = {}
    targets: frozenset[tuple[str, str]] = frozenset()  # (target name, file it reads) of changed targets
    changed_only: bool = False
    notes: tuple[Notification, ...] = ()

    def merge(self, findings: Iterable[Finding]) -> list[Finding]:
        """The run's findings with the transition findings added and the superseded ones left out."""
        kept = [f for f in findings if (f.rule, f.target, f.span) not in self.superseded]
        return kept + list(self.findings)

    def touched(self, f: Finding) -> bool:
        """On a line the change touched, or about a target whose configuration or storage it changed."""
        if f.span.line in self.lines.get(f.span.path, ()):
            return True
        return bool(f.target) and (f.target, f.span.path) in self.targets

    def keep(self, findings: Iterable[Finding]) -> list[Finding]:
        """`findings`, or with --changed-only only those the change touched."""
        return [f for f in findings if self.touched(f)] if self.changed_only else list(findings)


def not_reviewed(options: CheckOptions) -> list[Notification]:
    """A warning when --select (or `select:`) names transition rules and no --base is given: they
    compare two revisions, so without one they do not run, and the run must not look green for them."""
    from redislint.rules import ALL_RULES  # noqa: PLC0415 - only `check --base` loads the change review and what it needs

    if options.base is not None or not options.select:
        return []
    # Named one by one (a code or a name, not a group prefix such as RL2).
    asked = [r.code for r in ALL_RULES if r.scope == "transition"
             and any(r.code == p.upper() or r.name == p.lower() for p in options.select)]
    if not asked:
        return []
    verb = "compares" if len(asked) == 1 else "compare"
    runs = "runs" if len(asked) == 1 else "run"
    return [Notification("", f"{', '.join(asked)} {verb} a change with a git revision and {runs} only with --base REF "
                             "(e.g. --base origin/main): nothing was compared", level="warning")]


def repository_of(paths: Sequence[str]) -> str:
    """The one git repository all checked paths are in; a UserError otherwise."""
    from redislint.repository import find_root  # noqa: PLC0415 - only `check --base` loads the change review and what it needs

    roots = set()
    for path in paths:
        if path in ("-", "<stdin>"):
            raise UserError("--base compares files with their history in git; standard input has none")
        root = find_root(path if os.path.exists(path) else os.path.dirname(os.path.abspath(path)))
        if root is None:
            raise UserError(f"--base needs a git repository, and {path} is not inside one")
        roots.add(os.path.realpath(root))
    if len(roots) > 1:
        raise UserError("--base compares one repository at a time; the paths are in " + ", ".join(sorted(roots)))
    return roots.pop()


def review(read: ReadInputs, paths: Sequence[str], options: CheckOptions) -> Review:
    """The transitions between `options.base` and the files `read` holds (context files included)."""
    from redislint.change.git import open_base  # noqa: PLC0415 - only `check --base` loads the change review and what it needs
    from redislint.change.tree import base_files  # noqa: PLC0415 - only `check --base` loads the change review and what it needs

    assert options.base is not None
    root = repository_of(paths)
    base = open_base(root, options.base)
    files = base_files(read, list(paths), base, options.exclude, options.max_bytes)
    lines = {path: changed_lines(files.texts.get(path), text)
             for path, text in read.texts.items() if path in files.changed}
    if not files.changed and not files.deleted:
        return Review(lines=lines, changed_only=options.changed_only, notes=files.notes)
    # Only the targets a changed file can reach are built, at both revisions, from the same files, a
    # batch of changed files at a time so that a change of every file does not hold every tree twice.
    deleted = [(p, files.read.texts[p]) for p in files.deleted]
    ordered = sorted(files.changed)
    changed: set[tuple[str, str]] = set()
    findings: list[Finding] = []
    superseded: set[tuple[str, str, Any]] = set()
    for start in range(0, max(len(ordered), 1), BATCH):
        parsed = Parsed()
        scope = affected(read, ordered[start:start + BATCH], files.texts, deleted, parsed)
        head_targets, head_docs = _discover(subset(read, scope), options, parsed)
        base_targets, base_docs = _discover(subset(files.read, scope | set(files.deleted)), options, parsed)
        paired = pair(head_targets, base_targets)
        seen = {id(h) for _, h in paired}
        for t in head_targets:
            if id(t) not in seen:
                changed |= _reads(t)  # a new target: everything about it is the change's
        transitions = []
        for b, h in paired:
            before = _side(b, base_docs)
            after = _side(h, head_docs)
            if signature(before) == signature(after):
                continue
            changed |= _reads(h)
            transitions.append(Transition(before, after, options.base, files.renamed.get(h.path, "")))
        if transitions:
            # A target two batches reach is judged twice, with the same result: the engine merges
            # findings of the same rule, place, message and target.
            more, replaced = judge(transitions, options)
            findings += more
            superseded |= replaced
    return Review(tuple(findings), frozenset(superseded), lines, frozenset(changed), options.changed_only,
                  files.notes)


def changed_lines(before: str | None, after: str) -> frozenset[int]:
    """Lines of `after` (1-based) that are not in `before`: all of them for a new file."""
    new = after.split("\n")
    if before is None:
        return frozenset(range(1, len(new) + 1))
    matcher = difflib.SequenceMatcher(None, before.split("\n"), new, autojunk=False)
    out: set[int] = set()
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            out.update(range(j1 + 1, j2 + 1))
        elif tag == "delete" and j1 < len(new):
            out.add(j1 + 1)  # a removed line: the line now in its place is where a comment goes
    return frozenset(out)


def _reads(target: Target) -> set[tuple[str, str]]:
    from redislint.repo_index import target_reads  # noqa: PLC0415 - only `check --base` loads the change review and what it needs

    return {(target.name, path) for path in target_reads(target) | {target.path}}


def _discover(read: ReadInputs, options: CheckOptions, parsed: Parsed) -> tuple[list[Target], dict]:
    """Targets of one revision, and the documents that deploy them by their anchor. A file whose text
    is the same at both revisions is parsed once (discovery never changes a parsed tree)."""
    from redislint.target import ConfFile  # noqa: PLC0415 - only `check --base` loads the change review and what it needs
    from redislint.targets import Discovery, find_targets  # noqa: PLC0415 - only `check --base` loads the change review and what it needs

    yaml_files: list[Any] = []
    conf_files: list[ConfFile] = []
    for source in read.files:
        loaded = parsed.load(source)
        if isinstance(loaded, ConfFile):
            conf_files.append(loaded)
        else:
            yaml_files.append(loaded)
    targets = find_targets(yaml_files, conf_files, options.targets, Discovery())
    docs = {(d.span.path, d.span.line, d.span.column): d.root for f in yaml_files for d in f.documents
            if isinstance(d.root, MapNode)}
    return targets, docs


def _side(target: Target, docs: dict) -> Side:
    anchor = target.anchor
    doc = docs.get((anchor.path, anchor.line, anchor.column))
    ident = identity(target, doc)
    return Side(target, ident, place(target, ident, doc), doc)


def judge(transitions: list[Transition], options: CheckOptions) -> tuple[list[Finding], set[tuple[str, str, Any]]]:
    """Every transition rule on every transition, under the current target's profile."""
    from redislint import partial  # noqa: PLC0415 - only `check --base` loads the change review and what it needs
    from redislint.assumptions import TargetDependencies, judged  # noqa: PLC0415 - only `check --base` loads the change review and what it needs
    from redislint.judging import (  # noqa: PLC0415 - only `check --base` loads the change review and what it needs
        ProfileCache,
        profile_choice,
        rule_severity,
        selected_rules,
    )

    rules = [r for r in selected_rules(options) if r.scope == "transition"]
    profiles = ProfileCache()
    findings: list[Finding] = []
    superseded: set[tuple[str, str, Any]] = set()
    for change in transitions:
        target = change.head.target
        profile = profiles.get(profile_choice(target, options, profiles))
        assumed = TargetDependencies(target)
        for rule in rules:
            severity = rule_severity(rule, profile, options)
            if severity is None:
                continue
            for hit in rule.check(change, profile):
                deps = assumed.of(rule.code)
                level, message = judged(hit.severity or severity, hit.message, deps)
                if target.partial is not None and not partial.holds(target, rule.code, hit.span):
                    conditional = partial.conditional(target, message)
                    if conditional is None:
                        continue
                    level, message = conditional
                findings.append(new_finding(rule, severity=level, message=message, span=hit.span, fix=hit.fix,
                                            related=hit.related, target=target.name, role=target.role,
                                            profile=profile.name, subject=hit.subject, assumptions=deps.keys))
                for replaced in SUPERSEDES.get(rule.code, ()):
                    superseded |= {(replaced, target.name, span) for span in (hit.span, *(r.span for r in hit.related))}
    return findings, superseded
