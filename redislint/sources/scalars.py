"""How Helm reads a YAML scalar: YAML 1.1 resolution as done by go-yaml v2.

Helm reads values files (and Flux/Argo CD hand it `spec.values`) with `sigs.k8s.io/yaml`, which
decodes with its fork of `gopkg.in/yaml.v2` (`goyaml.v2/resolve.go`). That resolver is YAML 1.1:

- booleans: `y Y yes Yes YES on On ON true True TRUE` and `n N no No NO off Off OFF false
  False FALSE` (note the single letters `y`/`n`);
- null: the empty scalar, `~`, `null Null NULL`;
- ints: Go's `strconv.ParseInt(s, 0, 64)` after removing every `_`, so `0x1F`, `0o17`, `0b101`
  and C-style octal `0755` (= 493) are ints, and `+5` is 5; out of int64 range it tries uint64;
- floats: `.inf`/`.nan` spellings, and anything matching
  `^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$` (so `08`, not a valid octal, is the
  float 8.0, and `1e3` is 1000.0);
- timestamps (`2024-01-02`, `2024-01-02T03:04:05Z` ...) become Go times, which Helm then prints
  in RFC 3339 form. We keep their text (tag `!!timestamp`) rather than guessing that rendering.

Only plain (unquoted, untagged) scalars are resolved. Quoted and block scalars are strings.
Explicit tags are honoured like go-yaml does: `!!str` forces a string, `!!int`/`!!float`/
`!!bool`/`!!null` resolve the text and keep it as a string when it does not fit, and every other
tag (`!!python/object:...`, `!custom`, `!!binary`) constructs nothing: the value is the text.

Helm then passes values through JSON, so every number becomes a float64 in templates (a
`maxmemory: 1000000` renders as `1e+06`); we keep Python ints so rules can see what was written.
"""

from __future__ import annotations

import math
import re

TAG_PREFIX = "tag:yaml.org,2002:"

STR = "!!str"
INT = "!!int"
FLOAT = "!!float"
BOOL = "!!bool"
NULL = "!!null"
TIMESTAMP = "!!timestamp"
MERGE = "!!merge"

_MAP: dict[str, tuple[object, str]] = {}
for _words, _value, _tag in (
    (("y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"), True, BOOL),
    (("n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"), False, BOOL),
    (("", "~", "null", "Null", "NULL"), None, NULL),
    ((".nan", ".NaN", ".NAN"), math.nan, FLOAT),
    ((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf, FLOAT),
    (("-.inf", "-.Inf", "-.INF"), -math.inf, FLOAT),
    (("<<",), "<<", MERGE),
):
    for _w in _words:
        _MAP[_w] = (_value, _tag)

# go-yaml only tries the lookups above when the first character hints at them.
_HINT_MAP = frozenset("yYnNtTfFoO~")
_HINT_NUM = frozenset("+-0123456789")

_YAML_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
# The layouts go-yaml tries (time.Parse): date; date T time zone; date space time.
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2})"
    r"| [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?)?"
)
_DIGITS = {2: frozenset("01"), 8: frozenset("01234567"), 10: frozenset("0123456789"),
           16: frozenset("0123456789abcdefABCDEF")}
_MAX_INT_DIGITS = 1000  # longer integer literals are not converted (see _go_parse_int)
_INT64_MIN = -(1 << 63)
_UINT64_MAX = (1 << 64) - 1

# Plain scalar texts repeat a lot (keys, `true`, small numbers): resolve each once.
_CACHE: dict[str, tuple[object, str]] = {}
_CACHE_MAX = 65536


def _go_parse_int(s: str) -> int | None:
    """Go's `strconv.ParseInt(s, 0, ...)` syntax (range checked by the caller)."""
    neg = False
    if s[:1] in ("+", "-"):
        neg = s[0] == "-"
        s = s[1:]
    if not s:
        return None
    base = 10
    if len(s) > 1 and s[0] == "0":
        p = s[1]
        if p in "xX":
            base, s = 16, s[2:]
        elif p in "bB":
            base, s = 2, s[2:]
        elif p in "oO":
            base, s = 8, s[2:]
        else:
            base, s = 8, s[1:]
    if not s or not set(s) <= _DIGITS[base]:
        return None
    if len(s) > _MAX_INT_DIGITS:
        # Far outside int64 either way; int() of a huge decimal is refused by Python (4300 digits,
        # a ValueError that dropped the whole file) and quadratic below that. The caller falls
        # back to a float (inf) for decimal text, as go-yaml's ParseFloat would, or to a string.
        return None
    v = int(s, base)
    return -v if neg else v


def resolve_plain(text: str) -> tuple[object, str]:
    """The value and short tag go-yaml v2 gives an untagged plain scalar."""
    hit = _CACHE.get(text)
    if hit is not None:
        return hit
    out = _resolve_plain(text)
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    _CACHE[text] = out
    return out


def _resolve_plain(text: str) -> tuple[object, str]:
    if not text:
        return None, NULL
    c = text[0]
    if c in _HINT_MAP or c == "." or c in _HINT_NUM or c == "<":
        hit = _MAP.get(text)
        if hit is not None:
            return hit
    if c == ".":
        # Go's ParseFloat: digits with an optional exponent, no underscores.
        if _YAML_FLOAT.fullmatch(text):
            return float(text), FLOAT
        return text, STR
    if c in _HINT_NUM:
        if _TIMESTAMP.fullmatch(text):
            return text, TIMESTAMP
        plain = text.replace("_", "")
        v = _go_parse_int(plain)
        if v is not None:
            if _INT64_MIN <= v <= _UINT64_MAX:
                return v, INT
            if _YAML_FLOAT.fullmatch(plain):
                return float(plain), FLOAT
            return v, INT  # go-yaml falls back to big.Int
        if _YAML_FLOAT.fullmatch(plain):
            try:
                return float(plain), FLOAT
            except (OverflowError, ValueError):  # pragma: no cover - regex guarantees syntax
                return text, STR
    return text, STR


def short_tag(tag: str) -> str:
    """`tag:yaml.org,2002:str` -> `!!str`; other tags unchanged."""
    if tag.startswith(TAG_PREFIX):
        return "!!" + tag[len(TAG_PREFIX):]
    return tag


def resolve_tagged(tag: str, text: str) -> tuple[object, str]:
    """Value for a scalar with an explicit tag (already in short form)."""
    if tag == STR:
        return text, STR
    if tag in (INT, FLOAT, BOOL, NULL):
        value, found = _resolve_plain(text)
        if found == tag:
            return value, tag
        if tag == FLOAT and found == INT:
            return float(value), FLOAT  # type: ignore[arg-type]
        # go-yaml refuses ("cannot decode !!str `x` as a !!int"); keep the text.
        return text, tag
    # `!`, `!!binary`, `!!timestamp`, `!!python/...`, `!custom`: nothing is constructed.
    return text, tag


def key_string(value: object) -> str:
    """The string Helm uses for a mapping key (sigs.k8s.io/yaml turns keys into strings)."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return format(value, "g")
    return str(value)
