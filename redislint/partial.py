"""Targets checked without one of their layers: what still holds whatever the unseen layer contains.

A HelmRelease whose `valuesFrom` ConfigMap is not among the inputs, an Application whose
`valueFiles` were not read (also with `ignoreMissingValueFiles: true`), a workload whose mounted
redis.conf is missing: the unseen layer may set anything the layers below it (and the chart's or
Redis's defaults) set. A finding computed from those defaults would be a guess presented as a fact.

So, for such a target (`Target.partial`), a finding keeps its severity only when it holds whatever
the unseen layer contains:
- RL003 (the reference itself is reported once, at its line), RL004, RL101 (a values key unknown
  to the chart is unknown whatever else is set) and RL801 (a password written in the repository is
  there whatever overrides it) always hold;
- a finding about one written line (Redis refuses it, a folded block …: `LINE_RULES`) holds when
  that line sits in a layer read after every unseen layer, so nothing unseen can replace it;
- every other finding is about the effective config or the Kubernetes facts, which the unseen
  layer may change: it becomes a note that says so, and never fails a build.

This module is the one predicate rules and the engine consult; a rule may call `settled_line` for
a finer judgement of its own.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from redislint.model import Severity, Span
from redislint.sources import MapNode, SeqNode

if TYPE_CHECKING:
    from redislint.charts.values_view import ValuesView
    from redislint.target import Target

ALWAYS_HOLD = frozenset({"RL003", "RL004", "RL101", "RL801"})
# Findings about one written line, whatever else the config holds.
LINE_RULES = frozenset({"RL010", "RL011", "RL012", "RL013", "RL014", "RL015", "RL016", "RL017"})


class Partial(NamedTuple):
    """What a target could not read, and which written lines hold whatever that contains."""

    unseen: tuple[str, ...]  # "valuesFrom ConfigMap redis-values (key values.yaml)", ...
    # (path, line) of every line written in a layer read after the last unseen one.
    settled_lines: frozenset[tuple[str, int]] = frozenset()
    # A values file checked where it stands while other targets read it as one of their layers
    # (`layer_of`: their names): what may not hold is dropped rather than noted, since those
    # targets report it with everything they read, and what they report too is theirs.
    layer_of: tuple[str, ...] = ()

    @property
    def what(self) -> str:
        """The unseen layers, for a message."""
        shown = list(self.unseen[:2])
        more = len(self.unseen) - len(shown)
        return " and ".join(shown) + (f" (and {more} more)" if more > 0 else "")


def settled_line(target: Target, span: Span) -> bool:
    """True when the line at `span` is in force whatever the target's unseen layers contain."""
    partial = target.partial
    return partial is None or (span.path, span.line) in partial.settled_lines


def holds(target: Target, code: str, span: Span) -> bool:
    """Whether a finding of rule `code` at `span` holds whatever the target's unseen layers contain."""
    if target.partial is None or code in ALWAYS_HOLD:
        return True
    if code in LINE_RULES:
        return settled_line(target, span)
    return False


def conditional(target: Target, message: str) -> tuple[Severity, str] | None:
    """The note a finding becomes when it may not hold (None: drop it)."""
    assert target.partial is not None
    if target.partial.layer_of:
        return None
    return Severity.NOTE, f"Unless {target.partial.what}, which was not read, changes it: {message}"


def as_layer_of(target: Target, consumers: tuple[str, ...]) -> Target:
    """A values file's own target when `consumers` also read the file as a layer: its own lines hold
    where it stands; what depends on the rest of a deployment is judged by the consumers."""
    root_lines: set[tuple[str, int]] = set()
    if target.values is not None:
        for layer in target.values.layers:
            _collect_lines(layer.root, root_lines)
    names = ", ".join(consumers[:2]) + (f" and {len(consumers) - 2} more" if len(consumers) > 2 else "")
    return replace(target, partial=Partial((f"the other values of {names}",), frozenset(root_lines), consumers))


def shadowed(findings: list, targets) -> list:
    """Drop a finding of a values file's own target that a target reading the file reports alike."""
    own = {t.name for t in targets if getattr(t, "partial", None) is not None and t.partial.layer_of}
    if not own:
        return findings
    reported = {(f.rule, f.span, f.message) for f in findings if f.target not in own}
    return [f for f in findings if f.target not in own or (f.rule, f.span, f.message) not in reported]


def from_values(view: ValuesView) -> Partial | None:
    """The partial state of a chart target: its unseen values layers, and the lines above them."""
    unseen = view.unseen
    if not unseen:
        return None
    lines: set[tuple[str, int]] = set()
    for layer in view.settled_layers():
        _collect_lines(layer.root, lines)
    return Partial(tuple(layer.unseen for layer in unseen), frozenset(lines))


def _collect_lines(node, lines: set[tuple[str, int]]) -> None:
    """Every (path, line) a node tree covers, iteratively (a values file may be deep)."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        s = n.span
        if s.path:
            lines.update((s.path, line) for line in range(s.line, max(s.end_line, s.line) + 1))
        if isinstance(n, MapNode):
            for k, v in n.entries:
                stack.append(k)
                stack.append(v)
        elif isinstance(n, SeqNode):
            stack.extend(n.items)
