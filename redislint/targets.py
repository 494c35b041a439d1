"""Find every Redis target in the loaded inputs: chart releases, values files, ConfigMaps, redis.conf files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import PurePath
from typing import NamedTuple

from redislint.charts.pins import ChartPin, values_file_pins
from redislint.charts.release import Release
from redislint.charts.values_view import ValuesLayer, ValuesView
from redislint.charts.workloads import mounted_config_objects, workload_targets
from redislint.discover import InputIndex, app_bodies, metadata_name, text_of
from redislint.documents import classify
from redislint.kinds.registry import (
    DeploymentKind,
    kind_by_id,
    kind_for_chart,
    kind_for_object,
    kind_for_umbrella,
    kind_for_values,
)
from redislint.model import Span
from redislint.partial import as_layer_of
from redislint.sources import (
    EmbeddedText,
    MapNode,
    Node,
    SeqNode,
    SourceProblem,
    YamlDocument,
    YamlFile,
    node_at,
)
from redislint.target import (
    CHART,
    PARENT_DEFAULTS,
    Assumption,
    ConfFile,
    Target,
    TargetOptions,
    Unresolved,
    ValuesIssue,
    VersionPin,
)
from redislint.wrappers.argocd import ArgoChart, argo_chart, argo_values, ref_sources
from redislint.wrappers.conffiles import annotations_of, conf_target, configmap_targets
from redislint.wrappers.flux import flux_chart, flux_values
from redislint.wrappers.unanalysed import (
    Unanalysed,
    unanalysed_problem,
    why_not_analysed,
)

__all__ = ["ConfFile", "Discovery", "TargetOptions", "chart_targets", "conf_target", "find_targets", "iter_targets"]

VALUES_PATH_ANNOTATION = "redislint.io/values-path"
DEFAULT_OPTIONS = TargetOptions()


# The passes of `iter_targets`, in order: documents (wrappers, values files, workloads, operators),
# then ConfigMaps no wrapper consumed, then redis.conf files.
DOCUMENTS, CONFIGMAPS, CONF_FILES = 0, 1, 2


class Discovery:
    """What target discovery learnt besides the targets: problems it found in values strings
    (syntax errors, duplicate keys), documents that look like Redis but yield no target (RL004),
    and what became of each file (for the summary)."""

    __slots__ = ("files", "problems", "stage")

    # What became of a file, most telling first; the summary counts files by their best status.
    STATUSES = ("targets", "not analysed", "used by other files", "not Redis")

    def __init__(self) -> None:
        self.problems: list[SourceProblem] = []
        self.files: dict[str, str] = {}
        # The pass of `iter_targets` under way (DOCUMENTS, CONFIGMAPS, CONF_FILES): the order in which
        # targets come, which a file-by-file run rebuilds (`parallel`).
        self.stage = DOCUMENTS

    def mark(self, path: str, status: str) -> None:
        """Record a status for a file; a better one (earlier in STATUSES) is never replaced."""
        old = self.files.get(path)
        if old is None or self.STATUSES.index(status) < self.STATUSES.index(old):
            self.files[path] = status

    def add_problems(self, problems: list[SourceProblem]) -> None:
        """Problems of values strings; a string read by two releases is reported once."""
        seen = {(p.code, p.span, p.message) for p in self.problems}
        for p in problems:
            if (p.code, p.span, p.message) not in seen:
                seen.add((p.code, p.span, p.message))
                self.problems.append(p)


# --------------------------------------------------------------------------------------------
# Releases: a chart we model, or an umbrella chart that bundles one.


def _bundled(layers: list[ValuesLayer]) -> tuple[str, DeploymentKind] | None:
    """For a chart we do not model, the alias under which a bundled chart we model is configured."""
    for layer in reversed(layers):
        found = kind_for_umbrella(layer.root)
        if found is not None:
            return found
    return None


def _shaped(layers: list[ValuesLayer]) -> DeploymentKind | None:
    """The kind the values themselves are for, judging by the shape of any layer."""
    for layer in reversed(layers):
        kind = kind_for_values(layer.root)
        if kind is not None:
            return kind
    return None


def _chart_under(layers: list[ValuesLayer], prefix: tuple[str, ...]) -> DeploymentKind | None:
    """The kind whose values sit under `prefix` (declared with redislint.io/values-path): the values'
    shape, else the key's name (`valkey`, `redis-ha`), else a redis chart by that name's default."""
    for layer in reversed(layers):
        node: Node | None = layer.root
        for key in prefix:
            node = node.get(key) if isinstance(node, MapNode) else None
        if isinstance(node, MapNode):
            kind = kind_for_values(node)
            if kind is not None:
                return kind
    last = prefix[-1].lower() if prefix else ""
    return kind_for_chart(last) or kind_for_chart("valkey" if "valkey" in last else "redis")


class _Wrapper(NamedTuple):
    """What a HelmRelease or Application source says about one chart deployment, before the chart model."""

    doc: YamlDocument
    kind: str
    name: str  # namespace/name of the object
    chart_name: str  # as written: "redis", "oci://…/valkey", "mastodon", ""
    constraint: str | None
    layers: list[ValuesLayer]
    values_anchor: Span | None
    unresolved: tuple[Unresolved, ...]
    issues: tuple[ValuesIssue, ...] = ()
    # "chart": named by the wrapper; "ref": read from the object it refers to; "assumed": only a
    # name is known (chartRef object not among the inputs, a chart directory in Git).
    how: str = "chart"
    assumptions: tuple[Assumption, ...] = ()
    chart_span: Span | None = None
    annotations: tuple[dict[str, str], dict[str, Span]] = ({}, {})
    why_not: str = ""  # set when the wrapper itself says why it cannot be analysed (a plugin)
    value_files: tuple[str, ...] = ()  # paths of the files read as values layers
    repo_url: str = ""  # the repository the chart comes from, when the inputs say (`kinds.kind_for_chart`)
    version_span: Span | None = None  # the chart version the wrapper writes (RL104)


def chart_targets(release: Release) -> list[Target]:
    """Targets of one release of a chart we model (`release.chart` is its kind's id)."""
    kind = kind_by_id(release.chart)
    if kind is None or kind.release_targets is None:
        return []
    return kind.release_targets(release)


def _chart_assumed(message: str, w: _Wrapper) -> Assumption:
    return Assumption(CHART, message, w.chart_span, w.chart_name)


def parent_defaults(alias: str, chart: str, parent: str, span: Span | None) -> Assumption:
    """An umbrella chart's own values for the chart it bundles are not among the inputs."""
    return Assumption(PARENT_DEFAULTS, f"the values under `{alias}:` are taken to be {chart}'s, bundled by "
                      f"{parent or 'a parent chart'}, whose own defaults for it are not known: the conclusions assume "
                      f"{chart}'s defaults", span, alias)


def _decide_chart(w: _Wrapper) -> tuple[DeploymentKind | None, tuple[str, ...], list[Assumption]]:
    """(kind, values prefix, what was assumed) for a wrapper; kind None when it bundles nothing we know."""
    ann = w.annotations[0]
    values_path = ann.get(VALUES_PATH_ANNOTATION, "").strip()
    named = kind_for_chart(w.chart_name, w.repo_url, tuple(layer.root for layer in w.layers))
    if values_path:
        # Declared: the chart's values sit under this key path of an umbrella chart's values.
        prefix = tuple(p for p in values_path.split(".") if p)
        return (_chart_under(w.layers, prefix) if prefix else named), prefix, []
    if w.how == "assumed":
        # Only a name is known: the values decide first (they are what the chart reads), then the name.
        # Values written as blocks (files, valuesObject) say more than `--set`-style parameters.
        for group in ([layer for layer in w.layers if not layer.assigned], [layer for layer in w.layers if layer.assigned]):
            shaped = _shaped(group)
            if shaped is not None:
                how = f"the values' shape{' and its name' if named is shaped else ''}"
                return shaped, (), [_chart_assumed(f"chart assumed to be {shaped.id} from {how}", w)]
            bundled = _bundled(group)
            if bundled is not None:
                alias, found = bundled
                return found, (alias,), [_chart_assumed(f"chart assumed to bundle {found.id} under `{alias}:`, "
                                                        "from the values' shape", w)]
        if named is not None:
            return named, (), [_chart_assumed(f"chart assumed to be {named.id} from its name {w.chart_name!r}", w)]
        return None, (), []
    if named is not None:
        return named, (), []
    bundled = _bundled(w.layers)
    if bundled is None:
        return None, (), []
    alias, found = bundled
    return found, (alias,), []


def _wrapper_targets(w: _Wrapper, opts: TargetOptions) -> list[Target]:
    """Targets of a wrapped release: a chart we model, or an umbrella chart that bundles one."""
    ann, ann_spans = w.annotations
    if w.why_not:
        return []  # rendered by something redislint does not run (RL004)
    kind, prefix, assumed = _decide_chart(w)
    if kind is None:
        return []
    chart = kind.id
    layers, constraint = w.layers, w.constraint
    if prefix:
        # The parent chart's dependency condition (`redis.enabled: false`) turns the subchart off.
        enabled = ValuesView(layers).value(".".join(prefix) + ".enabled")
        if enabled is False:
            return []
        # What the wrapper says of its version is about the parent chart.
        if not w.chart_name:  # a named parent: `charts.parents` says what it sets, or that it is unknown
            assumed = assumed + [parent_defaults(".".join(prefix), chart, w.chart_name, w.chart_span)]
        layers = [layer._replace(prefix=prefix) for layer in layers]
        constraint = None  # the wrapper pins the parent chart, not the bundled one
    else:
        assumed = list(w.assumptions) + assumed
    pin = None
    pin_span = w.version_span or w.chart_span
    if not prefix and w.how == "chart" and constraint is not None and pin_span is not None:
        pin = VersionPin(constraint, pin_span, "Flux" if w.kind == "HelmRelease" else "Argo CD",
                         w.version_span is not None)
    release = Release(path=w.doc.path, name=w.name, kind=w.kind, chart=chart, version_constraint=constraint,
                      view=ValuesView(layers), anchor=w.doc.span, values_anchor=w.values_anchor, annotations=ann,
                      annotation_spans=ann_spans, unresolved=w.unresolved, redis_version_override=opts.redis_version,
                      chart_version_override=opts.chart_version, issues=w.issues, assumptions=tuple(assumed),
                      parent=w.chart_name if prefix else "", parent_constraint=w.constraint if prefix else None,
                      pin=pin)
    return chart_targets(release)


def _helmrelease_wrapper(doc: YamlDocument, idx: InputIndex, found: Discovery) -> _Wrapper:
    root = doc.root
    assert isinstance(root, MapNode)
    chart = flux_chart(root, idx, doc.path)
    values = flux_values(root, idx, doc.path)
    found.add_problems(values.problems)
    return _Wrapper(doc, "HelmRelease", metadata_name(root), chart.name, chart.constraint, values.layers,
                    values.anchor, tuple(values.unresolved), how=chart.how, assumptions=chart.assumptions,
                    chart_span=chart.span, annotations=annotations_of(root), repo_url=chart.repo_url,
                    version_span=chart.version_span)


def _argo_wrappers(doc: YamlDocument, idx: InputIndex, found: Discovery, spec: Node | None, name: str,
                   annotations: tuple[dict[str, str], dict[str, Span]], kind: str = "Application") -> list[_Wrapper]:
    """One wrapper per Helm source of an Application spec (`spec.source`, or each of `spec.sources`)."""
    sources = spec.get("sources") if isinstance(spec, MapNode) else None
    candidates = list(sources.items) if isinstance(sources, SeqNode) else \
        [spec.get("source") if isinstance(spec, MapNode) else None]
    refs = ref_sources(sources if isinstance(sources, SeqNode) else None)
    out: list[_Wrapper] = []
    for src in candidates:
        if not isinstance(src, MapNode):
            continue
        chart: ArgoChart = argo_chart(src)
        if src.get("helm") is None and not text_of(src.get("chart")) and text_of(src.get("ref")):
            continue  # a values-only source (`ref: values`)
        values = argo_values(src, refs, idx, doc.path)
        found.add_problems(values.problems)
        for f in values.value_files:
            found.mark(f.path, "used by other files")
        out.append(_Wrapper(doc, kind, name, chart.name, chart.constraint, values.layers, values.anchor,
                            tuple(values.unresolved), tuple(values.issues), chart.how, chart.assumptions, chart.span,
                            annotations, chart.why_not, tuple(f.path for f in values.value_files), chart.repo_url,
                            chart.version_span))
    return out


def _application_wrappers(doc: YamlDocument, idx: InputIndex, found: Discovery) -> list[_Wrapper]:
    root = doc.root
    assert isinstance(root, MapNode)
    return _argo_wrappers(doc, idx, found, root.get("spec"), metadata_name(root), annotations_of(root))


def _applicationset_wrappers(doc: YamlDocument, idx: InputIndex, found: Discovery) -> list[_Wrapper]:
    """An ApplicationSet's template is the Application it generates (its `{{ }}` filled in later)."""
    root = doc.root
    assert isinstance(root, MapNode)
    template = node_at(root, "spec.template")
    if not isinstance(template, MapNode):
        return []
    own = text_of(node_at(template, "metadata.name"))
    name = metadata_name(root) + (f" ({own})" if own else "")
    ann, spans = annotations_of(root)
    t_ann, t_spans = annotations_of(template)
    return _argo_wrappers(doc, idx, found, template.get("spec"), name, ({**ann, **t_ann}, {**spans, **t_spans}),
                          "ApplicationSet")


def _appspec_wrappers(doc: YamlDocument, idx: InputIndex, found: Discovery) -> list[_Wrapper]:
    """Application bodies written without apiVersion/kind (app-of-apps values, rendered templates)."""
    assert isinstance(doc.root, MapNode)
    base = PurePath(doc.path).name
    out: list[_Wrapper] = []
    for body in app_bodies(doc.root):
        name = f"{base}:{body.name}" if body.name else base
        out += _argo_wrappers(doc, idx, found, body.body, name, ({}, {}), "Application spec")
    return out


def _values_targets(doc: YamlDocument, opts: TargetOptions, pins: tuple[ChartPin, ...] = ()) -> list[Target]:
    root = doc.root
    assert isinstance(root, MapNode)
    name = PurePath(doc.path).name + (f"#{doc.index + 1}" if doc.index else "")
    layers = [ValuesLayer("values file", root)]
    prefix: tuple[str, ...] = ()
    assumed: tuple[Assumption, ...] = ()
    kind = kind_by_id(opts.chart) if opts.chart else kind_for_values(root)
    if kind is None:
        umbrella = kind_for_umbrella(root)
        if umbrella is None:
            return []
        alias, kind = umbrella
        if ValuesView(layers).value(f"{alias}.enabled") is False:
            return []
        prefix = (alias,)
        layers = [layers[0]._replace(prefix=prefix)]
        key = root.key_node(alias)
        assumed = (parent_defaults(alias, kind.id, "", key.span if key is not None else doc.span),)
    if kind.release_targets is None:
        return []
    release = Release(path=doc.path, name=name, kind="values", chart=kind.id, version_constraint=None,
                      view=ValuesView(layers), anchor=doc.span, values_anchor=doc.span,
                      redis_version_override=opts.redis_version, chart_version_override=opts.chart_version,
                      assumptions=assumed, pins=tuple(p.pin for p in pins if kind_for_chart(p.chart_name) is kind))
    return kind.release_targets(release)


# Redis targets built from one file, at most (then RL004 says where checking stopped). Each costs
# about half a millisecond to check and leaves a few findings for the report, whose rendering takes
# some ten times the size of the output: 10,000 one-line values documents took gigabytes, and 10,000
# targets still over 200 MB with the report. Real files hold a handful.
MAX_TARGETS_PER_FILE = 1000


def _over_the_limit(doc: YamlDocument) -> SourceProblem:
    return SourceProblem("RL004", f"more than {MAX_TARGETS_PER_FILE:,} Redis targets in this file: redislint checks "
                         f"the first {MAX_TARGETS_PER_FILE:,} and stops, to keep the cost of a check bounded, so the "
                         "Redis deployments from this document on were not analysed",
                         Span(doc.span.path, doc.span.line, doc.span.column, doc.span.line, doc.span.column))


def find_targets(yaml_files: list[YamlFile], conf_files: list[ConfFile],
                 opts: TargetOptions = DEFAULT_OPTIONS, found: Discovery | None = None,
                 context: list[YamlFile] | tuple[YamlFile, ...] = ()) -> list[Target]:
    """Every target in the inputs, in file and document order (see `iter_targets`)."""
    return list(iter_targets(yaml_files, conf_files, opts, found, context))


def iter_targets(yaml_files: list[YamlFile], conf_files: list[ConfFile],
                 opts: TargetOptions = DEFAULT_OPTIONS, found: Discovery | None = None,
                 context: list[YamlFile] | tuple[YamlFile, ...] = ()) -> Iterator[Target]:
    """Every target in the inputs, in file and document order, one at a time: a caller that checks
    each and keeps only its findings holds one target at a time, not every target of a file.

    `context` files are resolved against (the objects and value files the inputs refer to) but
    yield no targets of their own. `found`, when given, collects what else discovery learnt (read it
    once the iteration is over). At most MAX_TARGETS_PER_FILE targets come from one file; the first
    document past that is an RL004 problem in `found`.
    """
    found = found if found is not None else Discovery()
    built: dict[str, int] = {}  # targets per file so far

    def room(doc: YamlDocument) -> bool:
        count = built.get(doc.path, 0)
        if count == MAX_TARGETS_PER_FILE:
            found.problems.append(_over_the_limit(doc))
            built[doc.path] = count + 1  # said once
        return count < MAX_TARGETS_PER_FILE

    def counted(doc: YamlDocument, got: list[Target]) -> list[Target]:
        built[doc.path] = built.get(doc.path, 0) + len(got)
        return got

    idx = InputIndex.build(yaml_files, context)
    # First the wrappers, which consume the ConfigMaps, Secrets and values files they refer to
    # wherever those appear among the inputs; then every document in order.
    wrapped: dict[int, list[_Wrapper]] = {}
    kinds: dict[int, str] = {}
    operated: dict[int, DeploymentKind] = {}  # custom resources of an operator kind
    for f in yaml_files:
        for doc in f.documents:
            what = classify(doc)
            kind = kinds[id(doc)] = what.kind
            if what.api_version and kind in ("Operator", "other"):
                operator = _operator_kind(doc, what.api_version)
                if operator is not None:
                    operated[id(doc)] = operator
            elif kind == "HelmRelease":
                wrapped[id(doc)] = [_helmrelease_wrapper(doc, idx, found)]
            elif kind == "Application":
                wrapped[id(doc)] = _application_wrappers(doc, idx, found)
            elif kind == "ApplicationSet":
                wrapped[id(doc)] = _applicationset_wrappers(doc, idx, found)
            elif kind == "appspec":
                wrapped[id(doc)] = _appspec_wrappers(doc, idx, found)
    layer_of: dict[str, list[str]] = {}  # values file -> the targets that read it as a layer
    for ws in wrapped.values():
        for w in ws:
            for path in w.value_files:
                if w.name not in layer_of.setdefault(path, []):
                    layer_of[path].append(w.name)
    for f in yaml_files:
        for doc in f.documents:
            if kinds[id(doc)] == "Workload":
                for cm in mounted_config_objects(doc, idx):
                    idx.used_as_values.add(id(cm))
            elif id(doc) in operated and operated[id(doc)].object_uses is not None:
                for cm in operated[id(doc)].object_uses(doc, idx):  # type: ignore[misc]
                    idx.used_as_values.add(id(cm))
    pins = values_file_pins(idx.files, idx)  # versions that HelmReleases (also in context files) pin
    found.stage = DOCUMENTS
    for f in yaml_files:
        for doc in f.documents:
            kind = kinds[id(doc)]
            got: list[Target] = []
            why: Unanalysed | None = None
            if (kind in ("HelmRelease", "Application", "ApplicationSet", "appspec", "values", "Workload")
                    or id(doc) in operated) and not room(doc):
                continue
            if kind in ("HelmRelease", "Application", "ApplicationSet", "appspec"):
                for w in wrapped.get(id(doc), []):
                    these = _wrapper_targets(w, opts)
                    got += these
                    if not these:
                        why = why or why_not_analysed(w)
            elif kind == "values":
                # A values file is checked where it stands even when an Application also reads it
                # as a layer: another file naming it can never hide its own findings.
                got = _values_targets(doc, opts, pins.get(os.path.abspath(doc.path), ()))
                if doc.path in layer_of:
                    got = [as_layer_of(t, tuple(layer_of[doc.path])) for t in got]
            elif kind == "Workload":
                got = workload_targets(doc, idx, opts.redis_version)
            elif id(doc) in operated:
                got = operated[id(doc)].object_targets(doc, idx, opts)  # type: ignore[misc]
                if not got:  # the kind's judgement: no Redis that holds data runs from it (an OT RedisSentinel)
                    found.mark(doc.path, "not Redis")
                    continue
            if not got and why is None and kind in ("Workload", "Operator", "values", "other"):
                why = why_not_analysed(doc)
            yield from counted(doc, got)
            if got:
                found.mark(doc.path, "targets")
            elif why is not None:
                found.problems.append(unanalysed_problem(why))
                found.mark(doc.path, "not analysed")
            elif kind in ("ConfigMap", "Secret", "OCIRepository", "HelmChart"):
                found.mark(doc.path, "used by other files" if _referred(doc, idx) else "not Redis")
            else:
                found.mark(doc.path, "not Redis")
        if not f.documents:
            found.mark(f.path, "not Redis")
    # ConfigMaps last: only those not already consumed as valuesFrom sources are config targets.
    found.stage = CONFIGMAPS
    for f in yaml_files:
        for doc in f.documents:
            if kinds[id(doc)] == "ConfigMap" and room(doc):
                cm_targets = counted(doc, configmap_targets(doc, idx, opts, found))
                yield from cm_targets
                if cm_targets:
                    found.mark(doc.path, "targets")
    found.stage = CONF_FILES
    for c in conf_files:
        embedded = EmbeddedText.for_file(c.path, c.text)
        yield conf_target(c.path, PurePath(c.path).name, "redis.conf", embedded, Span(c.path, 1, 1, 1, 1), opts)
        found.mark(c.path, "targets")


def _operator_kind(doc: YamlDocument, api_version: str) -> DeploymentKind | None:
    """The operator kind that models this custom resource, if one is registered."""
    assert isinstance(doc.root, MapNode)
    found = kind_for_object(api_version, text_of(doc.root.get("kind")) or "")
    return found if found is not None and found.object_targets is not None else None


def _referred(doc: YamlDocument, idx: InputIndex) -> bool:
    """A ConfigMap, Secret or chart source that another input read."""
    return id(doc) in idx.used_as_values or id(doc) in idx.referred

