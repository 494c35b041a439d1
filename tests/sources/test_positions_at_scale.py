"""Positions without per-line objects agree with the plain `split("\\n")` answers they replace."""

from __future__ import annotations

import bisect
import random

import pytest

from redislint.redisconf.parser import _content_lines
from redislint.redisconf.tokenizer import LINE_TRIM
from redislint.sources import embedded as embedded_mod
from redislint.sources import load_yaml
from redislint.sources.positions import LineIndex

PIECES = ["a", "bc", "\n", "\n\n", "\r\n", " ", "\t", "#", "x" * 300, "é", "\r"]


def _texts(seed: int, count: int):
    rng = random.Random(seed)
    for _ in range(count):
        size = rng.choice([0, 1, 5, 200, 3000, 20000])
        yield "".join(rng.choice(PIECES) for _ in range(size))


@pytest.mark.parametrize("seed", range(4))
def test_line_index_matches_split(seed: int) -> None:
    for text in _texts(seed, 40):
        index = LineIndex(text)
        lines = text.split("\n")
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        assert index.count == len(lines)
        rng = random.Random(seed)
        for i in [0, len(text)] + [rng.randint(0, len(text)) for _ in range(30)]:
            line0 = bisect.bisect_right(starts, i) - 1
            assert index.line_col(i) == (line0, i - starts[line0])
        for k in list(range(min(len(lines), 80))) + [rng.randrange(len(lines)) for _ in range(30)]:
            assert index.start(k) == starts[k] and index.line(k) == lines[k]
        with pytest.raises(IndexError):
            index.start(len(lines))


@pytest.mark.parametrize("seed", range(4))
def test_content_lines_are_the_lines_redis_reads(seed: int) -> None:
    """Blank lines (" \\t\\r") and comments are skipped; every other line keeps its index."""
    for text in _texts(seed, 40):
        expected = [(i, line) for i, line in enumerate(text.split("\n"))
                    if line.strip(LINE_TRIM) and line.strip(LINE_TRIM)[0] != "#"]
        assert list(_content_lines(text)) == expected


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("spaces_as_content", [False, True])
def test_large_literal_blocks_map_like_small_ones(newline: str, spaces_as_content: bool) -> None:
    """A block of thousands of lines is mapped by the regular expression engine, lazily; the origins
    are those of the line-by-line mapping, or none when lines of spaces are content."""
    rng = random.Random(7)
    lines = ["    first"]
    for _ in range(embedded_mod._LARGE_BLOCK_LINES + 300):
        r = rng.random()
        lines.append("" if r < 0.1 else "  " if r < 0.15 else
                     ("      " if spaces_as_content and r < 0.16 else "    " + rng.choice(["save 1 1", "  x", "y"])))
    for tail in ("", "\n", "next: 1\n"):
        text = "a:\n  b: |\n" + newline.join(lines) + newline + tail
        node = load_yaml("f.yaml", text).documents[0].root.get("a").get("b")
        got = node.embedded()
        loc = node._loc
        start, _ = loc.local0(embedded_mod.skip_properties(loc.text, node._start, node._end))
        slow = embedded_mod._literal_origins(loc, start + 1, node.value)
        if spaces_as_content:
            assert got.origins is None
        else:
            assert slow is not None and tuple(got.origins) == slow
            last = len(lines) - 1
            assert got.span(last).line == 3 + last and got.span(0).column == 5
