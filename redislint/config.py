"""Settings of a `check` run, each with its origin: the command line over `.redislint.yaml` (or
`[tool.redislint]` in pyproject.toml) over the defaults (`resolve_settings` -> `CheckSettings`)."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from redislint.charts.versions import parse_semver
from redislint.errors import UserError
from redislint.model import Span
from redislint.redisconf.versions import parse_version
from redislint.repository import NotReadable, find_root, is_inside, read_small_text
from redislint.rules import CATALOGUE, lookalike_code, rule_code
from redislint.sources import MapNode, ScalarNode, load_yaml, to_plain
from redislint.suppress import Suppression

CONFIG_NAMES = (".redislint.yaml", ".redislint.yml", "pyproject.toml")
SEVERITIES = ("error", "warning", "note", "off")
FAIL_ON = ("error", "warning", "note", "never")
# What a target is judged under when nobody chose a profile for it: only what is wrong for every
# kind of data. The report says which targets fell back to it (`judging.fallback_notification`).
DEFAULT_PROFILE = "baseline"
# Every setting (its name in a config file) and its default.
DEFAULTS: Mapping[str, Any] = {
    "profile": DEFAULT_PROFILE, "profiles": {}, "select": [], "ignore": [], "severity": {}, "redis-version": None,
    "chart-version": None, "chart": None, "exclude": [], "fail-on": "error", "suppress": [], "max-file-size": None,
}
KNOWN_KEYS = set(DEFAULTS)
# Settings the command line can give too (the option is the name with `_` for `-`).
CLI_SETTINGS = ("profile", "select", "ignore", "redis-version", "chart-version", "chart", "fail-on", "max-file-size")


class ConfigError(UserError):
    """A malformed config file; the message starts with file:line:column."""


class Setting(NamedTuple):
    """A resolved setting and where it came from ("default", "file:line", "command line")."""

    value: Any
    origin: str = "default"
    line: int = 0  # its line in the config file (0: not from a file)


class Settings:
    """Every setting `check` uses, before command-line options are applied."""

    __slots__ = ("path", "values")

    def __init__(self, path: str | None = None, values: dict[str, Setting] | None = None) -> None:
        self.path = path
        self.values = values if values is not None else {}

    def get(self, key: str, default: Any = None) -> Any:
        s = self.values.get(key)
        return default if s is None else s.value


def _world_writable(directory: Path) -> bool:
    """A directory anyone may write to (`/tmp`): a config file there may have been planted by anyone."""
    try:
        return bool(directory.stat().st_mode & stat.S_IWOTH)
    except OSError:
        return True


def _config_in(directory: Path, root: str | None) -> str | None:
    for name in CONFIG_NAMES:
        candidate = directory / name
        if root is not None and os.path.lexists(candidate) and not is_inside(str(candidate), root):
            # A link planted in a pull request (`.redislint.yaml -> /etc/passwd`) must not be read:
            # an error naming it would quote the outside file's first key.
            raise ConfigError(f"{candidate}: a symbolic link to outside the repository ({root}); not read: "
                              "a config file must live in the repository it configures")
        if candidate.is_file():
            if name == "pyproject.toml" and "[tool.redislint]" not in _read(candidate):
                continue
            return str(candidate)
    return None


def _find_from(directory: str) -> str | None:
    here = Path(directory)
    root = find_root(directory)
    for d in (here, *here.parents):
        # Outside a repository the walk goes to the filesystem root, but not through directories
        # anyone can write to; inside one it never leaves the repository (a config above it, in a
        # parent checkout or /tmp, must not change what the repository's own files are judged by).
        if root is not None or not _world_writable(d):
            found = _config_in(d, root)
            if found is not None:
                return found
        if root is not None and str(d) == root:
            return None
    return None


def find_config(start: str | None = None, cache: dict[str, str | None] | None = None) -> str | None:
    """The nearest config file at or above `start` (a file or directory; default the working
    directory), never above the repository root (the directory holding `.git`).

    `cache` (directory -> result) saves the walk for many files of one run.
    """
    here = os.path.realpath(start or os.getcwd())
    if not os.path.isdir(here):
        here = os.path.dirname(here)
    if cache is None:
        return _find_from(here)
    if here not in cache:
        cache[here] = _find_from(here)
    return cache[here]


def find_config_for(paths: list[str]) -> str | None:
    """The one config file that governs every path (looked up from each path upward; the working
    directory for standard input or no paths). Paths governed by different config files are an
    error: one run applies one set of settings, and silently picking one would judge some files by
    settings that are not theirs."""
    starts = [p for p in paths if p != "-"] or [os.getcwd()]
    found: dict[str | None, str] = {}
    cache: dict[str, str | None] = {}
    for p in starts:
        found.setdefault(find_config(p, cache), p)
    if len(found) > 1:
        raise ConfigError(conflict_message(found))
    return next(iter(found))


def conflict_message(found: dict[str | None, str]) -> str:
    """Which paths are governed by which config file, and what to do about it."""
    shown = "; ".join(f"{path} by {cfg or '(no config file)'}" for cfg, path in found.items())
    return (f"the paths checked are governed by different config files ({shown}); check them in "
            "separate runs, or pass --config FILE to use one config file for all of them")


MAX_CONFIG_BYTES = 1024 * 1024


def _read(path: Path) -> str:
    """A config file's text: a regular file of at most 1 MiB (not a pipe or device), read without blocking."""
    try:
        return read_small_text(str(path), str(path), MAX_CONFIG_BYTES, "a config file")
    except NotReadable as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from None


def _load_toml(path: str, text: str) -> tuple[dict[str, Any], dict[str, int]]:
    try:
        import tomllib  # type: ignore[import-not-found]  # noqa: PLC0415 - tomllib or, on Python 3.10, tomli: only for a pyproject.toml
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # noqa: PLC0415 - tomllib or, on Python 3.10, tomli: only for a pyproject.toml
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        where = f"{m.group(1)}:{m.group(2)}" if m else "1:1"
        raise ConfigError(f"{path}:{where}: invalid TOML: {exc}") from exc
    section = data.get("tool", {}).get("redislint", {})
    # tomllib keeps no positions: find each key's line in the [tool.redislint] section by text.
    lines: dict[str, int] = {}
    start = text.find("[tool.redislint]")
    offset = text[:start].count("\n") + 1 if start >= 0 else 1
    for i, line in enumerate(text[start:].split("\n") if start >= 0 else []):
        m = re.match(r"\s*\"?([A-Za-z0-9_-]+)\"?\s*=", line)
        if m and m.group(1) not in lines:
            lines[m.group(1)] = offset + i
    return section, lines


def _load_yaml(path: str, text: str) -> tuple[dict[str, Any], dict[str, int]]:
    loaded = load_yaml(path, text)
    if loaded.problems:
        p = loaded.problems[0]
        raise ConfigError(f"{path}:{p.span.line}:{p.span.column}: {p.message}")
    root = loaded.documents[0].root if loaded.documents else None
    if root is None:
        return {}, {}
    if not isinstance(root, MapNode):
        raise ConfigError(f"{path}:{root.span.line}:{root.span.column}: the config file must be a mapping")
    return to_plain(root), {str(k.text): k.span.line for k, _ in root.entries if isinstance(k, ScalarNode)}


def rule_pattern_error(pattern: str) -> str | None:
    """Why `pattern` (a rule code, name or code prefix such as `RL2`) names no rule; None when it does.

    A typo must never pass quietly: `--select RL2O3` would run no rule and turn every check green.
    """
    p = pattern.strip()
    if p and (p.lower() in CATALOGUE.values() or any(code.startswith(p.upper()) for code in CATALOGUE)):
        return None
    return f"unknown rule {pattern!r}{did_you_mean(pattern)}"


def did_you_mean(word: str) -> str:
    """"; did you mean 'RL203' (aof-disabled)?" for the closest rule code or name, or ""."""
    import difflib  # noqa: PLC0415 - difflib only for a word nobody knows


    upper = word.strip().upper()
    close = [c for c in [lookalike_code(upper)] if c] or difflib.get_close_matches(upper, list(CATALOGUE), 1, 0.6)
    if close:
        return f"; did you mean '{close[0]}' ({CATALOGUE[close[0]]})?"
    close = difflib.get_close_matches(word.strip().lower(), list(CATALOGUE.values()), 1, 0.6)
    if close:
        code = next(c for c, s in CATALOGUE.items() if s == close[0])
        return f"; did you mean '{close[0]}' ({code})?"
    return " (see `redislint rules`)"


def version_error(key: str, value: object) -> str | None:
    """Why a `redis-version` / `chart-version` value is not a version; None when it is one."""
    text = str(value).strip()
    if key == "redis-version":
        if parse_version(text) is None or not re.match(r"^[vV]?\d+\.\d+(\.\d+)?$", text):
            return f"{key} {text!r} is not a Redis/Valkey version: give MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. 7.2"
        return None

    if parse_semver(text) is None or not re.match(r"^[vV]?\d+(\.\d+){0,2}$", text):
        return f"{key} {text!r} is not a chart version: give one release, e.g. 19.6.4"
    return None


def _check(path: str, data: dict[str, Any], lines: dict[str, int]) -> None:
    def fail(key: str, message: str) -> None:
        raise ConfigError(f"{path}:{lines.get(key, 1)}:1: {message}")

    for key, value in data.items():
        if key not in KNOWN_KEYS:
            import difflib  # noqa: PLC0415 - difflib only for a key nobody knows

            close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), 1)
            fail(key, f"unknown setting '{key}'" + (f"; did you mean '{close[0]}'?" if close else ""))
        if key in ("select", "ignore", "exclude") and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            fail(key, f"'{key}' must be a list of strings")
        if key in ("select", "ignore"):
            for pattern in value:
                error = rule_pattern_error(pattern)
                if error:
                    fail(key, f"{key}: {error}")
        if key == "severity":
            if isinstance(value, dict):
                # YAML 1.1 (as Helm reads it) takes a bare `off` for false: that is the severity `off`.
                data[key] = value = {k: "off" if v is False else v for k, v in value.items()}
            if not isinstance(value, dict) or any(v not in SEVERITIES for v in value.values()):
                fail(key, f"'severity' must map rule codes to one of {', '.join(SEVERITIES)}")

            for code in value:
                if rule_code(str(code)) is None:
                    fail(key, f"severity: unknown rule {str(code)!r}{did_you_mean(str(code))}")
        if key == "profiles" and not (isinstance(value, dict) and all(isinstance(v, str) for v in value.values())):
            fail(key, "'profiles' must map path globs to profile names")
        if key == "fail-on" and value not in FAIL_ON:
            fail(key, f"'fail-on' must be one of {', '.join(FAIL_ON)}")
        if key == "max-file-size" and not (isinstance(value, int) and value > 0):
            fail(key, "'max-file-size' must be a positive number of bytes")
        if key in ("redis-version", "chart-version") and value is not None:
            error = version_error(key, value)
            if error:
                fail(key, error)
        if key == "suppress":
            if not isinstance(value, list) or not all(isinstance(e, dict) and isinstance(e.get("rules"), list)
                                                      for e in value):
                fail(key, "'suppress' must be a list of {path, target, rules, reason} entries")

            for entry in value:
                for code in entry["rules"]:
                    if rule_code(str(code)) is None:
                        fail(key, f"suppress: unknown rule {str(code)!r}{did_you_mean(str(code))}")


def load_settings(config_path: str | None = None, paths: list[str] | None = None) -> Settings:
    """Settings from `config_path`, or the config file that governs `paths` (looked up from each
    path upward, never above the repository root); empty settings when there is none."""
    path = config_path or find_config_for(paths or [])
    if path is None:
        return Settings()
    if config_path and not os.path.lexists(path):
        raise ConfigError(f"{path}: config file not found")
    text = _read(Path(path))
    data, lines = _load_toml(path, text) if path.endswith(".toml") else _load_yaml(path, text)
    _check(path, data, lines)
    return Settings(path, {k: Setting(v, f"{path}:{lines.get(k, 1)}", lines.get(k, 1)) for k, v in data.items()})


def config_suppressions(settings: Settings) -> list:
    """`suppress:` entries as Suppression objects (scope "config")."""
    entries = settings.get("suppress", []) or []
    line = settings.values["suppress"].line if "suppress" in settings.values else 1
    span = Span(settings.path or "", line, 1, line, 1)
    return [Suppression(tuple(str(r) for r in e.get("rules", [])), str(e.get("reason", "")), span, "config",
                        target=str(e.get("target", "")), path_glob=str(e.get("path", ""))) for e in entries]


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckSettings:
    """Every setting of a `check` run after precedence (command line > config file > default), each
    a `Setting` with its origin; `profile`/`profiles` are then refined per target by annotations
    (`judging.profile_choice`)."""

    profile: Setting
    profiles: Setting  # {path glob: profile}
    select: Setting
    ignore: Setting
    severity: Setting  # {rule code or slug: severity or off}
    redis_version: Setting
    chart_version: Setting
    chart: Setting
    exclude: Setting
    fail_on: Setting
    suppress: Setting
    max_file_size: Setting
    config_path: str | None  # the config file read, or None
    file: Settings  # what the config file said, before precedence

    def items(self) -> Iterator[tuple[str, Setting]]:
        """(name as in a config file, setting), in name order."""
        for key in sorted(DEFAULTS):
            yield key, getattr(self, key.replace("-", "_"))


def _split(items: Any) -> list[str]:
    return [v.strip() for i in items for v in str(i).split(",") if v.strip()]


def resolve_settings(cli: Mapping[str, Any], paths: list[str] | None = None) -> CheckSettings:
    """Every effective setting with its origin: command line > config file > default.

    `cli` holds the command line's options by their Python names (`redis_version`). The config file
    is `--config`, else the one found from the checked `paths` upward (never above the repository
    root). Rule names and versions are validated wherever they were written: a typo is an error
    (exit 2), never a setting that quietly selects nothing.
    """
    settings = load_settings(cli.get("config"), paths)
    out: dict[str, Setting] = {}
    for key, default in DEFAULTS.items():
        chosen = settings.values.get(key, Setting(default))
        given = cli.get(key.replace("-", "_")) if key in CLI_SETTINGS else None
        if given not in (None, (), []):
            value = _split(given) if key in ("select", "ignore") else given
            for pattern in value if key in ("select", "ignore") else ():
                error = rule_pattern_error(pattern)
                if error:
                    raise UserError(f"--{key}: {error}")
            if key in ("redis-version", "chart-version"):
                error = version_error(key, value)
                if error:
                    raise UserError(f"--{error}")
            chosen = Setting(value, "command line")
        out[key.replace("-", "_")] = chosen
    return CheckSettings(**out, config_path=settings.path, file=settings)
