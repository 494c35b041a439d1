"""From the resolved settings of a run (`config.CheckSettings`) to `CheckOptions`, and the notes and
checks the settings call for; shared by `check` and `fix`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from redislint.errors import UserError
from redislint.model import Notification

if TYPE_CHECKING:
    from redislint.config import CheckSettings
    from redislint.options import CheckOptions


def _split(items: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(v.strip() for i in items for v in str(i).split(",") if v.strip())


def assumed_versions(resolved: CheckSettings) -> list[Notification]:
    """A note for a --redis-version or --chart-version newer than every version redislint knows: it
    is accepted, and the run says which known version stands in for it."""
    return _newer_redis(resolved) + _newer_chart(resolved)


def _where(key: str, origin: str) -> str:
    return f"--{key}" if origin == "command line" else f"{key} ({origin})"


def _newer_redis(resolved: CheckSettings) -> list[Notification]:
    from redislint.redisconf import RedisVersion, parse_version

    text, origin = resolved.redis_version.value, resolved.redis_version.origin
    wanted = parse_version(text) if text else None
    if wanted is None:
        return []
    newer = [RedisVersion.newest(flavor) for flavor in ("redis", "valkey")
             if (wanted.major, wanted.minor) > (RedisVersion.newest(flavor).major, RedisVersion.newest(flavor).minor)]
    if not newer:
        return []
    judged = " and ".join(f"{v.flavor.capitalize()} targets as {v.label}" for v in newer)
    return [Notification("", f"{_where('redis-version', origin)} {text} is newer than any version redislint knows; "
                             f"it judges {judged}, the newest it knows", level="note")]


def _newer_chart(resolved: CheckSettings) -> list[Notification]:
    from redislint.charts.versions import format_semver, parse_semver, releases
    from redislint.kinds.registry import KINDS

    text, origin = resolved.chart_version.value, resolved.chart_version.origin
    wanted = parse_semver(str(text)) if text else None
    if wanted is None:
        return []
    # The option applies to every release, whatever its chart: say so only when it is newer than
    # every chart's newest release (per release, discovery notes a version its chart never had).
    newer = [(kind, known[-1]) for kind in sorted(KINDS, key=lambda k: k.id) if (known := releases(kind.id))]
    if not newer or any(wanted <= latest.version for _, latest in newer):
        return []
    newest = ", ".join(f"{kind.id} {format_semver(latest.version)} ({'Valkey' if kind.flavor == 'valkey' else 'Redis'} "
                       f"{latest.app_version})" for kind, latest in newer)
    return [Notification("", f"{_where('chart-version', origin)} {text} is newer than any release redislint "
                             f"knows; each release is judged as the newest one it knows of its chart: {newest}",
                         level="note")]


def config_used(resolved: CheckSettings) -> list[Notification]:
    """Say which config file the settings came from: a config file can silence findings."""
    path = resolved.config_path
    return [Notification(path, "settings read from this config file", level="note")] if path else []


def check_governed(files: list[str], resolved: CheckSettings, explicit: bool) -> None:
    """Every file read must be governed by the run's config file (a nearer one inside a checked
    directory would judge it differently when it is checked alone, as pre-commit does)."""
    from redislint.config import ConfigError, conflict_message, find_config

    if explicit:
        return
    used = resolved.config_path
    cache: dict[str, str | None] = {}
    for path in files:
        if path.startswith("<"):
            continue
        own = find_config(path, cache)
        if own != used:
            raise ConfigError(conflict_message({used: "the paths given", own: path}))


def show_settings(resolved: CheckSettings) -> str:
    """`--show-settings`: one line per setting with its origin."""
    lines = [f"config file: {resolved.config_path or '(none found)'}"]
    for key, setting in resolved.items():
        lines.append(f"{key} = {setting.value!r}  # {setting.origin}")
    return "\n".join(lines) + "\n"


def _check_profiles(options: CheckOptions, resolved: CheckSettings) -> None:
    """Load every profile the command line and the config file name; a UserError for the first that fails.

    A profile the config file names is repository content (see `judging.configured_choice`): the
    error names the config line and the value, never what a path outside the repository holds.
    """
    from redislint.judging import ProfileCache, ProfileChoice, configured_choice
    from redislint.options import DEFAULT_PROFILE

    profiles = ProfileCache()
    if options.profile:
        wanted = [(ProfileChoice(options.profile), "")]
    else:
        origin = resolved.profile.origin
        default = configured_choice(options.default_profile, options, profiles) \
            if options.default_profile is not None else ProfileChoice(DEFAULT_PROFILE)
        wanted = [(default, origin)]
        wanted += [(configured_choice(name, options, profiles), resolved.profiles.origin)
                   for _, name in options.path_profiles]
    for choice, origin in wanted:
        error = profiles.error(choice)
        if error is not None:
            raise UserError(f"{origin}: {error}" if origin else str(error))


def check_options(resolved: CheckSettings, cli: dict[str, Any]) -> CheckOptions:
    """The engine's options from the resolved settings (command line > config file > default); every
    profile they name is loaded here, so a broken one fails early, with file and line, before any
    input is read (UserError)."""
    from redislint.config import config_suppressions
    from redislint.options import AUTO_JOBS, CheckOptions
    from redislint.targets import TargetOptions

    options = CheckOptions(
        profile=cli.get("profile"), select=_split(resolved.select.value), ignore=_split(resolved.ignore.value),
        targets=TargetOptions(resolved.redis_version.value, resolved.chart_version.value, resolved.chart.value),
        max_bytes=resolved.max_file_size.value, exclude=tuple(resolved.exclude.value),
        severity_overrides={str(k).upper() if str(k).upper().startswith("RL") else str(k): v
                            for k, v in resolved.severity.value.items()},
        extra_suppressions=tuple(config_suppressions(resolved.file)),
        # A profile nobody chose is not a choice: the report names the targets that fell back to it.
        default_profile=resolved.profile.value if resolved.profile.origin != "default" else None,
        path_profiles=tuple(resolved.profiles.value.items()),
        config_path=resolved.config_path,
        repository=not cli.get("no_repository_index"),
        base=cli.get("base") or None, changed_only=bool(cli.get("changed_only")),
        jobs=AUTO_JOBS if cli.get("jobs") is None else cli["jobs"])
    _check_profiles(options, resolved)
    return options
