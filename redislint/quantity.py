"""Kubernetes resource quantities ("512Mi", "1.5G", "1e9") as bytes, and bytes for humans."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fractions import Fraction

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
# Whole multipliers; the milli suffix ("m") needs fractions.
_DECIMAL = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18}
# The apimachinery grammar: <signedNumber><suffix>; the number may be "1", "1.5", "1.", ".5".
_QUANTITY = re.compile(
    r"(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))"
    r"(?:(?P<exp>[eE][+-]?\d+)|(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?)"
)
_FORMAT_UNITS = (("Ei", 2**60), ("Pi", 2**50), ("Ti", 2**40), ("Gi", 2**30), ("Mi", 2**20),
                 ("Ki", 2**10))


def parse_quantity(value: str | int | float) -> int:
    """Bytes for a Kubernetes quantity, rounded up as `Quantity.Value()` does.

    Accepts binary suffixes (Ki Mi Gi Ti Pi Ei), decimal ones (m k M G T P E), exponents
    ("1e9", "5E-1"), decimals ("0.5Gi") and plain numbers (YAML ints and floats too).
    Raises ValueError for anything Kubernetes would refuse, and for negative amounts.
    """
    if isinstance(value, bool):
        raise ValueError(f"quantity must be a number or a string like '512Mi', not {value!r}")
    amount: int | Fraction
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"quantity {value!r} is not a finite number")
        from fractions import Fraction  # noqa: PLC0415 - fractions only for a non-integer quantity

        amount = Fraction(repr(value))  # the decimal the YAML author wrote, not the binary float
    elif isinstance(value, str):
        amount = _parse_text(value)
    else:
        raise ValueError(f"quantity must be a number or a string, not {type(value).__name__}")
    if amount < 0:
        raise ValueError(f"quantity {value!r} is negative")
    return math.ceil(amount)


def _parse_text(text: str) -> int | Fraction:
    m = _QUANTITY.fullmatch(text)
    if m is None:
        raise ValueError(
            f"quantity {text!r} is not valid: expected a number with an optional suffix "
            "(Ki, Mi, Gi, Ti, Pi, Ei, m, k, M, G, T, P, E) or exponent, e.g. '512Mi' or '1e9'")
    num, suffix = m.group("num"), m.group("suffix") or ""
    if not m.group("exp") and suffix != "m" and num.lstrip("+-").isdigit():
        # "512Mi", "8Gi", "1000": whole numbers stay integers (and fractions is never imported).
        return int(num) * (_BINARY[suffix] if suffix in _BINARY else _DECIMAL[suffix])
    from fractions import Fraction  # noqa: PLC0415 - decimals, exponents and milli need exact rational arithmetic

    number = Fraction(num)
    if m.group("exp"):
        exponent = int(m.group("exp")[1:])
        if abs(exponent) > 30:  # no memory or disk size needs more; 1e-999999999 would hang Fraction
            raise ValueError(f"{text!r}: exponent {exponent} is out of range")
        return number * Fraction(10) ** exponent
    if suffix == "m":
        return number / 1000
    return number * (_BINARY[suffix] if suffix in _BINARY else _DECIMAL[suffix])


def format_bytes(n: int) -> str:
    """Bytes in Kubernetes binary units, for messages: "1Gi", "1.8Gi", "512Mi", "900B".

    The largest unit with a value of at least 1 is used, with one decimal place when the
    amount is not whole (rounded half up); amounts under 1Ki are printed as bytes ("900B").
    """
    sign = "-" if n < 0 else ""
    n = abs(int(n))
    for unit, size in _FORMAT_UNITS:
        if n >= size:
            if n % size == 0:
                return f"{sign}{n // size}{unit}"
            tenths = (n * 10 + size // 2) // size
            whole, frac = divmod(tenths, 10)
            return f"{sign}{whole}{unit}" if frac == 0 else f"{sign}{whole}.{frac}{unit}"
    return f"{sign}{n}B"
