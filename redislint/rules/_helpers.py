"""Small helpers rules share: walking config lines, numbers in messages, values-key lookups."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeGuard

from redislint.charts.values_keys import key_table
from redislint.charts.versions import parse_semver
from redislint.kinds.registry import vocabulary_of
from redislint.model import Related, Span
from redislint.quantity import format_bytes
from redislint.redisconf import ConfigSource, Include, evaluate
from redislint.redisconf.lines import trailing_comment_start
from redislint.redisconf.values import parse_save
from redislint.target import SHARED_DEFAULT_LAYER, SHARED_LAYER

if TYPE_CHECKING:
    from redislint.facts import Fact
    from redislint.model import Severity
    from redislint.target import Target


# Every rule walks the same target's lines; the flattened list is kept for the few most recent
# sources. Each entry holds the source itself, so an id() is never reused while it is cached.
_FLAT: dict[int, tuple[Any, tuple[Any, ...], frozenset[str]]] = {}
_FLAT_SIZE = 64
# The save points a person meant, for sources with a `save` line Redis refuses only for its trailing
# comment (same cache discipline as _FLAT).
_MEANT: dict[int, tuple[Any, str]] = {}


def _flattened(source: Any) -> tuple[tuple[Any, ...], frozenset[str]]:
    hit = _FLAT.get(id(source))
    if hit is not None and hit[0] is source:
        return hit[1], hit[2]
    lines: list[Any] = []
    stack = [iter(source.items)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        inner = getattr(item, "source", None)
        if inner is not None and hasattr(inner, "items"):
            stack.append(iter(inner.items))
        else:
            lines.append(item)
    # Templated (filled in at deploy time), or written on a line Redis refuses: Redis never starts on
    # it, and the fix (RL010-RL016 report the line) decides the value, so nothing is concluded from it.
    templated = frozenset(line.key for line in lines
                          if line.problem is not None and (line.problem.kind == "templated" or line.problem.fatal)
                          and not _meant_as_written(line))
    if len(_FLAT) >= _FLAT_SIZE:
        _FLAT.pop(next(iter(_FLAT)))
    _FLAT[id(source)] = (source, tuple(lines), templated)
    return tuple(lines), templated


def _meant_as_written(line: Any) -> bool:
    """A `save` line Redis refuses only for a trailing comment: RL013 reports it once, and every other
    rule sizes the config as the person meant it (the words before the comment)."""
    return line.key == "save" and line.problem is not None and line.problem.kind == "trailing-comment"


def _without_comments(source: Any, version: Any) -> Any:
    """`source` with each refused `save ... # comment` line read as the words before its comment."""
    items = []
    for item in source.items:
        inner = getattr(item, "source", None)
        if inner is not None and hasattr(inner, "items"):
            items.append(Include(_without_comments(inner, version), item.span))
        elif _meant_as_written(item):
            cut = trailing_comment_start(item.raw, version)
            words = item.raw[:cut].split()[1:] if cut is not None else []
            # The argument count Redis checks before the values: a pair-less line stays refused.
            ok = len(words) % 2 == 0 and all(w.lstrip("-").isdigit() for w in words)
            items.append(item._replace(args=tuple(words), value=" ".join(words), problem=None, role="setting")
                         if ok else item)
        else:
            items.append(item)
    return ConfigSource(source.layer, tuple(items))


def meant_save_lines(target: Target) -> list[Any]:
    """The `save` lines Redis refuses only for a trailing comment (counted as meant by `save_points`)."""
    return [line for line in _flattened(target.source)[0] if _meant_as_written(line) and is_user_span(line.span)]


def meant_save(target: Target) -> str | None:
    """The `save` value with refused trailing-comment lines read as meant; None when no such line."""
    source = target.source
    if not any(_meant_as_written(line) for line in _flattened(source)[0]):
        return None
    hit = _MEANT.get(id(source))
    if hit is not None and hit[0] is source:
        return hit[1]

    meant = _without_comments(source, target.redis_version)
    value = evaluate(meant, target.redis_version).settings["save"].value
    if len(_MEANT) >= _FLAT_SIZE:
        _MEANT.pop(next(iter(_MEANT)))
    _MEANT[id(source)] = (source, value)
    return value


def iter_lines(source: Any) -> Iterator[Any]:
    """Every ConfLine of a ConfigSource, includes expanded, in Redis's reading order."""
    return iter(_flattened(source)[0])


def user_lines(target: Target) -> Iterator[Any]:
    """Lines a person wrote in an input file (not chart or start-script lines)."""
    for line in iter_lines(target.source):
        if line.span is not None and line.span.path:
            yield line


def templated_keys(target: Target) -> frozenset[str]:
    """Directives whose value no rule can trust: filled in at deploy time, or written on a line Redis
    refuses (one root cause, one finding: the rule about the refused line reports it). Rules about
    them stay silent."""
    return _flattened(target.source)[1]


def is_user_span(span: Span | None) -> TypeGuard[Span]:
    """True when the span points into an input file."""
    return span is not None and bool(span.path)


def fact_related(fact: Fact[Any], message: str) -> tuple[Related, ...]:
    """A related location for a fact a user wrote; nothing for chart defaults."""
    return (Related(fact.span, message),) if is_user_span(fact.span) else ()


def setting_related(target: Target, key: str, message: str) -> tuple[Related, ...]:
    """A related location at the line that set a directive, if a person wrote it."""
    a = target.written(key)
    if a is not None and a.line is not None and is_user_span(a.line.span):
        return (Related(a.line.span, message),)
    return ()


def origin_of(target: Target, key: str) -> str:
    """"master.configuration line 12" / "Redis 7.2 default" — where a directive's value came from."""
    s = target.setting(key)
    if s is None or not s.history:
        return "unknown"
    last = s.history[-1]
    if last.line is not None and is_user_span(last.line.span):
        return f"{last.layer} (line {last.line.span.line})"
    return last.layer


def human_bytes(n: int | None) -> str:
    """Bytes in the unit people write in values files."""
    return "unset" if n is None else format_bytes(n)


def memory_value(target: Target, key: str = "maxmemory") -> int | None:
    """A memory directive in bytes (None when absent, templated or unparsable)."""
    value = target.value(key)
    if value is None or key in templated_keys(target):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def save_points(target: Target) -> list[tuple[int, int]]:
    """The effective save points as (seconds, changes) pairs, a refused `save 900 1 # comment` line
    counted as meant (RL013 reports it; sizing for the valid lines alone would undersize the disk)."""
    meant = meant_save(target)
    return parse_save(meant if meant is not None else target.value("save"))


def client_class_limits(value: str, cls: str) -> tuple[str, ...]:
    """The hard, soft and seconds limits of one client class (normal, replica, pubsub) in a
    client-output-buffer-limit value: Redis keeps one set per class, and a line sets one class."""
    cls = "slave" if cls.lower() == "replica" else cls.lower()
    words = value.split()
    for i in range(0, len(words) - 3, 4):
        if words[i] == cls:
            return tuple(words[i + 1:i + 4])
    return ()


def at_most(profile: Any, code: str, cap: Severity) -> Severity:
    """`cap`, or the profile's own severity for `code` when that is lower: a case the linter cannot
    be sure of is reported at most at `cap`, never louder than the profile asks."""
    configured = profile.severity_for(code)
    return configured if configured is not None and configured.rank < cap.rank else cap


def an(word: str) -> str:
    """The article for `word` as it is read aloud: "an AOF rewrite", "a BGSAVE"."""
    return "an" if word[:1].lower() in "aeio" or word.startswith(("RDB", "AOF")) else "a"


def is_common_layer(target: Target, layer: str) -> bool:
    """True for the layer every role reads (Bitnami commonConfiguration; configmap before chart 14), the
    chart's default text of it included."""
    return target.layer_kind(layer) in (SHARED_LAYER, SHARED_DEFAULT_LAYER)


def has_role_blocks(target: Target) -> bool:
    """True when the target's kind gives each role a values block of its own (Bitnami `master:` and
    `replica:`, with their own resources, preset and persistence): the replicas are sized there."""
    v = vocabulary_of(target)
    return v is not None and v.role_block is not None and v.resources_preset is not None


def common_key(target: Target) -> str | None:
    """The values key every role reads besides its own (Bitnami commonConfiguration), or None when the
    target's roles read one config block each (redis-ha, a config file)."""
    if target.values is None or not target.values_prefix:
        return None
    v = vocabulary_of(target)
    # Only beside role blocks of their own: a kind whose one config block every role reads has nothing
    # to share it with (valkey-io's valkeyConfig is simply its config).
    return v.shared_config if v is not None and v.role_block is not None and v.role_config is not None else None


def shared_by_roles(target: Target, key: str) -> bool:
    """True when a Bitnami `replication` release runs master and replica pods and this role gets `key`
    from where every role gets it (commonConfiguration, the chart's default of it, or Redis's default):
    one change in commonConfiguration fixes every role, so the roles' findings are one, at one place
    (`shared_span`). A value a role's own configuration sets is that role's alone."""
    if target.mode != "replication" or common_key(target) is None:
        return False
    if target.role != "replica" and not (target.facts.replicas_of_master.value or 0):
        return False
    setting = target.setting(key)
    winner = setting.history[-1] if setting is not None and setting.history else None
    return winner is None or winner.line is None or is_common_layer(target, winner.layer)


def shared_span(target: Target, key: str) -> Span:
    """Where a finding about a directive every role shares points: its line when a person wrote it,
    else the commonConfiguration key, else the values block (the same place for every role)."""
    a = target.written(key)
    if a is not None and a.line is not None and is_user_span(a.line.span):
        return a.line.span
    common = common_key(target)
    found = target.values.anchor(common) if target.values is not None and common else None
    return found or target.values_anchor or target.anchor


def directive_place(target: Target, key: str) -> tuple[Span, str]:
    """(span, where a line about `key` goes) for a fix: shared by every role (commonConfiguration), else the
    role's own configuration block; "" for a plain config file."""
    if shared_by_roles(target, key):
        return shared_span(target, key), common_key(target) or ""
    return target.directive_span(key), ""


def _listed(words: list[str]) -> str:
    quoted = [f"`{w}`" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def common_fix(target: Target, profile: Any, lines: list[str]) -> str:
    """A fix that puts `lines` in commonConfiguration, which every role reads. Writing that key replaces
    the chart's default text (`appendonly yes`, `save ""`), so the fix also says what the persistence
    lines must be for the profile (the default's, unless the profile asks otherwise): leaving one out
    would bring back Redis's own default, and one text settles every finding about that default."""
    key = common_key(target) or "commonConfiguration"
    if target.values is not None and target.values.get(key) is not None:
        return f"Add {_listed(lines)} to {key} (every role reads it)"
    named = {line.split()[0] for line in lines}
    keep: list[str] = []
    aof = (target.value("appendonly") or "no").lower() == "yes"
    if "appendonly" not in named:
        aof = profile.aof == "required" or (aof and profile.aof != "forbidden")
        keep.append(f"appendonly {'yes' if aof else 'no'}")
    fsync = (target.value("appendfsync") or "everysec").lower()
    if "appendfsync" not in named and aof and not profile.allows_appendfsync(fsync):
        keep.append(f"appendfsync {next(v for v in ('everysec', 'always', 'no') if profile.allows_appendfsync(v))}")
    if "save" not in named:
        points = save_points(target)
        if profile.rdb == "required" and not points:
            keep += ["save 900 1", "save 300 10"]
        elif profile.rdb == "forbidden" or not points:
            keep.append('save ""')
        else:
            keep += [f"save {s} {c}" for s, c in points]
    return (f"Write {key} with {_listed(lines + keep)} (every role reads it, and it replaces the chart's default "
            "text, which set appendonly and save)")


def from_chart_default_common(target: Target, key: str) -> bool:
    """True when nobody wrote commonConfiguration and `key` comes from the chart's default text of it or
    from Redis's default, in any architecture: the persistence the chart ships was kept as it is, and
    one edit (the role's configuration, or one commonConfiguration text where every role reads it)
    fixes every finding about such a value."""
    if not default_common(target):
        return False
    setting = target.setting(key)
    winner = setting.history[-1] if setting is not None and setting.history else None
    return winner is None or winner.line is None or target.layer_kind(winner.layer) == SHARED_DEFAULT_LAYER


def default_common(target: Target) -> bool:
    """True for a Bitnami release whose commonConfiguration nobody wrote: every role runs the chart's
    default text of it (`appendonly yes`, `save ""`), which writing that key replaces."""
    key_name = common_key(target)
    return key_name is not None and target.values is not None and target.values.get(key_name) is None


def config_place(target: Target, preposition: str = "to") -> str:
    """" to master.configuration": where a config line for this role belongs, in the input's own words
    ("" for a config file, where the line goes into the file itself). For `appendonly` and `save` on a
    release that runs the chart's default commonConfiguration, use `persistence_off` / `common_fix`."""
    place = _config_place(target)
    return place.replace(" to ", f" {preposition} ", 1) if preposition != "to" else place


def _config_place(target: Target) -> str:
    v = vocabulary_of(target)
    if target.values is None or not target.values_prefix or v is None or v.role_config is None:
        return ""
    if target.mode == "sentinel" and common_key(target):
        common = v.shared_config
        if not default_common(target):
            return f" to {common} (sentinel nodes read it last)"  # the user's own text: a line added stays with it
        # Sentinel nodes read replica.conf, then commonConfiguration: a line the chart's default text does not
        # set (it sets appendonly and save) wins from replica.configuration, and writing commonConfiguration
        # would replace that default (turning the AOF off). Before 16.2.1 a node started as master read
        # master.conf instead (bitnami/charts#8781).
        roles = v.role_config
        if _sentinel_reads_role_conf(target):
            roles = "master.configuration and replica.configuration (a node started as master reads master.conf)"
        return (f" to {roles} (every sentinel node reads it; writing {common} instead would replace the chart's "
                "default text, `appendonly yes` and `save \"\"`)")
    return f" to {v.role_config}"


def _sentinel_reads_role_conf(target: Target) -> bool:
    """bitnami/redis 11.0.0–16.2.0: a sentinel node that started as master included master.conf."""
    version = parse_semver(target.chart_version or "")
    return target.chart == "bitnami/redis" and version is not None and tuple(version)[:3] < (16, 2, 1)


def persistence_off(target: Target) -> str:
    """How to turn persistence off for this role, in the input's words: `appendonly no` and `save ""`
    together (one alone brings the other back: Redis's default save points, or the chart's AOF), in
    one commonConfiguration text where the chart's default of it is what turns the AOF on for every role."""
    if default_common(target) and (target.mode == "sentinel" or shared_by_roles(target, "appendonly")):
        return (f"write {common_key(target)} with `appendonly no` and `save \"\"`, which every node reads and which "
                "replaces the chart's default text that turns the AOF on")
    return f"`appendonly no` and `save \"\"`{config_place(target, 'in')}"


def chart_reads(target: Target, path: str) -> bool | None:
    """Whether the target's chart version reads values key `path` (None when its version or key table is
    unknown): a fix never recommends a key the chart would ignore."""
    table = key_table(target.chart) if target.chart else None
    version = parse_semver(target.chart_version or "")
    if table is None or version is None:
        return None
    return table.known(path, version)


def checksum_off(target: Target) -> bool:
    """True when a person wrote `rdbchecksum no`: turning persistence back on (RL201, RL203) would write the
    snapshot, or the AOF's RDB base, without a CRC64; RL208 defers to that finding and its fix removes the line."""
    written = target.written("rdbchecksum")
    return written is not None and written.line is not None and is_user_span(written.line.span) \
        and (target.value("rdbchecksum") or "yes").lower() == "no" and "rdbchecksum" not in templated_keys(target)
