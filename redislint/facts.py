"""Kubernetes facts a chart derives from its values, each with the place it came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Generic, NamedTuple, TypeVar

from redislint.model import Span

T = TypeVar("T", covariant=True)  # a Fact is frozen: a Fact[int] is a Fact[int | None]


@dataclass(frozen=True, slots=True)
class Fact(Generic[T]):
    """A derived value, the values key that set it (span None for chart defaults), and a readable origin.

    `origin` is for people; code asks `values_path`: the values key the value was read from, or whose
    chart default it is (None when it comes from no values key: a manifest field, a template).
    """

    value: T
    span: Span | None = None
    origin: str = ""
    values_path: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON form used by `redislint effective --format json`."""
        return {
            "value": self.value,
            "origin": self.origin,
            "path": self.span.path if self.span else None,
            "line": self.span.line if self.span else None,
        }


class Probe(NamedTuple):
    """A liveness or startup probe as the pod runs it, and whether its handler survives a LOADING reply."""

    handler: str  # "exec", "tcpSocket", "httpGet", "grpc"
    command: str  # the exec command as one line ("" for other handlers)
    initial_delay: int
    period: int
    failure_threshold: int
    # True: passes while Redis answers -LOADING (an exit-code `redis-cli ping`, the Bitnami and redis-ha
    # liveness scripts); False: fails on it (a check for PONG, `-e`, a readiness script); None: unknown.
    tolerates_loading: bool | None

    @property
    def window(self) -> int:
        """Seconds from the container's start until this probe, failing every time, restarts it."""
        return self.initial_delay + self.failure_threshold * self.period


@dataclass(frozen=True, slots=True, kw_only=True)
class K8sFacts:
    """What the workload running one Redis role looks like (keyword-built; the defaults are immutable)."""

    memory_request: Fact[int | None] = Fact(None, None, "not set")
    memory_limit: Fact[int | None] = Fact(None, None, "not set")
    # "resources", "preset:<name>", "none" (no limit at all), "container" (hand-written manifest)
    memory_limit_source: str = "none"
    resources_preset: Fact[str | None] = Fact(None, None, "")
    persistence_enabled: Fact[bool] = Fact(True, None, "")
    persistent: Fact[bool] = Fact(False, None, "")  # a PersistentVolumeClaim backs the data dir
    storage_size: Fact[int | None] = Fact(None, None, "")
    medium: Fact[str] = Fact("", None, "")
    size_limit: Fact[int | None] = Fact(None, None, "")
    existing_claim: Fact[str] = Fact("", None, "")
    # What holds the data directory: "claim" (an existing PersistentVolumeClaim), "claim-template"
    # (claims the workload creates), "hostPath", "emptyDir", "none" (the container's filesystem);
    # "" when the builder does not say (then `persistent` decides: a claim template, or none).
    volume: str = ""
    workload_kind: Fact[str] = Fact("StatefulSet", None, "")
    data_path: Fact[str] = Fact("/data", None, "")
    pvc_created: Fact[bool] = Fact(True, None, "")
    pvc_deleted_with_release: Fact[bool] = Fact(False, None, "")
    pods: Fact[int] = Fact(1, None, "")  # pods running this role
    replicas_of_master: Fact[int | None] = Fact(None, None, "")  # replicas following the master
    fs_group: Fact[int | None] = Fact(None, None, "")
    run_as_user: Fact[int | None] = Fact(None, None, "")
    pod_security_context_enabled: Fact[bool] = Fact(True, None, "")
    volume_permissions: Fact[bool] = Fact(False, None, "")
    metrics_enabled: Fact[bool] = Fact(False, None, "")
    alerts_enabled: Fact[bool] = Fact(False, None, "")  # PrometheusRule with persistence alerts
    # Lifecycle (issue 16): what the pod does around a start, a stop and a rollout.
    storage_class: Fact[str] = Fact("", None, "")  # "": the cluster's default class, not named here
    access_modes: Fact[tuple[str, ...]] = Fact(("ReadWriteOnce",), None, "")
    image: Fact[str] = Fact("", None, "")  # registry/repository:tag as the pod pulls it; "" unknown
    # Lifecycle facts a kind's builder did not read keep an empty origin: rules do not judge them.
    update_strategy: Fact[str] = Fact("RollingUpdate", None, "")  # RollingUpdate, Recreate, OnDelete
    max_surge: Fact[Any] = Fact(None, None, "")  # a Deployment's rollingUpdate.maxSurge; None: 25%
    grace_period: Fact[int] = Fact(30, None, "")
    liveness: Fact[Probe | None] = Fact(None, None, "")
    startup: Fact[Probe | None] = Fact(None, None, "")
    autoscaling: Fact[tuple[int, int] | None] = Fact(None, None, "")  # (min, max) pods of an HPA on this role
    extra: Mapping[str, Fact[Any]] = field(default_factory=dict)
    # False for a bare redis.conf: nothing is known about the pod, so Kubernetes rules stay silent.
    known: bool = True

    def to_json(self) -> dict[str, Any]:
        """Every fact with its origin, for `effective --format json`."""
        out: dict[str, Any] = {}
        for name in FACT_FIELDS:
            if name == "volume":
                continue  # said by `persistent` and its origin
            value = getattr(self, name)
            if isinstance(value, Fact):
                out[name] = value.to_json()
                if isinstance(value.value, Probe):
                    out[name]["value"] = value.value._asdict()
            elif name == "extra":
                out.update({k: v.to_json() for k, v in value.items()})
            else:
                out[name] = value
        return out


FACT_FIELDS = tuple(f.name for f in fields(K8sFacts))
