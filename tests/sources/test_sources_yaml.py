"""load_yaml: Helm's reading of values, duplicate keys, syntax errors and hostile input."""

from __future__ import annotations

import math
import time

import pytest

from redislint.model import Span
from redislint.sources import (
    MapNode,
    ScalarNode,
    SeqNode,
    load_yaml,
    node_at,
    resolve_plain,
    to_plain,
)


def root(text: str):
    f = load_yaml("v.yaml", text)
    assert not f.problems, f.problems
    assert len(f.documents) == 1
    return f.documents[0].root


# -- values as Helm (go-yaml v2, YAML 1.1) reads them ------------------------------------------

@pytest.mark.parametrize("text", ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON",
                                  "true", "True", "TRUE"])
def test_yaml11_true(text):
    assert resolve_plain(text) == (True, "!!bool")


@pytest.mark.parametrize("text", ["n", "N", "no", "No", "NO", "off", "Off", "OFF",
                                  "false", "False", "FALSE"])
def test_yaml11_false(text):
    assert resolve_plain(text) == (False, "!!bool")


@pytest.mark.parametrize("text", ["yEs", "oN", "tRUE", "enabled", "nope", "offline"])
def test_not_booleans(text):
    assert resolve_plain(text) == (text, "!!str")


@pytest.mark.parametrize("text,expected", [
    ("0", 0), ("42", 42), ("-7", -7), ("+5", 5), ("1_000", 1000), ("0x1F", 31), ("0X1f", 31),
    ("0o17", 15), ("0755", 493), ("0b101", 5), ("-0x10", -16), ("9223372036854775807", 2**63 - 1),
    ("18446744073709551615", 2**64 - 1),
])
def test_ints(text, expected):
    v, tag = resolve_plain(text)
    assert tag == "!!int" and v == expected and type(v) is int


@pytest.mark.parametrize("text,expected", [
    ("1.5", 1.5), ("-0.25", -0.25), (".5", 0.5), ("1e3", 1000.0), ("1.0E-2", 0.01),
    ("08", 8.0), ("1_0.5", 10.5), ("99999999999999999999", 1e20),
])
def test_floats(text, expected):
    v, tag = resolve_plain(text)
    assert tag == "!!float" and v == expected


@pytest.mark.parametrize("text", [".inf", ".Inf", "+.INF", "-.inf", ".nan", ".NaN"])
def test_special_floats(text):
    v, tag = resolve_plain(text)
    assert tag == "!!float" and (math.isinf(v) or math.isnan(v))


@pytest.mark.parametrize("text", ["", "~", "null", "Null", "NULL"])
def test_nulls(text):
    assert resolve_plain(text) == (None, "!!null")


@pytest.mark.parametrize("text", ["1gb", "512mb", "0x", "1.2.3", "--", "+", "1e", "900 1",
                                  "0b102", "1__", "_1", "nil", "NaN"])
def test_strings_that_look_numeric(text):
    v, tag = resolve_plain(text)
    if text == "1__":
        assert (v, tag) == (1, "!!int")  # go-yaml drops every underscore
    else:
        assert (v, tag) == (text, "!!str")


def test_timestamps_keep_their_text():
    assert resolve_plain("2024-01-02") == ("2024-01-02", "!!timestamp")
    assert resolve_plain("2024-01-02T03:04:05Z") == ("2024-01-02T03:04:05Z", "!!timestamp")


def test_values_in_a_document():
    r = root(
        "enabled: yes\nlazy: off\nreplicas: 3\nratio: 0.5\nempty:\ntilde: ~\n"
        "quoted: 'yes'\ndq: \"3\"\nblock: |\n  yes\nliteral_no: no\nmode: 0644\n"
    )
    assert to_plain(r) == {
        "enabled": True, "lazy": False, "replicas": 3, "ratio": 0.5, "empty": None,
        "tilde": None, "quoted": "yes", "dq": "3", "block": "yes\n", "literal_no": False,
        "mode": 420,
    }
    assert r.get("quoted").style == "'" and r.get("quoted").tag == "!!str"
    assert r.get("dq").style == '"'
    assert r.get("block").style == "|"
    assert r.get("enabled").text == "yes" and r.get("enabled").style == ""
    assert r.get("replicas").tag == "!!int"


def test_explicit_tags_are_respected():
    r = root("a: !!str yes\nb: !!str 3\nc: !!int '7'\nd: !!float 1\ne: !!bool 'on'\n"
             "f: !!int nope\ng: !<tag:yaml.org,2002:str> 12\n")
    assert to_plain(r) == {"a": "yes", "b": "3", "c": 7, "d": 1.0, "e": True, "f": "nope",
                           "g": "12"}
    assert r.get("f").tag == "!!int"


@pytest.mark.parametrize("doc", [
    "a: !!python/object/apply:os.system ['echo pwned']\n",
    "a: !!python/object:os.system {cmd: ls}\n",
    "a: !!python/name:os.system ''\n",
    "a: !custom 12\n",
    "a: !!binary aGVsbG8=\n",
])
def test_hostile_and_unknown_tags_construct_nothing(doc):
    f = load_yaml("t.yaml", doc)
    assert not f.problems
    a = f.documents[0].root.get("a")
    plain = to_plain(a)
    assert isinstance(plain, (str, list, dict))
    if isinstance(a, ScalarNode):
        assert isinstance(a.value, str) and a.value == a.text
        assert a.tag.startswith("!")


def test_keys_are_strings_as_helm_sees_them():
    r = root("yes: 1\n1: a\n'quoted': b\n1.5: c\nnull: d\n")
    assert to_plain(r) == {"true": 1, "1": "a", "quoted": "b", "1.5": "c", "null": "d"}
    assert r.get(True).value == 1 and r.get("true").value == 1
    assert r.get(1).value == "a"
    assert r.key_node("true").text == "yes"


def test_merge_keys_go_yaml_v2_order():
    r = root(
        "defaults: &d\n  save: '900 1'\n  appendonly: 'no'\n"
        "master:\n  <<: *d\n  appendonly: 'yes'\n"
        "replica:\n  appendonly: 'early'\n  <<: [*d, {save: '60 1', extra: 1}]\n"
    )
    plain = to_plain(r)
    assert plain["master"] == {"save": "900 1", "appendonly": "yes"}
    # go-yaml v2 applies `<<` where it stands: it overrides keys written before it; in a list
    # of merged mappings the first one wins.
    assert plain["replica"] == {"appendonly": "no", "save": "900 1", "extra": 1}
    master = r.get("master")
    assert master.get("save").span.line == 2  # spans point at the anchor's definition
    assert [k.text for k, _ in master.entries] == ["<<", "appendonly"]


def test_bad_merge_value_is_reported():
    f = load_yaml("m.yaml", "a:\n  <<: 3\n  b: 1\n")
    assert [p.code for p in f.problems] == ["RL001"]
    assert to_plain(f.documents[0].root) == {"a": {"b": 1}}


def test_anchor_redefinition_is_allowed():
    r = root("a: &x 1\nb: &x 2\nc: *x\n")
    assert to_plain(r) == {"a": 1, "b": 2, "c": 2}


def test_aliases_share_nodes_and_spans():
    r = root("base: &b\n  size: 8Gi\ncopy: *b\n")
    assert r.get("copy") is r.get("base")
    assert node_at(r, "copy.size").span.line == 2


# -- duplicate keys ---------------------------------------------------------------------------

def test_duplicate_key_reports_both_positions_and_later_wins():
    text = ("master:\n  persistence:\n    size: 8Gi\n  resources: {}\n"
            "  persistence:\n    size: 1Gi\n")
    f = load_yaml("dup.yaml", text)
    [p] = f.problems
    assert p.code == "RL002"
    assert p.span == Span("dup.yaml", 5, 3, 5, 14)
    assert "line 2, column 3" in p.message and "'persistence'" in p.message
    m = f.documents[0].root.get("master")
    assert node_at(m, "persistence.size").value == "1Gi"
    assert m.key_node("persistence").span.line == 5
    assert len(m.entries) == 3 and len(m) == 2


def test_triple_duplicate_cites_the_first():
    f = load_yaml("d.yaml", "a: 1\na: 2\na: 3\n")
    assert [(p.span.line, "line 1," in p.message) for p in f.problems] == [(2, True), (3, True)]
    assert to_plain(f.documents[0].root) == {"a": 3}


def test_duplicates_that_collide_only_as_helm_keys():
    f = load_yaml("d.yaml", "on: 1\ntrue: 2\n'true': 3\n")
    assert [p.span.line for p in f.problems] == [2, 3]


def test_duplicate_in_flow_mapping_and_other_documents():
    f = load_yaml("d.yaml", "a: 1\n---\nx: {k: 1, k: 2}\n")
    [p] = f.problems
    assert (p.span.line, p.span.column) == (3, 11)


# -- syntax errors ----------------------------------------------------------------------------

@pytest.mark.parametrize("text,line,column,words", [
    ("master:\n\tconfiguration: x\n", 2, 1, "tab"),
    ("a: b\n\t\n", 2, 1, "tab"),
    ("master:\n  persistence: 1\n resources: 2\n", 3, 2, "bad indentation"),
    ("list:\n  - a\n - b\n", 3, 2, "bad indentation"),
    ('a: 1\npassword: "abc\nb: 2\n', 2, 11, "unclosed quote"),
    ("a: 'abc\n", 1, 4, "unclosed quote"),
    ("a: [1, 2\nb: 3\n", 1, 4, "unclosed '['"),
    ("a: {b: 1\n", 1, 4, "unclosed '{'"),
    ("key: value: other\n", 1, 11, "quote a value"),
    ("a: 'one'two\n", 1, 9, "closing quote"),
    ("a: @foo\n", 1, 4, "'@'"),
    ('a: "\\q"\n', 1, 5, "escape"),
])
def test_syntax_errors(text, line, column, words):
    f = load_yaml("bad.yaml", text)
    [p] = f.problems
    assert p.code == "RL001"
    assert (p.span.line, p.span.column) == (line, column), p
    assert words in p.message, p.message
    assert "YAML parser:" in p.message
    assert not f.ok


def test_tab_message_names_the_tab():
    f = load_yaml("bad.yaml", "a:\n\tb: 1\n")
    assert "found character '\\t' that cannot start any token" in f.problems[0].message


def test_documents_before_a_syntax_error_are_returned():
    text = "a: 1\n---\nb: 2\n---\nc: [\n"
    f = load_yaml("m.yaml", text)
    assert [to_plain(d.root) for d in f.documents] == [{"a": 1}, {"b": 2}]
    assert f.problems[0].code == "RL001"


def test_control_character():
    f = load_yaml("c.yaml", "a: ok\nb: x\x07y\n")
    [p] = f.problems
    assert (p.span.line, p.span.column) == (2, 5)
    assert "#x0007" in p.message


def test_documents_before_a_control_character_are_returned():
    f = load_yaml("c.yaml", "a: 1\n---\nb: [2\n---\nc: \x01\n")
    assert [p.span.line for p in f.problems] == [3, 5]
    assert "#x0001" in f.problems[1].message and "unclosed" in f.problems[0].message
    assert [to_plain(d.root) for d in f.documents] == [{"a": 1}]


def test_undefined_alias_becomes_null_with_a_problem():
    f = load_yaml("a.yaml", "a: *nowhere\nb: 1\n")
    [p] = f.problems
    assert p.code == "RL001" and "nowhere" in p.message
    assert (p.span.line, p.span.column) == (1, 4)
    assert to_plain(f.documents[0].root) == {"a": None, "b": 1}


def test_recursive_alias_is_reported():
    f = load_yaml("r.yaml", "a: &loop\n  b: *loop\n")
    assert f.problems and "contains it" in f.problems[0].message
    assert to_plain(f.documents[0].root) == {"a": {"b": None}}


# -- hostile input ----------------------------------------------------------------------------

def billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for i in range(1, levels):
        name = chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
        prev = name
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_bounded_and_fast():
    t0 = time.perf_counter()
    f = load_yaml("lol.yaml", billion_laughs(9) + "---\nafter: ok\n")
    elapsed = time.perf_counter() - t0
    assert elapsed < 1.0
    [p] = f.problems
    assert p.code == "RL001" and "alias expansion too large" in p.message
    assert f.documents[0].root is None
    assert to_plain(f.documents[1].root) == {"after": "ok"}  # later documents still load


def test_small_alias_expansion_is_fine_and_budget_is_configurable():
    text = billion_laughs(3)  # 9 + 81 + 729 nodes
    assert not load_yaml("l.yaml", text).problems
    f = load_yaml("l.yaml", text, max_nodes=100)
    assert "alias expansion too large" in f.problems[0].message


@pytest.mark.parametrize("text,depth", [
    ("[" * 10_000 + "]" * 10_000, 10_000),
    ("{a: " * 10_000 + "1" + "}" * 10_000, 10_000),
    ("- " * 10_000 + "x\n", 10_000),
    ("".join(" " * i + "k:\n" for i in range(3_000)) + " " * 3_000 + "v\n", 3_000),
])
def test_ten_thousand_levels_of_nesting(text, depth):
    f = load_yaml("deep.yaml", text)
    assert not f.problems
    node = f.documents[0].root
    plain = to_plain(node)  # iterative: no RecursionError
    assert plain is not None
    found = 0
    while isinstance(node, (MapNode, SeqNode)):
        found += 1
        children = node.items if isinstance(node, SeqNode) else [v for _, v in node.items()]
        if not children:
            break
        node = children[0]
    assert found == depth


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, "- " * 200_000 + "x\n"])
def test_deeper_than_go_yaml_allows_is_reported_not_crashed(text):
    t0 = time.perf_counter()
    f = load_yaml("deep.yaml", "ok: 1\n---\n" + text)
    assert time.perf_counter() - t0 < 5
    [p] = f.problems
    assert "nesting deeper than 10000" in p.message
    assert p.span.line == 3
    assert [to_plain(d.root) for d in f.documents] == [{"ok": 1}]


# -- documents and the node API ---------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n", "---\n", "---\n...\n"])
def test_empty_files(text):
    f = load_yaml("e.yaml", text)
    assert not f.problems
    assert all(d.root is None for d in f.documents)


def test_scalar_and_list_roots():
    f = load_yaml("r.yaml", "just a string\n---\n- 1\n- two\n---\n---\n42\n")
    roots = [d.root for d in f.documents]
    assert isinstance(roots[0], ScalarNode) and roots[0].value == "just a string"
    assert isinstance(roots[1], SeqNode) and to_plain(roots[1]) == [1, "two"]
    assert roots[2] is None
    assert roots[3].value == 42


def test_spans_of_nodes():
    text = "spec:\n  values:\n    master:\n      count: 1\n      list: [a, b]\nnext: x\n"
    r = root(text)
    assert r.span == Span("v.yaml", 1, 1, 6, 8)
    values = node_at(r, "spec.values")
    assert values.span == Span("v.yaml", 3, 5, 5, 19)  # block mapping: ends after its last value
    assert node_at(r, "spec.values.master.list").span == Span("v.yaml", 5, 13, 5, 19)
    assert node_at(r, "spec.values.master.list.1").span == Span("v.yaml", 5, 17, 5, 18)
    assert r.get("spec").key_node("values").span == Span("v.yaml", 2, 3, 2, 9)


def test_node_at_and_mapnode_api():
    r = root("a:\n  b.c: 1\n  list:\n    - x: 1\n")
    assert node_at(r, ("a", "b.c")).value == 1
    assert node_at(r, "a.b.c").value == 1  # the key "b.c"
    assert node_at(r, "a.b.d") is None
    assert node_at(r, "a.list.0.x").value == 1
    assert node_at(r, ("a", "list", 0, "x")).value == 1
    assert node_at(r, "a.list.5") is None
    assert node_at(r, "a.list.x") is None
    assert node_at(r, "") is r
    assert node_at(None, "a") is None
    a = r.get("a")
    assert "list" in a and "nope" not in a
    assert a.keys() == ["b.c", "list"]
    assert a.get("nope", "default") == "default"
    assert a.key_node("nope") is None
    assert [k.text for k, _ in a.items()] == ["b.c", "list"]


def test_dotted_path_finds_keys_that_contain_dots():
    r = root("data:\n  values.yaml: |\n    a: 1\n  values: x\n"
             "labels:\n  app.kubernetes.io/name: redis\n")
    assert node_at(r, "data.values.yaml").value == "a: 1\n"
    assert node_at(r, "data.values").value == "x"
    assert node_at(r, "labels.app.kubernetes.io/name").value == "redis"
    assert node_at(r, ("data", "values.yaml")).style == "|"
    assert node_at(r, ("labels", "app", "kubernetes.io/name")) is None


def test_complex_keys_become_string_keys_with_a_problem():
    f = load_yaml("c.yaml", "? [a, b]\n: 1\n? {c: d}\n: 2\nok: 3\n")
    assert [(p.code, p.span.line) for p in f.problems] == [("RL001", 1), ("RL001", 3)]
    r = f.documents[0].root
    assert all(isinstance(k, ScalarNode) for k, _ in r.entries)
    assert to_plain(r) == {'["a", "b"]': 1, '{"c": "d"}': 2, "ok": 3}
    assert r.entries[0][0].tag == "!!seq"


def test_hand_built_mapnode():
    s = Span.point("x", 1)
    k = ScalarNode("a", "a", "", "!!str", s)
    m = MapNode(((k, ScalarNode(1, "1", "", "!!int", s)),), s)
    assert m.get("a").value == 1 and to_plain(m) == {"a": 1}


def test_bom_and_crlf_text():
    f = load_yaml("b.yaml", "a: 1\r\nb: |\r\n  x\r\n")
    b = f.documents[0].root.get("b")
    assert b.value == "x\n" and b.span == Span("b.yaml", 2, 4, 3, 4)


def test_leading_bom_in_text_is_dropped():
    f = load_yaml("b.yaml", "\ufeffa: |\n  save 900 1\n")
    assert f.text == "a: |\n  save 900 1\n"
    a = f.documents[0].root.get("a")
    assert f.documents[0].root.key_node("a").span == Span("b.yaml", 1, 1, 1, 2)
    assert a.embedded().span(0) == Span("b.yaml", 2, 3, 2, 13)


def test_cr_only_text_positions_stay_on_line_one():
    text = "a: 1\rb: 2\r"
    f = load_yaml("cr.yaml", text)
    b = f.documents[0].root.get("b")
    assert b.value == 2
    assert b.span == Span("cr.yaml", 1, 9, 1, 10)


def test_gc_is_restored_after_a_big_document():
    import gc

    text = "items:\n" + "".join(f"  - name: item{i}\n    value: {i}\n" for i in range(20_000))
    assert gc.isenabled()
    f = load_yaml("big.yaml", text)
    assert gc.isenabled()
    assert len(f.documents[0].root.get("items")) == 20_000
