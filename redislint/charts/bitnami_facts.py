"""Kubernetes facts the Bitnami redis/valkey templates derive from a role's values."""

from __future__ import annotations

from typing import Any

from redislint.charts.lifecycle import bitnami_lifecycle
from redislint.charts.presets import PRESET_MEMORY, default_preset
from redislint.charts.values_facts import FactReader
from redislint.charts.values_view import ValuesView
from redislint.charts.versions import Version
from redislint.facts import Fact, K8sFacts
from redislint.target import Unresolved

DEFAULT_SIZE = "8Gi"


def _truthy_map(value: Any) -> bool:
    return isinstance(value, dict) and bool(value)


def memory_facts(r: FactReader, prefix: str, chart: str, version: Version | None) -> dict[str, Any]:
    """Memory request/limit: `resources` when non-empty, else the preset (the chart's rule in §2.6)."""
    resources = r.view.get(f"{prefix}.resources")
    if resources is not None and _truthy_map(resources.value):
        limit = r.quantity(f"{prefix}.resources.limits.memory", None)
        request = r.quantity(f"{prefix}.resources.requests.memory", None)
        if limit.value is None and limit.span is None:
            limit = Fact(None, resources.key_span, f"{prefix}.resources has no limits.memory")
        elif request.value is None and request.span is None:
            # Kubernetes sets a missing request to the limit.
            request = Fact(limit.value, limit.span, f"{prefix}.resources.limits.memory (requests default to limits)")
        return {"memory_limit": limit, "memory_request": request, "memory_limit_source": "resources",
                "resources_preset": Fact(None, None, f"ignored: {prefix}.resources is set", f"{prefix}.resourcesPreset")}
    preset_found = r.view.get(f"{prefix}.resourcesPreset")
    if preset_found is not None:
        preset: Fact[str | None] = Fact(str(preset_found.value), preset_found.span, f"{prefix}.resourcesPreset", f"{prefix}.resourcesPreset")
    else:
        name = default_preset(chart, version)
        why = "chart has no resourcesPreset before 18.14.0" if name is None else f"chart default for {chart} {_v(version)}"
        preset = Fact(name, None, why, f"{prefix}.resourcesPreset")
    where = preset.span or (resources.key_span if resources is not None else None)
    if preset.value in PRESET_MEMORY:
        request_b, limit_b = PRESET_MEMORY[preset.value]
        origin = f"resourcesPreset {preset.value} ({preset.origin})"
        return {"memory_limit": Fact(limit_b, where, origin), "memory_request": Fact(request_b, where, origin),
                "memory_limit_source": f"preset:{preset.value}", "resources_preset": preset}
    return {"memory_limit": Fact(None, where, f"no resources and no preset ({preset.origin})"),
            "memory_request": Fact(None, where, "not set"), "memory_limit_source": "none",
            "resources_preset": preset}


def _v(version: Version | None) -> str:
    return ".".join(map(str, version)) if version else "(newest)"


def persistence_facts(r: FactReader, prefix: str, architecture: str, role: str,
                      retention_prefix: str, legacy: bool = False) -> dict[str, Any]:
    """PVC or emptyDir, as templates/{master,replicas,sentinel}/*.yaml render it (§2.5).

    Before 14.0.0 the master's claim was the top-level `persistence.existingClaim`
    (redis-master-statefulset.yaml); slaves had none.
    """
    enabled = r.fact(f"{prefix}.persistence.enabled", True)
    kind = r.fact(f"{prefix}.kind", "StatefulSet")
    if not legacy:
        existing = r.fact(f"{prefix}.persistence.existingClaim", "")
    elif role in ("master", "primary"):
        existing = r.fact("persistence.existingClaim", "")
    else:
        existing = Fact("", None, f"{prefix}.* has no existingClaim before 14.0.0")
    medium = r.fact(f"{prefix}.persistence.medium", "")
    size = r.quantity(f"{prefix}.persistence.size", DEFAULT_SIZE)
    size_limit = r.quantity(f"{prefix}.persistence.sizeLimit", None)
    path = r.fact(f"{prefix}.persistence.path", "/data")
    pvc_created = Fact(True, kind.span, "")
    volume = "claim-template"
    if enabled.value is not True or kind.value == "DaemonSet":
        volume = "emptyDir"
        persistent = Fact(False, enabled.span if enabled.value is not True else kind.span,
                          "persistence disabled: emptyDir" if enabled.value is not True else "DaemonSet: emptyDir")
    elif existing.value:
        volume = "claim"
        persistent = Fact(True, existing.span, f"existingClaim {existing.value}")
        # The chart mounts the claim as it is: persistence.size only sizes claims the chart creates.
        size = Fact(None, existing.span, f"existingClaim {existing.value}: its size is not in the values")
    elif kind.value == "Deployment":
        created = architecture == "standalone" and role in ("master", "primary")
        pvc_created = Fact(created, kind.span, "templates/master/pvc.yaml renders only for standalone"
                           if not created else "PVC created by the chart")
        persistent = Fact(created, kind.span, f"{prefix}.kind Deployment")
        volume = "claim-template" if created else "none"
    else:
        persistent = Fact(True, enabled.span, "volumeClaimTemplates")
    if persistent.value is not True:
        size = Fact(None, persistent.span, f"no PVC ({persistent.origin})")
    policy_enabled = r.fact(f"{retention_prefix}.persistentVolumeClaimRetentionPolicy.enabled", False)
    when_deleted = r.fact(f"{retention_prefix}.persistentVolumeClaimRetentionPolicy.whenDeleted", "Retain")
    deleted = Fact(bool(policy_enabled.value is True and when_deleted.value == "Delete"),
                   when_deleted.span or policy_enabled.span, "persistentVolumeClaimRetentionPolicy")
    return {"persistence_enabled": enabled, "persistent": persistent, "storage_size": size, "medium": medium,
            "size_limit": size_limit, "existing_claim": existing, "workload_kind": kind, "data_path": path,
            "pvc_created": pvc_created, "pvc_deleted_with_release": deleted, "volume": volume}


def security_facts(r: FactReader, prefix: str, legacy: bool) -> dict[str, Any]:
    """fsGroup / runAsUser / volumePermissions, which decide whether /data is writable."""
    if legacy:
        # 11.1.0 moved runAsUser from securityContext to containerSecurityContext.
        old_key = r.view.get("securityContext.runAsUser") is not None \
            and r.view.get("containerSecurityContext.runAsUser") is None
        run_as = r.fact("securityContext.runAsUser" if old_key else "containerSecurityContext.runAsUser", 1001)
        return {"fs_group": r.fact("securityContext.fsGroup", 1001), "run_as_user": run_as,
                "pod_security_context_enabled": r.fact("securityContext.enabled", True),
                "volume_permissions": r.fact("volumePermissions.enabled", False)}
    return {"fs_group": r.fact(f"{prefix}.podSecurityContext.fsGroup", 1001),
            "run_as_user": r.fact(f"{prefix}.containerSecurityContext.runAsUser", 1001),
            "pod_security_context_enabled": r.fact(f"{prefix}.podSecurityContext.enabled", True),
            "volume_permissions": r.fact("volumePermissions.enabled", False)}


def monitoring_facts(r: FactReader) -> dict[str, Any]:
    """The exporter sidecar and whether a PrometheusRule with alerts is rendered."""
    rule_enabled = r.fact("metrics.prometheusRule.enabled", False)
    rules = r.view.get("metrics.prometheusRule.rules")
    has_rules = bool(rules is not None and rules.value)
    alerts = Fact(bool(rule_enabled.value is True and has_rules), rules.span if rules else rule_enabled.span,
                  "metrics.prometheusRule" if has_rules else "metrics.prometheusRule has no rules")
    return {"metrics_enabled": r.fact("metrics.enabled", False), "alerts_enabled": alerts}


def build_facts(view: ValuesView, prefix: str, role: str, chart: str, version: Version | None,
                architecture: str, pods: Fact[int], replicas_of_master: Fact[int | None],
                retention_prefix: str, legacy: bool) -> tuple[K8sFacts, list[Unresolved]]:
    """All facts for one role; the list holds values that could not be parsed."""
    r = FactReader(view)
    parts: dict[str, Any] = {}
    parts.update(memory_facts(r, prefix, chart, version))
    parts.update(persistence_facts(r, prefix, architecture, role, retention_prefix, legacy))
    parts.update(security_facts(r, prefix, legacy))
    parts.update(monitoring_facts(r))
    parts.update(bitnami_lifecycle(view, prefix, role, chart, version))
    return K8sFacts(pods=pods, replicas_of_master=replicas_of_master, **parts), r.unresolved
