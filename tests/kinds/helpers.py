"""Build a kind's targets from a values fixture, the way a values file given on the command line is read."""

from __future__ import annotations

from pathlib import Path

from redislint.charts.values_view import ValuesLayer, ValuesView
from redislint.kinds.base import Release
from redislint.sources import load_yaml

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "kinds"


def release(path: Path, chart: str, chart_version: str | None = None, redis_version: str | None = None) -> Release:
    """A Release of `chart` whose values are the first document of `path`."""
    doc = load_yaml(str(path), path.read_text()).documents[0]
    view = ValuesView([ValuesLayer("values file", doc.root)])
    return Release(path=str(path), name=path.name, kind="values", chart=chart, version_constraint=None, view=view,
                   anchor=doc.span, values_anchor=doc.span, redis_version_override=redis_version,
                   chart_version_override=chart_version)


def write(tmp_path: Path, text: str, name: str = "values.yaml") -> Path:
    """A values file in `tmp_path` (dedented by the caller)."""
    path = tmp_path / name
    path.write_text(text)
    return path


def layers(target, key: str) -> list[str]:
    """The layers that set `key`, the winner last."""
    return [a.layer for a in target.evaluation.settings[key].history]


def lines(target, key: str) -> list[int | None]:
    """The file line of each assignment of `key` (None for defaults and chart lines)."""
    return [a.line.span.line if a.line is not None and a.line.span.path else None
            for a in target.evaluation.settings[key].history]


def issues(target, code: str) -> dict[str, tuple[int, str]]:
    """{subject: (line, message)} of the target's values issues with `code`."""
    return {i.subject: (i.span.line, i.message) for i in target.values_issues if i.code == code}
