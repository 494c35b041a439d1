"""Load YAML with exact spans: ruamel.yaml's C parser (libyaml) plus our own iterative composer.

Why events and not `YAML(typ='safe', pure=False).compose_all()`: that composer recurses in C,
one C stack frame chain per nesting level, and crashed the interpreter (SIGSEGV) on 40,000
nested `[` or `- ` levels on an 8 MiB stack; it also rejects a redefined anchor, which YAML and
go-yaml (hence Helm) accept. Composing from the same C parser's events in a Python loop is
iterative, builds our nodes directly (no intermediate ruamel nodes, no ruamel resolver) and is
faster than `compose_all` on the 1000-file benchmark corpus.

Guards against hostile input, each reported as an `RL001` problem instead of a hang or a crash:
- nesting deeper than `MAX_DEPTH` (10,000, the limit of go-yaml's scanner, `max_indents` and
  `max_flow_level` in scannerc.go, so Helm cannot read such a file either): parsing stops;
- alias expansion ("billion laughs"): aliases share nodes, so nothing is copied, but a
  document whose aliases would expand to more than `max_nodes` extra nodes is dropped (root
  None), so that rules and `to_plain` never walk an exponential tree;
- an alias that refers to its own ancestor (a recursive structure, which go-yaml rejects) or
  to an undefined anchor becomes a null placeholder;
- more than `MAX_FILE_NODES` nodes in one file (documents, keys, values, list items and aliases,
  each counted once): parsing stops there, with an RL001 error. Every node is a Python object of
  a few hundred bytes, so 10 MB of `1,` or of `---` lines held millions of them (gigabytes); the
  limit keeps a file's trees under ~80 MB. The largest real files seen (the 4.5 MB bundle of
  Prometheus Operator CRDs: some 120,000 nodes) stay well below it.

Duplicate keys (`RL002`). Helm reads values with sigs.k8s.io/yaml's non-strict `Unmarshal`
(go-yaml v2), which silently keeps the *last* value: helm/helm#4107 ("Duplicate keys in
values.yaml are silently ignored", last value used) and helm/helm#5524 (closed "wont fix" for
`helm lint`); sigs.k8s.io/yaml documents that only `UnmarshalStrict`/`YAMLToJSONStrict` reject
duplicates. kustomize's kyaml (go-yaml v3), which Flux's kustomize-controller and
helm-controller's post-renderer use, rejects them instead ("mapping key "x" already defined at
line N", fluxcd/flux2#1522). We report every repeated key and, like Helm, let the later value win.

Size: the composer and its hostile-input guards are one hot loop over the parser's events, kept
together so the loop reads its helpers as module globals.
"""

from __future__ import annotations

import gc
import json
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.reader import ReaderError

from redislint.model import Span
from redislint.sources import scalars
from redislint.sources.embedded import EmbeddedText
from redislint.sources.nodes import (
    MapNode,
    ScalarNode,
    SeqNode,
    SourceProblem,
    YamlDocument,
    YamlFile,
    build_index,
    to_plain,
)
from redislint.sources.positions import Locator

try:  # ruamel.yaml.clib: libyaml
    from _ruamel_yaml import CParser as _CParser  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - PyPy or no clib: ruamel's pure-Python parser
    _CParser = None

MAX_DEPTH = 10_000
DEFAULT_MAX_NODES = 1_000_000
MAX_FILE_NODES = 200_000
# Pause the cyclic GC while building trees from texts at least this long: a big document is
# one growing live tree, which the GC would rescan again and again (superlinear time).
GC_PAUSE_CHARS = 256 * 1024

_resolve_plain = scalars.resolve_plain
_short_tag = scalars.short_tag
_resolve_tagged = scalars.resolve_tagged
_STR = scalars.STR


class _Abort(Exception):
    """Stop the whole stream (nesting too deep, too many nodes)."""


class _Budget:
    """Nodes one file may still compose (see MAX_FILE_NODES)."""

    __slots__ = ("left", "limit")

    def __init__(self, limit: int) -> None:
        self.left = limit
        self.limit = limit


# At most this many duplicate keys (RL002) are listed per file, then one problem counts the rest:
# a 10 MB file of one repeated key held two million problems (gigabytes, minutes of output).
MAX_DUPLICATES_LISTED = 100


class _Problems(list):
    """The problems of one file, counting the duplicate keys met (listed or not)."""

    duplicates = 0
    first_unlisted: Span | None = None  # where the first duplicate that is not listed is


def load_yaml(path: str, text: str, *, max_nodes: int = DEFAULT_MAX_NODES,
              max_depth: int = MAX_DEPTH, max_file_nodes: int = MAX_FILE_NODES) -> YamlFile:
    """Parse every document of `text` (YAML 1.1 values as Helm reads them) with exact spans.

    Never raises for bad input: syntax errors and hostile input become `problems`; documents
    before a syntax error are still returned. A leading byte order mark is dropped (the parser
    skips it too), so positions and `YamlFile.text` are those of the text without it.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    return _load(Locator(path, text), max_nodes, max_depth, max_file_nodes)


def load_yaml_embedded(embedded: EmbeddedText, *, max_nodes: int = DEFAULT_MAX_NODES,
                       max_depth: int = MAX_DEPTH, max_file_nodes: int = MAX_FILE_NODES) -> YamlFile:
    """Parse a YAML string held in another file (Argo CD `helm.values: |`).

    Every span, problems included, points into the host file: through `embedded.origins`, or at
    `embedded.anchor` when the string's lines cannot be mapped. `YamlFile.text` is the string.
    """
    return _load(Locator(embedded.path, embedded.text, host=embedded), max_nodes, max_depth, max_file_nodes)


def _load(loc: Locator, max_nodes: int, max_depth: int, max_file_nodes: int) -> YamlFile:
    problems = _Problems()
    documents: list[YamlDocument] = []
    pause = len(loc.text) >= GC_PAUSE_CHARS and gc.isenabled()
    if pause:
        gc.disable()
    try:
        bad_at = _compose(loc, documents, problems, max_nodes, max_depth, _Budget(max_file_nodes))
        if bad_at is not None and not documents:
            # libyaml checks the whole string for forbidden characters before the first event,
            # so read the documents that end before the line holding the bad character.
            cut = loc.text.rfind("\n---", 0, bad_at)
            if cut > 0:
                prefix = Locator(loc.path, loc.text[:cut + 1], host=loc.host)
                _compose(prefix, documents, problems, max_nodes, max_depth, _Budget(max_file_nodes))
    finally:
        if pause:
            gc.enable()
    if problems.first_unlisted is not None:
        more = problems.duplicates - MAX_DUPLICATES_LISTED
        problems.append(SourceProblem(
            "RL002", f"... and {more:,} more duplicate key{'s' if more != 1 else ''} in this file from this line "
                     f"on, not listed (at most {MAX_DUPLICATES_LISTED} are reported)",
            problems.first_unlisted))
    problems.sort(key=lambda p: (p.span.line, p.span.column))
    return YamlFile(loc.out_path, loc.text, tuple(documents), tuple(problems))


def _events(text: str):
    """The event getter and a disposer for `text`."""
    if _CParser is not None:
        parser = _CParser(text)
        return parser.get_event, parser.dispose
    from ruamel.yaml import YAML  # pragma: no cover  # noqa: PLC0415 - the pure-Python parser only without the C one

    it = YAML(typ="safe", pure=True).parse(text)  # pragma: no cover
    return it.__next__, lambda: None  # pragma: no cover


def _compose(loc: Locator, documents: list, problems: list, max_nodes: int,
             max_depth: int, budget: _Budget) -> int | None:
    """Build documents from parser events; see the module docstring for the guards.

    Returns the character index of a forbidden character (a reader error), else None.
    """
    get_event, dispose = _events(loc.text)
    out_path = loc.out_path
    doc_index = 0
    try:
        while True:
            ev = get_event()
            cls = ev.__class__
            if cls is DocumentStartEvent:
                budget.left -= 1
                doc = _compose_document(loc, get_event, ev, problems, max_nodes, max_depth, budget)
                documents.append(YamlDocument(out_path, doc_index, doc[0], doc[1]))
                doc_index += 1
            elif cls is StreamEndEvent:
                break
    except _Abort:
        pass
    except MarkedYAMLError as e:
        problems.append(_syntax_problem(loc, e))
    except ReaderError as e:
        problem, index = _reader_problem(loc, e)
        problems.append(problem)
        return index
    except (YAMLError, RecursionError, MemoryError, ValueError, TypeError, UnicodeError) as e:
        problems.append(SourceProblem("RL001", f"YAML could not be parsed: {e}",
                                      loc.make_span(1, 1, 1, 1)))
    finally:
        dispose()
    return None


def _compose_document(loc: Locator, get_event, start_ev, problems: list, max_nodes: int,
                      max_depth: int, budget: _Budget) -> tuple[Any, Span]:
    """Consume the events of one document; return (root or None, document span)."""
    make_span = loc.span
    anchors: dict[str, tuple[Any, int]] = {}
    open_anchors: set[str] = set()
    # A frame: [is_map, start_event, anchor, items, size, flow, span of the last child]
    stack: list[list] = []
    root: Any = None
    alias_extra = 0
    poisoned = False
    Scalar = ScalarNode
    MapN = MapNode
    SeqN = SeqNode
    SE, MS, ME, SS, SQE, AE, DE = (ScalarEvent, MappingStartEvent, MappingEndEvent,
                                   SequenceStartEvent, SequenceEndEvent, AliasEvent,
                                   DocumentEndEvent)

    def on_duplicate(first: Any, later: Any) -> None:
        if isinstance(problems, _Problems):
            problems.duplicates += 1
            if problems.duplicates > MAX_DUPLICATES_LISTED:
                if problems.first_unlisted is None:
                    problems.first_unlisted = later.span
                return
        problems.append(SourceProblem(
            "RL002",
            f"duplicate key '{later.text}': first defined at line {first.span.line}, column "
            f"{first.span.column}; Helm silently keeps this later value (the first is lost) and "
            f"kustomize/Flux reject the file",
            later.span))

    def on_bad_merge(node: Any) -> None:
        problems.append(SourceProblem(
            "RL001", "a '<<' merge key needs a mapping or a list of mappings (Helm refuses this)",
            node.span))

    left = budget.left
    while True:
        ev = get_event()
        cls = ev.__class__
        if poisoned:
            if cls is DE:
                break
            continue
        if cls is not ME and cls is not SQE and cls is not DE:
            left -= 1
        if left < 0:
            budget.left = left
            problems.append(SourceProblem(
                "RL001",
                f"more than {budget.limit:,} YAML nodes in one file (keys, values, list items and documents): "
                f"redislint reads no further, to keep the cost of a check bounded, and nothing from here on was "
                f"analysed; split the file",
                loc.point(ev.start_mark)))
            raise _Abort()
        if cls is SE:
            style = ev.style
            value = ev.value
            tag = ev.tag
            if not style:
                if tag is None:
                    if not value and not stack and ev.anchor is None:
                        # An empty document (or an empty plain root).
                        root = None
                        continue
                    v, t = _resolve_plain(value)
                else:
                    v, t = _resolve_tagged(_short_tag(tag), value)
                style = ""
            elif tag is None:
                v, t = value, _STR
            else:
                v, t = _resolve_tagged(_short_tag(tag), value)
            sm = ev.start_mark
            em = ev.end_mark
            span = make_span(sm, em)
            # Only a string value is ever mapped line by line (`embedded()`); a number, boolean or null
            # keeps no offsets (two ints a node: 10% of a large file's memory).
            node: Any = Scalar(v, value, style, t, span, loc, sm.index, em.index) if v.__class__ is str \
                else Scalar(v, value, style, t, span)
            size = 1
            anchor = ev.anchor
            if anchor is not None:
                anchors[anchor] = (node, 1)
        elif cls is MS or cls is SS:
            if len(stack) >= max_depth:
                problems.append(SourceProblem(
                    "RL001",
                    f"nesting deeper than {max_depth} levels: Helm's YAML parser (go-yaml) "
                    f"refuses this too; the file was not analysed past this point",
                    loc.point(ev.start_mark)))
                raise _Abort()
            if ev.anchor is not None:
                open_anchors.add(ev.anchor)
            stack.append([cls is MS, ev, ev.anchor, [], 1, ev.flow_style, None])
            continue
        elif cls is ME or cls is SQE:
            frame = stack.pop()
            is_map, sev, anchor, items, size, flow, last_end = frame
            sm = sev.start_mark
            if flow or last_end is None:
                span = make_span(sm, ev.end_mark)
            else:
                start = make_span(sm, sm)
                span = Span(start.path, start.line, start.column, last_end.end_line,
                            last_end.end_column)
            if is_map:
                if len(items) % 2:
                    items.append(Scalar(None, "", "", scalars.NULL, span))
                for i in range(0, len(items), 2):
                    if items[i].__class__ is not Scalar:
                        items[i] = _complex_key(items[i], problems)
                entries = tuple(zip(items[0::2], items[1::2], strict=False))
                node = MapN(entries, span, build_index(entries, on_duplicate, on_bad_merge))
            else:
                node = SeqN(tuple(items), span)
            if anchor is not None:
                anchors[anchor] = (node, size)
                open_anchors.discard(anchor)
        elif cls is AE:
            name = ev.anchor
            hit = anchors.get(name)
            span = make_span(ev.start_mark, ev.end_mark)
            if hit is None:
                if name in open_anchors:
                    msg = (f"alias '*{name}' refers to a node that contains it (a recursive "
                           f"structure); Helm's YAML parser refuses this")
                else:
                    msg = f"alias '*{name}' has no anchor '&{name}' before it in this document"
                problems.append(SourceProblem("RL001", msg, span))
                node, size = Scalar(None, "", "", scalars.NULL, span), 1
            else:
                node, size = hit
                alias_extra += size
                if alias_extra > max_nodes:
                    problems.append(SourceProblem(
                        "RL001",
                        f"alias expansion too large: the aliases in this document expand to "
                        f"more than {max_nodes:,} nodes (a 'billion laughs' document); it was "
                        f"not analysed",
                        span))
                    poisoned = True
                    root = None
                    stack.clear()
                    continue
        elif cls is DE:
            break
        else:  # pragma: no cover - no other events inside a document
            continue
        if stack:
            frame = stack[-1]
            frame[3].append(node)
            frame[4] += size
            frame[6] = span  # the span of the last child (for an alias, the alias itself)
        else:
            root = node
    budget.left = left
    doc_span = make_span(start_ev.start_mark, ev.end_mark)
    return (None if poisoned else root), doc_span


def _complex_key(key: Any, problems: list) -> ScalarNode:
    """A mapping or list used as a key becomes a string key (its flow text), with a problem.

    go-yaml decodes such keys but sigs.k8s.io/yaml cannot turn them into JSON object keys
    ("unsupported map key"), so Helm refuses the file; keys stay scalars for every consumer.
    """
    if _tree_size_over(key, 1000):
        text = f"<{'mapping' if key.__class__ is MapNode else 'list'} key>"
    else:
        text = json.dumps(to_plain(key), ensure_ascii=False, default=str, separators=(", ", ": "))
    problems.append(SourceProblem(
        "RL001", f"a {'mapping' if key.__class__ is MapNode else 'list'} is used as a mapping key: "
                 f"Helm cannot read this (keys must be strings)", key.span))
    tag = "!!map" if key.__class__ is MapNode else "!!seq"
    return ScalarNode(text, text, "", tag, key.span)


def _tree_size_over(node: Any, limit: int) -> bool:
    """True when the tree under `node`, aliases expanded, has more than `limit` nodes."""
    stack = [node]
    count = 0
    while stack:
        n = stack.pop()
        count += 1
        if count > limit:
            return True
        if n.__class__ is MapNode:
            for k, v in n.entries:
                stack += (k, v)
        elif n.__class__ is SeqNode:
            stack.extend(n.items)
    return False


# -- syntax errors -----------------------------------------------------------------------------

def _syntax_problem(loc: Locator, e: MarkedYAMLError) -> SourceProblem:
    mark = e.problem_mark or e.context_mark
    problem = (e.problem or "").strip()
    context = (e.context or "").strip()
    if mark is None:
        return SourceProblem("RL001", f"YAML syntax error: {problem or context}",
                             loc.make_span(1, 1, 1, 1))
    ch = _char_at(loc.text, mark.index)
    where = "earlier"
    cmark = e.context_mark
    if cmark is not None and context:
        cl, cc = loc.mark0(cmark)
        if loc.mapped:
            hl, hc = loc.to_host(cl + 1, cc + 1)
            where = f"at line {hl}, column {hc}"
        else:
            where = f"on line {cl + 1} of the embedded text"
    after_quote = loc.text[:mark.index].rsplit("\n", 1)[-1].rstrip()[-1:] in ("'", '"')
    human = _explain(problem, context, ch, where, after_quote)
    if "did not find expected node content" in problem and "flow" in context \
            and not loc.text[mark.index:].strip():
        # The stream ends inside a `[` or `{`: libyaml names only the end of the file; point at
        # the bracket that is never closed (where the fix goes).
        opened = _unclosed_flow(loc.text, mark.index)
        if opened is not None:
            line0, col0 = loc.local0(opened)
            hl, hc = loc.to_host(line0 + 1, col0 + 1)
            kind, close = ("list", "]") if loc.text[opened] == "[" else ("mapping", "}")
            human = (f"unclosed '{loc.text[opened]}': the {kind} that starts at line {hl}, column {hc} has no "
                     f"matching '{close}'")
            span = loc.make_span(line0 + 1, col0 + 1, line0 + 1, col0 + 2)
            return SourceProblem("RL001", f"{human} [YAML parser: {context}, {problem}]", span)
    # "context, problem" and not "context: problem": ruamel's "while scanning for the next token"
    # followed by ": ..." reads as a `token:` key to output redaction, which masked the rest.
    detail = problem if not context else f"{context}, {problem}"
    if "cannot start any token" in problem and ch:
        detail = detail.replace("found character that", f"found character {ch!r} that")
    # An unclosed quote or bracket is reported where it opens (where the fix goes); the
    # message keeps the place where the parser gave up.
    unclosed = human.startswith("unclosed") and cmark is not None
    if unclosed and loc.mapped:
        pl, pc = loc.mark0(mark)
        hl, hc = loc.to_host(pl + 1, pc + 1)
        detail += f" at line {hl}, column {hc}"
    span = loc.point(cmark if unclosed else mark)
    return SourceProblem("RL001", f"{human} [YAML parser: {detail}]", span)


def _unclosed_flow(text: str, end: int) -> int | None:
    """Index of the innermost `[` or `{` still open at `end` (quotes and comments skipped), or None."""
    stack: list[int] = []
    i = 0
    quote = ""
    while i < end:
        c = text[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1
            elif c == quote:
                if quote == "'" and text[i + 1:i + 2] == "'":
                    i += 1
                else:
                    quote = ""
        elif c in "'\"" and (i == 0 or text[i - 1] in " \t\n[{,:-?"):
            quote = c
        elif c == "#" and (i == 0 or text[i - 1] in " \t\n"):
            nl = text.find("\n", i)
            i = end if nl < 0 else nl
            continue
        elif c in "[{":
            stack.append(i)
        elif c in "]}" and stack:
            stack.pop()
        i += 1
    return stack[-1] if stack else None


def _explain(problem: str, context: str, ch: str, where: str, after_quote: bool) -> str:
    p = problem
    if ch == "\t" and ("cannot start any token" in p or "tab" in p):
        return "a tab character is used here: YAML indentation must use spaces, never tabs"
    if "tab character" in p:
        return "a tab character is used here: YAML indentation must use spaces, never tabs"
    if "cannot start any token" in p:
        if ch in ("@", "`"):
            return f"a plain value cannot start with {ch!r}: quote the value"
        return f"character {ch!r} cannot start a YAML value here: quote the value"
    if "mapping values are not allowed" in p:
        return ("unexpected ':' here: quote a value that contains ': ', or fix the indentation "
                "of this line")
    if "could not find expected ':'" in p:
        return f"the key that starts {where} has no ':' after it (or a quote is not closed)"
    if "found unexpected end of stream" in p and "quoted scalar" in context:
        return f"unclosed quote: the string that starts {where} is never closed"
    if "did not find expected ',' or ']'" in p:
        return f"unclosed '[': the list that starts {where} has no matching ']'"
    if "did not find expected ',' or '}'" in p:
        return f"unclosed '{{': the mapping that starts {where} has no matching '}}'"
    if after_quote and ("did not find expected key" in p or "expected <block end>" in p):
        return "text follows the closing quote of a value: quote the whole value"
    if "did not find expected key" in p:
        return (f"bad indentation: this line does not line up with the keys of the mapping "
                f"that starts {where}")
    if "did not find expected '-' indicator" in p:
        return f"bad indentation: this line does not line up with the list that starts {where}"
    if "expected <block end>" in p:
        return "bad indentation: this line does not line up with the lines above it"
    if "did not find expected node content" in p:
        return "a value is missing here, or starts with a character that needs quoting"
    if "unknown escape character" in p:
        return ("unknown escape sequence in a double-quoted string: use single quotes or write "
                "the backslash as '\\\\'")
    if "found unexpected end of stream" in p:
        return f"the file ends inside something that starts {where}"
    return "YAML syntax error"


def _char_at(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else ""


def _reader_problem(loc: Locator, e: ReaderError) -> tuple[SourceProblem, int]:
    # libyaml reports the byte offset in UTF-8; the pure-Python reader a character index.
    pos = e.position if isinstance(e.position, int) else 0
    if _CParser is not None:
        pos = len(loc.text.encode("utf-8", "surrogatepass")[:pos].decode("utf-8", "ignore"))
    line0, col0 = loc.local0(pos)
    span = loc.make_span(line0 + 1, col0 + 1, line0 + 1, min(col0 + 1, loc.line_len(line0)) + 1)
    code = e.character
    char = f"#x{code:04x}" if isinstance(code, int) else repr(code)
    return SourceProblem(
        "RL001",
        f"character {char} is not allowed in YAML ({e.reason}); remove it or write it as an "
        f"escape inside a double-quoted string",
        span), pos
