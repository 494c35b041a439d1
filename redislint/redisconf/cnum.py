"""Ports of the C number parsers Redis uses on config values, edge cases included."""

from __future__ import annotations

import math
import re

LLONG_MAX = 2**63 - 1
LLONG_MIN = -(2**63)
ULLONG_MAX = 2**64 - 1
_C_SPACE = " \t\n\v\f\r"
_DIGITS = "0123456789"
# Python's float() accepts "1_0" and surrounding blanks; strtod does not. Decimal and hex forms.
_DEC_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")
_HEX_FLOAT = re.compile(r"[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?")
_SPECIAL_FLOAT = re.compile(r"[+-]?(?:inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?)", re.IGNORECASE)


def to_int64(value: int) -> int:
    """Reinterpret the low 64 bits as a signed long long (two's complement)."""
    value &= ULLONG_MAX
    return value - 2**64 if value > LLONG_MAX else value


def to_int32(value: int) -> int:
    """C's `(int)` conversion of a long long: keep the low 32 bits, signed."""
    value &= 0xFFFFFFFF
    return value - 2**32 if value >= 2**31 else value


def strtoll(text: str, base: int = 10) -> tuple[int, str]:
    """C `strtoll`: (value, unparsed rest). Leading blanks and a sign are allowed; overflow
    clamps to LLONG_MAX/LLONG_MIN; no digits at all gives (0, text) as endptr == nptr."""
    i, n = 0, len(text)
    while i < n and text[i] in _C_SPACE:
        i += 1
    negative = False
    if i < n and text[i] in "+-":
        negative = text[i] == "-"
        i += 1
    digits = "01234567" if base == 8 else _DIGITS
    j = i
    while j < n and text[j] in digits:
        j += 1
    if j == i:
        return 0, text
    digits = text[i:j].lstrip("0")
    # More digits than any 64-bit value has: clamp without int(), which Python refuses past 4300
    # digits (a 1 MB "save 999...9 1" line was an internal error).
    value = (int(digits, base) if len(digits) <= 64 else LLONG_MAX + 1) if digits else 0
    value = -value if negative else value
    return max(LLONG_MIN, min(LLONG_MAX, value)), text[j:]


def strtoll_whole(text: str, base: int = 10) -> int | None:
    """`strtoll` where Redis then checks `*eptr == '\\0'`: None unless the whole text parsed.

    Like C, the empty string parses as 0 (endptr == nptr points at the terminating NUL).
    """
    value, rest = strtoll(text, base)
    return None if rest else value


def atoi(text: str) -> int:
    """C `atoi` as glibc does it: `(int) strtol(text)`, garbage after the digits ignored."""
    return to_int32(strtoll(text)[0])


def string2ll(text: str) -> int | None:
    """Redis `string2ll`: strict decimal, no '+', no leading zeros, no blanks, fits in int64."""
    n = len(text)
    if n == 0 or n >= 21:  # LONG_STR_SIZE
        return None
    if text == "0":
        return 0
    body = text[1:] if text[0] == "-" else text
    if not body or body[0] not in "123456789" or any(c not in _DIGITS for c in body):
        return None
    value = int(body)
    value = -value if text[0] == "-" else value
    return value if LLONG_MIN <= value <= LLONG_MAX else None


def _unit(text: str) -> tuple[str, int] | None:
    """Split "100mb" into ("100", 1048576) the way memtoull finds the first non-digit."""
    i = 0
    while i < len(text) and text[i] in _DIGITS:
        i += 1
    mul = _MULTIPLIERS.get(ascii_lower(text[i:]))
    return None if mul is None else (text[:i], mul)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """C `tolower`/`strcasecmp` folding: ASCII letters only (str.lower folds far more)."""
    return text.translate(_ASCII_LOWER)


_MULTIPLIERS = {"": 1, "b": 1, "k": 1000, "kb": 1024, "m": 1000**2, "mb": 1024**2,
                "g": 1000**3, "gb": 1024**3}


def memtoull(text: str) -> int | None:
    """Redis 7.0+ `memtoull`: bytes as an unsigned 64-bit value, or None for a bad value.

    Faithful to the C: "" and a bare unit ("gb") are 0; digits past 2^64-1 clamp (strtoull);
    the unit multiplication wraps modulo 2^64 without an error (17179869184gb is 0).
    """
    if text.startswith("-"):
        return None
    split = _unit(text)
    if split is None:
        return None
    digits, mul = split
    if len(digits) >= 128:
        return None
    value = min(int(digits), ULLONG_MAX) if digits else 0
    return (value * mul) & ULLONG_MAX


def memtoll(text: str) -> int | None:
    """Redis 6.2 `memtoll`: like memtoull but signed (a leading '-' is allowed, strtoll clamps
    at LLONG_MAX) and the multiplication wraps as a signed 64-bit value."""
    sign = text[:1] == "-"
    split = _unit(text[1:] if sign else text)
    if split is None:
        return None
    digits, mul = split
    if len(digits) + sign >= 128 or (sign and not digits):
        return None
    value = int(digits) if digits else 0
    value = max(LLONG_MIN, min(LLONG_MAX, -value if sign else value))
    return to_int64(value * mul)


def string2d(text: str) -> float | None:
    """Redis `string2d` (strtod over the whole string; no leading blank, no overflow, no NaN)."""
    if not text or text[0] in _C_SPACE:
        return None
    if _DEC_FLOAT.fullmatch(text):
        mantissa = text.lower().split("e")[0].lstrip("+-").replace(".", "")
        value = float(text)
        if math.isinf(value) or (value == 0.0 and mantissa.strip("0")):
            return None  # ERANGE: overflow, or underflow to zero
        return value
    if _HEX_FLOAT.fullmatch(text):
        sign = -1.0 if text[0] == "-" else 1.0
        body = text.lstrip("+-")
        try:
            value = sign * float.fromhex(body)
        except OverflowError:
            return None
        return None if math.isinf(value) else value
    if _SPECIAL_FLOAT.fullmatch(text):
        value = float(text.split("(")[0])
        return None if math.isnan(value) else value
    return None


def format_percentile(value: float) -> str:
    """`sprintf("%f")` then Redis's `trimDoubleString` (drop trailing zeros and the dot)."""
    out = f"{value:f}"
    if "." in out:
        out = out.rstrip("0").rstrip(".")
    return out
