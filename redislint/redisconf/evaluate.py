"""Apply config lines in Redis's order and semantics: the effective config with provenance."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from ..model import Span
from .directives import DirectiveTable
from .lines import MODULE_ABORT, ConfLine, LineProblem
from .versions import RedisVersion

_MAX_DEPTH = 32  # Redis has no include-loop guard; we stop where a real server would crash
_HZ_RANGE = (1, 500)  # CONFIG_MIN_HZ, CONFIG_MAX_HZ: clamped silently after every file
_LIST_ROLES = ("rename-command", "user", "loadmodule", "sentinel")
# Save points one evaluation accumulates. Every step of the save history holds the whole list (its
# CONFIG GET value), so n appended lines cost n^2/2 characters: 100,000 `save 900 1` lines (1 MB)
# took 24 GB. Past this many points, appending lines are not applied and the first one is recorded
# as a "save-limit" quirk (RL003); `save ""` and the lines that replace the list still apply.
MAX_SAVE_POINTS = 1000
SAVE_LIMIT_DETAIL = (f"more than {MAX_SAVE_POINTS:,} save points: redislint stops adding save points from "
                     "this line on, so the save points of later lines (and the data-loss window) are not checked")


class Assignment(NamedTuple):
    """One step in a setting's history: who set it to what (CONFIG GET form after the step).

    `effect`: "default" (built in), "set" (replaced the value), "append" (save points added
    while the config is read), "clear" (`save ""`), "include-reset" (a save line after an
    include replaced every earlier save point: Redis 7.0+ / Valkey).
    """

    layer: str
    value: str
    line: ConfLine | None
    effect: str = "set"


class Setting(NamedTuple):
    """A directive's effective value (exactly what CONFIG GET returns) and how it got there."""

    key: str
    value: str
    history: tuple[Assignment, ...]

    @property
    def winner(self) -> Assignment:
        """The assignment that produced the value (the default when nobody wrote it)."""
        return self.history[-1]

    @property
    def is_default(self) -> bool:
        """True when no config line touched this setting."""
        return self.winner.line is None


class ConfigSource(NamedTuple):
    """One string Redis parses in a single loader call (a file, or a file plus argv lines)."""

    layer: str
    items: tuple[ConfLine | Include, ...]


class Include(NamedTuple):
    """A config file read at this point by a nested loader call (`include` / `--include`)."""

    source: ConfigSource
    span: Span | None = None


class Evaluation(NamedTuple):
    """The effective config of one Redis process."""

    settings: dict[str, Setting]
    errors: tuple[ConfLine, ...]  # lines Redis refuses, in the order it would meet them
    version: RedisVersion
    quirks: tuple[ConfLine, ...] = ()  # accepted lines Redis reads unlike they look (6.2)
    includes: tuple[ConfLine, ...] = ()  # `include` lines we did not resolve (never read)
    lists: dict[str, tuple[ConfLine, ...]] = {}  # shared and never mutated: a NamedTuple default is one object  # rename-command, user, ...
    module_configs: dict[str, Setting] = {}  # shared and never mutated: a NamedTuple default is one object  # dotted names
    ignored: tuple[ConfLine, ...] = ()  # deprecated names Redis accepts and ignores

    def get(self, name: str) -> Setting | None:
        """The setting for `name` (aliases resolved, case-insensitive)."""
        key = DirectiveTable.for_version(self.version).primary_name(name) or name.lower()
        return self.settings.get(key)

    def value(self, name: str) -> str | None:
        """The CONFIG GET value of `name`, or None when this version has no such setting."""
        setting = self.get(name)
        return setting.value if setting else None

    @property
    def first_error(self) -> ConfLine | None:
        """The line Redis stops at."""
        return self.errors[0] if self.errors else None


class _Loader:
    """Mutable state of one simulated server start (the C statics included)."""

    def __init__(self, version: RedisVersion) -> None:
        self.version = version
        self._defaults = _defaults(version)
        # Histories of the settings a line touched (default first); the rest keep their default.
        self.history: dict[str, list[Assignment]] = {}
        self.reading = False  # reading_config_file
        self.save_loaded = False  # the static in setConfigSaveOption (7.0+)
        self.save_points = -1  # points in the current save value (-1: not counted yet, the default)
        self.save_limited = False  # a save-limit quirk was recorded
        self.errors: list[ConfLine] = []
        self.quirks: list[ConfLine] = []
        self.includes: list[ConfLine] = []
        self.ignored: list[ConfLine] = []
        self.lists: dict[str, list[ConfLine]] = {r: [] for r in _LIST_ROLES}
        self.modules: dict[str, list[Assignment]] = {}
        self.users: set[str] = set()
        self.cluster_error = False

    def last(self, key: str) -> Assignment:
        """The latest assignment of a setting this version has (its default when untouched)."""
        touched = self.history.get(key)
        return touched[-1] if touched is not None else self._defaults[key].history[0]

    def current(self, key: str) -> str:
        return self.last(key).value

    def set(self, key: str, line: ConfLine, value: str, effect: str = "set") -> None:
        default = self._defaults.get(key)
        if default is None:
            return  # not a setting of this version
        history = self.history.get(key)
        if history is None:
            history = self.history[key] = [default.history[0]]
        history.append(Assignment(line.layer, value, line, effect))

    def run(self, source: ConfigSource, depth: int = 0) -> None:
        """One loadServerConfigFromString call."""
        self.reading = True
        call_state = {"save_loaded": False}  # 6.2 kept save_loaded per call
        for item in source.items:
            if isinstance(item, Include):
                if depth < _MAX_DEPTH:
                    self.run(item.source, depth + 1)
                continue
            self.line(item, call_state)
        self.end_of_call()

    def end_of_call(self) -> None:
        self.reading = False
        # Sanity check at the end of every loader call, includes too (no line number).
        if self.cluster_error or "cluster-enabled" not in self._defaults:
            return
        replica = self.last("replicaof") if "replicaof" in self._defaults else None
        if self.current("cluster-enabled") == "yes" and replica and replica.value and replica.line:
            self.cluster_error = True
            self.errors.append(replica.line._replace(problem=LineProblem(
                "cluster-replicaof", "replicaof directive not allowed in cluster mode",
                "reported after the file is read, without a line number")))

    def line(self, line: ConfLine, call_state: dict[str, bool]) -> None:
        if line.fatal:
            self.errors.append(line)
            return
        if line.problem is not None:
            self.quirks.append(line)
        role = line.role
        if role == "setting":
            self.setting(line, call_state)
        elif role == "include":
            self.includes.append(line)
            # The nested call runs even for a glob that matches nothing (on an empty string),
            # so the include trap applies whatever the file holds.
            self.reading = True
            self.end_of_call()
        elif role in self.lists:
            if role == "user" and line.args:
                if line.args[0] in self.users:
                    from .acl import duplicate_user_message  # noqa: PLC0415 - only configs with `user` lines load it

                    self.errors.append(line._replace(problem=LineProblem(
                        "duplicate-user", duplicate_user_message(["user", *line.args]))))
                    return
                self.users.add(line.args[0])
            self.lists[role].append(line)
        elif role == "module-config":
            self.modules.setdefault(line.key, []).append(
                Assignment(line.layer, line.value or "", line))
        elif line.ignored:
            self.ignored.append(line)

    def setting(self, line: ConfLine, call_state: dict[str, bool]) -> None:
        key, value = line.key, line.value or ""
        if key == "save":
            self.save(line, value, call_state)
        elif key == "client-output-buffer-limit":
            classes = _cobl(self.current(key))
            classes.update(_cobl(value))
            self.set(key, line, " ".join(classes[c] for c in ("normal", "slave", "pubsub")))
        elif key == "hz":
            lo, hi = _HZ_RANGE
            self.set(key, line, str(min(max(int(value), lo), hi)))
        else:
            self.set(key, line, value)

    def save(self, line: ConfLine, value: str, call_state: dict[str, bool]) -> None:
        current = self.current("save")
        pairs = value
        if self.version.legacy_parser:
            effect = "append"
            if not call_state["save_loaded"]:
                call_state["save_loaded"], current, effect = True, "", "set"
            if line.args == ("",):
                current, effect = "", "clear"
        else:
            effect = "append"
            if line.args == ("",):
                current, effect = "", "clear"
            if not self.reading:
                current, effect = "", "include-reset"
            elif not self.save_loaded:
                self.save_loaded, current = True, ""
                effect = "clear" if effect == "clear" else "set"
        added = len(pairs.split()) // 2
        if effect == "append":
            if self.save_points < 0:
                self.save_points = len(current.split()) // 2
            if self.save_points + added > MAX_SAVE_POINTS:
                if not self.save_limited:
                    self.save_limited = True
                    self.quirks.append(line._replace(problem=LineProblem("save-limit", "", SAVE_LIMIT_DETAIL,
                                                                         fatal=False)))
                return
            self.save_points += added
        else:
            self.save_points = added
        self.set("save", line, " ".join(p for p in (current, pairs) if p), effect)

    def finish(self) -> Evaluation:
        if self.modules and not self.lists["loadmodule"]:
            for entries in self.modules.values():
                for a in entries:
                    assert a.line is not None
                    self.errors.append(a.line._replace(problem=LineProblem(
                        "module-config", MODULE_ABORT,
                        "no loadmodule line loads a module that could own this name; Redis "
                        "aborts at startup, without a line number")))
        check_categories = not self.version.queues_unknown_names  # Redis 8 modules add some
        if self.lists["user"]:
            from .acl import startup_error  # noqa: PLC0415 - only configs with `user` lines load it
        for line in self.lists["user"]:
            message = startup_error(["user", *line.args], check_categories)
            if message is not None:
                self.errors.append(line._replace(problem=LineProblem(
                    "acl-load", message, "Redis refuses this user when it loads the ACLs at "
                    "start-up, after reading the config (no line number)")))
                break
        # A setting nobody wrote is its version's default: share that (immutable) Setting. The
        # copy keeps the defaults' order, which output follows.
        settings = dict(self._defaults)
        for k, h in self.history.items():
            settings[k] = Setting(k, h[-1].value, tuple(h))
        modules = {k: Setting(k, h[-1].value, tuple(h)) for k, h in self.modules.items()}
        return Evaluation(settings, tuple(self.errors), self.version, tuple(self.quirks),
                          tuple(self.includes), {k: tuple(v) for k, v in self.lists.items()},
                          modules, tuple(self.ignored))


@lru_cache(maxsize=64)
def _defaults(version: RedisVersion) -> dict[str, Setting]:
    """Every setting of `version` at its built-in value (history: the default alone), built once."""
    label = f"{version.label} default"
    out: dict[str, Setting] = {}
    for info in DirectiveTable.for_version(version).settings():
        out[info.name] = Setting(info.name, info.default, (Assignment(label, info.default, None, "default"),))
    return out


def _cobl(value: str) -> dict[str, str]:
    words = value.split()
    return {words[j]: " ".join(words[j:j + 4]) for j in range(0, len(words) - 3, 4)}


def evaluate(top: ConfigSource, version: RedisVersion) -> Evaluation:
    """The effective config after Redis reads `top` (and the includes inside it).

    `top` is the single string Redis parses first: the config file followed by the
    command-line options. A chart start script that runs `redis-server --port 6379 --include
    a.conf --include b.conf --save 60 1` is ConfigSource("argv", [port line, Include(a),
    Include(b), save line]). `include` ConfLines that were not replaced by an Include are
    recorded in `Evaluation.includes` and treated as an empty file (never read from disk).
    """
    loader = _Loader(version)
    loader.run(top)
    return loader.finish()
