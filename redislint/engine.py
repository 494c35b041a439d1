"""Run a check: inputs → targets → rules under each target's profile → findings, sorted and de-duplicated."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple, cast

from redislint.assumptions import TargetDependencies, judged, report_notes
from redislint.inputs import Inputs, parse_inputs, read_inputs
from redislint.model import Finding, Report, Severity
from redislint.profiles import Profile, ProfileError, load_profile
from redislint.rules import ALL_RULES, Rule, rule_by_code
from redislint.target import Target
from redislint.targets import TargetOptions, find_targets

if TYPE_CHECKING:
    from redislint.parallel import LightTarget

DEFAULT_PROFILE = "cache"
PROFILE_ANNOTATION = "redislint.io/profile"


class CheckOptions(NamedTuple):
    """Everything `redislint check` can be told."""

    profile: str | None = None
    select: tuple[str, ...] = ()  # codes, slugs or code prefixes ("RL2")
    ignore: tuple[str, ...] = ()
    targets: TargetOptions = TargetOptions()
    max_bytes: int | None = None
    exclude: tuple[str, ...] = ()
    severity_overrides: dict[str, str] = {}  # shared and never mutated: a NamedTuple default is one object
    extra_suppressions: tuple = ()  # Suppression entries from the config file
    default_profile: str = DEFAULT_PROFILE  # the config file's `profile`
    path_profiles: tuple[tuple[str, str], ...] = ()  # (path glob, profile) from the config file
    # Worker processes: 1 = none, 0 = automatic (workers only for inputs large enough to pay for
    # them), None = the caller's default (`default_jobs`: 1, or --jobs under `redislint check`).
    jobs: int | None = None


_default_jobs = 1


@contextmanager
def default_jobs(jobs: int | None) -> Iterator[None]:
    """Within this block, `CheckOptions.jobs=None` means `jobs` (None: automatic); `redislint check --jobs`."""
    global _default_jobs
    previous = _default_jobs
    _default_jobs = 0 if jobs is None else jobs
    try:
        yield
    finally:
        _default_jobs = previous


def jobs_for(options: CheckOptions) -> int:
    """The worker processes `options` asks for: 1 = none, N, 0 = automatic (see `default_jobs`)."""
    return _default_jobs if options.jobs is None else options.jobs


@contextmanager
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


def _matches(rule: Rule, patterns: tuple[str, ...]) -> bool:
    return any(rule.code.startswith(p.upper()) or rule.name == p.lower() for p in patterns)


def selected_rules(options: CheckOptions) -> list[Rule]:
    """Rules left after --select / --ignore, in registry order."""
    rules = [r for r in ALL_RULES if not options.select or _matches(r, options.select)]
    return [r for r in rules if not _matches(r, options.ignore)]


class ProfileCache:
    """Loads each profile once per run, and works out once which rules run under it (one run: one
    `CheckOptions`)."""

    def __init__(self) -> None:
        self._cache: dict[str, Profile] = {}
        self._active: dict[tuple[int, int, tuple[str, ...]], tuple[tuple[Rule, Severity], ...]] = {}

    def get(self, name: str) -> Profile:
        if name not in self._cache:
            self._cache[name] = load_profile(name)
        return self._cache[name]

    def active_rules(self, profile: Profile, rules: list[Rule],
                     options: CheckOptions) -> tuple[tuple[Rule, Severity], ...]:
        """The target-scoped `rules` that are on under `profile`, with their severity."""
        # Profiles live as long as this cache; the options' severity overrides count too.
        key = (id(profile), id(options.severity_overrides), tuple(r.code for r in rules))
        if key not in self._active:
            self._active[key] = tuple((rule, severity) for rule in rules if rule.scope == "target"
                                      and (severity := _severity(rule, profile, options)) is not None)
        return self._active[key]


def profile_name_for(target: Target | LightTarget | None, options: CheckOptions) -> str:
    """--profile, else the object's annotation, else the config's path mapping, else its default."""
    if options.profile:
        return options.profile
    if target is not None and target.annotations.get(PROFILE_ANNOTATION):
        name = target.annotations[PROFILE_ANNOTATION]
        if annotation_profile_error(name) is None:
            return name  # an unusable annotation falls through; finish_report says where it is
    if target is not None:
        from fnmatch import fnmatchcase

        for glob, name in options.path_profiles:
            if fnmatchcase(target.path, glob) or fnmatchcase(target.path, "*/" + glob):
                return name
    return options.default_profile


_PROFILE_ERRORS: dict[str, str | None] = {}


def annotation_profile_error(name: str) -> str | None:
    """Why a profile named in an annotation cannot be used (None when it loads); cached per run."""
    if name not in _PROFILE_ERRORS:
        try:
            load_profile(name)
            _PROFILE_ERRORS[name] = None
        except ProfileError as exc:
            _PROFILE_ERRORS[name] = str(exc)
    return _PROFILE_ERRORS[name]


def profile_annotation_finding(target: Target, profile: Profile, options: CheckOptions) -> Finding | None:
    """An unusable `redislint.io/profile` annotation, reported at its own line (RL003): the object is
    judged under the default profile instead, and everything else is still checked."""
    name = target.annotations.get(PROFILE_ANNOTATION)
    error = annotation_profile_error(name) if name and not options.profile else None
    rule = rule_by_code("RL003")
    severity = _severity(rule, profile, options) if error and rule is not None else None
    if error is None or rule is None or severity is None:
        return None
    span = target.annotation_spans.get(PROFILE_ANNOTATION, target.anchor)
    return Finding(rule.code, rule.name, severity, f"{PROFILE_ANNOTATION}: {error}; this object was judged under "
                   f"profile {profile.name} instead", span, "Name a built-in profile or a profile file", (),
                   target.name, target.role, profile.name, PROFILE_ANNOTATION)


def _severity(rule: Rule, profile: Profile, options: CheckOptions) -> Severity | None:
    override = options.severity_overrides.get(rule.code) or options.severity_overrides.get(rule.name)
    if override:
        return None if override == "off" else Severity(override)
    return profile.severity_for(rule.code)


def run_rules(targets: list[Target], rules: list[Rule], options: CheckOptions,
              profiles: ProfileCache) -> list[Finding]:
    """Every target-scoped rule on every target, each under the target's own profile."""
    findings: list[Finding] = []
    for target in targets:
        profile = profiles.get(profile_name_for(target, options))
        bad_annotation = profile_annotation_finding(target, profile, options)
        if bad_annotation is not None:
            findings.append(bad_annotation)
        assumed = TargetDependencies(target)
        for rule, severity in profiles.active_rules(profile, rules, options):
            for hit in rule.check(target, profile):
                deps = assumed.of(rule.code)
                level, message = judged(hit.severity or severity, hit.message, deps)
                findings.append(Finding(rule.code, rule.name, level, message, hit.span,
                                        hit.fix, hit.related, target.name, target.role, profile.name,
                                        hit.subject, deps.keys))
    return findings


def source_findings(inputs: Inputs, rules: list[Rule], options: CheckOptions,
                    profiles: ProfileCache) -> list[Finding]:
    """YAML syntax errors and duplicate keys, judged under the run's profile."""
    wanted = {r.code for r in rules}
    profile = profiles.get(profile_name_for(None, options))
    out = []
    for p in inputs.problems:
        rule = rule_by_code(p.code)
        if rule is None or rule.code not in wanted:
            continue
        severity = _severity(rule, profile, options)
        if severity is None:
            continue
        out.append(Finding(rule.code, rule.name, severity, p.message, p.span, "", (), "", "", profile.name,
                           p.code))
    return out


def merge_roles(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per place and message: a line shared by master and replica is reported once."""
    merged: dict[tuple, Finding] = {}
    for f in findings:
        key = (f.rule, f.span, f.message, f.target)
        if key in merged:
            prev = merged[key]
            roles = sorted(set(prev.role.split(", ")) | {f.role})
            assumed = prev.assumptions + tuple(k for k in f.assumptions if k not in prev.assumptions)
            merged[key] = prev._replace(role=", ".join(r for r in roles if r), assumptions=assumed)
        else:
            merged[key] = f
    return sorted(merged.values(), key=lambda f: f.sort_key)


def _profile_for_path(targets: Sequence[Target | LightTarget], options: CheckOptions, profiles: ProfileCache):
    """The strictest-named profile among a file's targets (for judging suppressions in that file)."""
    by_path: dict[str, list[str]] = {}
    for t in targets:
        by_path.setdefault(t.path, []).append(profile_name_for(t, options))

    def lookup(path: str) -> Profile:
        names = by_path.get(path) or [profile_name_for(None, options)]
        loaded = [profiles.get(n) for n in sorted(set(names))]
        return max(loaded, key=lambda p: (p.suppression_reason_required, p.name))

    return lookup


def check_paths(paths: list[str], options: CheckOptions) -> tuple[Report, Sequence[Target | LightTarget]]:
    """The whole pipeline for `redislint check`.

    Small inputs run in one pass over all files. Many files, more than 1 MB of text, or `jobs`
    above 1 go through `redislint.parallel`, which checks file by file, in worker processes when
    that pays, with the same report byte for byte; the targets it returns then carry only what
    suppressions and profiles need (`parallel.LightTarget`: path, name, annotations, anchor).
    """
    from redislint import parallel

    read = read_inputs(paths, options.max_bytes, options.exclude)
    plan = parallel.plan(read, jobs_for(options))
    if plan.streaming:
        return parallel.check_streaming(read, options, plan)
    with gc_paused():
        inputs = parse_inputs(read)
        targets = find_targets(inputs.yaml_files, inputs.conf_files, options.targets)
        rules = selected_rules(options)
        profiles = ProfileCache()
        findings = run_rules(targets, rules, options, profiles) + source_findings(inputs, rules, options, profiles)
        report = finish_report(findings, targets, read.texts, read.notifications, read.files_read, rules,
                               options, profiles)
    return report, targets


def finish_report(findings: list[Finding], targets: Sequence[Target | LightTarget], texts: dict[str, str],
                  notifications: list,
                  files_read: int, rules: list[Rule], options: CheckOptions, profiles: ProfileCache) -> Report:
    """Merge roles, apply suppressions and build the report from the findings of every target, in order.

    `targets` need only `path`, `name`, `role`, `annotations`, `annotation_spans`, `anchor` and
    `assumptions` (as `parallel.LightTarget` has them).
    """
    from redislint.suppression_findings import suppress

    # suppress() reads only path, name, annotations, annotation_spans and anchor of a target.
    kept, suppressed = suppress(merge_roles(findings), texts, cast("list[Target]", list(targets)),
                                list(options.extra_suppressions),
                                {r.code for r in rules}, _profile_for_path(targets, options, profiles),
                                lambda rule, profile: _severity(rule, profile, options))
    used_profiles = sorted({profiles.get(profile_name_for(t, options)).name for t in targets}
                           or {profiles.get(profile_name_for(None, options)).name})
    return Report(findings=sorted(kept, key=lambda f: f.sort_key), suppressed=suppressed,
                  notifications=notifications,
                  files_read=files_read, targets_checked=len(targets),
                  profiles=tuple(used_profiles), rules_run=tuple(r.code for r in rules), texts=texts,
                  assumptions=report_notes(targets))


def check_targets(targets: list[Target], options: CheckOptions) -> list[Finding]:
    """Run the rules on targets already built (tests, `effective`)."""
    return merge_roles(run_rules(targets, selected_rules(options), options, ProfileCache()))
