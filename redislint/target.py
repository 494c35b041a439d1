"""A Target: one Redis process role to check, with its effective config and Kubernetes facts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from redislint.facts import K8sFacts
from redislint.model import Span

if TYPE_CHECKING:
    from redislint.charts.values_view import ValuesView
    from redislint.redisconf import ConfigSource, Evaluation, RedisVersion


class Unresolved(NamedTuple):
    """Something that could not be evaluated statically, and which checks it weakens (RL003)."""

    message: str
    span: Span
    subject: str = ""
    # "note" for things that may not exist at all (an optional valuesFrom source): worth knowing,
    # not worth a warning.
    severity: str = ""


class ValuesIssue(NamedTuple):
    """A values key with no effect (RL101 unknown key, RL102 ignored in this mode)."""

    code: str
    message: str
    span: Span
    subject: str
    fix: str = ""


class Target(NamedTuple):
    """One Redis role of one deployment (e.g. the master of HelmRelease database/redis)."""

    path: str
    name: str  # namespace/release, or the file name
    kind: str  # HelmRelease, values, Application, ConfigMap, redis.conf
    role: str  # master, primary, replica, node, server
    chart: str  # bitnami/redis, bitnami/valkey, redis-ha, "" for plain config
    chart_version: str | None
    redis_version: "RedisVersion"
    version_notes: tuple[str, ...]  # what was assumed about versions
    mode: str  # standalone, replication, sentinel, server
    source: "ConfigSource"
    evaluation: "Evaluation"
    facts: K8sFacts
    anchor: Span  # the object (document / values root) — last-resort location
    # Where an absent directive belongs, most specific first: the role's configuration block,
    # commonConfiguration, the role's values key, the values root.
    config_anchors: tuple[Span, ...] = ()
    values: "ValuesView | None" = None
    values_prefix: str = ""  # "master", "primary" or "replica": the values key of this role
    values_anchor: Span | None = None  # the `values:` key (or the values file's first line)
    unresolved: tuple[Unresolved, ...] = ()
    values_issues: tuple[ValuesIssue, ...] = ()
    annotations: dict[str, str] = {}  # shared and never mutated: a NamedTuple default is one object
    annotation_spans: dict[str, Span] = {}  # shared and never mutated: a NamedTuple default is one object
    source_problems: tuple[Any, ...] = ()  # structural problems of embedded config (folded blocks …)

    @property
    def label(self) -> str:
        """Human label: "database/redis (master)"."""
        return f"{self.name} ({self.role})"

    def setting(self, key: str):  # -> Setting | None
        """The effective Setting of a directive."""
        return self.evaluation.settings.get(key)

    def value(self, key: str) -> str | None:
        """The effective value of a directive as CONFIG GET returns it."""
        s = self.evaluation.settings.get(key)
        return s.value if s is not None else None

    def written(self, key: str):  # -> Assignment | None
        """The winning assignment if someone wrote it (not a built-in default)."""
        s = self.evaluation.settings.get(key)
        if s is None or not s.history:
            return None
        last = s.history[-1]
        return last if last.line is not None else None

    def directive_span(self, key: str) -> Span:
        """Where to point for a directive: its winning line if a person wrote it, else where it belongs."""
        a = self.written(key)
        if a is not None and a.line is not None and a.line.span.path:
            return a.line.span
        return self.config_anchor

    @property
    def config_anchor(self) -> Span:
        """Where a missing directive should be added."""
        return self.config_anchors[0] if self.config_anchors else self.anchor


class TargetOptions(NamedTuple):
    """Command-line overrides that apply to every target."""

    redis_version: str | None = None
    chart_version: str | None = None
    chart: str | None = None  # force the chart of bare values files


class ConfFile(NamedTuple):
    """A plain redis.conf / valkey.conf file."""

    path: str
    text: str
