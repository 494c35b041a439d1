"""Profiles: what one kind of Redis data needs, and how severe each rule is for it.

A profile is data (`redislint/policies/*.yaml`, shape in `profile.schema.json`); this module turns a
profile file into a frozen `Profile`. Built-in profiles are trusted and not schema-checked at
start-up (importing jsonschema is the costliest import there is: bench/RESULTS.md; the test suite
validates them). A user profile
is validated on load, and every problem is a `ProfileError` with the file, line and column to edit.

A user profile `extends` a built-in profile or another profile file (a path relative to its own
directory). Settings and rule severities overlay the inherited ones key by key; lists replace.

How settings and rules relate: a setting says *what* is required, the rule that enforces it says
*how badly* a violation counts. A requirement whose rule is `off` would silently enforce nothing,
so the loader rejects that combination (`aof: required` with `RL203: off`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from redislint.errors import UserError
from redislint.model import Severity
from redislint.repository import NotReadable, find_root, is_inside, read_small_text, root_for
from redislint.rules import CATALOGUE, lookalike_code, rule_code
from redislint.sources import MapNode, SeqNode, load_yaml, node_at, to_plain

# From least to most demanding. `baseline` is what a target gets when nobody said what its data is.
BUILTIN_PROFILES: tuple[str, ...] = ("baseline", "ephemeral", "session", "cache", "queue", "critical")

SEVERITY_WORDS: tuple[str, ...] = ("error", "warning", "note", "off")
APPENDFSYNC_VALUES: tuple[str, ...] = ("always", "everysec", "no")
EVICTION_POLICIES: tuple[str, ...] = (
    "noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "allkeys-lrm",
    "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "volatile-lrm",
)
MAX_EXTENDS_DEPTH = 16
# Real profiles are a few KiB; a file named as a profile is never read past this.
MAX_PROFILE_BYTES = 1024 * 1024

Requirement = Literal["required", "optional"]
# RDB and AOF may also be `forbidden`: the data is disposable, and persisting it only costs (RL211).
PersistenceRequirement = Literal["required", "optional", "forbidden"]
MaxmemoryRequirement = Literal["required", "recommended", "optional"]


class SettingSpec(NamedTuple):
    """One profile setting: its key (in YAML and on `Profile`) and a short human label."""

    key: str
    label: str


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("rdb", "RDB snapshots"),
    SettingSpec("aof", "AOF"),
    SettingSpec("allowed_appendfsync", "allowed appendfsync"),
    SettingSpec("max_data_loss_seconds", "largest data-loss window (s)"),
    SettingSpec("maxmemory", "maxmemory"),
    SettingSpec("allowed_eviction_policies", "allowed eviction policies"),
    SettingSpec("fork_headroom_factor", "memory limit ≥ k × maxmemory"),
    SettingSpec("pvc_size_factor", "PVC ≥ k × data size"),
    SettingSpec("persistent_volume", "persistent volume"),
    SettingSpec("min_replicas", "replicas"),
    SettingSpec("min_replicas_to_write", "min-replicas-to-write"),
    SettingSpec("monitoring", "monitoring of persistence"),
    SettingSpec("suppression_reason_required", "suppressions need a reason"),
    SettingSpec("load_rate_mb_per_second", "data set loaded at start (MB/s)"),
    SettingSpec("save_rate_mb_per_second", "data set saved at shutdown (MB/s)"),
)

_SETTING_KEYS = tuple(s.key for s in SETTINGS)

# A setting that demands something, and the rule that reports when it is not met. If the rule is
# `off`, the requirement is enforced by nothing: the loader rejects that profile.
_ENFORCED_BY: tuple[tuple[str, str, Any], ...] = (
    ("rdb", "RL201", lambda v: v == "required"),
    ("rdb", "RL211", lambda v: v == "forbidden"),
    ("aof", "RL203", lambda v: v == "required"),
    ("aof", "RL211", lambda v: v == "forbidden"),
    ("max_data_loss_seconds", "RL205", lambda v: v is not None),
    ("allowed_appendfsync", "RL204", lambda v: "*" not in v),
    ("maxmemory", "RL301", lambda v: v != "optional"),
    ("allowed_eviction_policies", "RL305", lambda v: "*" not in v),
    ("persistent_volume", "RL401", lambda v: v == "required"),
    ("min_replicas", "RL501", lambda v: v > 0),
    ("min_replicas_to_write", "RL205", lambda v: v > 0),
    ("monitoring", "RL701", lambda v: v == "required"),
    ("suppression_reason_required", "RL902", lambda v: v is True),
)


class ProfileError(UserError):
    """A problem with a profile file, at the place to edit it (`line`/`column` 0 when unknown)."""

    def __init__(self, message: str, path: str = "", line: int = 0, column: int = 0) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}:{self.column}: {self.message}"
        if self.path:
            return f"{self.path}: {self.message}"
        return self.message


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """A resolved profile: every setting typed, and a severity (or None for off) for every rule."""

    name: str
    description: str
    source: str  # the file it was read from (the top of the `extends` chain)
    rdb: PersistenceRequirement
    aof: PersistenceRequirement
    allowed_appendfsync: tuple[str, ...]
    max_data_loss_seconds: float | None  # None: the data-loss window is not judged
    maxmemory: MaxmemoryRequirement
    allowed_eviction_policies: tuple[str, ...]
    fork_headroom_factor: float
    pvc_size_factor: float
    persistent_volume: Requirement
    min_replicas: int
    min_replicas_to_write: int
    monitoring: Requirement
    suppression_reason_required: bool
    severities: Mapping[str, Severity | None]  # rule code → severity; None = off
    extends: tuple[str, ...] = ()  # sources of the profiles it extends, nearest first
    # How fast a data set is read at start and written by the SAVE at shutdown, in MB of memory per
    # second (RL413, RL414). Measured rates spread over more than an order of magnitude (plain strings
    # 100-200 MB/s, large hashes, sorted sets and module data 10-50x slower): a setting, not a constant.
    load_rate_mb_per_second: float = 50
    save_rate_mb_per_second: float = 50

    def __hash__(self) -> int:
        return hash((self.name, self.source, tuple(sorted(self.severities.items(), key=lambda kv: kv[0]))))

    @property
    def builtin(self) -> bool:
        """True for the built-in profiles as shipped."""
        return self.name in BUILTIN_PROFILES and not self.extends and self.source == str(_builtin_path(self.name))

    def severity_for(self, rule: str) -> Severity | None:
        """Severity of a rule (code or slug) in this profile; None when the rule is off."""
        code = rule_code(rule)
        if code is None or code not in self.severities:
            raise KeyError(f"profile {self.name!r} does not know rule {rule!r}")
        return self.severities[code]

    def allows_eviction_policy(self, policy: str) -> bool:
        """Whether a maxmemory-policy value is allowed (glob patterns such as `allkeys-*`)."""
        return any(_glob_match(policy.strip().lower(), p) for p in self.allowed_eviction_policies)

    def allows_appendfsync(self, value: str) -> bool:
        """Whether an appendfsync value is allowed (`*` allows any)."""
        return any(_glob_match(value.strip().lower(), p) for p in self.allowed_appendfsync)

    @property
    def rdb_required(self) -> bool:
        return self.rdb == "required"

    @property
    def aof_required(self) -> bool:
        return self.aof == "required"

    @property
    def disposable(self) -> bool:
        """True when the profile forbids persistence: the data may be flushed at any time."""
        return self.rdb == "forbidden" or self.aof == "forbidden"

    @property
    def judges_data_loss(self) -> bool:
        """True when the profile sets a largest data-loss window (RPO)."""
        return self.max_data_loss_seconds is not None

    @property
    def persistent_volume_required(self) -> bool:
        return self.persistent_volume == "required"

    @property
    def monitoring_required(self) -> bool:
        return self.monitoring == "required"

    def setting(self, key: str) -> Any:
        """A setting by its profile-file key."""
        if key not in _SETTING_KEYS:
            raise KeyError(key)
        return getattr(self, key)


def _glob_match(value: str, pattern: str) -> bool:
    """`fnmatchcase`, without compiling a regular expression for a pattern that has no wildcard."""
    if "*" in pattern or "?" in pattern or "[" in pattern:
        return fnmatchcase(value, pattern)
    return value == pattern


# ---------------------------------------------------------------------------------------------
# Loading


def load_profile(name_or_path: str, *, root: str | None = None, base: str | None = None) -> Profile:
    """A built-in profile by name, or a profile file by path (its `extends` chain resolved).

    `root` None: the path was typed on the command line (`--profile`, `redislint profiles PATH`)
    and may name any file. Otherwise repository content named it (an annotation, a config file):
    relative to `base` (default `root`), it must lead, links followed, to a file inside `root`.
    Either way the file must be a regular file of at most `MAX_PROFILE_BYTES`, and every `extends`
    of the chain stays inside the repository the chain started in (`root`, or the profile file's
    own repository). An error about a path names the value as written, never what the path holds.
    """
    if name_or_path in BUILTIN_PROFILES:
        return _builtin_profile(name_or_path)
    value = name_or_path
    if root is None:
        shown = value
        real = os.path.realpath(value)
        chain_root = root_for(real)
    else:
        root = os.path.realpath(root)
        shown = os.path.normpath(os.path.join(os.path.realpath(base or root), value))
        chain_root = root
        # As written first: a path that leaves the root is refused without looking at it at all.
        written_inside = _lexically_inside(shown, root)
        real = os.path.realpath(shown) if written_inside else shown
        if not written_inside or not is_inside(real, root):
            link = " (through a symbolic link)" if written_inside else ""
            raise ProfileError(f"profile {value!r} leads outside the repository{link}: a profile named in a "
                               f"repository file must be a built-in profile ({', '.join(BUILTIN_PROFILES)}) "
                               f"or a profile file inside {_repository_words(root)}")
    if not os.path.lexists(shown):
        looks_like_name = os.sep not in value and "/" not in value and not value.endswith((".yaml", ".yml"))
        if looks_like_name:
            hint = _did_you_mean(value, BUILTIN_PROFILES)
            raise ProfileError(f"unknown profile {value!r}: not a built-in profile ({', '.join(BUILTIN_PROFILES)})"
                               f" and no such file{hint}", value if root is None else "")
        if root is None:
            raise ProfileError("profile file not found", value)
        raise ProfileError(f"profile file {value!r} not found (looked for {shown})")
    try:
        layers = _resolve_chain(_FileRef(shown, real), (), chain_root, value, confined=root is not None)
    except _NotAProfileFile as exc:
        raise ProfileError(f"profile {exc.message}") from None
    return _build(layers)


@cache
def _builtin_profile(name: str) -> Profile:
    return _build([_builtin_layer(name)])


def _builtin_path(name: str) -> Any:
    return resources.files("redislint").joinpath(f"policies/{name}.yaml")


@cache
def _builtin_layer(name: str) -> _Layer:
    ref = _builtin_path(name)
    layer = _read_layer(str(ref), ref.read_text(encoding="utf-8"), validate=False)
    if layer.extends is not None:
        raise ProfileError("built-in profiles extend nothing", layer.source, *layer.extends_pos)
    return layer


class _FileRef(NamedTuple):
    shown: str  # path as the user (or the extending file) wrote it, joined to its directory
    real: str  # realpath, for cycle detection


class _Layer(NamedTuple):
    """One profile file, checked and resolved to codes, before merging."""

    source: str
    name: str | None
    description: str | None
    extends: str | None
    extends_pos: tuple[int, int]
    name_pos: tuple[int, int]
    settings: dict[str, Any]
    setting_pos: dict[str, tuple[int, int]]
    rules: dict[str, Severity | None]
    rule_pos: dict[str, tuple[int, int]]
    rules_pos: tuple[int, int]  # the `rules:` key (or the file start)


def _resolve_chain(ref: _FileRef, seen: tuple[_FileRef, ...], root: str, value: str,
                   confined: bool = True) -> list[_Layer]:
    """Layers from the outermost base to `ref`, following `extends` inside `root`.

    `value` is how `ref` was named, for errors about the file itself. A `confined` file was checked
    to resolve inside `root` and is opened at its resolved path; the command line's own file is
    opened as typed (`/dev/stdin` resolves to a pipe that has no name to open).
    """
    layer = _read_user_layer(ref, value, opened=ref.real if confined else ref.shown)
    if layer.extends is None:
        return [layer]
    target = layer.extends
    if target in BUILTIN_PROFILES:
        return [_builtin_layer(target), layer]
    chain = seen + (ref,)
    if len(chain) > MAX_EXTENDS_DEPTH:
        raise ProfileError(f"extends chain is deeper than {MAX_EXTENDS_DEPTH} files", layer.source,
                           *layer.extends_pos)
    shown = os.path.normpath(os.path.join(os.path.dirname(ref.shown), target))
    # Resolved from the extending file's real directory, so that `..` means what the kernel makes of it.
    candidate = os.path.normpath(os.path.join(os.path.realpath(os.path.dirname(ref.shown) or "."), target))
    real = os.path.realpath(candidate) if _lexically_inside(candidate, root) else ""
    if any(r.real == real for r in chain):
        start = next(i for i, r in enumerate(chain) if r.real == real)
        cycle = " → ".join([r.shown for r in chain[start:]] + [shown])
        raise ProfileError(f"extends cycle: {cycle}", layer.source, *layer.extends_pos)
    if not real or not is_inside(real, root):
        raise ProfileError(f"extends {target!r}: leads outside the repository; a profile may extend a built-in "
                           f"profile ({', '.join(BUILTIN_PROFILES)}) or a profile file inside "
                           f"{_repository_words(root)}", layer.source, *layer.extends_pos)
    if not os.path.lexists(shown):
        raise ProfileError(f"extends {target!r}: no such profile file ({shown}); built-in profiles are "
                           f"{', '.join(BUILTIN_PROFILES)}", layer.source, *layer.extends_pos)
    try:
        return _resolve_chain(_FileRef(shown, real), chain, root, target) + [layer]
    except _NotAProfileFile as exc:  # the file itself is unusable: say so where `extends` names it
        raise ProfileError(f"extends {exc.message}", layer.source, *layer.extends_pos) from None


def _lexically_inside(path: str, root: str) -> bool:
    """`path` (absolute, normalised) is `root` or below it as written, no link followed."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _repository_words(root: str) -> str:
    """How to name the directory a path must stay in."""
    if find_root(root) is not None:
        return f"the repository ({root})"
    return f"{root} (not in a git repository, so only the directory of the file that names it counts)"


class _NotAProfileFile(ProfileError):
    """The named path is no file a profile can be read from (what it holds is never shown)."""


def _read_user_layer(ref: _FileRef, value: str, opened: str) -> _Layer:
    path = ref.shown
    text = _read_profile_text(opened, value)
    layer = _read_layer(path, text, validate=True)
    if layer.name in BUILTIN_PROFILES:
        raise ProfileError(f"name {layer.name!r} is a built-in profile; give your profile its own name "
                           f"(for example {layer.name}-custom) so findings say which one applied",
                           path, *layer.name_pos)
    return layer


def _read_profile_text(path: str, value: str) -> str:
    """The text of a profile file: a regular file of at most `MAX_PROFILE_BYTES`, read without blocking."""
    try:
        return read_small_text(path, value, MAX_PROFILE_BYTES, "a profile")
    except NotReadable as exc:
        raise _NotAProfileFile(str(exc)) from None


def _read_layer(path: str, text: str, *, validate: bool) -> _Layer:
    """Parse one profile file; with `validate`, check it against the schema first."""
    yf = load_yaml(path, text)
    if yf.problems:
        p = min(yf.problems, key=lambda pr: (pr.span.line, pr.span.column))
        # The loader words duplicates for Helm values; in a profile a key simply may appear once.
        message = p.message.split(";")[0] + "; a key may appear only once" if p.code == "RL002" else p.message
        raise ProfileError(message, p.span.path or path, p.span.line, p.span.column)
    docs = [d for d in yf.documents if d.root is not None]
    if not docs:
        raise ProfileError("empty profile: expected a mapping with name, settings and rules", path, 1, 1)
    if len(docs) > 1:
        raise ProfileError("a profile file holds one YAML document", path, *_pos(docs[1].root))
    root = docs[0].root
    if not isinstance(root, MapNode):
        raise ProfileError("a profile is a mapping (name, description, extends, settings, rules)",
                           path, *_pos(root))
    plain = _plain(root)
    if validate:
        _validate(path, root, plain)
    return _layer_from(path, root, plain)


def _layer_from(path: str, root: Any, plain: dict[str, Any]) -> _Layer:
    settings = dict(plain.get("settings") or {})
    settings_node = _child(root, "settings")
    setting_pos = {k: _pos(_child(settings_node, k)) for k in settings}
    for key, value in list(settings.items()):
        if key in ("allowed_appendfsync", "allowed_eviction_policies"):
            settings[key] = tuple(str(v).lower() for v in value)
    rules: dict[str, Severity | None] = {}
    rule_pos: dict[str, tuple[int, int]] = {}
    rules_node = _child(root, "rules")
    given_as: dict[str, str] = {}
    for key, word in (plain.get("rules") or {}).items():
        pos = _key_pos(rules_node, key)
        code = rule_code(key)
        if code is None:
            hint = _did_you_mean(key, list(CATALOGUE) + list(CATALOGUE.values()))
            raise ProfileError(f"unknown rule {key!r}{hint}", path, *pos)
        if code in given_as:
            raise ProfileError(f"rule {code} {CATALOGUE[code]} is given twice (as {given_as[code]!r} and "
                               f"{key!r})", path, *pos)
        if word not in SEVERITY_WORDS:  # only reachable for unvalidated (built-in) files
            raise ProfileError(f"rules.{key}: {word!r} is not a severity; expected one of "
                               f"{', '.join(SEVERITY_WORDS)}", path, *_pos(_child(rules_node, key)))
        given_as[code] = key
        rules[code] = None if word == "off" else Severity(word)
        rule_pos[code] = pos
    return _Layer(
        source=path,
        name=plain.get("name"),
        description=plain.get("description"),
        extends=plain.get("extends"),
        extends_pos=_pos(_child(root, "extends")),
        name_pos=_pos(_child(root, "name")),
        settings=settings,
        setting_pos=setting_pos,
        rules=rules,
        rule_pos=rule_pos,
        rules_pos=_key_pos(root, "rules") if "rules" in plain else (1, 1),
    )


def _build(layers: list[_Layer]) -> Profile:
    """Overlay layers (base first) and check the result is complete and coherent."""
    top = layers[-1]
    settings: dict[str, Any] = {}
    where: dict[str, tuple[str, tuple[int, int], int]] = {}  # setting or code → (file, pos, depth)
    rules: dict[str, Severity | None] = {}
    description = None
    for depth, layer in enumerate(layers):
        settings.update(layer.settings)
        for k in layer.settings:
            where["s:" + k] = (layer.source, layer.setting_pos[k], depth)
        rules.update(layer.rules)
        for c in layer.rules:
            where["r:" + c] = (layer.source, layer.rule_pos[c], depth)
        if layer.description:
            description = layer.description
    if not top.name:
        raise ProfileError("missing `name`", top.source, 1, 1)
    missing_settings = [k for k in _SETTING_KEYS if k not in settings]
    if missing_settings:
        raise ProfileError(f"settings missing: {', '.join(missing_settings)} (a profile that extends nothing must "
                           "define every setting)", top.source, 1, 1)
    missing_rules = [c for c in CATALOGUE if c not in rules]
    if missing_rules:
        shown = ", ".join(f"{c} {CATALOGUE[c]}" for c in missing_rules[:5])
        more = f" and {len(missing_rules) - 5} more" if len(missing_rules) > 5 else ""
        raise ProfileError(f"rules not decided: {shown}{more}. Every rule needs a severity (error, warning, note) "
                           "or off; or extend a built-in profile (extends: cache)", top.source, *top.rules_pos)
    for key, code, demands in _ENFORCED_BY:
        value = settings[key]
        if demands(value) and rules[code] is None:
            s_file, s_pos, s_depth = where["s:" + key]
            r_file, r_pos, r_depth = where["r:" + code]
            file, pos = (r_file, r_pos) if r_depth >= s_depth else (s_file, s_pos)
            raise ProfileError(f"settings.{key} is {_fmt(value)!r} but {code} {CATALOGUE[code]} is off, so "
                               f"nothing would enforce it; give {code} a severity, or relax {key}", file, *pos)
    if settings["min_replicas_to_write"] > settings["min_replicas"]:
        file, pos, _ = where["s:min_replicas_to_write"]
        raise ProfileError(f"settings.min_replicas_to_write ({settings['min_replicas_to_write']}) is more than "
                           f"min_replicas ({settings['min_replicas']}): a primary configured that way refuses "
                           "every write when a replica is missing", file, *pos)
    return Profile(
        name=str(top.name),
        description=str(description or ""),
        source=top.source,
        rdb=settings["rdb"],
        aof=settings["aof"],
        allowed_appendfsync=tuple(settings["allowed_appendfsync"]),
        max_data_loss_seconds=settings["max_data_loss_seconds"],
        maxmemory=settings["maxmemory"],
        allowed_eviction_policies=tuple(settings["allowed_eviction_policies"]),
        fork_headroom_factor=settings["fork_headroom_factor"],
        pvc_size_factor=settings["pvc_size_factor"],
        persistent_volume=settings["persistent_volume"],
        min_replicas=int(settings["min_replicas"]),
        min_replicas_to_write=int(settings["min_replicas_to_write"]),
        monitoring=settings["monitoring"],
        suppression_reason_required=bool(settings["suppression_reason_required"]),
        severities=MappingProxyType({c: rules[c] for c in CATALOGUE}),
        extends=tuple(layer.source for layer in reversed(layers[:-1])),
        load_rate_mb_per_second=float(settings["load_rate_mb_per_second"]),
        save_rate_mb_per_second=float(settings["save_rate_mb_per_second"]),
    )


# ---------------------------------------------------------------------------------------------
# YAML nodes → plain values, and positions


def _plain(root: Any) -> Any:
    """Plain values for the schema, with YAML 1.1 surprises in profile positions undone.

    The sources layer reads YAML as Helm does, so a plain `off` (a severity) and `no` (an
    appendfsync value) arrive as booleans; in those positions the word was meant.
    """
    plain = to_plain(root)
    if not isinstance(plain, dict):
        return plain
    plain = {str(k) if not isinstance(k, str) else k: v for k, v in plain.items()}
    rules_node = _child(root, "rules")
    if isinstance(plain.get("rules"), dict) and rules_node is not None:
        fixed = {}
        for key, value in plain["rules"].items():
            text_key = _key_text(rules_node, key)
            node = _child(rules_node, key)
            if isinstance(value, bool) and _scalar_text(node).lower() == "off":
                value = "off"
            fixed[text_key] = value
        plain["rules"] = fixed
    settings_node = _child(root, "settings")
    settings = plain.get("settings")
    if isinstance(settings, dict) and settings_node is not None:
        settings = {str(k) if not isinstance(k, str) else k: v for k, v in settings.items()}
        seq = _child(settings_node, "allowed_appendfsync")
        items = settings.get("allowed_appendfsync")
        if isinstance(items, list) and seq is not None:
            nodes = list(getattr(seq, "items", ()) or ())
            settings["allowed_appendfsync"] = [
                "no" if isinstance(v, bool) and i < len(nodes) and _scalar_text(nodes[i]).lower() == "no" else v
                for i, v in enumerate(items)
            ]
        plain["settings"] = settings
    return plain


def _scalar_text(node: Any) -> str:
    text = getattr(node, "text", None)
    style = getattr(node, "style", "")
    return text if isinstance(text, str) and not style else ""


def _child(node: Any, key: Any) -> Any:
    """The value node under `key` in a mapping node, else None (`key` as Helm reads it or as written)."""
    if node is None or not hasattr(node, "key_node"):
        return None
    found = node.get(key)
    if found is None:
        found = next((v for k, v in node.items() if getattr(k, "text", None) == key), None)
    return found


def _key_node(node: Any, key: Any) -> Any:
    if node is None or not hasattr(node, "key_node"):
        return None
    found = node.key_node(key)
    if found is None:  # a key YAML 1.1 turned into a boolean (`on:`), looked up by its text
        found = next((k for k, _ in node.items() if getattr(k, "text", None) == key), None)
    return found


def _key_text(node: Any, key: Any) -> str:
    kn = _key_node(node, key)
    if kn is not None and isinstance(getattr(kn, "text", None), str):
        return kn.text
    return str(key)


def _pos(node: Any) -> tuple[int, int]:
    span = getattr(node, "span", None)
    if span is None:
        return (1, 1)
    return (span.line, span.column)


def _key_pos(node: Any, key: Any) -> tuple[int, int]:
    kn = _key_node(node, key)
    return _pos(kn) if kn is not None else _pos(_child(node, key))


def _walk(root: Any, path: Sequence[Any]) -> Any:
    """The node at a JSON path (keys and list indices), or the deepest node found on the way."""
    found = node_at(root, list(path))
    if found is not None:
        return found

    node = root
    for part in path:  # keys written as YAML 1.1 booleans (`on:`), or a path that ends early
        if isinstance(node, SeqNode):
            child = node.items[part] if isinstance(part, int) and part < len(node.items) else None
        else:
            child = _child(node, part)
        if child is None:
            return node
        node = child
    return node


# ---------------------------------------------------------------------------------------------
# Schema validation (user profiles only; jsonschema is imported here, lazily)


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The profile JSON Schema (2020-12) shipped in `redislint/policies/profile.schema.json`."""
    import json  # noqa: PLC0415 - json only when the schema is read (user profiles, tests)

    text = resources.files("redislint").joinpath("policies/profile.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator  # noqa: PLC0415 - jsonschema, the costliest import, only for user profiles

    return Draft202012Validator(schema())


def _validate(path: str, root: Any, plain: Any) -> None:
    """Raise a ProfileError for the first schema violation in file order."""
    problems: list[tuple[bool, tuple[int, int], str]] = []
    for err in _validator().iter_errors(plain):
        # A missing key is often the consequence of a misspelt one (`extend:`), so report it last.
        problems.extend((err.validator == "required", pos, msg) for pos, msg in _explain(err, root, path))
    if problems:
        _, (line, column), message = min(problems, key=lambda p: (p[0], p[1]))
        raise ProfileError(message, path, line, column)


_TYPE_NAMES = {"string": "a string", "number": "a number", "integer": "a whole number", "boolean": "true or false",
               "array": "a list", "object": "a mapping"}


def _explain(err: Any, root: Any, path: str) -> list[tuple[tuple[int, int], str]]:
    """(position, message) for one jsonschema error; several for several unknown keys."""
    where = _dotted(err.absolute_path)
    node = _walk(root, list(err.absolute_path))
    kind = err.validator
    inst = err.instance
    shown = _show(node, inst)
    parent = list(err.absolute_path)
    if kind == "additionalProperties" and isinstance(inst, dict):
        allowed = list(err.schema.get("properties", {}))
        patterns = err.schema.get("patternProperties", {})
        extras = [k for k in inst if k not in allowed and not any(re.search(p, k) for p in patterns)]
        out = []
        for k in extras:
            pos = _key_pos(node, k)
            if patterns:  # the rules mapping
                hint = _did_you_mean(k, list(CATALOGUE) + list(CATALOGUE.values()))
                out.append((pos, f"{_dotted(parent + [k])}: {k!r} is not a rule code (RLnnn) or slug{hint}"))
            else:
                section = f" in {where}" if where else ""
                hint = _did_you_mean(k, allowed) or f"; expected one of: {', '.join(allowed)}"
                out.append((pos, f"unknown key {k!r}{section}{hint}"))
        return out
    if kind == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        section = f"{where}: " if where else ""
        extra = ""
        if "then" in err.schema_path:  # the profile extends nothing
            extra = " (a profile without `extends` must define name, description, every setting and rules; " \
                    "to change only a few values, add `extends: cache` or another built-in)"
        pos = _key_pos(root, parent[-1]) if parent and len(parent) == 1 else _pos(node)
        return [(pos, f"{section}missing {missing!r}{extra}")]
    pos = _pos(node)
    if kind == "type":
        want = err.validator_value
        want_text = " or ".join(_TYPE_NAMES.get(w, str(w)) for w in (want if isinstance(want, list) else [want]))
        return [(pos, f"{where} must be {want_text}, not {shown}")]
    if kind == "enum":
        options = [str(o) for o in err.validator_value]
        hint = _did_you_mean(str(inst), options)
        return [(pos, f"{where}: {shown} is not allowed; expected one of: {', '.join(options)}{hint}")]
    if kind in ("minimum", "exclusiveMinimum"):
        return [(pos, f"{where} must be at least {err.validator_value}, not {shown}")]
    if kind == "minItems":
        return [(pos, f"{where} must list at least one value")]
    if kind == "uniqueItems":
        return [(pos, f"{where} lists a value twice")]
    if kind == "anyOf" and parent == ["extends"]:
        hint = _did_you_mean(str(inst), BUILTIN_PROFILES)
        return [(pos, f"extends must be a built-in profile ({', '.join(BUILTIN_PROFILES)}) or a path to a "
                      f".yaml/.yml profile file, not {shown}{hint}")]
    if kind == "pattern" and parent == ["name"]:
        return [(pos, f"name must be lower-case letters, digits, '.', '_' or '-', not {shown}")]
    if kind in ("minLength", "maxLength"):
        return [(pos, f"{where}: {shown} is too {'short' if kind == 'minLength' else 'long'}")]
    return [(pos, f"{where + ': ' if where else ''}{err.message}")]


def _dotted(parts: Any) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _show(node: Any, inst: Any) -> str:
    """How a value appears in the file: its source text, and what YAML made of it if surprising."""
    text = getattr(node, "text", None)
    if isinstance(inst, bool):
        return f"{text or str(inst).lower()!r} (read as a boolean)"
    if inst is None:
        return "an empty value"
    if isinstance(inst, (dict, list)):
        return "a mapping" if isinstance(inst, dict) else "a list"
    if isinstance(inst, str):
        return repr(inst)
    return text if isinstance(text, str) and text else repr(inst)


def _did_you_mean(word: str, options: Sequence[str]) -> str:
    import difflib  # noqa: PLC0415 - difflib only for a name nobody knows

    lookalike = lookalike_code(word)
    if lookalike is not None and lookalike in options:
        return f"; did you mean {lookalike!r}?"
    lowered = {o.lower(): o for o in options}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f"; did you mean {lowered[match[0]]!r}?" if match else ""


# ---------------------------------------------------------------------------------------------
# Table for `redislint profiles`


def profile_table(profiles: Sequence[Profile], *, rules: bool = False) -> list[tuple[str, ...]]:
    """Rows of text comparing profiles side by side, for `redislint profiles`.

    The first row is the header (`setting`, then each profile's name); then one row per setting
    (its profile-file key, then its value in each profile); with `rules`, one row per rule
    (`RL203 aof-disabled`, then its severity or `off` in each profile).
    """
    rows: list[tuple[str, ...]] = [("setting",) + tuple(p.name for p in profiles)]
    rows += [(s.key,) + tuple(_fmt(p.setting(s.key)) for p in profiles) for s in SETTINGS]
    if rules:
        rows += [(f"{code} {slug}",) + tuple(_severity_word(p.severities.get(code)) for p in profiles)
                 for code, slug in CATALOGUE.items()]
    return rows


def _severity_word(sev: Severity | None) -> str:
    return "off" if sev is None else sev.value


def _fmt(value: Any) -> str:
    if value is None:
        return "not judged"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value)
    return str(value)
