"""The directive table (data/redis-directives.tsv) resolved for one Redis or Valkey version."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from .cnum import ascii_lower
from .versions import COLUMNS, RedisVersion, column_label, column_version

_TSV = "redis-directives.tsv"
_PATTERN_ROW = "<module>.<name>"
# Directives handled outside the config table: never a CONFIG GET setting.
NON_SETTINGS = frozenset({"include", "rename-command", "user", "loadmodule", "sentinel"})
# The Valkey line starts from Redis 7.2 (Valkey forked it), then follows its own columns.
_VALKEY_LINE = ("redis-7.2",) + tuple(f"valkey-{a}.{b}" for a, b in COLUMNS["valkey"])
_REDIS_LINE = tuple(f"redis-{a}.{b}" for a, b in COLUMNS["redis"])
_ALL_COLUMNS = _REDIS_LINE + _VALKEY_LINE[1:]


def release_line(flavor: str) -> tuple[str, ...]:
    """The TSV columns of one flavor's releases, oldest first (Valkey's line starts at the Redis it forked)."""
    return tuple(c for c in (_VALKEY_LINE if flavor == "valkey" else _REDIS_LINE) if c.startswith(f"{flavor}-"))

# Added by security patch releases after the tagged sources the table was read from (the
# Oct-2025 Lua fix is in Debian's 7.0.15 and in later 6.2/7.2/7.4 patches): accept it in every
# Redis version rather than call a patched server's valid config "unknown".
_PATCH_ADDED = frozenset({"lua-enable-deprecated-api"})
_CHANGE_RE = re.compile(r"^(\w+) (\S*)->(\S*)$")
_ADD_RE = re.compile(r"^(\w+) \+(\S+)$")
_DIFFERS_RE = re.compile(r"^(\w+) (.*) \((\S+)\) vs (.*)$")


class DirectiveInfo(NamedTuple):
    """One config name as a given version sees it (aliases have their own entry)."""

    name: str
    alias_of: str  # "" for a primary name
    # bool, enum, int, uint, long, ulong, longlong, ulonglong, sizet, ssizet, timet, offt,
    # string, sds, special (own parser) or multi (user, rename-command, loadmodule, sentinel)
    kind: str
    memory_units: bool
    percent_ok: bool
    multi_arg: bool
    deprecated: bool  # accepted and ignored (exactly one value, not checked)
    hidden: bool
    enum_values: tuple[str, ...]
    min: int | None
    max: int | None
    default: str  # CONFIG GET form for this version ("" when unset)
    versions: tuple[str, ...]  # TSV columns that accept the name
    immutable: bool
    protected: bool = False

    @property
    def primary(self) -> str:
        """The primary name this entry sets (itself unless it is an alias)."""
        return self.alias_of or self.name

    @property
    def is_setting(self) -> bool:
        """True for names CONFIG GET knows (not include/user/..., not ignored names)."""
        return not (self.deprecated or self.kind == "multi" or self.name in NON_SETTINGS)


def _unquote(value: str) -> str:
    return "" if value == '""' else value


def _parse_changes(text: str) -> list[tuple[str, str, str, str, str]]:
    """`default_changes` -> [(column, op, attr, old, new)]; op is change|add|deprecate|differs."""
    text = text.split(" || NOTE:", 1)[0]
    out: list[tuple[str, str, str, str, str]] = []
    for entry in filter(None, (e.strip() for e in text.split("; "))):
        if entry.startswith("NOTE:"):
            continue
        head, _, body = entry.partition(": ")
        column = head.split(" differs from ", 1)[0]
        differs = " differs from " in head
        for part in body.split(", "):
            if part.startswith("now accepted-and-ignored"):
                out.append((column, "deprecate", "deprecated", "no", "yes"))
            elif differs and (m := _DIFFERS_RE.match(part)):
                out.append((column, "differs", m.group(1), _unquote(m.group(4)), _unquote(m.group(2))))
            elif m := _CHANGE_RE.match(part):
                out.append((column, "change", m.group(1), _unquote(m.group(2)), _unquote(m.group(3))))
            elif m := _ADD_RE.match(part):
                out.append((column, "add", m.group(1), "", m.group(2)))
    return out


def _apply(state: dict[str, str], op: str, attr: str, old: str, new: str, forward: bool) -> None:
    if op == "add":
        values = [v for v in state[attr].split("|") if v]
        added = new.split("|")
        if forward:
            values += [v for v in added if v not in values]
        else:
            values = [v for v in values if v not in added]
        state[attr] = "|".join(values)
    else:
        state[attr] = new if forward else old


def _attributes_at(row: dict[str, str], column: str) -> dict[str, str]:
    """The row's attributes as they were in `column`, from the newest-version base plus changes."""
    state = dict(row)
    changes = _parse_changes(row["default_changes"])
    redis_ever = any(row[c] == "yes" for c in _REDIS_LINE)
    valkey_target = column.startswith("valkey-")
    line = _VALKEY_LINE if (valkey_target and not redis_ever) else _REDIS_LINE
    target = "redis-7.2" if (valkey_target and redis_ever) else column
    pos = line.index(target)
    on_line = [c for c in changes if c[0] in line and c[1] != "differs"]
    # Apply the changes up to the target first (idempotent when the base already has them),
    # then undo the later ones newest first: robust to a base that lags a column.
    for col, op, attr, old, new in sorted(on_line, key=lambda c: line.index(c[0])):
        if line.index(col) <= pos:
            _apply(state, op, attr, old, new, True)
    for col, op, attr, old, new in sorted(on_line, key=lambda c: -line.index(c[0])):
        if line.index(col) > pos:
            _apply(state, op, attr, old, new, False)
    if valkey_target and redis_ever:
        vpos = _VALKEY_LINE.index(column)
        valkey = [c for c in changes if c[0].startswith("valkey-")]
        for col, op, attr, old, new in sorted(valkey, key=lambda c: _VALKEY_LINE.index(c[0])):
            if _VALKEY_LINE.index(col) <= vpos:
                _apply(state, op, attr, old, new, True)
    return state


@cache
def _rows() -> dict[str, dict[str, str]]:
    """The TSV, read once per process."""
    text = (resources.files("redislint") / "data" / _TSV).read_text(encoding="utf-8")
    lines = text.splitlines()
    header = lines[0].split("\t")
    rows: dict[str, dict[str, str]] = {}
    for line in lines[1:]:
        if line.strip():
            row = dict(zip(header, line.split("\t"), strict=False))
            if row["name"] != _PATTERN_ROW:
                rows[row["name"]] = row
    return rows


def _int_or_none(text: str) -> int | None:
    return int(text) if text else None


def _info(row: dict[str, str], column: str) -> DirectiveInfo:
    a = _attributes_at(row, column)
    yes = "yes".__eq__
    return DirectiveInfo(
        name=row["name"],
        alias_of=a["alias_of"],
        kind=a["kind"],
        memory_units=yes(a["memory_units"]),
        percent_ok=yes(a["percent_ok"]),
        multi_arg=yes(a["multi_arg"]),
        deprecated=yes(a["deprecated"]),
        hidden=yes(a["hidden"]),
        enum_values=tuple(v for v in a["enum_values"].split("|") if v),
        min=_int_or_none(a["min"]),
        max=_int_or_none(a["max"]),
        default=a["default"],
        versions=tuple(c for c in _ALL_COLUMNS if row.get(c) == "yes"),
        immutable=yes(a["immutable"]),
        protected=yes(a["protected"]),
    )


class DirectiveTable:
    """Every name one version accepts, with its attributes as of that version."""

    def __init__(self, version: RedisVersion, entries: dict[str, DirectiveInfo]) -> None:
        self.version = version
        self._entries = entries
        self._names = sorted(entries)

    @classmethod
    def for_version(cls, version: RedisVersion) -> DirectiveTable:
        """The table for `version` (cached per TSV column, so cheap to call often)."""
        return _table_for_version(version)

    def lookup(self, name: str) -> DirectiveInfo | None:
        """The entry for `name` (case-insensitive), or None when this version lacks it."""
        return self._entries.get(ascii_lower(name))

    def primary_name(self, name: str) -> str | None:
        """The primary name `name` sets in this version (aliases resolved), or None."""
        info = self.lookup(name)
        return info.primary if info else None

    def exists_in_other_version(self, name: str) -> list[str]:
        """Labels of the other versions that accept `name`, e.g. ["Redis 7.0", "Valkey 8.0"]."""
        row = _rows().get(ascii_lower(name))
        if row is None:
            return []
        own = self.version.column
        return [column_label(c) for c in _ALL_COLUMNS if c != own and row.get(c) == "yes"]

    def suggest(self, name: str) -> str | None:
        """A close known name for a typo ("appendonyl" -> "appendonly"), or None."""
        return _suggest(self.version.column, ascii_lower(name))

    def default(self, key: str) -> str | None:
        """The built-in value of `key` in CONFIG GET form for this version."""
        info = self.lookup(key)
        return info.default if info else None

    def settings(self) -> list[DirectiveInfo]:
        """The primary names CONFIG GET knows in this version, hidden ones included."""
        return [i for i in self._entries.values() if not i.alias_of and i.is_setting]

    def names(self) -> list[str]:
        """Every accepted name, aliases included, sorted."""
        return list(self._names)


@lru_cache(maxsize=1024)
def _suggest(column: str, name: str) -> str | None:
    # difflib is the slow part of an unknown line; the same typo tends to repeat.
    import difflib  # noqa: PLC0415 - only for a name nobody knows (a few ms of imports otherwise)

    found = difflib.get_close_matches(name, _table_for_column(column)._names, n=1, cutoff=0.8)
    return found[0] if found else None


@lru_cache(maxsize=256)
def _table_for_version(version: RedisVersion) -> DirectiveTable:
    """The table of a version's column, remembered per version: every parse_conf and Evaluation.get
    asks, and `version.column` is a loop and a format each time."""
    return _table_for_column(version.column)


@cache
def _table_for_column(column: str) -> DirectiveTable:
    version = column_version(column)
    entries: dict[str, DirectiveInfo] = {}
    for name, row in _rows().items():
        if row.get(column) != "yes" and not (name in _PATCH_ADDED and version.flavor == "redis"):
            continue
        info = _info(row, column)
        if name == "dir":
            info = info._replace(default="")  # the working directory, unknown statically
        elif name == "bind" and version.legacy_parser:
            info = info._replace(default="")  # 6.2 reported no addresses when none were set
        entries[name] = info
    return DirectiveTable(version, entries)
