"""Every realistic file reads and loads without an exception, with spans inside the file.

The project's own fixtures (tests/fixtures, examples) always; the shared real-world corpus too
when it is present (`shared_corpus` marker, the full run).
"""

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
from shared_corpus import shared_corpus

CORPUS = shared_corpus()
ROOT = Path(__file__).resolve().parents[2]
PROJECT_FILES = sorted(str(p) for folder in (ROOT / "tests" / "fixtures", ROOT / "examples")
                       for p in folder.rglob("*") if p.suffix in (".yaml", ".yml", ".conf"))


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


@pytest.mark.parametrize("path", PROJECT_FILES, ids=lambda p: Path(p).name)
def test_project_file_loads(path):
    _loads_with_spans_inside(path)


@pytest.mark.shared_corpus
@pytest.mark.parametrize("path", corpus_files() or ["none"], ids=lambda p: Path(p).name)
def test_corpus_file_loads(path):
    _loads_with_spans_inside(path)


def _loads_with_spans_inside(path: str) -> None:
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


@pytest.mark.shared_corpus
def test_corpus_has_files():
    assert len(corpus_files()) >= 10
