"""Lifecycle facts of a chart role or a workload: image, storage class, rollout, grace period, probes, autoscaling.

Chart defaults, per chart and version (sources in the comments):
- Bitnami redis/valkey (`bitnami/redis/templates/{master,replicas,sentinel}/*.yaml`, values.yaml per major in
  /work/shared/reference/charts): liveness runs `/health/ping_liveness_local.sh` (`_and_master.sh` on a
  replica), which accepts PONG, LOADING and MASTERDOWN; the sentinel-mode startupProbe runs the same
  script, a replica's is a tcpSocket check before that; `terminationGracePeriodSeconds` 30 (the node
  StatefulSet of sentinel mode reads `sentinel.terminationGracePeriodSeconds`); `updateStrategy`
  RollingUpdate; storage class `global.storageClass`, else `persistence.storageClass`, else
  `global.defaultStorageClass` (common's `common.storage.class`).
- redis-ha (DandyDeveloper, `templates/redis-ha-statefulset.yaml`, values.yaml): liveness runs
  `redis_liveness.sh` (accepts LOADING); from 4.27.8 a startupProbe runs `redis_readiness.sh`, which
  fails until a replica has synced (DandyDeveloper/charts#293), 30 s + 5 × 15 s;
  `redis.terminationGracePeriodSeconds` 60 from 4.12.5 (30, the Kubernetes default, before).
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from redislint.charts.versions import Version
from redislint.facts import Fact, Probe
from redislint.sources import MapNode, Node, ScalarNode, SeqNode, node_at, to_plain

# Kubernetes' own defaults for a probe's fields (core/v1 Probe).
K8S_PERIOD, K8S_FAILURE, K8S_DELAY = 10, 3, 0

REDIS_HA_STARTUP_SINCE: Version = (4, 27, 8)
REDIS_HA_GRACE_SINCE: Version = (4, 12, 5)


def tolerates_loading(command: str) -> bool | None:
    """Whether an exec probe's command passes while Redis replies -LOADING.

    `redis-cli ping` exits 0 on an error reply unless given `-e` (redis/redis#8136, #5458), so a bare ping
    passes; a command that compares the reply with PONG, or a readiness script, fails. None: cannot tell.
    """
    text = command.lower()
    if "readiness" in text:
        return False
    if "liveness" in text and "/health/" in text:
        return True  # the Bitnami and redis-ha liveness scripts accept LOADING
    if not re.search(r"\b(redis|valkey|keydb)-cli\b", text):
        return None
    if "pong" in text:
        return "loading" in text  # `grep -e PONG -e LOADING` tolerates it; `= "PONG"` does not
    if re.search(r"(^|\s)-e(\s|$)", text):
        return False
    if re.search(r"\bping\b", text):
        return True
    return None


def probe_of(node: Node | None, defaults: tuple[int, int, int] = (K8S_DELAY, K8S_PERIOD, K8S_FAILURE)) -> Probe | None:
    """A Probe from a probe object as written in a pod spec (or a chart's custom*Probe value)."""
    if not isinstance(node, MapNode):
        return None
    command = ""
    handler = next((h for h in ("exec", "tcpSocket", "httpGet", "grpc") if node.get(h) is not None), "")
    if handler == "exec":
        argv = to_plain(node_at(node, "exec.command")) or []
        if isinstance(argv, list):
            command = " ".join(shlex.quote(str(a)) if " " in str(a) and i < len(argv) - 1 else str(a)
                               for i, a in enumerate(argv))
        else:
            command = str(argv)
    delay, period, failure = (_int(node.get("initialDelaySeconds"), defaults[0]),
                              _int(node.get("periodSeconds"), defaults[1]),
                              _int(node.get("failureThreshold"), defaults[2]))
    tolerant = tolerates_loading(command) if handler == "exec" else (True if handler == "tcpSocket" else None)
    return Probe(handler or "?", command, delay, period, failure, tolerant)


def _int(node: Node | None, default: int) -> int:
    if isinstance(node, ScalarNode) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return default


def _found(view: Any, path: str) -> Any:
    found = view.get(path)
    return found if found is not None and found.value not in (None, "", {}) else None


def bitnami_lifecycle(view: Any, prefix: str, role: str, chart: str, version: Version | None) -> dict[str, Any]:
    """Lifecycle facts of one Bitnami role (`prefix` is the values key of its pods)."""
    repo_default = "bitnami/valkey" if chart == "bitnami/valkey" else "bitnami/redis"
    registry = _found(view, "global.imageRegistry") or _found(view, "image.registry")
    repository = _found(view, "image.repository")
    tag = _found(view, "image.tag")
    digest = _found(view, "image.digest")
    image = (f"{registry.value if registry else 'docker.io'}/{repository.value if repository else repo_default}"
             + (f"@{digest.value}" if digest else f":{tag.value}" if tag else ""))
    image_span = (repository or registry or tag or digest)
    image_fact = Fact(image, image_span.span if image_span else None,
                      "image.*" if image_span else f"chart default image ({repo_default})")
    storage_class = Fact("", None, "cluster default storage class")
    for key in ("global.storageClass", f"{prefix}.persistence.storageClass", "global.defaultStorageClass"):
        klass = _found(view, key)
        if klass is not None:
            storage_class = Fact(str(klass.value), klass.span, key)
            break
    modes = view.get(f"{prefix}.persistence.accessModes")
    access = Fact(tuple(str(m) for m in modes.value) if modes is not None and isinstance(modes.value, list)
                  else ("ReadWriteOnce",), modes.span if modes is not None else None,
                  f"{prefix}.persistence.accessModes")
    strategy = view.get(f"{prefix}.updateStrategy.type")
    surge = view.get(f"{prefix}.updateStrategy.rollingUpdate.maxSurge")
    grace_key = "sentinel.terminationGracePeriodSeconds" if role == "node" else f"{prefix}.terminationGracePeriodSeconds"
    grace = view.get(grace_key)
    out: dict[str, Any] = {
        "image": image_fact, "storage_class": storage_class, "access_modes": access,
        "update_strategy": Fact(str(strategy.value), strategy.span, f"{prefix}.updateStrategy.type") if strategy
        else Fact("RollingUpdate", None, f"chart default ({prefix}.updateStrategy.type)"),
        "max_surge": Fact(surge.value, surge.span, f"{prefix}.updateStrategy.rollingUpdate.maxSurge") if surge
        else Fact(None, None, "Kubernetes default 25%"),
        "grace_period": Fact(_as_int(grace.value, 30), grace.span, grace_key) if grace is not None
        else Fact(30, None, f"chart default ({grace_key}: 30)"),
    }
    # Only custom probes can fail on LOADING: the chart's own scripts accept it.
    for fact, key in (("liveness", "customLivenessProbe"), ("startup", "customStartupProbe")):
        custom = view.get(f"{prefix}.{key}")
        if custom is not None and isinstance(custom.node, MapNode) and custom.node.entries:
            out[fact] = Fact(probe_of(custom.node), custom.span, f"{prefix}.{key}")
    auto = view.get(f"{prefix}.autoscaling.enabled") if role in ("replica", "node") else None
    if auto is not None and auto.value is True:
        low, high = view.value(f"{prefix}.autoscaling.minReplicas", 1), view.value(f"{prefix}.autoscaling.maxReplicas", 11)
        out["autoscaling"] = Fact((_as_int(low, 1), _as_int(high, 11)), auto.span, f"{prefix}.autoscaling")
    hpa = view.get(f"{prefix}.autoscaling.hpa.enabled") if role in ("replica", "node") else None
    if hpa is not None and hpa.value is True:  # Bitnami valkey
        low, high = view.value(f"{prefix}.autoscaling.hpa.minReplicas", 1), \
            view.value(f"{prefix}.autoscaling.hpa.maxReplicas", 11)
        out["autoscaling"] = Fact((_as_int(low, 1), _as_int(high, 11)), hpa.span, f"{prefix}.autoscaling.hpa")
    return out


def redis_ha_lifecycle(view: Any, version: Version | None) -> dict[str, Any]:
    """Lifecycle facts of the redis-ha `server` role."""
    klass = _found(view, "persistentVolume.storageClass")
    modes = view.get("persistentVolume.accessModes")
    grace = view.get("redis.terminationGracePeriodSeconds")
    grace_default = 60 if version is None or version >= REDIS_HA_GRACE_SINCE else 30
    image = _found(view, "image.repository")
    tag = _found(view, "image.tag")
    out: dict[str, Any] = {
        "storage_class": Fact(str(klass.value) if klass else "", klass.span if klass else None,
                              "persistentVolume.storageClass"),
        "access_modes": Fact(tuple(str(m) for m in modes.value) if modes is not None and isinstance(modes.value, list)
                             else ("ReadWriteOnce",), modes.span if modes is not None else None,
                             "persistentVolume.accessModes"),
        "grace_period": Fact(_as_int(grace.value, grace_default), grace.span, "redis.terminationGracePeriodSeconds")
        if grace is not None else Fact(grace_default, None, f"chart default (redis.terminationGracePeriodSeconds: "
                                                              f"{grace_default})"),
        "image": Fact(f"{image.value if image else 'redis'}:{tag.value if tag else ''}".rstrip(":"),
                      (image or tag).span if (image or tag) else None, "image.*"),
    }
    if version is None or version >= REDIS_HA_STARTUP_SINCE:
        enabled = view.get("redis.startupProbe.enabled")
        if enabled is None or enabled.value is not False:
            delay = _as_int(view.value("redis.startupProbe.initialDelaySeconds", 30), 30)
            period = _as_int(view.value("redis.startupProbe.periodSeconds", 15), 15)
            failure = _as_int(view.value("redis.startupProbe.failureThreshold", 5), 5)
            where = view.anchor("redis.startupProbe.failureThreshold", "redis.startupProbe.periodSeconds",
                                "redis.startupProbe.initialDelaySeconds", "redis.startupProbe")
            written = view.get("redis.startupProbe") is not None
            out["startup"] = Fact(Probe("exec", "sh -c /health/redis_readiness.sh", delay, period, failure, False),
                                  where, "redis.startupProbe" if written
                                  else "chart default redis.startupProbe (30 s + 5 × 15 s)")
    return out


def workload_lifecycle(root: MapNode, pod_spec: MapNode, container: MapNode) -> dict[str, Any]:
    """Lifecycle facts of a hand-written StatefulSet or Deployment."""
    kind = root.get("kind")
    is_deployment = isinstance(kind, ScalarNode) and kind.value == "Deployment"
    strategy_key = "spec.strategy" if is_deployment else "spec.updateStrategy"
    stype = node_at(root, f"{strategy_key}.type")
    surge = node_at(root, f"{strategy_key}.rollingUpdate.maxSurge")
    grace = node_at(pod_spec, "terminationGracePeriodSeconds")
    image = container.get("image")
    spec = root.get("spec")
    out: dict[str, Any] = {
        "update_strategy": Fact(str(stype.value), stype.span, f"{strategy_key}.type")
        if isinstance(stype, ScalarNode) else Fact("RollingUpdate", spec.span if spec is not None else None,
                                                   f"Kubernetes default ({strategy_key}.type)"),
        "max_surge": Fact(surge.value, surge.span, f"{strategy_key}.rollingUpdate.maxSurge")
        if isinstance(surge, ScalarNode) else Fact(None, None, "Kubernetes default 25%"),
        "grace_period": Fact(_as_int(grace.value, 30), grace.span, "terminationGracePeriodSeconds")
        if isinstance(grace, ScalarNode) else Fact(30, None, "Kubernetes default terminationGracePeriodSeconds (30)"),
        "image": Fact(str(image.value), image.span, "image") if isinstance(image, ScalarNode) else Fact("", None, ""),
    }
    for fact, key in (("liveness", "livenessProbe"), ("startup", "startupProbe")):
        node, key_node = container.get(key), container.key_node(key)
        if isinstance(node, MapNode):
            out[fact] = Fact(probe_of(node), key_node.span if key_node is not None else node.span, key)
    templates = node_at(root, "spec.volumeClaimTemplates")
    if isinstance(templates, SeqNode):
        for t in templates.items:
            klass = node_at(t, "spec.storageClassName") if isinstance(t, MapNode) else None
            if isinstance(klass, ScalarNode) and klass.value:
                out["storage_class"] = Fact(str(klass.value), klass.span, "volumeClaimTemplates storageClassName")
    return out


def _as_int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
