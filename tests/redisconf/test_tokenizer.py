"""sdssplitargs port: tokens, offsets, escapes and the cases where Redis fails."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redislint.redisconf import UnbalancedQuotes, repr_arg, split_args
from redislint.redisconf.tokenizer import try_split


def words(line: str) -> list[str]:
    return [t.text for t in split_args(line)]


@pytest.mark.parametrize(("line", "expected"), [
    ("appendonly yes", ["appendonly", "yes"]),
    ("  a \t b  ", ["a", "b"]),
    ('dbfilename "dump 1.rdb"', ["dbfilename", "dump 1.rdb"]),
    ('"\\x41\\n\\r\\t\\b\\a\\\\\\"\\z"', ["A\n\r\t\b\a\\\"z"]),
    ("'\\x41'", ["\\x41"]),  # single quotes: only \' is an escape
    ("'it\\'s'", ["it's"]),
    ("a\\x41", ["a\\x41"]),  # unquoted backslash is literal
    ('ab"c d"', ["abc d"]),  # a quote inside a token starts quoting
    ("dump#1.rdb x#", ["dump#1.rdb", "x#"]),
    ('"a # b"', ["a # b"]),
    ('"" \'\'', ["", ""]),
    ("appendonly\fyes", ["appendonly\fyes"]),  # form feed does not end a token
    ("appendonly\u00a0yes", ["appendonly\u00a0yes"]),  # neither does NBSP
    ('"a"\fb', ["a", "b"]),  # ...but it is a blank after a closing quote
    ("\f\vx", ["x"]),  # and leading blanks are skipped with isspace
    ('"\\xc3\\xa9"', ["é"]),  # \\xHH bytes are re-decoded as UTF-8
    ("a\0b c", ["a"]),  # NUL ends the C string
    ("", []),
    ("   ", []),
])
def test_split(line: str, expected: list[str]) -> None:
    assert words(line) == expected


@pytest.mark.parametrize("line", ['dir "/tmp', "'abc", '"dump"x.rdb', 'ab"c d".rdb', '"a""b"',
                                  "'a'b", '"abc\\"'])
def test_unbalanced(line: str) -> None:
    with pytest.raises(UnbalancedQuotes, match="Unbalanced quotes in configuration line"):
        split_args(line)
    assert try_split(line) is None


def test_offsets_cover_quotes() -> None:
    toks = split_args('dbfilename  "a b"  x')
    assert [(t.start, t.end, t.quoted) for t in toks] == [(0, 10, False), (12, 17, True),
                                                          (19, 20, False)]


def test_invalid_utf8_bytes_survive_as_surrogates() -> None:
    (tok,) = split_args('"\\xff"')
    assert tok.text.encode("utf-8", "surrogateescape") == b"\xff"


def test_repr_arg_matches_sdscatrepr() -> None:
    assert repr_arg('a "b"\\\n') == '"a \\"b\\"\\\\\\n"'
    assert repr_arg("é") == '"\\xc3\\xa9"'
    assert repr_arg("") == '""'


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\0")))
def test_repr_round_trips(value: str) -> None:
    # main() quotes argv values with sdscatrepr; sdssplitargs must give them back unchanged.
    assert words(repr_arg(value)) == [value]
