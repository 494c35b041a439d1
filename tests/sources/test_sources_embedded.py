"""Every line of a block scalar maps to its own line and column in the YAML file."""

from __future__ import annotations

import pytest

from redislint.model import Span
from redislint.sources import EmbeddedText, ScalarNode, load_yaml, load_yaml_embedded, node_at


def pos(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of `needle`, lines split on \\n."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    line = text.count("\n", 0, i) + 1
    col = i - (text.rfind("\n", 0, i) + 1) + 1
    return line, col


def value(text: str, path: str, doc: int = 0) -> ScalarNode:
    f = load_yaml("values.yaml", text)
    assert not f.problems, f.problems
    node = node_at(f.documents[doc].root, path)
    assert isinstance(node, ScalarNode), node
    return node


def start(e: EmbeddedText, i: int) -> tuple[int, int]:
    s = e.span(i)
    return s.line, s.column


def assert_all_lines_map(text: str, e: EmbeddedText) -> None:
    """Each non-empty value line is exactly the file text at its span."""
    file_lines = text.split("\n")
    assert e.origins is not None
    for i, line in enumerate(e.lines):
        s = e.span(i)
        assert s.line == s.end_line
        fl = file_lines[s.line - 1].rstrip("\r")
        assert fl[s.column - 1:s.end_column - 1] == line.rstrip("\r"), (i, line, fl)


HELMRELEASE = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cache
spec:
  values:
    architecture: replication
    master:
      configuration: |
        # RDB snapshots
        save 900 1
        save 300 10

        appendonly yes
        maxmemory 512mb
      persistence:
        size: 8Gi
"""


def test_literal_block_lines_in_helmrelease():
    node = value(HELMRELEASE, "spec.values.master.configuration")
    e = node.embedded()
    assert e.lines[:6] == ("# RDB snapshots", "save 900 1", "save 300 10", "",
                           "appendonly yes", "maxmemory 512mb")
    assert start(e, 0) == (10, 9)
    assert start(e, 1) == (11, 9)
    assert start(e, 4) == (14, 9)
    assert e.span(5) == Span("values.yaml", 15, 9, 15, 24)
    # A sub-range: the "512mb" argument.
    assert e.span(5, 10) == Span("values.yaml", 15, 19, 15, 24)
    assert e.span(5, 10, 13) == Span("values.yaml", 15, 19, 15, 22)
    assert not e.folded
    assert [p.line for p in e.physical_lines] == [10, 11, 12, 13, 14, 15]
    assert_all_lines_map(HELMRELEASE, e)


@pytest.mark.parametrize("header", ["|", "|-", "|+", "|2", "|-2", "|2-", "|+2", "| # a comment",
                                    "!!str |", "&conf |-"])
def test_every_literal_header_form(header):
    text = (
        "master:\n"
        f"  configuration: {header}\n"
        "    save 900 1\n"
        "    # comment inside\n"
        "\n"
        "      more-indented yes\n"
        "    appendonly yes\n"
        "\n"
        "other: 1\n"
    )
    e = value(text, "master.configuration").embedded()
    assert e.origins is not None
    assert start(e, 0) == (3, 5)
    assert start(e, 1) == (4, 5)  # a comment line of the block
    assert e.span(2).line == 5  # a blank line
    assert start(e, 3) == (6, 5)  # more indented: its spaces are part of the text
    assert e.lines[3] == "  more-indented yes"
    assert start(e, 4) == (7, 5)
    assert_all_lines_map(text, e)


def test_indentation_indicator_with_more_indented_first_line():
    text = "conf: |2\n     first is indented by five\n  second\n"
    e = value(text, "conf").embedded()
    assert e.lines[:2] == ("   first is indented by five", "second")
    assert start(e, 0) == (2, 3)
    assert start(e, 1) == (3, 3)


def test_block_whose_first_lines_are_blank():
    text = "conf: |\n\n\n    save 60 1000\n    appendonly no\nnext: x\n"
    e = value(text, "conf").embedded()
    assert e.lines[:4] == ("", "", "save 60 1000", "appendonly no")
    assert start(e, 2) == (4, 5)
    assert start(e, 3) == (5, 5)
    assert e.span(0).line == 2 and e.span(1).line == 3


def test_keep_chomping_trailing_blank_lines():
    text = "conf: |+\n  a\n\n\nnext: x\n"
    e = value(text, "conf").embedded()
    assert e.text == "a\n\n\n"
    assert [e.span(i).line for i in range(len(e.lines))] == [2, 3, 4, 4]


def test_block_in_a_sequence_item():
    text = "items:\n  - |\n    save 900 1\n  - |-\n      appendonly yes\n"
    f = load_yaml("s.yaml", text)
    first = node_at(f.documents[0].root, "items.0").embedded()
    second = node_at(f.documents[0].root, ("items", 1)).embedded()
    assert start(first, 0) == (3, 5)
    assert start(second, 0) == (5, 7)


def test_third_document_of_a_multi_document_file():
    text = (
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: redis\n"
        "---\n"
        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: bitnami\n"
        "---\n"
        "# the release\n"
        "apiVersion: helm.toolkit.fluxcd.io/v2\n"
        "kind: HelmRelease\n"
        "spec:\n"
        "  values:\n"
        "    commonConfiguration: |-\n"
        "      appendonly yes\n"
        "      save \"\"\n"
    )
    f = load_yaml("multi.yaml", text)
    assert len(f.documents) == 3
    assert [d.index for d in f.documents] == [0, 1, 2]
    node = node_at(f.documents[2].root, "spec.values.commonConfiguration")
    e = node.embedded()
    assert start(e, 0) == (17, 7)
    assert start(e, 1) == (18, 7)
    assert start(e, 1) == pos(text, 'save ""')
    assert f.documents[2].span.line == 10


def test_crlf_file_positions_and_no_carriage_return_in_columns():
    text = HELMRELEASE.replace("\n", "\r\n")
    node = value(text, "spec.values.master.configuration")
    e = node.embedded()
    assert "\r" not in e.text
    assert start(e, 1) == (11, 9)
    assert e.span(4) == Span("values.yaml", 14, 9, 14, 23)  # "appendonly yes", no \r
    assert_all_lines_map(text, e)
    # Keys and plain values too.
    size = value(text, "spec.values.master.persistence.size")
    assert size.span == Span("values.yaml", 17, 15, 17, 18)


def test_crlf_in_the_third_document():
    text = "a: 1\r\n---\r\nb: 2\r\n---\r\nconf: |\r\n  save 900 1\r\n  appendonly yes\r\n"
    f = load_yaml("c.yaml", text)
    e = f.documents[2].root.get("conf").embedded()
    assert start(e, 0) == (6, 3)
    assert e.span(1) == Span("c.yaml", 7, 3, 7, 17)


def test_folded_block_falls_back_to_anchor_and_lists_physical_lines():
    text = "master:\n  configuration: >\n    save 900 1\n    appendonly yes\n\n    maxmemory 1gb\nx: 1\n"
    node = value(text, "master.configuration")
    e = node.embedded()
    assert e.folded
    assert e.origins is None
    assert e.text == "save 900 1 appendonly yes\nmaxmemory 1gb\n"
    assert e.span(0) == node.span == e.anchor
    assert node.span.line == 2 and node.span.column == 18
    assert [(p.line, p.column, p.text) for p in e.physical_lines] == [
        (3, 5, "save 900 1"), (4, 5, "appendonly yes"), (5, 1, ""), (6, 5, "maxmemory 1gb")]


def test_folded_strip_block():
    e = value("c: >-\n  a\n  b\n", "c").embedded()
    assert e.folded and e.text == "a b" and len(e.physical_lines) == 2


def test_quoted_multiline_scalar_uses_anchor():
    text = 'conf: "save 900 1\n  appendonly yes"\n'
    node = value(text, "conf")
    e = node.embedded()
    assert e.origins is None and not e.folded
    assert e.span(0) == node.span
    assert node.span == Span("values.yaml", 1, 7, 2, 18)


def test_double_quoted_escaped_newline_uses_anchor():
    node = value('conf: "save 900 1\\nappendonly yes"\n', "conf")
    e = node.embedded()
    assert e.lines == ("save 900 1", "appendonly yes")
    assert e.origins is None


@pytest.mark.parametrize("text,column", [
    ("maxmemory: 1gb\n", 12),
    ("maxmemory: '1gb'\n", 13),
    ('maxmemory: "1gb"\n', 13),
    ("maxmemory: &m !!str 1gb\n", 21),
])
def test_single_line_scalar_origin(text, column):
    e = value(text, "maxmemory").embedded()
    assert e.origins == ((1, column),)
    assert e.span(0) == Span("values.yaml", 1, column, 1, column + 3)


def test_empty_literal_block():
    text = "a: |-\nb: 1\n"
    e = value(text, "a").embedded()
    assert e.text == "" and e.lines == ("",)
    assert e.span(0).line == 1


def test_for_file():
    text = "save 900 1\r\nappendonly yes\r\n"
    e = EmbeddedText.for_file("redis.conf", text)
    assert e.lines == ("save 900 1\r", "appendonly yes\r", "")
    assert e.span(1) == Span("redis.conf", 2, 1, 2, 15)
    assert e.span(1, 11) == Span("redis.conf", 2, 12, 2, 15)
    assert e.span(2) == Span("redis.conf", 3, 1, 3, 1)


def test_span_offsets_are_clipped_to_the_line():
    e = EmbeddedText.for_file("r.conf", "save 1 2\n")
    assert e.span(0, 5, 99) == Span("r.conf", 1, 6, 1, 9)
    with pytest.raises(IndexError):
        e.span(5)


def test_origins_must_match_lines():
    with pytest.raises(ValueError):
        EmbeddedText("a\nb", "p", ((1, 1),), Span.point("p", 1))


def test_hand_made_scalar_embedded():
    s = Span("x.yaml", 4, 10, 4, 15)
    n = ScalarNode("hello", "hello", "'", "!!str", s)
    assert n.embedded().span(0) == Span("x.yaml", 4, 11, 4, 16)


ARGO = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: redis
spec:
  source:
    chart: redis
    helm:
      values: |
        architecture: standalone
        master:
          configuration: |-
            save ""
            appendonly yes
          persistence:
            size: 8Gi
        auth:
          enabled: true
          enabled: false
"""


def test_yaml_inside_a_yaml_string_maps_back_to_the_host_file():
    host = load_yaml("app.yaml", ARGO)
    values = node_at(host.documents[0].root, "spec.source.helm.values")
    inner = load_yaml_embedded(values.embedded())
    assert inner.path == "app.yaml"
    root = inner.documents[0].root
    arch = root.get("architecture")
    assert arch.value == "standalone"
    assert arch.span == Span("app.yaml", 10, 23, 10, 33)
    assert root.key_node("architecture").span == Span("app.yaml", 10, 9, 10, 21)
    size = node_at(root, "master.persistence.size")
    assert (size.span.line, size.span.column) == pos(ARGO, "8Gi")
    # A block scalar inside the string: each directive at its own host line and column.
    conf = node_at(root, "master.configuration").embedded()
    assert start(conf, 0) == pos(ARGO, 'save ""') == (13, 13)
    assert start(conf, 1) == (14, 13)
    assert conf.span(1).end_column == 27
    # Problems are mapped too: the duplicate key points at the host line.
    [dup] = inner.problems
    assert dup.code == "RL002"
    assert (dup.span.line, dup.span.column) == (19, 11)
    assert "line 18" in dup.message


def test_embedded_yaml_syntax_error_maps_to_host():
    text = "values: |\n  a: 1\n  b: [1, 2\n"
    host = load_yaml("h.yaml", text)
    inner = load_yaml_embedded(host.documents[0].root.get("values").embedded())
    [p] = inner.problems
    assert p.code == "RL001"
    assert (p.span.line, p.span.column) == (3, 6)
    assert "line 3, column 6" in p.message


def test_embedded_yaml_without_origins_uses_anchor():
    text = 'values: "a: 1\\nb: {c: 2}\\n"\n'
    host = load_yaml("h.yaml", text)
    node = host.documents[0].root.get("values")
    inner = load_yaml_embedded(node.embedded())
    root = inner.documents[0].root
    assert root.get("b").get("c").value == 2
    assert root.get("b").get("c").span == node.span
    assert root.get("a").embedded().span(0) == node.span
