"""What a transition rule is given: one target at the base revision and the same target now."""

from __future__ import annotations

from typing import Any, NamedTuple

from redislint.change.places import Identity, Place
from redislint.facts import FACT_FIELDS
from redislint.target import Target


class Side(NamedTuple):
    """One target at one revision, with where it keeps its data."""

    target: Target
    identity: Identity
    place: Place
    doc: Any  # the wrapper or workload document (a MapNode), or None


class Transition(NamedTuple):
    """A target whose configuration or storage the change alters; rules compare `base` with `head`."""

    base: Side
    head: Side
    ref: str  # the base revision as the user named it ("origin/main")
    renamed_from: str = ""  # the file's path at the base, when the change renamed or moved it


def signature(side: Side) -> tuple:
    """Everything a transition rule can compare: equal signatures mean nothing to review."""
    t = side.target
    settings = tuple(sorted((key, s.value) for key, s in t.evaluation.settings.items()))
    facts = tuple((name, _plain(getattr(t.facts, name))) for name in FACT_FIELDS if name != "extra")
    return (t.kind, t.chart, t.chart_version, str(t.redis_version), t.mode, settings, facts, _place_key(side.place))


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)  # a Fact's value, never where it was written


def _place_key(place: Place) -> tuple:
    template = place.template
    return place._replace(span=None, template=None) + (
        (template.size, template.storage_class, template.access_modes) if template is not None else (),)
