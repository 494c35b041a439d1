"""Argo CD Application values: valueFiles < valuesObject or values < parameters, spans mapped to the inputs."""

from __future__ import annotations

import os
import posixpath
import re
from typing import NamedTuple

from redislint.assumptions import version_assumptions
from redislint.charts.values_view import (
    SetLayer,
    ValuesLayer,
    parse_set_path,
    split_list_value,
    typed_value,
    unseen_layer,
    value_node,
)
from redislint.discover import InputIndex, is_glob, shown_path, text_of
from redislint.model import Span
from redislint.sources import (
    MapNode,
    ScalarNode,
    SeqNode,
    SourceProblem,
    YamlFile,
    load_yaml_embedded,
)
from redislint.target import CHART, CHART_VERSION, Assumption, Unresolved, ValuesIssue
from redislint.wrappers.flux import truthy

# --------------------------------------------------------------------------------------------
# Argo CD Application values: `valueFiles`, `valuesObject` or `values`, `parameters`, in Argo CD's order.
#
# docs/user-guide/helm.md: "parameters > valuesObject > values > valueFiles > chart values.yaml".
# `valuesObject` and `values` are not merged: `ApplicationSourceHelm.ValuesYAML()` returns
# `valuesObject` when it is set and the `values` string otherwise, so a `values` string next to a
# `valuesObject` is ignored (reported as RL102).
#
# `valueFiles` (same docs, "Values Files" and "Glob Patterns in Value Files"):
# - a plain path is relative to the chart: for a chart in Git, `source.path` inside that
#   repository; for a chart from a Helm repository or an OCI registry, inside the chart package,
#   which is never among the inputs. A leading `/` is the repository root; `..` may not leave it.
# - `$ref/path` is relative to the root of the repository of the source with `ref: <ref>`
#   (multi-source Applications, Argo CD 2.6+).
# - globs (`*`, `?`, `[...]`, `**`) expand in place, in lexical order, a directory's own files
#   before its subdirectories; a file listed explicitly keeps its explicit place, and a file
#   matched twice is used once, at its first place.
# - a missing file (or a glob that matches nothing) fails the Application unless
#   `ignoreMissingValueFiles: true`. Remote (http) value files are never fetched here.
#
# The repository is the git repository of the Application's file when the file is there; otherwise
# (the chart or values repository is another checkout given on the command line, or no git at
# all) a file is found by the end of its path, and only when one place fits: a bare name that fits
# several files is reported as ambiguous and none of them is used. A file that exists but was not
# read is an unseen layer: what it may set is not settled (see `ValuesView.settled`).
#
# `parameters[]` become one layer on top, built as `helm --set` (or `--set-string` with
# `forceString: true`) would, with every span at the parameter's `value`.

_TEMPLATED = re.compile(r"\{\{|\$\{|\$ARGOCD_|\$[A-Z_][A-Z0-9_]*")


class ArgoValues:
    """The layers of one Application source, lowest priority first."""

    __slots__ = ("anchor", "issues", "layers", "problems", "unresolved", "value_files")

    def __init__(self, anchor: Span | None = None) -> None:
        self.layers: list[ValuesLayer] = []
        self.unresolved: list[Unresolved] = []
        self.issues: list[ValuesIssue] = []
        self.anchor = anchor  # valuesObject / values key, else `helm:`, else the source
        self.problems: list[SourceProblem] = []  # syntax errors and duplicate keys of `helm.values`
        self.value_files: list[YamlFile] = []  # files read as value files


def ref_sources(sources: SeqNode | None) -> dict[str, MapNode]:
    """`ref:` name -> source, for `$ref/path` value files."""
    out: dict[str, MapNode] = {}
    if isinstance(sources, SeqNode):
        for src in sources.items:
            if isinstance(src, MapNode) and text_of(src.get("ref")):
                out[str(text_of(src.get("ref")))] = src
    return out


def chart_in_package(src: MapNode) -> bool:
    """True when the chart is a packaged chart (Helm repository or OCI registry), not a directory in Git."""
    repo = text_of(src.get("repoURL")) or ""
    return bool(text_of(src.get("chart"))) or repo.startswith("oci://")


def argo_values(src: MapNode, refs: dict[str, MapNode], idx: InputIndex, app_path: str) -> ArgoValues:
    """Every values layer of one Application source (in file `app_path`) found among the inputs."""
    out = ArgoValues(anchor=src.span)
    helm = src.get("helm")
    if not isinstance(helm, MapNode):
        return out
    out.anchor = src.key_node("helm").span  # type: ignore[union-attr]
    _value_files(src, helm, refs, idx, app_path, out)
    obj, values = helm.get("valuesObject"), helm.get("values")
    if isinstance(obj, MapNode):
        out.layers.append(ValuesLayer("helm.valuesObject", obj))
        out.anchor = helm.key_node("valuesObject").span  # type: ignore[union-attr]
        if isinstance(values, ScalarNode) and isinstance(values.value, str) and values.value.strip():
            key = helm.key_node("values")
            out.issues.append(ValuesIssue(
                "RL102", "helm.values has no effect: helm.valuesObject is also set, and Argo CD then uses "
                "valuesObject alone (the two are not merged), so nothing in this values string is applied",
                key.span if key is not None else values.span, "helm.values",
                "Move these values into helm.valuesObject, or remove one of the two"))
    elif isinstance(values, ScalarNode) and isinstance(values.value, str):
        parsed = load_yaml_embedded(values.embedded())
        if "{{" not in values.value:  # an ApplicationSet fills templates in first: not YAML yet
            out.problems.extend(parsed.problems)
        for vdoc in parsed.documents:
            if isinstance(vdoc.root, MapNode):
                out.layers.append(ValuesLayer("helm.values", vdoc.root))
        out.anchor = helm.key_node("values").span  # type: ignore[union-attr]
    _parameters(helm, out)
    return out


# --------------------------------------------------------------------------------------------
# Which chart a source deploys: `chart` + `targetRevision` (Helm repository), an `oci://` repoURL
# with `path: .`, or a chart directory in Git (`path: bitnami/redis` in github.com/bitnami/charts,
# with a tag such as `redis/20.1.0` as targetRevision).

# Tags the chart repositories use for one chart's releases: bitnami/charts `redis/20.1.0`,
# DandyDeveloper/charts `redis-ha-4.12.0`.
_CHART_TAG = re.compile(r"^(?:refs/tags/)?(?P<chart>[A-Za-z0-9_.-]+?)[/-]v?(?P<version>\d+\.\d+\.\d+)$")
_CHART_REPOS = {
    "github.com/bitnami/charts": "bitnami",
    "github.com/dandydeveloper/charts": "dandydeveloper",
}


class ArgoChart(NamedTuple):
    """The chart an Application source deploys, as far as it says."""

    name: str  # as written ("redis", "oci://…/valkey"), or the last directory of a Git path; "" if none
    constraint: str | None
    how: str = "chart"  # "chart" when named, "assumed" when only a Git directory's name is known
    assumptions: tuple[Assumption, ...] = ()
    span: Span | None = None  # where the chart is named
    why_not: str = ""  # why the source cannot be analysed at all (a config management plugin)
    repo_url: str = ""  # the source's repoURL as written: which publisher's chart it is (`redislint.kinds.registry`)
    version_span: Span | None = None  # targetRevision of a Helm repository chart, when written


def _repo_key(url: str) -> str:
    """`https://github.com/bitnami/charts.git` -> `github.com/bitnami/charts` (lower case)."""
    url = re.sub(r"^[a-z+]+://", "", url.strip().lower()).removeprefix("git@").replace(":", "/", 1)
    return url.removesuffix("/").removesuffix(".git")


def argo_chart(src: MapNode) -> ArgoChart:
    """The chart of one Application source."""
    chart_node, repo_node, path_node = src.get("chart"), src.get("repoURL"), src.get("path")
    chart, repo, path = text_of(chart_node), text_of(repo_node) or "", text_of(path_node)
    revision = text_of(src.get("targetRevision"))
    plugin = src.get("plugin")
    revision_node = src.get("targetRevision")
    revision_span = revision_node.span if revision_node is not None else None
    if chart:
        return ArgoChart(chart, revision, "chart", (), chart_node.span, repo_url=repo,
                         version_span=revision_span)
    if repo.startswith("oci://"):
        # Current docs: `repoURL: oci://registry-1.docker.io/bitnamicharts/redis` with `path: .`.
        return ArgoChart(repo, revision, "chart", (), repo_node.span, repo_url=repo,
                         version_span=revision_span)
    if not path:
        return ArgoChart("", None)
    directory = posixpath.normpath(path).rstrip("/")
    name = directory.rsplit("/", 1)[-1]
    span = path_node.span
    why_not = ""
    if isinstance(plugin, MapNode):
        plugin_name = text_of(plugin.get("name")) or "a config management plugin"
        why_not = (f"the chart at {path} is rendered by the config management plugin {plugin_name}, which "
                   "redislint does not run, so the values it passes are unknown")
    known_repo = _CHART_REPOS.get(_repo_key(repo))
    tag = _CHART_TAG.match(revision or "")
    version = tag.group("version") if tag and tag.group("chart").lower() in (name.lower(), name.lower() + "-chart")         else None
    if version is None:
        note = (f"targetRevision {revision} names no release of chart {name}" if revision
                else "no targetRevision: the default branch") + "; the chart version is unknown"
    else:
        note = ""
    unknown_version = version_assumptions([note], CHART_VERSION) if note else ()
    if known_repo is not None:
        # The chart's own repository: the directory is that chart.
        return ArgoChart(name, version, "chart", unknown_version, span, why_not, repo)
    taken = Assumption(CHART, f"chart taken from the Git directory {path} of {repo or 'the repository'}", span, path)
    return ArgoChart(name, version, "assumed", (taken, *unknown_version), span, why_not, repo)


class _Resolved(NamedTuple):
    """What one `valueFiles` entry names: the files (in Helm's order), or why none can be used."""

    files: list[YamlFile]
    problem: str = ""  # why nothing was read ("" when files were found or the file is simply missing)
    missing: bool = False  # the file is not among the inputs (ignoreMissingValueFiles may excuse that)
    fatal: bool = False  # Argo CD itself fails (no such ref, outside the repository)


def _resolve(name: str, src: MapNode, refs: dict[str, MapNode], idx: InputIndex, app_path: str) -> _Resolved:
    if name.startswith(("http://", "https://")):
        return _Resolved([], "is fetched over the network by Argo CD and was not read")
    if name.startswith("$"):
        ref, _, rest = name[1:].partition("/")
        if ref not in refs:
            if _TEMPLATED.search(name):
                return _Resolved([], "is filled in when the Application is generated, so which file it names is "
                                     "not known here")
            return _Resolved([], f"no source of this Application has ref: {ref}, so Argo CD cannot render it",
                             fatal=True)
        relative = rest
    else:
        if _TEMPLATED.search(name):
            return _Resolved([], "is filled in when the Application is generated, so which file it names is not "
                                 "known here")
        if chart_in_package(src):
            chart = text_of(src.get("chart")) or (text_of(src.get("repoURL")) or "").rsplit("/", 1)[-1]
            return _Resolved([], f"is read from inside the chart package ({chart}), which is not among the inputs",
                             missing=True)
        relative = name[1:] if name.startswith("/") else posixpath.join(text_of(src.get("path")) or ".", name)
    relative = posixpath.normpath(relative)
    if relative == ".." or relative.startswith("../"):
        return _Resolved([], "points outside the repository; Argo CD refuses it", fatal=True)
    glob = is_glob(relative)
    root = idx.repository_root(app_path)
    beside: list[YamlFile] = []
    if root is not None:
        found = idx.files_under(root, relative) if glob else [f for f in [idx.file_at(os.path.join(root, relative))]
                                                              if f is not None]
        if found:
            return _Resolved(found)
    # Not in the Application's repository: the chart's (or the values') repository may be another
    # checkout among the inputs. Only a place that fits the whole path, and only one, is used.
    by_base: dict[str, list[YamlFile]] = {}
    inside = root.rstrip(os.sep) + os.sep if root is not None else None
    for base, files in idx.files_ending(relative).items():
        if inside is not None and (base + os.sep).startswith(inside):
            beside += files
        else:
            by_base[base] = files
    if len(by_base) == 1:
        return _Resolved(next(iter(by_base.values())))
    if len(by_base) > 1:
        where = ", ".join(shown_path(files[0].path) for files in list(by_base.values())[:3])
        more = f" and {len(by_base) - 3} more" if len(by_base) > 3 else ""
        return _Resolved([], f"fits {len(by_base)} files among the inputs ({where}{more}) and redislint cannot tell "
                             "which one Argo CD reads, so none was used")
    hint = f" ({shown_path(beside[0].path)} has that name but not that path)" if beside else ""
    return _Resolved([], f"is not among the inputs{hint}", missing=True)


def _value_files(src: MapNode, helm: MapNode, refs: dict[str, MapNode], idx: InputIndex, app_path: str,
                 out: ArgoValues) -> None:
    files = helm.get("valueFiles")
    if not isinstance(files, SeqNode):
        return
    ignore_missing = truthy(helm.get("ignoreMissingValueFiles"))
    entries: list[tuple[ScalarNode, _Resolved]] = []
    explicit: set[int] = set()
    for item in files.items:
        if not isinstance(item, ScalarNode) or not text_of(item):
            continue
        resolved = _resolve(str(item.text), src, refs, idx, app_path)
        entries.append((item, resolved))
        if not is_glob(str(item.text)):
            explicit.update(id(f) for f in resolved.files)
    used: set[int] = set()
    for item, resolved in entries:
        name = str(item.text)
        what = f"valueFiles {name}"
        if not resolved.files:
            excused = resolved.missing and ignore_missing and not resolved.fatal
            if resolved.fatal:
                message = f"{what}: {resolved.problem}"
            elif excused:
                message = (f"{what} {resolved.problem}; with ignoreMissingValueFiles Argo CD uses it when it exists, "
                           "so the values it may set were not checked")
            elif resolved.missing:
                message = f"{what} {resolved.problem}; values it sets were not checked — pass that file too"
            else:
                message = f"{what} {resolved.problem}; values it sets were not checked"
            out.unresolved.append(Unresolved(message, item.span, "helm.valueFiles", "note" if excused else "",
                                             "" if resolved.fatal else what))
            if not resolved.fatal:
                out.layers.append(unseen_layer(what, item.span))
            continue
        for f in resolved.files:
            if id(f) in used or (is_glob(name) and id(f) in explicit):
                continue  # a file is passed once, at its explicit place, else its first match
            used.add(id(f))
            doc = next((d for d in f.documents if isinstance(d.root, MapNode)), None)
            if doc is not None:
                out.value_files.append(f)
                label = what if not is_glob(name) else f"{what} ({shown_path(f.path)})"
                out.layers.append(ValuesLayer(label, doc.root))  # type: ignore[arg-type]


def _parameters(helm: MapNode, out: ArgoValues) -> None:
    file_params = helm.get("fileParameters")
    if isinstance(file_params, SeqNode):
        for p in file_params.items:
            if isinstance(p, MapNode):
                out.unresolved.append(Unresolved(
                    f"helm.fileParameters {text_of(p.get('name')) or '?'} takes its value from the file "
                    f"{text_of(p.get('path')) or '?'} in the repository, which was not read; that value was not checked",
                    p.span, "helm.fileParameters"))
    params = helm.get("parameters")
    if not isinstance(params, SeqNode) or not params.items:
        return
    key = helm.key_node("parameters")
    layer = SetLayer(key.span if key is not None else params.span)
    for p in params.items:
        if not isinstance(p, MapNode):
            continue
        name_node, value = p.get("name"), p.get("value")
        name = text_of(name_node) or ""
        path = parse_set_path(name)
        span = value.span if value is not None else (name_node.span if name_node is not None else p.span)
        if path is None:
            shown = name if len(name) <= 80 else name[:77] + "..."
            out.unresolved.append(Unresolved(f"helm.parameters name {shown!r} is not a Helm --set path; Argo CD fails "
                                             "to render it", span, "helm.parameters"))
            continue
        text = str(value.text) if isinstance(value, ScalarNode) and value.value is not None else ""
        force = truthy(p.get("forceString"))
        items = None if force else split_list_value(text)
        typed = [typed_value(i) for i in items] if items is not None else typed_value(text, force)
        layer.set(path, value_node(typed, text, span, value if isinstance(value, ScalarNode) else None), span)
    if layer.count:
        out.layers.append(ValuesLayer("helm.parameters", layer.build(), assigned=True))
