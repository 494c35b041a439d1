"""A Target: one Redis process role to check, with its effective config and Kubernetes facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from redislint.facts import K8sFacts
from redislint.model import Span

if TYPE_CHECKING:
    from redislint.charts.values_view import ValuesView
    from redislint.kinds.runtime import RuntimeConfig
    from redislint.partial import Partial
    from redislint.redisconf import ConfigSource, Evaluation, RedisVersion


# Kinds of Assumption: what a conclusion can rest on that the inputs do not say.
CHART_VERSION = "chart-version"  # the chart version: not pinned, a range, or inferred from evidence
REDIS_VERSION = "redis-version"  # the Redis/Valkey version the target runs
VALUES_LAYER = "values-layer"  # a values layer (valuesFrom, valueFiles) that is not among the inputs
PARENT_DEFAULTS = "parent-defaults"  # an umbrella chart's own values for the Redis subchart
CHART = "chart"  # which chart (or deployment kind) the values are for, inferred from names or shapes

# Kinds of config layer (`Target.layer_kind`): what a layer is to the chart that renders it, so that
# no code reads it from the layer's label.
SHARED_LAYER = "shared"  # a config block every role reads besides its own (Bitnami commonConfiguration)
SHARED_DEFAULT_LAYER = "shared-default"  # the chart's default text of that block
ROLE_LAYER = "role"  # a role's own config block (master.configuration, redis-ha redis.config)
FLAGS_LAYER = "flags"  # command-line flags from the values (extraFlags)


class Assumption(NamedTuple):
    """Something a target's conclusions rest on that the inputs do not say, and the evidence used.

    Targets carry them (`Target.assumptions`); the engine links every finding to those it depends
    on (`redislint.assumptions`), and every output format shows them where the findings are.
    A new kind of assumption is one more entry: a kind above, a message, and the topics it weakens.
    """

    kind: str  # one of the kinds above
    message: str  # one sentence: what was assumed or inferred, and why ("...; assumed 23.1.1, the newest known")
    span: Span | None = None  # the place it concerns (the valuesFrom item, the missing pin), or None
    subject: str = ""  # tells several of one kind apart (the valuesFrom source, the role's values key)
    evidence: tuple[str, ...] = ()  # what an inference used: "image.tag 7.2.1-debian-11-r0: 18.0.4–18.1.2"
    # Topics (`redislint.assumptions.TOPICS`) of the conclusions that rest on it; empty: every finding of
    # the target's config and values.
    affects: frozenset[str] = frozenset()
    # True when a default the affected findings use differs between the versions still possible:
    # such a finding is reported at most as a warning, and its message names this assumption.
    uncertain: bool = False


class Unresolved(NamedTuple):
    """Something that could not be evaluated statically, and which checks it weakens (RL003)."""

    message: str
    span: Span
    subject: str = ""
    # "note" for things that may not exist at all (an optional valuesFrom source): worth knowing,
    # not worth a warning.
    severity: str = ""
    # A values layer that is not among the inputs ("valuesFrom ConfigMap redis-values"): every
    # conclusion about this target's values assumes it sets nothing that matters (an Assumption).
    unseen_layer: str = ""


class ValuesIssue(NamedTuple):
    """A values key with no effect (RL101 unknown key, RL102 ignored in this mode)."""

    code: str
    message: str
    span: Span
    subject: str
    fix: str = ""


class VersionPin(NamedTuple):
    """How a HelmRelease or Application pins the chart it installs (RL104)."""

    constraint: str  # as written; "*" when Flux's spec.chart.spec.version is absent (the newest release)
    span: Span  # the version (targetRevision) value, else where the chart is named
    installer: str  # "Flux" or "Argo CD"
    written: bool  # False: no version written at all


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """One Redis role of one deployment (e.g. the master of HelmRelease database/redis).

    Keyword-built and frozen: change one with `dataclasses.replace`.
    """

    path: str
    name: str  # namespace/release, or the file name
    kind: str  # HelmRelease, values, Application, ConfigMap, redis.conf
    role: str  # master, primary, replica, node, server
    chart: str  # bitnami/redis, bitnami/valkey, redis-ha, "" for plain config
    chart_version: str | None
    redis_version: RedisVersion
    mode: str  # standalone, replication, sentinel, server
    source: ConfigSource
    evaluation: Evaluation
    facts: K8sFacts
    anchor: Span  # the object (document / values root) — last-resort location
    # Where an absent directive belongs, most specific first: the role's configuration block,
    # commonConfiguration, the role's values key, the values root.
    config_anchors: tuple[Span, ...] = ()
    values: ValuesView | None = None
    values_prefix: str = ""  # "master", "primary" or "replica": the values key of this role
    values_anchor: Span | None = None  # the `values:` key (or the values file's first line)
    unresolved: tuple[Unresolved, ...] = ()
    values_issues: tuple[ValuesIssue, ...] = ()
    annotations: dict[str, str] = field(default_factory=dict)
    annotation_spans: dict[str, Span] = field(default_factory=dict)
    source_problems: tuple[Any, ...] = ()  # structural problems of embedded config (folded blocks …)
    assumptions: tuple[Assumption, ...] = ()  # what its conclusions rest on (versions, unseen layers …)
    # Layers that exist but were not read (see redislint.partial): None when everything was read.
    partial: Partial | None = None
    # For a replica: the master it copies, when the same inputs define it (its maxmemory bounds the
    # replica's data set, which the replica's own maxmemory does not: replica-ignore-maxmemory).
    upstream: Target | None = None
    # The kind of each config layer the chart renders, by its label (SHARED_LAYER ...); a label not
    # in it is of no kind a rule asks about (the chart's own lines, Redis defaults, a config file).
    layer_kinds: Mapping[str, str] = field(default_factory=dict)
    # Settings an operator applies only with CONFIG SET (redislint.kinds.runtime): `evaluation` holds them,
    # `runtime.boot` is what a restarted pod runs with until the operator's next pass. None: no such layer.
    runtime: RuntimeConfig | None = None
    # The chart version pin of the wrapper that installs this release (None for values files, subcharts,
    # Git sources, plain workloads).
    pin: VersionPin | None = None

    def layer_kind(self, layer: str) -> str:
        """What a config layer is (SHARED_LAYER ...), or "" (see `layer_kinds`)."""
        return self.layer_kinds.get(layer, "")

    @property
    def version_notes(self) -> tuple[str, ...]:
        """What was assumed or inferred about the chart and Redis versions, as sentences."""
        return tuple(a.message for a in self.assumptions if a.kind in (CHART_VERSION, REDIS_VERSION))

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
