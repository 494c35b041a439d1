"""A setting an operator applies only with CONFIG SET: every restarted pod runs without it for a while.

## What it does
Reports settings that exist only in a *runtime-only* layer: spotahome's `spec.redis.customConfig`
and the OT operator's `spec.redisConfig.dynamicConfig`. The operator sends them with `CONFIG SET`
to each running pod and never writes them to a file, so after every restart Redis runs on its
boot config until the operator's next pass, and for good while the operator is down. It says what
the boot config has instead, and reports entries CONFIG SET refuses (immutable or protected
settings) and, for spotahome, the entries after one, which the operator never reaches.

Severity follows the profile: an error where the setting is one the profile requires and only the
runtime value meets it (the AOF, a data-loss window, maxmemory, an allowed appendfsync or eviction
policy); a warning for other persistence and memory settings; a note for the rest.

## Why is this bad?
Redis reads its AOF only when it starts, and at start `appendonly` is the file's `no`: an AOF
switched on by CONFIG SET is never loaded, so a restarted pod loads its old dump.rdb and every
write since that snapshot is gone. A `maxmemory` set at run time does not cap a pod that just
restarted and is replaying traffic; it grows until the memory limit OOM-kills it. `CONFIG SET`
does not persist: a real redis-server restarted on the same file comes back without it
(tests/rules/test_runtime_only.py).

## Example
```yaml profile=cache
apiVersion: databases.spotahome.com/v1
kind: RedisFailover
metadata:
  name: cart
spec:
  redis:
    replicas: 3
    customConfig:
      - "appendonly yes"
      - "maxmemory 700mb"
      - "maxmemory-policy allkeys-lru"
    resources:
      limits:
        memory: 2Gi
    storage:
      persistentVolumeClaim:
        metadata:
          name: data
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 8Gi
```

## Use instead
```yaml profile=cache
apiVersion: databases.spotahome.com/v1
kind: RedisFailover
metadata:
  name: cart
spec:
  redis:
    replicas: 3
    command:
      - redis-server
      - /redis/redis.conf
      - --appendonly
      - "yes"
      - --maxmemory
      - 700mb
      - --maxmemory-policy
      - allkeys-lru
    resources:
      limits:
        memory: 2Gi
    storage:
      persistentVolumeClaim:
        metadata:
          name: data
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 8Gi
```

## Fix
Put the setting where Redis reads it at start: for the OT operator the `redis-additional.conf` key
of the ConfigMap named by `additionalRedisConfig`; for spotahome the options after the config file
in `spec.redis.command`. Keep the runtime layer for settings that may lag a restart (slowlog,
timeouts). Switching the AOF on over existing data needs the live switch first (RL203's fix).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from redislint.durability import PERSISTENCE_DIRECTIVES, format_seconds, window_for
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import at_most, client_class_limits

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.redisconf import ConfLine
    from redislint.target import Target

# Memory settings whose absence after a restart is an OOM risk (with the persistence directives).
_MEMORY = ("maxmemory", "maxmemory-policy")


def _quoted(value: str) -> str:
    return value if value else '""'


def _stake(key: str, boot: str, running: str, target: Target, profile: Profile) -> tuple[Severity | None, str]:
    """(severity, what a restarted pod does without it); severity None: the profile's own."""
    if key == "appendonly" and running.lower() == "yes":
        why = ("Redis loads the AOF only at start, and at start appendonly is no: it loads dump.rdb instead, so every "
               "write since the last snapshot is lost, and the AOF written at run time is never read")
        if profile.aof_required:
            return Severity.ERROR, why + f"; profile {profile.name} requires the AOF"
        return (Severity.NOTE if profile.disposable else Severity.WARNING), why
    if key == "maxmemory" and running not in ("0", "") and boot in ("0", ""):
        why = ("a restarted pod has no maxmemory: it grows until the memory limit OOM-kills it, and nothing evicts "
               "or refuses writes")
        if profile.maxmemory == "required":
            return Severity.ERROR, why + f"; profile {profile.name} requires maxmemory"
        return Severity.WARNING, why
    limit = profile.max_data_loss_seconds
    if key == "save" and limit is not None and target.runtime is not None:
        before = window_for(replace(target, evaluation=target.runtime.boot))
        after = window_for(target)
        if before is not None and after is not None and before.seconds > limit >= after.seconds:
            return Severity.ERROR, (f"with the boot config's save points the data-loss window is "
                                    f"{before.text}, vs at most {format_seconds(limit)} allowed by profile "
                                    f"{profile.name}")
    if key == "appendfsync" and not profile.allows_appendfsync(boot) and profile.allows_appendfsync(running):
        return Severity.ERROR, f"profile {profile.name} does not allow appendfsync {boot}"
    if key == "maxmemory-policy" and not profile.allows_eviction_policy(boot) \
            and profile.allows_eviction_policy(running):
        return Severity.WARNING, f"profile {profile.name} does not allow maxmemory-policy {boot}"
    if key in PERSISTENCE_DIRECTIVES or key in _MEMORY:
        return Severity.NOTE if profile.disposable else Severity.WARNING, ""
    return Severity.NOTE, ""


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _as_written(line: ConfLine) -> str:
    """The value as the entry writes it (`700mb`), not as CONFIG GET shows it (`734003200`)."""
    return " ".join(a if a else '""' for a in line.args) or '""'


def _argv(line: ConfLine) -> str:
    return ", ".join([f"--{line.name}"] + [f'"{a}"' if a in ("", "yes", "no") else a for a in line.args])


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    rt = target.runtime
    if rt is None:
        return
    # The last entry of a setting is the one that stays; client-output-buffer-limit keeps one per client class.
    last = {(line.key, line.args[0].lower() if line.key == "client-output-buffer-limit" and line.args else ""): line
            for line in rt.applied}
    for (key, cls), line in last.items():
        boot_setting = rt.boot.settings.get(key)
        boot = boot_setting.value if boot_setting is not None else ""
        running = target.value(key) or ""
        shown = key
        if cls:
            boot, running = (" ".join(client_class_limits(v, cls)) for v in (boot, running))
            shown = f"{key} {cls}"
        if boot == running:
            continue  # a restarted pod already runs with this value: nothing is lost in between
        severity, why = _stake(key, boot, running, target, profile)
        origin = boot_setting.winner.layer if boot_setting is not None else "not set"
        message = (f"{key} {_as_written(line)} is set only at run time: {rt.mechanism}, and never writes it to a file, "
                   f"so after every restart Redis runs with {shown} {_quoted(boot)} ({origin}) until the operator's "
                   f"next pass, and for good while the operator is down")
        if why:
            message += f"; {why}"
        fix = _sentence(rt.boot_place.format(line=line.raw, argv=_argv(line)))
        yield Hit(message, line.span, fix, subject=f"{rt.field}:{key}",
                  severity=severity if severity is None or severity.rank >= Severity.ERROR.rank
                  else at_most(profile, "RL019", severity))
    for refused in rt.refused:
        line = refused.line
        stake = line.key in PERSISTENCE_DIRECTIVES or line.key in _MEMORY
        reason = refused.reason.removeprefix("never applied: ")
        yield Hit(f"'{line.raw}' in {rt.field} is never applied: {reason}", line.span,
                  _sentence(rt.boot_place.format(line=line.raw, argv=_argv(line))) if stake
                  else f"Remove it from {rt.field}, or set it where Redis reads it at start",
                  subject=f"{rt.field}:refused:{line.key}",
                  severity=None if stake else at_most(profile, "RL019", Severity.WARNING))


RULE = define("RL019", "runtime-only-config", "validity", Severity.WARNING, __doc__, check,
              tags=("persistence", "operator"))
