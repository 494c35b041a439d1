"""Every real-world file in ../shared/corpus reads and loads without an exception."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from redislint.model import Notification
from redislint.sources import (
    EmbeddedText,
    MapNode,
    ScalarNode,
    SeqNode,
    iter_input_files,
    load_yaml,
    read_source,
    to_plain,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from shared_corpus import absent_reason, shared_corpus

CORPUS = shared_corpus()


def corpus_files() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return [p for p in iter_input_files([str(CORPUS)]) if isinstance(p, str)]


def walk(node):
    stack = [node]
    while stack:
        n = stack.pop()
        if n is None:
            continue
        yield n
        if isinstance(n, MapNode):
            for k, v in n.entries:
                stack += [k, v]
        elif isinstance(n, SeqNode):
            stack += list(n.items)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=absent_reason())
@pytest.mark.parametrize("path", corpus_files() or ["none"], ids=lambda p: Path(p).name)
def test_corpus_file_loads(path):
    src = read_source(path)
    assert not isinstance(src, Notification), src
    lines = src.text.split("\n")
    if path.endswith(".conf"):
        e = EmbeddedText.for_file(path, src.text)
        assert len(e.lines) == len(lines)
        return
    f = load_yaml(path, src.text)
    assert not [p for p in f.problems if p.code == "RL001"], f.problems
    assert f.documents
    for doc in f.documents:
        to_plain(doc.root)
        for n in walk(doc.root):
            s = n.span
            assert 1 <= s.line <= s.end_line <= len(lines)
            assert 1 <= s.column <= len(lines[s.line - 1].rstrip("\r")) + 1
            if isinstance(n, ScalarNode) and isinstance(n.value, str):
                e = n.embedded()
                for i in range(len(e.lines)):
                    sp = e.span(i)
                    assert 1 <= sp.line <= len(lines)
                    if e.origins is not None and e.lines[i]:
                        fl = lines[sp.line - 1].rstrip("\r")
                        assert fl[sp.column - 1:sp.end_column - 1] == e.lines[i].rstrip("\r")


@pytest.mark.skipif(not CORPUS.is_dir(), reason=absent_reason())
def test_corpus_has_files():
    assert len(corpus_files()) >= 10
