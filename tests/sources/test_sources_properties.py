"""Property tests: any text loads without raising, and every span lies inside the file."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redislint.model import Span
from redislint.sources import (
    EmbeddedText,
    MapNode,
    ScalarNode,
    SeqNode,
    YamlFile,
    load_yaml,
    load_yaml_embedded,
    to_plain,
)

SEED = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: cache, namespace: "redis"}
spec:
  values:
    architecture: replication
    auth: &auth
      enabled: yes
    master:
      configuration: |-
        # snapshots
        save 900 1

          appendonly yes
      extra: >
        folded
        text
      persistence: {size: 8Gi, enabled: on}
      list:
        - 'quoted'
        - "dq\\n"
        - *auth
    <<: *auth
---
values: |
  a: 1
  b: [1, 2]
  c: |
    nested
"""

ALPHABET = " \t\n\n\n\r-:?|>[]{}#&*!'\",.%@`\\~<ab01yn9é😀\x85\u2028\ufeff"


def lines_of(text: str) -> list[str]:
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def check_span(span: Span, lines: list[str]) -> None:
    assert 1 <= span.line <= len(lines), span
    assert 1 <= span.end_line <= len(lines), span
    assert 1 <= span.column <= len(lines[span.line - 1]) + 1, span
    assert 1 <= span.end_column <= len(lines[span.end_line - 1]) + 1, span
    assert (span.line, span.column) <= (span.end_line, span.end_column), span


def walk(node):
    stack = [node]
    seen = set()
    while stack:
        n = stack.pop()
        if n is None or id(n) in seen:
            continue
        seen.add(id(n))
        yield n
        if isinstance(n, MapNode):
            for k, v in n.entries:
                stack += [k, v]
        elif isinstance(n, SeqNode):
            stack += list(n.items)


def check_file(f: YamlFile, host_text: str, depth: int = 0) -> None:
    lines = lines_of(host_text)
    for p in f.problems:
        check_span(p.span, lines)
    for doc in f.documents:
        check_span(doc.span, lines)
        to_plain(doc.root)
        for n in walk(doc.root):
            check_span(n.span, lines)
            if isinstance(n, ScalarNode) and isinstance(n.value, str):
                e = n.embedded()
                check_embedded(e, lines)
                if depth == 0 and "\n" in e.text:
                    check_file(load_yaml_embedded(e), host_text, depth + 1)


def check_embedded(e: EmbeddedText, lines: list[str]) -> None:
    for i in range(len(e.lines)):
        check_span(e.span(i), lines)
        check_span(e.span(i, 1, 3), lines)
    for p in e.physical_lines:
        check_span(Span(e.path, p.line, p.column, p.line, p.column + len(p.text)), lines)


def mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
    for pos, delete, insert in edits:
        pos %= len(text) + 1
        text = text[:pos] + insert + text[pos + delete:]
    return text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=120))
def test_random_text_never_raises_and_spans_are_inside(text):
    check_file(load_yaml("r.yaml", text), text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 4),
                          st.text(alphabet=ALPHABET, max_size=4)), max_size=6),
       st.booleans())
def test_mutated_documents_never_raise_and_spans_are_inside(edits, crlf):
    seed = SEED.replace("\n", "\r\n") if crlf else SEED
    text = mutate(seed, edits)
    check_file(load_yaml("m.yaml", text), text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_unicode_text_never_raises(text):
    check_file(load_yaml("u.yaml", text), text)


def test_seed_is_valid():
    f = load_yaml("s.yaml", SEED)
    assert not f.problems
    check_file(f, SEED)
