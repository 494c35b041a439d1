"""A persistent volume with nothing that makes it writable for Redis's non-root user.

## What it does
For Kubernetes workloads with a PersistentVolumeClaim, reports when Redis runs as a non-root user
and nothing makes the volume writable for it: no `fsGroup` is applied (the Bitnami pod security
context is disabled, its `fsGroup` deleted with `null`, or a hand-written pod sets none) and the
Bitnami chart's `volumePermissions` init container does not run (it is off, or cannot render
because the pod security context is disabled).

## Why is this bad?
The Bitnami image runs Redis as uid 1001. A freshly provisioned volume usually belongs to root,
and only Kubernetes applying `fsGroup` (or an init container running `chown`) makes it writable
for that user. Without either, the first BGSAVE or AOF write fails with "Permission denied" on
`/data` ("Can't open the append-only file"), which is the runbook's "Permission Issues" failure:
the pod may keep running while nothing is persisted.

## Example
```yaml
architecture: standalone
master:
  podSecurityContext:
    enabled: false
```

## Use instead
```yaml
architecture: standalone
master:
  podSecurityContext:
    enabled: true
    fsGroup: 1001
```

## Fix
Keep `podSecurityContext.enabled: true` with an `fsGroup` matching the user
(`containerSecurityContext.runAsUser`), as the runbook's "Add security context" step does, or set
`volumePermissions.enabled: true` for storage that ignores `fsGroup` (hostPath, some NFS drivers).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.kinds.registry import vocabulary_of
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import fact_related, is_user_span

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    if not facts.known or facts.persistent.value is not True:
        return
    if facts.run_as_user.value == 0:
        return  # root can write anywhere
    v = vocabulary_of(target)
    # A chart with a volumePermissions init container and a pod security context switch (Bitnami).
    bitnami = v is not None and v.volume_permissions is not None
    psc_key = facts.pod_security_context_enabled.values_path if bitnami else None
    psc_on = facts.pod_security_context_enabled.value is not False
    fs_key = facts.fs_group.values_path
    # `fsGroup: null` deletes the chart default in Helm; the fact reader reports the default instead.
    deleted = target.values.is_null(fs_key) if target.values is not None and fs_key else None
    fs_group = None if deleted is not None else facts.fs_group.value
    if psc_on and fs_group is not None:
        return
    if facts.volume_permissions.value is True and psc_on:
        return  # the init container chowns the volume (or, for a plain workload, Redis starts as root)
    if not psc_on:
        cause = f"{psc_key or 'the pod security context'} is false, so no fsGroup is applied to the volume"
        where = facts.pod_security_context_enabled.span
    elif target.values is not None:
        cause = f"{fs_key or 'fsGroup'} is null, so the volume keeps its owner"
        where = deleted.key_span if deleted is not None else facts.fs_group.span
    else:
        cause = "the pod's securityContext sets no fsGroup, so the volume keeps its owner"
        # Nothing to point at for the missing fsGroup: the runAsUser that makes Redis non-root.
        where = facts.fs_group.span if is_user_span(facts.fs_group.span) else facts.run_as_user.span
    if bitnami and facts.volume_permissions.value is True:
        cause += ", and the volumePermissions init container is not rendered without a pod security context"
    elif bitnami:
        cause += ", and volumePermissions.enabled is false"
    user = facts.run_as_user.value
    who = f"uid {user}" if user is not None else "a non-root user"
    message = (f"The data volume at {facts.data_path.value} may not be writable for Redis ({who}): {cause}; Redis "
               "then fails every BGSAVE and AOF write with Permission denied")
    span = where if is_user_span(where) else target.config_anchor
    if bitnami:
        context = psc_key.rsplit(".", 1)[0] if psc_key else str(v.pod_security_context)  # type: ignore[union-attr]
        fix = (f"Set `{context}.enabled: true` with `{context}.fsGroup: 1001`, or `volumePermissions.enabled: true`")
        subject = context
    elif target.values is not None:
        fix = f"Set `{fs_key or 'securityContext.fsGroup'}` to the group Redis runs as"
        subject = fs_key or "securityContext.fsGroup"
    else:
        fix = ("Set `spec.template.spec.securityContext.fsGroup` to the group Redis runs as, or chown the data "
               "directory in an init container")
        subject = "securityContext.fsGroup"
    related = fact_related(facts.volume_permissions, "volumePermissions is set here") if bitnami else ()
    yield Hit(message, span, fix, related, subject=subject, causes=("persistence-on",))


RULE = define("RL601", "volume-permissions-unset", "permissions", Severity.WARNING, __doc__, check,
              tags=("kubernetes", "permissions", "volume"))
