"""`redislint.output.safe`: the one neutraliser every output uses."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redislint.output import safe

UNSAFE = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))] + [
    "\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)),
    "\u2028", "\u2029", "\udc80"]
# Text with what a hostile file can hold: escapes, commands in both syntaxes, white space of every kind.
PIECES = st.sampled_from(["::", "##[", "#", "[", ":", "error", " ", "\t", "\n", "\r\n", "\r", "\u3000", "\xa0",
                          "a", "é", "\U0001f600", "%", "\\", *UNSAFE])
HOSTILE = st.lists(PIECES, max_size=30).map("".join)


def _is_command_line(line: str) -> bool:
    """What the GitHub runner executes: `::` first after white space, or a legacy `##[` anywhere."""
    return line.lstrip().startswith("::") or "##[" in line


@pytest.mark.parametrize("char", UNSAFE)
def test_every_unsafe_character_is_replaced_one_for_one(char):
    assert safe.clean(f"a{char}b") == "a\ufffdb"
    assert safe.clean_name(f"a{char}b") == "a\ufffdb"


def test_clean_keeps_tab_and_line_feed_and_clean_name_does_not():
    assert safe.clean("a\tb\nc\r\nd") == "a\tb\nc\nd"
    assert safe.clean_name("a\tb\nc") == "a\ufffdb\ufffdc"
    assert safe.clean("plain text, é and 😀") == "plain text, é and 😀"


@pytest.mark.parametrize(("line", "expected"), [
    ("::error title=x::y", "\\::error title=x::y"),
    ("  \t::warning::w", "  \t\\::warning::w"),
    ("\u3000::notice::n", "\u3000\\::notice::n"),  # the runner's TrimStart removes Unicode white space
    ("text ##[error]x", "text ##\\[error]x"),
    ("###[group]", "###\\[group]"),
    ("a ::b", "a ::b"),  # `::` after the start of a line is not a command
    ("no command here", "no command here"),
])
def test_defuse(line, expected):
    assert safe.defuse(line) == expected
    assert not _is_command_line(safe.defuse(line))


def test_defuse_every_line_of_a_block():
    assert safe.defuse("ok\n::error::x\n  ::add-mask::y") == "ok\n\\::error::x\n  \\::add-mask::y"


@settings(max_examples=500, deadline=None)
@given(HOSTILE)
def test_for_terminal_leaves_nothing_to_act_on(text):
    out = safe.for_terminal(text)
    for line in re.split(r"\r\n|\r|\n", out):
        assert not _is_command_line(line), (text, line)
    assert not any(c in out for c in UNSAFE if c != "\r")
    assert "\r" not in out


@settings(max_examples=500, deadline=None)
@given(st.lists(HOSTILE, max_size=4), st.booleans())
def test_json_keeps_the_true_text_and_prints_safely(values, ascii_only):
    doc = {"values": values, "##[key": values[:1]}
    out = safe.dumps(doc, ensure_ascii=ascii_only, indent=2)
    assert json.loads(out) == doc
    assert "##[" not in out
    assert not any(c in out for c in UNSAFE)
    assert not any(line.lstrip().startswith("::") for line in out.split("\n"))
