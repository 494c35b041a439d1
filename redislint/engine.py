"""Run a check: inputs → targets → rules under each target's profile → findings, sorted and de-duplicated."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple, cast

from redislint import partial
from redislint.assumptions import TargetDependencies, judged, report_notes
from redislint.inputs import Inputs, ReadInputs, parse_inputs, read_inputs
from redislint.kinds.registry import fix_for, judged_for
from redislint.model import Finding, Notification, Report, Severity
from redislint.naming import for_flavor
from redislint.profiles import Profile, ProfileError, load_profile
from redislint.repository import root_for
from redislint.rules import ALL_RULES, Hit, Rule, rule_by_code
from redislint.rules._grouping import one_finding_per_cause
from redislint.sources import STDIN_NAME
from redislint.target import Target
from redislint.targets import Discovery, TargetOptions, find_targets

if TYPE_CHECKING:
    from redislint.change.review import Review
    from redislint.parallel import LightTarget

# What a target is judged under when nobody chose a profile for it: only what is wrong for every
# kind of data. The report says which targets fell back to it (`fallback_notification`).
DEFAULT_PROFILE = "baseline"
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
    default_profile: str | None = None  # the config file's `profile`; None: not chosen, DEFAULT_PROFILE applies
    path_profiles: tuple[tuple[str, str], ...] = ()  # (path glob, profile) from the config file
    # The config file that named `default_profile` and `path_profiles` (None: the caller's own
    # defaults): what it names is repository content, confined to its repository.
    config_path: str | None = None
    # Resolve references to the repository's other files (`repo_index`), as `check .` there would.
    repository: bool = True
    # Worker processes: 1 = none, 0 = automatic (workers only for inputs large enough to pay for
    # them), None = the caller's default (`default_jobs`: 1, or --jobs under `redislint check`).
    jobs: int | None = None
    # `check --base REF`: also compare every target with itself at this git revision (redislint.change);
    # with `changed_only`, report only what the change touched.
    base: str | None = None
    changed_only: bool = False


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
    """Rules left after --select / --ignore, in registry order; transition rules only with a base
    (without one they do not run, and a suppression of theirs is no unused suppression)."""
    rules = [r for r in ALL_RULES if (not options.select or _matches(r, options.select))
             and (options.base is not None or r.scope != "transition")]
    return [r for r in rules if not _matches(r, options.ignore)]


class ProfileChoice(NamedTuple):
    """A profile as named somewhere, and what the name may reach (see `profiles.load_profile`).

    `root` None: typed on the command line, any file. Otherwise named by repository content (an
    annotation, the config file): a built-in profile or a file inside `root`, relative to `base`.
    """

    name: str
    root: str | None = None
    base: str | None = None


class ProfileCache:
    """Loads each profile once per run, and works out once which rules run under it (one run: one
    `CheckOptions`). Errors are remembered per run too: a second run in the same process sees its
    own files, not the first run's verdicts."""

    def __init__(self) -> None:
        self._cache: dict[ProfileChoice, Profile | ProfileError] = {}
        self._roots: dict[str, str] = {}
        self._active: dict[tuple[int, int, tuple[str, ...]], tuple[tuple[Rule, Severity], ...]] = {}

    def _load(self, choice: ProfileChoice) -> Profile | ProfileError:
        if choice not in self._cache:
            try:
                self._cache[choice] = load_profile(choice.name, root=choice.root, base=choice.base)
            except ProfileError as exc:
                self._cache[choice] = exc
        return self._cache[choice]

    def get(self, choice: ProfileChoice | str) -> Profile:
        """The profile `choice` names (a plain string: a name typed on the command line)."""
        loaded = self._load(choice if isinstance(choice, ProfileChoice) else ProfileChoice(choice))
        if isinstance(loaded, ProfileError):
            raise loaded
        return loaded

    def error(self, choice: ProfileChoice) -> ProfileError | None:
        """Why `choice` cannot be used, or None when it loads."""
        loaded = self._load(choice)
        return loaded if isinstance(loaded, ProfileError) else None

    def root_of(self, path: str) -> str:
        """The repository of an input file (standard input: the working directory's)."""
        directory = os.path.dirname(os.path.abspath(path)) if path != STDIN_NAME else os.getcwd()
        if directory not in self._roots:
            self._roots[directory] = root_for(directory)
        return self._roots[directory]

    def active_rules(self, profile: Profile, rules: list[Rule],
                     options: CheckOptions) -> tuple[tuple[Rule, Severity], ...]:
        """The target-scoped `rules` that are on under `profile`, with their severity."""
        # Profiles live as long as this cache; the options' severity overrides count too.
        key = (id(profile), id(options.severity_overrides), tuple(r.code for r in rules))
        if key not in self._active:
            self._active[key] = tuple((rule, severity) for rule in rules if rule.scope == "target"
                                      and (severity := _severity(rule, profile, options)) is not None)
        return self._active[key]


def annotation_choice(target: Target | LightTarget, profiles: ProfileCache) -> ProfileChoice | None:
    """The profile an object's `redislint.io/profile` annotation names: repository content, so a
    built-in profile or a file inside the object's repository, relative to the repository root."""
    name = target.annotations.get(PROFILE_ANNOTATION)
    if not name:
        return None
    root = profiles.root_of(target.path)
    return ProfileChoice(name, root, root)


def configured_choice(name: str, options: CheckOptions, profiles: ProfileCache) -> ProfileChoice:
    """A profile named by the config file (`profile:`, `profiles:`): repository content, even when
    the file was passed with --config (in CI it is the pull request's file). Relative to the
    config file's directory, inside its repository."""
    if options.config_path is None:
        return ProfileChoice(name)  # no config file: the caller's own default
    directory = os.path.dirname(os.path.abspath(options.config_path))
    return ProfileChoice(name, profiles.root_of(options.config_path), directory)


def profile_choice(target: Target | LightTarget | None, options: CheckOptions,
                   profiles: ProfileCache) -> ProfileChoice:
    """--profile, else the object's annotation, else the config's path mapping, else its default,
    else DEFAULT_PROFILE."""
    return _chosen(target, options, profiles) or ProfileChoice(DEFAULT_PROFILE)


def _chosen(target: Target | LightTarget | None, options: CheckOptions,
            profiles: ProfileCache) -> ProfileChoice | None:
    """The profile someone chose for `target`, or None when nobody did."""
    if options.profile:
        return ProfileChoice(options.profile)
    if target is not None:
        choice = annotation_choice(target, profiles)
        if choice is not None and profiles.error(choice) is None:
            return choice  # an unusable annotation falls through; run_rules reports it at its line
        from fnmatch import fnmatchcase  # noqa: PLC0415 - the engine/parallel/change.review cycle (KNOWN_CYCLES, tests/test_structure.py)

        for glob, name in options.path_profiles:
            if fnmatchcase(target.path, glob) or fnmatchcase(target.path, "*/" + glob):
                return configured_choice(name, options, profiles)
    if options.default_profile is None:
        return None
    return configured_choice(options.default_profile, options, profiles)


# Targets listed by name in the fallback notification; the rest are counted.
FALLBACK_NAMES_SHOWN = 5


def fallback_notification(targets: Sequence[Target | LightTarget], options: CheckOptions,
                          profiles: ProfileCache) -> Notification | None:
    """One note per run naming the targets judged under DEFAULT_PROFILE because nobody chose one."""
    unchosen = [t for t in targets if _chosen(t, options, profiles) is None]
    count = len(unchosen)
    if not count:
        return None
    from redislint.profiles import BUILTIN_PROFILES  # noqa: PLC0415 - the engine/parallel/change.review cycle (KNOWN_CYCLES, tests/test_structure.py)

    names = sorted({t.name for t in unchosen})  # sorted: the order of the inputs must not show
    shown = ", ".join(names[:FALLBACK_NAMES_SHOWN])
    more = f" and {len(names) - FALLBACK_NAMES_SHOWN} more" if len(names) > FALLBACK_NAMES_SHOWN else ""
    of = f"{count} of {len(targets)} Redis targets" if count != len(targets) else (
        "the Redis target" if count == 1 else f"all {count} Redis targets")
    they = "it was" if count == 1 else "they were"
    # Several roles of one deployment share a name: say how many deployments the names stand for.
    deployments = f"{len(names)} deployments: " if len(names) > 1 and len(names) != count else ""
    return Notification("", f"No profile was chosen for {of} ({deployments}{shown}{more}), so {they} judged under "
                        f"{DEFAULT_PROFILE}: only what is wrong for every kind of data; durability needs are not "
                        f"judged. Say what the data is with --profile NAME, a `{PROFILE_ANNOTATION}: NAME` "
                        "annotation on the object, or `profiles:` by path in .redislint.yaml (built-in profiles: "
                        f"{', '.join(BUILTIN_PROFILES)})", level="note")


def profile_annotation_finding(target: Target, profile: Profile, rules: list[Rule], options: CheckOptions,
                               profiles: ProfileCache) -> Finding | None:
    """An unusable `redislint.io/profile` annotation (misspelt, missing, outside the repository), as an
    RL003 error at the annotation's own line.

    An error whatever the profile says of RL003: the author asked for a profile, usually a stricter
    one, and judging the object under the default instead could pass what that profile fails.
    Everything else is still checked, under `profile` (the fallback). Only the user's own
    `--select`/`--ignore`/`severity:` choices for RL003 change that.
    """
    if options.profile:
        return None
    choice = annotation_choice(target, profiles)
    error = profiles.error(choice) if choice is not None else None
    rule = rule_by_code("RL003")
    if error is None or rule is None or rule.code not in {r.code for r in rules}:
        return None
    override = options.severity_overrides.get(rule.code) or options.severity_overrides.get(rule.name)
    if override == "off":
        return None
    severity = Severity(override) if override else Severity.ERROR
    span = target.annotation_spans.get(PROFILE_ANNOTATION, target.anchor)
    return Finding(rule.code, rule.name, severity, f"{PROFILE_ANNOTATION}: {error}; this object was judged under "
                   f"profile {profile.name} instead", span,
                   "Name a built-in profile or a profile file inside the repository (relative to its root)", (),
                   target.name, target.role, profile.name, PROFILE_ANNOTATION)


def _severity(rule: Rule, profile: Profile, options: CheckOptions) -> Severity | None:
    override = options.severity_overrides.get(rule.code) or options.severity_overrides.get(rule.name)
    if override:
        return None if override == "off" else Severity(override)
    return profile.severity_for(rule.code)


def rule_severity(rule: Rule, profile: Profile, options: CheckOptions) -> Severity | None:
    """The severity of `rule` under `profile`, the user's `severity:` overrides first; None: off."""
    return _severity(rule, profile, options)


def run_rules(targets: list[Target], rules: list[Rule], options: CheckOptions,
              profiles: ProfileCache) -> list[Finding]:
    """Every target-scoped rule on every target, each under the target's own profile."""
    findings: list[Finding] = []
    for target in targets:
        profile = profiles.get(profile_choice(target, options, profiles))
        bad_annotation = profile_annotation_finding(target, profile, rules, options, profiles)
        if bad_annotation is not None:
            findings.append(bad_annotation)
        assumed = TargetDependencies(target)
        hits = [(rule, severity, hit) for rule, severity in profiles.active_rules(profile, rules, options)
                if judged_for(target.chart, rule.code) for hit in rule.check(target, profile)]
        # One root cause, one finding: rules that defer to an owner's finding step back (rules/_grouping.py).
        for (rule, severity, hit), stands_for in one_finding_per_cause(hits, _hit_code, _hit_causes):
            level = max([hit.severity or severity] + [h.severity or sev for _, sev, h in stands_for],
                        key=lambda s: s.rank)
            message = hit.message + _also(stands_for)
            deps = assumed.of(rule.code)
            level, message = judged(level, message, deps)
            if target.partial is not None and not partial.holds(target, rule.code, hit.span):
                conditional = partial.conditional(target, message)
                if conditional is None:
                    continue
                level, message = conditional
            flavor = target.redis_version.flavor  # "Valkey refuses to start" for a Valkey server
            findings.append(Finding(rule.code, rule.name, level, for_flavor(message, flavor), hit.span,
                                    for_flavor(fix_for(target.chart, rule.code, hit.fix), flavor),
                                    tuple(r._replace(message=for_flavor(r.message, flavor)) for r in hit.related),
                                    target.name, target.role, profile.name, hit.subject, deps.keys))
    return findings


def _also(stands_for: tuple[tuple[Rule, Severity, Hit], ...]) -> str:
    """What a finding that stands for others says about them (they are not reported separately)."""
    rules = sorted({(r.code, r.name) for r, _, _ in stands_for})
    if not rules:
        return ""
    return f"{_ALSO}{', '.join(f'{c} {n}' for c, n in rules)})"


def _hit_code(item: tuple[Rule, Severity, Hit]) -> str:
    return item[0].code


def _hit_causes(item: tuple[Rule, Severity, Hit]) -> tuple[str, ...]:
    return item[2].causes


def source_findings(inputs: Inputs, rules: list[Rule], options: CheckOptions,
                    profiles: ProfileCache) -> list[Finding]:
    """YAML syntax errors and duplicate keys, judged under the run's profile."""
    wanted = {r.code for r in rules}
    profile = profiles.get(profile_choice(None, options, profiles))
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


_ALSO = " (one root cause: this finding also stands for "


def _split_also(message: str) -> tuple[str, list[str]]:
    """(the message without `_also`'s suffix, the rules it names): roles whose one finding stands for
    different siblings (the master's also covers its full-sync fork) are still one finding."""
    at = message.rfind(_ALSO)
    if at < 0 or not message.endswith(")") or "(" in message[at + len(_ALSO):]:
        return message, []  # another parenthesis (an assumption) ends the message: not the list alone
    return message[:at], message[at + len(_ALSO):-1].split(", ")


def merge_roles(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per place and message: a line shared by master and replica is reported once."""
    merged: dict[tuple, Finding] = {}
    for f in findings:
        base, also = _split_also(f.message)
        key = (f.rule, f.span, base, f.target)
        if key in merged:
            prev = merged[key]
            roles = sorted(set(prev.role.split(", ")) | {f.role})
            assumed = prev.assumptions + tuple(k for k in f.assumptions if k not in prev.assumptions)
            stands = sorted(set(_split_also(prev.message)[1]) | set(also))
            message = base + (f"{_ALSO}{', '.join(stands)})" if stands else "")
            merged[key] = prev._replace(role=", ".join(r for r in roles if r), assumptions=assumed, message=message)
        else:
            merged[key] = f
    return sorted(merged.values(), key=lambda f: f.sort_key)


def _profile_for_path(targets: Sequence[Target | LightTarget], options: CheckOptions, profiles: ProfileCache):
    """The strictest-named profile among a file's targets (for judging suppressions in that file)."""
    by_path: dict[str, set[ProfileChoice]] = {}
    for t in targets:
        by_path.setdefault(t.path, set()).add(profile_choice(t, options, profiles))

    def lookup(path: str) -> Profile:
        choices = by_path.get(path) or {profile_choice(None, options, profiles)}
        loaded = [profiles.get(c) for c in choices]
        return max(loaded, key=lambda p: (p.suppression_reason_required, p.name))

    return lookup


def check_paths(paths: list[str], options: CheckOptions) -> tuple[Report, Sequence[Target | LightTarget]]:
    """The whole pipeline for `redislint check`.

    Small inputs run in one pass over all files. Many files, more than 1 MB of text, or `jobs`
    above 1 go through `redislint.parallel`, which checks file by file, in worker processes when
    that pays, with the same report byte for byte; the targets it returns then carry only what
    suppressions and profiles need (`parallel.LightTarget`: path, name, annotations, anchor).
    """
    from redislint import parallel  # noqa: PLC0415 - the engine/parallel/change.review cycle (KNOWN_CYCLES, tests/test_structure.py)

    read = read_inputs(paths, options.max_bytes, options.exclude)
    hidden: frozenset[str] = frozenset()
    if options.repository:
        from redislint.repo_index import add_repository_files  # noqa: PLC0415 - the engine/parallel/change.review cycle (KNOWN_CYCLES, tests/test_structure.py)

        hidden = add_repository_files(read, options.exclude, options.max_bytes)
    change = None
    if options.base is not None:  # the transitions first: the state check may free its trees as it goes
        from redislint.change.review import review  # noqa: PLC0415 - the engine/parallel/change.review cycle (KNOWN_CYCLES, tests/test_structure.py)

        change = review(read, paths, options)
        read.notifications.extend(change.notes)
    plan = parallel.plan(read, jobs_for(options))
    if plan.streaming:
        return parallel.check_streaming(read, options, plan, hidden, change)
    return check_read(read, options, hidden, change)


def check_read(read: ReadInputs, options: CheckOptions,
               hidden: frozenset[str] = frozenset(), change: Review | None = None) -> tuple[Report, list[Target]]:
    """The one-pass pipeline over inputs already read; the targets come back whole (`fix` needs
    their config lines and versions). `hidden`: files read only to resolve references; `change`:
    what `check --base` found (`change.review`)."""
    with gc_paused():
        inputs = parse_inputs(read)
        found = Discovery()
        targets = find_targets(inputs.yaml_files, inputs.conf_files, options.targets, found)
        inputs.problems.extend(found.problems)
        rules = selected_rules(options)
        profiles = ProfileCache()
        findings = run_rules(targets, rules, options, profiles) + source_findings(inputs, rules, options, profiles)
        report = finish_report(findings, targets, read.texts, read.notifications, read.files_read, rules,
                               options, profiles, found.files, hidden, change)
    return report, targets


def finish_report(findings: list[Finding], targets: Sequence[Target | LightTarget], texts: dict[str, str],
                  notifications: list,
                  files_read: int, rules: list[Rule], options: CheckOptions, profiles: ProfileCache,
                  file_status: dict[str, str] | None = None, hidden: frozenset[str] = frozenset(),
                  change: Review | None = None) -> Report:
    """Merge roles, apply suppressions and build the report from the findings of every target, in order.

    `targets` need only `path`, `name`, `role`, `annotations`, `annotation_spans`, `anchor` and
    `assumptions` (as `parallel.LightTarget` has them), and `reads` when there are `hidden` files;
    `file_status` is what became of each file read (`Discovery.files`), for the summary.
    `hidden`: files read only to resolve references (`repo_index`); everything is judged as in a
    run over the whole repository, then only what lies in the other files is reported, and only
    targets that are in them or read them count. `change` (`check --base`) adds the transition
    findings before suppressions, and with --changed-only keeps only what the change touched after them.
    """
    from redislint.suppression_findings import suppress  # noqa: PLC0415 - the engine/parallel/change.review cycle (KNOWN_CYCLES, tests/test_structure.py)

    # suppress() reads only path, name, annotations, annotation_spans and anchor of a target.
    if change is not None:
        findings = change.merge(findings)
    kept, suppressed = suppress(merge_roles(partial.shadowed(findings, targets)), texts, cast("list[Target]", list(targets)),
                                list(options.extra_suppressions),
                                {r.code for r in rules}, _profile_for_path(targets, options, profiles),
                                lambda rule, profile: _severity(rule, profile, options))
    if getattr(hidden, "partial", False) and options.config_path:
        # Whether a config `suppress:` entry matches nothing only a run over every file can say.
        kept = [f for f in kept if not (f.rule == "RL901" and f.span.path == options.config_path)]
    if change is not None:
        kept, suppressed = change.keep(kept), change.keep(suppressed)
    if hidden:
        from redislint.repo_index import target_reads  # noqa: PLC0415 - the engine/parallel/change.review cycle (KNOWN_CYCLES, tests/test_structure.py)

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
                  files_read=files_read, targets_checked=len(targets),
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


def check_targets(targets: list[Target], options: CheckOptions) -> list[Finding]:
    """Run the rules on targets already built (tests, `effective`)."""
    return merge_roles(run_rules(targets, selected_rules(options), options, ProfileCache()))
