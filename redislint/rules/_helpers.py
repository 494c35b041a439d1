"""Small helpers rules share: walking config lines, numbers in messages, values-key lookups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from redislint.model import Related, Span
from redislint.quantity import format_bytes

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
    from redislint.redisconf import ConfigSource, Include
    from redislint.redisconf.lines import trailing_comment_start

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


def meant_save(target: "Target") -> str | None:
    """The `save` value with refused trailing-comment lines read as meant; None when no such line."""
    source = target.source
    if not any(_meant_as_written(line) for line in _flattened(source)[0]):
        return None
    hit = _MEANT.get(id(source))
    if hit is not None and hit[0] is source:
        return hit[1]
    from redislint.redisconf import evaluate

    meant = _without_comments(source, target.redis_version)
    value = evaluate(meant, target.redis_version).settings["save"].value
    if len(_MEANT) >= _FLAT_SIZE:
        _MEANT.pop(next(iter(_MEANT)))
    _MEANT[id(source)] = (source, value)
    return value


def iter_lines(source: Any) -> Iterator[Any]:
    """Every ConfLine of a ConfigSource, includes expanded, in Redis's reading order."""
    return iter(_flattened(source)[0])


def user_lines(target: "Target") -> Iterator[Any]:
    """Lines a person wrote in an input file (not chart or start-script lines)."""
    for line in iter_lines(target.source):
        if line.span is not None and line.span.path:
            yield line


def templated_keys(target: "Target") -> frozenset[str]:
    """Directives whose value no rule can trust: filled in at deploy time, or written on a line Redis
    refuses (one root cause, one finding: the rule about the refused line reports it). Rules about
    them stay silent."""
    return _flattened(target.source)[1]


def is_user_span(span: Span | None) -> bool:
    """True when the span points into an input file."""
    return span is not None and bool(span.path)


def fact_related(fact: "Fact[Any]", message: str) -> tuple[Related, ...]:
    """A related location for a fact a user wrote; nothing for chart defaults."""
    return (Related(fact.span, message),) if is_user_span(fact.span) else ()


def setting_related(target: "Target", key: str, message: str) -> tuple[Related, ...]:
    """A related location at the line that set a directive, if a person wrote it."""
    a = target.written(key)
    if a is not None and a.line is not None and is_user_span(a.line.span):
        return (Related(a.line.span, message),)
    return ()


def origin_of(target: "Target", key: str) -> str:
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


def memory_value(target: "Target", key: str = "maxmemory") -> int | None:
    """A memory directive in bytes (None when absent, templated or unparsable)."""
    value = target.value(key)
    if value is None or key in templated_keys(target):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def save_points(target: "Target") -> list[tuple[int, int]]:
    """The effective save points as (seconds, changes) pairs, a refused `save 900 1 # comment` line
    counted as meant (RL013 reports it; sizing for the valid lines alone would undersize the disk)."""
    from redislint.durability import parse_save

    meant = meant_save(target)
    return parse_save(meant if meant is not None else target.value("save"))


def at_most(profile: Any, code: str, cap: "Severity") -> "Severity":
    """`cap`, or the profile's own severity for `code` when that is lower: a case the linter cannot
    be sure of is reported at most at `cap`, never louder than the profile asks."""
    configured = profile.severity_for(code)
    return configured if configured is not None and configured.rank < cap.rank else cap


def an(word: str) -> str:
    """The article for `word` as it is read aloud: "an AOF rewrite", "a BGSAVE"."""
    return "an" if word[:1].lower() in "aeio" or word.startswith(("RDB", "AOF")) else "a"
