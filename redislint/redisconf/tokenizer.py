"""An exact port of Redis's `sdssplitargs` (src/sds.c), keeping each token's offsets."""

from __future__ import annotations

from typing import NamedTuple

# C `isspace` in the "C" locale: what sdssplitargs skips *between* tokens.
C_SPACE = frozenset(" \t\n\v\f\r")
# What *ends* an unquoted token: only these, so "a\fb" and "a<NBSP>b" are one token.
_TOKEN_END = frozenset(" \n\r\t")
_HEX = frozenset("0123456789abcdefABCDEF")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "a": "\a"}
# Redis trims exactly these from both ends of a config line (sdstrim).
LINE_TRIM = " \t\r\n"
# Characters that look like a separator to a person but are not one to Redis.
LOOKALIKE_SPACES = frozenset("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                             "\u2008\u2009\u200a\u200b\u202f\u205f\u3000\ufeff\f\v")


class Token(NamedTuple):
    """One argument: its decoded text and where it sits in the line ([start, end) offsets)."""

    text: str
    start: int
    end: int
    quoted: bool = False


class UnbalancedQuotes(ValueError):
    """Raised for broken quoting; Redis says `Unbalanced quotes in configuration line`."""

    def __init__(self, offset: int) -> None:
        super().__init__("Unbalanced quotes in configuration line")
        self.offset = offset


def _decode_bytes(chars: list[str]) -> str:
    """Join token characters; \\xHH escapes produced raw bytes, re-decode them as UTF-8."""
    text = "".join(chars)
    if any("\udc80" <= c <= "\udcff" for c in text):
        # Bytes from \\xHH were kept as surrogate escapes: merge valid UTF-8 runs back into
        # characters and leave the rest as surrogates, so encoding gives Redis's exact bytes.
        raw = text.encode("utf-8", "surrogateescape")
        text = raw.decode("utf-8", "surrogateescape")
    return text


def _hex_byte(hi: str, lo: str) -> str:
    value = int(hi + lo, 16)
    return chr(value) if value < 0x80 else chr(0xDC00 + value)


def split_args(line: str) -> list[Token]:
    """Split one line like Redis's `sdssplitargs`; raise UnbalancedQuotes where Redis fails.

    The rules: blanks (C isspace) separate tokens, but an unquoted token ends only at space,
    tab, CR or LF; `"..."` knows \\n \\r \\t \\b \\a \\xHH and `\\c` -> c; `'...'` knows only
    \\'; a quote inside a token starts quoting; a closing quote must be followed by a blank
    or the end of the line. A NUL ends the line, as it ends a C string.
    """
    nul = line.find("\0")
    if nul >= 0:
        line = line[:nul]
    n = len(line)
    i = 0
    tokens: list[Token] = []
    while True:
        while i < n and line[i] in C_SPACE:
            i += 1
        if i >= n:
            return tokens
        start = i
        chars: list[str] = []
        in_dq = in_sq = quoted = False
        while True:
            c = line[i] if i < n else ""
            if in_dq:
                if c == "\\" and i + 3 < n and line[i + 1] == "x" and line[i + 2] in _HEX \
                        and line[i + 3] in _HEX:
                    chars.append(_hex_byte(line[i + 2], line[i + 3]))
                    i += 3
                elif c == "\\" and i + 1 < n:
                    i += 1
                    chars.append(_ESCAPES.get(line[i], line[i]))
                elif c == '"':
                    if i + 1 < n and line[i + 1] not in C_SPACE:
                        raise UnbalancedQuotes(i)
                    end = i + 1
                    break
                elif not c:
                    raise UnbalancedQuotes(start)
                else:
                    chars.append(c)
            elif in_sq:
                if c == "\\" and i + 1 < n and line[i + 1] == "'":
                    i += 1
                    chars.append("'")
                elif c == "'":
                    if i + 1 < n and line[i + 1] not in C_SPACE:
                        raise UnbalancedQuotes(i)
                    end = i + 1
                    break
                elif not c:
                    raise UnbalancedQuotes(start)
                else:
                    chars.append(c)
            else:
                if not c or c in _TOKEN_END:
                    end = i
                    break
                if c == '"':
                    in_dq = quoted = True
                elif c == "'":
                    in_sq = quoted = True
                else:
                    chars.append(c)
            i += 1
        tokens.append(Token(_decode_bytes(chars), start, end, quoted))
        if i < n:
            i += 1  # sdssplitargs steps over the character that ended the token


def try_split(line: str) -> list[Token] | None:
    """`split_args`, but None instead of an exception (as `sdssplitargs` returns NULL)."""
    try:
        return split_args(line)
    except UnbalancedQuotes:
        return None


def repr_arg(value: str) -> str:
    """Quote like Redis's `sdscatrepr`, as main() does for command-line option values."""
    out = ['"']
    for ch in value.encode("utf-8", "surrogateescape"):
        c = chr(ch)
        if c in '\\"':
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif c == "\a":
            out.append("\\a")
        elif c == "\b":
            out.append("\\b")
        elif 0x20 <= ch < 0x7F:  # isprint in the C locale
            out.append(c)
        else:
            out.append(f"\\x{ch:02x}")
    out.append('"')
    return "".join(out)
