"""Project settings from `.redislint.yaml` or `[tool.redislint]` in pyproject.toml, each with its origin."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, NamedTuple

from redislint.errors import UserError
from redislint.model import Span

CONFIG_NAMES = (".redislint.yaml", ".redislint.yml", "pyproject.toml")
SEVERITIES = ("error", "warning", "note", "off")
FAIL_ON = ("error", "warning", "note", "never")
KNOWN_KEYS = {"profile", "profiles", "select", "ignore", "severity", "redis-version", "chart-version", "chart",
              "exclude", "fail-on", "suppress", "max-file-size"}


class ConfigError(UserError):
    """A malformed config file; the message starts with file:line:column."""


class Setting(NamedTuple):
    """A resolved setting and where it came from ("default", "file:line", "command line")."""

    value: Any
    origin: str = "default"


class Settings:
    """Every setting `check` uses, before command-line options are applied."""

    __slots__ = ("path", "values")

    def __init__(self, path: str | None = None, values: dict[str, Setting] | None = None) -> None:
        self.path = path
        self.values = values if values is not None else {}

    def get(self, key: str, default: Any = None) -> Any:
        s = self.values.get(key)
        return default if s is None else s.value


def find_config(start: str | None = None) -> str | None:
    """The nearest config file from `start` (default cwd) up to the filesystem root."""
    here = Path(start or os.getcwd()).resolve()
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                if name == "pyproject.toml" and "[tool.redislint]" not in _read(candidate):
                    continue
                return str(candidate)
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from exc


def _load_toml(path: str, text: str) -> tuple[dict[str, Any], dict[str, int]]:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
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
    from redislint.sources import MapNode, load_yaml, to_plain

    loaded = load_yaml(path, text)
    if loaded.problems:
        p = loaded.problems[0]
        raise ConfigError(f"{path}:{p.span.line}:{p.span.column}: {p.message}")
    root = loaded.documents[0].root if loaded.documents else None
    if root is None:
        return {}, {}
    if not isinstance(root, MapNode):
        raise ConfigError(f"{path}:{root.span.line}:{root.span.column}: the config file must be a mapping")
    return to_plain(root), {str(k.text): k.span.line for k, _ in root.entries}


def _check(path: str, data: dict[str, Any], lines: dict[str, int]) -> None:
    def fail(key: str, message: str) -> None:
        raise ConfigError(f"{path}:{lines.get(key, 1)}:1: {message}")

    for key, value in data.items():
        if key not in KNOWN_KEYS:
            import difflib

            close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), 1)
            fail(key, f"unknown setting '{key}'" + (f"; did you mean '{close[0]}'?" if close else ""))
        if key in ("select", "ignore", "exclude") and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            fail(key, f"'{key}' must be a list of strings")
        if key == "severity":
            if not isinstance(value, dict) or any(v not in SEVERITIES for v in value.values()):
                fail(key, f"'severity' must map rule codes to one of {', '.join(SEVERITIES)}")
        if key == "profiles" and not (isinstance(value, dict) and all(isinstance(v, str) for v in value.values())):
            fail(key, "'profiles' must map path globs to profile names")
        if key == "fail-on" and value not in FAIL_ON:
            fail(key, f"'fail-on' must be one of {', '.join(FAIL_ON)}")
        if key == "max-file-size" and not (isinstance(value, int) and value > 0):
            fail(key, "'max-file-size' must be a positive number of bytes")
        if key == "suppress":
            if not isinstance(value, list) or not all(isinstance(e, dict) and isinstance(e.get("rules"), list)
                                                      for e in value):
                fail(key, "'suppress' must be a list of {path, target, rules, reason} entries")


def load_settings(config_path: str | None = None, start: str | None = None) -> Settings:
    """Settings from `config_path`, or the nearest config file; empty settings when there is none."""
    path = config_path or find_config(start)
    if path is None:
        return Settings()
    if config_path and not Path(path).is_file():
        raise ConfigError(f"{path}: config file not found")
    text = _read(Path(path))
    data, lines = _load_toml(path, text) if path.endswith(".toml") else _load_yaml(path, text)
    _check(path, data, lines)
    return Settings(path, {k: Setting(v, f"{path}:{lines.get(k, 1)}") for k, v in data.items()})


def config_suppressions(settings: Settings) -> list:
    """`suppress:` entries as Suppression objects (scope "config")."""
    from redislint.suppress import Suppression

    entries = settings.get("suppress", []) or []
    origin = settings.values["suppress"].origin if "suppress" in settings.values else ""
    line = int(origin.rsplit(":", 1)[1]) if origin else 1
    span = Span(settings.path or "", line, 1, line, 1)
    return [Suppression(tuple(str(r) for r in e.get("rules", [])), str(e.get("reason", "")), span, "config",
                        target=str(e.get("target", "")), path_glob=str(e.get("path", ""))) for e in entries]
