"""Judge targets and source problems: the rules a run selects, the profile each target is judged
under, one finding per root cause, roles merged. Both drivers of a check call these (one process:
`engine`; file by file: `parallel`), through the run context (`pipeline.RunContext`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from fnmatch import fnmatchcase
from typing import NamedTuple

from redislint import partial
from redislint.assumptions import TargetDependencies, judged
from redislint.kinds.registry import fix_for, judged_for
from redislint.model import Finding, Notification, Severity, Span, new_finding
from redislint.naming import for_flavor
from redislint.options import DEFAULT_PROFILE, PROFILE_ANNOTATION, CheckOptions
from redislint.profiles import BUILTIN_PROFILES, Profile, ProfileError, load_profile
from redislint.repository import root_for
from redislint.rules import ALL_RULES, Hit, Rule, rule_by_code
from redislint.rules._grouping import one_finding_per_cause
from redislint.sources import STDIN_NAME, SourceProblem
from redislint.target import Assumption, Target


class LightTarget(NamedTuple):
    """What suppressions, profile selection and the report need of a target, cheap to send between
    processes (the file-by-file driver keeps these, not whole targets)."""

    path: str
    name: str
    annotations: dict[str, str]
    annotation_spans: dict[str, Span]
    anchor: Span
    role: str = ""
    assumptions: tuple[Assumption, ...] = ()  # those that apply to it (`assumptions.shown_assumptions`)
    reads: frozenset[str] | None = None  # files its configuration came from, when some are not reported


# A target as the later stages see it: whole (one process) or light (file by file).
AnyTarget = Target | LightTarget


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
        self._active: dict[tuple[int, frozenset[tuple[str, str]], tuple[str, ...]], tuple[tuple[Rule, Severity], ...]] = {}

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
        # Profiles live as long as this cache; the options' severity overrides count too (by value:
        # the id of a mapping gone may be reused by the next one).
        key = (id(profile), frozenset(options.severity_overrides.items()), tuple(r.code for r in rules))
        if key not in self._active:
            self._active[key] = tuple((rule, severity) for rule in rules if rule.scope == "target"
                                      and (severity := _severity(rule, profile, options)) is not None)
        return self._active[key]


def annotation_choice(target: AnyTarget, profiles: ProfileCache) -> ProfileChoice | None:
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


def profile_choice(target: AnyTarget | None, options: CheckOptions,
                   profiles: ProfileCache) -> ProfileChoice:
    """--profile, else the object's annotation, else the config's path mapping, else its default,
    else DEFAULT_PROFILE."""
    return _chosen(target, options, profiles) or ProfileChoice(DEFAULT_PROFILE)


def _chosen(target: AnyTarget | None, options: CheckOptions,
            profiles: ProfileCache) -> ProfileChoice | None:
    """The profile someone chose for `target`, or None when nobody did."""
    if options.profile:
        return ProfileChoice(options.profile)
    if target is not None:
        choice = annotation_choice(target, profiles)
        if choice is not None and profiles.error(choice) is None:
            return choice  # an unusable annotation falls through; run_rules reports it at its line
        for glob, name in options.path_profiles:
            if fnmatchcase(target.path, glob) or fnmatchcase(target.path, "*/" + glob):
                return configured_choice(name, options, profiles)
    if options.default_profile is None:
        return None
    return configured_choice(options.default_profile, options, profiles)


# Targets listed by name in the fallback notification; the rest are counted.
FALLBACK_NAMES_SHOWN = 5


def fallback_notification(targets: Sequence[AnyTarget], options: CheckOptions,
                          profiles: ProfileCache) -> Notification | None:
    """One note per run naming the targets judged under DEFAULT_PROFILE because nobody chose one."""
    unchosen = [t for t in targets if _chosen(t, options, profiles) is None]
    count = len(unchosen)
    if not count:
        return None
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
    return new_finding(rule, severity=severity, span=span,
                       message=f"{PROFILE_ANNOTATION}: {error}; this object was judged under profile {profile.name} "
                       "instead",
                       fix="Name a built-in profile or a profile file inside the repository (relative to its root)",
                       target=target.name, role=target.role, profile=profile.name, subject=PROFILE_ANNOTATION)


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
            findings.append(new_finding(
                rule, severity=level, message=for_flavor(message, flavor), span=hit.span,
                fix=for_flavor(fix_for(target.chart, rule.code, hit.fix), flavor),
                related=tuple(r._replace(message=for_flavor(r.message, flavor)) for r in hit.related),
                target=target.name, role=target.role, profile=profile.name, subject=hit.subject, assumptions=deps.keys))
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


def source_findings(problems: Iterable[SourceProblem], rules: list[Rule], options: CheckOptions,
                    profiles: ProfileCache) -> list[Finding]:
    """YAML syntax errors and duplicate keys, judged under the run's profile."""
    wanted = {r.code for r in rules}
    profile = profiles.get(profile_choice(None, options, profiles))
    out = []
    for p in problems:
        rule = rule_by_code(p.code)
        if rule is None or rule.code not in wanted:
            continue
        severity = _severity(rule, profile, options)
        if severity is None:
            continue
        out.append(new_finding(rule, severity=severity, message=p.message, span=p.span, profile=profile.name,
                               subject=p.code))
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


def profile_for_path(targets: Sequence[AnyTarget], options: CheckOptions,
                     profiles: ProfileCache) -> Callable[[str], Profile]:
    """The strictest-named profile among a file's targets (for judging suppressions in that file)."""
    by_path: dict[str, set[ProfileChoice]] = {}
    for t in targets:
        by_path.setdefault(t.path, set()).add(profile_choice(t, options, profiles))

    def lookup(path: str) -> Profile:
        choices = by_path.get(path) or {profile_choice(None, options, profiles)}
        loaded = [profiles.get(c) for c in choices]
        return max(loaded, key=lambda p: (p.suppression_reason_required, p.name))

    return lookup
