"""Validate one directive's arguments like Redis and normalise them to their CONFIG GET form."""

from __future__ import annotations

from . import special
from .cnum import ULLONG_MAX, ascii_lower, memtoll, memtoull, string2ll, strtoll_whole, to_int64
from .directives import DirectiveInfo
from .valuetypes import ConfigValueError, Normalized
from .versions import RedisVersion

MEMORY_ERROR = "argument must be a memory value"
INTEGER_ERROR = "argument couldn't be parsed into an integer"
# Numeric kinds whose bounds Redis checks as unsigned (numericBoundaryCheck).
_UNSIGNED = frozenset({"ulonglong", "uint", "sizet"})
_NUMERIC = frozenset({"int", "uint", "long", "ulong", "longlong", "ulonglong", "sizet", "ssizet",
                      "timet", "offt"})
# Enum words that share a value with an earlier word: CONFIG GET shows the earlier one.
_ENUM_SAME_AS = {("oom-score-adj", "relative"): "yes"}


def parse_memory(text: str, version: RedisVersion | None = None) -> int:
    """Bytes for a Redis memory value ("1gb", "100m", "4096"); ValueError with Redis's reason.

    Units: b, k=1000, kb=1024, m, mb, g, gb, any case; no decimals, no sign, no t/tb, no space.
    The result is what CONFIG GET shows: "" is 0, digits past 2^64-1 clamp, and the unit
    multiplication wraps modulo 2^64 (so 17179869184gb is 0, meaning "no limit"). Redis 6.2
    parses signed (values clamp at 2^63-1 and negative results are refused).
    """
    if version is not None and version.legacy_parser:
        value = memtoll(text)
        if value is None or value < 0:
            raise ConfigValueError(MEMORY_ERROR)
        return value
    value = memtoull(text)
    if value is None:
        raise ConfigValueError(MEMORY_ERROR)
    return value


def _bound_error(lo: int, hi: int, octal: bool, unsigned: bool) -> ConfigValueError:
    if octal:
        return ConfigValueError(f"argument must be between {lo:o} and {hi:o} inclusive")
    if unsigned:
        lo, hi = lo & ULLONG_MAX, hi & ULLONG_MAX
    return ConfigValueError(f"argument must be between {lo} and {hi} inclusive")


def _numeric(info: DirectiveInfo, arg: str, version: RedisVersion) -> str:
    octal = info.name == "unixsocketperm"
    if octal and version.legacy_parser:
        return special.unixsocketperm_62(arg)
    value: int | None = None
    if info.memory_units:
        value = (memtoll(arg) if version.legacy_parser else memtoull(arg))
        if version.legacy_parser and value is not None and value < 0:
            value = None
        if value is not None:
            value = to_int64(value)  # memtoull's result is stored in a long long
    if value is None and info.percent_ok and len(arg) > 1 and arg.endswith("%"):
        pct = string2ll(arg[:-1])
        if pct is not None and pct >= 0:
            value = -pct  # Redis stores percentages as negative numbers
    if value is None and octal:
        value = strtoll_whole(arg, 8)
    if value is None and not (info.memory_units or info.percent_ok or octal):
        value = string2ll(arg)
    if value is None:
        if info.memory_units and info.percent_ok:
            raise ConfigValueError("argument must be a memory or percent value")
        if info.memory_units:
            raise ConfigValueError(MEMORY_ERROR)
        if octal:
            raise ConfigValueError("argument couldn't be parsed as an octal number")
        raise ConfigValueError(INTEGER_ERROR)
    lo = info.min if info.min is not None else -(2**63)
    hi = info.max if info.max is not None else 2**63 - 1
    if info.kind in _UNSIGNED:
        u = value & ULLONG_MAX
        if u > (hi & ULLONG_MAX) or u < (lo & ULLONG_MAX):
            raise _bound_error(lo, hi, octal, True)
    elif info.percent_ok and value < 0:
        if value < lo:
            raise ConfigValueError(f"percentage argument must be less or equal to {-lo}")
    elif value > hi or value < lo:
        raise _bound_error(lo, hi, octal, False)
    if info.percent_ok and value < 0:
        return f"{-value}%"
    if octal:
        return f"{value:o}"
    if info.memory_units:
        return str(value & ULLONG_MAX)
    return str(value)


def _enum(info: DirectiveInfo, args: list[str], version: RedisVersion) -> str:
    words = info.enum_values
    canonical = {ascii_lower(w): w for w in words}
    flags = info.multi_arg
    picked = [canonical.get(ascii_lower(a)) for a in args]
    if not args or None in picked or (not flags and len(args) != 1):
        prefix = "argument must be" if version.legacy_parser else "argument(s) must be"
        raise ConfigValueError(f"{prefix} one of the following: {', '.join(words)}")
    if not flags:
        word = picked[0] or ""
        return _ENUM_SAME_AS.get((info.name, word), word)
    # Bit flags (shutdown-on-sig*): the first word is 0 ("default"), the others one bit each.
    bits = {w: (0 if i == 0 else 1 << (i - 1)) for i, w in enumerate(words)}
    value = 0
    for flag in picked:
        value |= bits[flag or ""]
    if info.name.startswith("shutdown-on-sig") and value & 1 and value & 2:
        raise ConfigValueError("shutdown options SAVE and NOSAVE can't be used simultaneously")
    for word in words:
        if bits[word] == value:
            return word
    return " ".join(w for w in words if bits[w] and bits[w] & value)


def _string(info: DirectiveInfo, arg: str, version: RedisVersion) -> str:
    check = special.STRING_CHECKS.get(info.name)
    if check is not None:
        check(arg)
    return arg


def normalize(info: DirectiveInfo, args: list[str], version: RedisVersion) -> Normalized:
    """Check `args` (the words after the name, already split for multi-arg directives) the way
    `version` does and return the value CONFIG GET would then show for this line alone.

    Raises ConfigValueError with Redis's reason. Filesystem checks (`dir` must exist, the
    log file must open) are not made: the linter cannot see the target's disk.
    """
    name = info.primary
    handler = special.HANDLERS.get(name)
    if handler is not None:
        return handler(args, version)
    arg = args[0] if args else ""
    if info.kind == "bool":
        low = ascii_lower(arg)
        if low not in ("yes", "no"):
            raise ConfigValueError("argument must be 'yes' or 'no'")
        return Normalized(low)
    if info.kind == "enum":
        return Normalized(_enum(info, args, version))
    if info.kind in _NUMERIC:
        return Normalized(_numeric(info, arg, version))
    if info.kind in ("string", "sds"):
        return Normalized(_string(info, arg, version))
    return Normalized(arg)


def parse_save(value: str | None) -> list[tuple[int, int]]:
    """The CONFIG GET form of `save` ("3600 1 300 100") as (seconds, changes) pairs."""
    parts = (value or "").split()
    out = []
    for i in range(0, len(parts) - 1, 2):
        try:
            out.append((int(parts[i]), int(parts[i + 1])))
        except ValueError:
            continue
    return out
