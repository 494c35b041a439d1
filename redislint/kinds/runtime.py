"""Settings an operator applies with CONFIG SET after Redis started: never in a file, lost on restart.

spotahome's `customConfig` and the OT operator's `dynamicConfig` are such *runtime-only* layers. A
target's `evaluation` is what a running pod reports once the operator has passed (the boot config,
then these values); `RuntimeConfig.boot` is what the pod runs with after every restart until the
operator's next pass, or for good while the operator is down. RL019 judges the difference.

CONFIG SET is not a config-file line: `CONFIG SET save "900 1"` replaces the save points (a file's
second `save` line adds one), and CONFIG SET refuses what cannot change at run time (immutable
settings; protected ones such as `dir` on Redis 7.0+ unless `enable-protected-configs` allows it).
"""

from __future__ import annotations

from typing import NamedTuple

from redislint.redisconf import (
    ConfigSource,
    ConfLine,
    Evaluation,
    Include,
    RedisVersion,
    evaluate,
)
from redislint.redisconf.directives import DirectiveTable
from redislint.redisconf.evaluate import Assignment, Setting

RUNTIME_ONLY = "runtime-only"  # the typed kind of such a config layer


class Refused(NamedTuple):
    """A runtime entry CONFIG SET refuses (or never reaches), and why."""

    line: ConfLine
    reason: str


class RuntimeConfig(NamedTuple):
    """The runtime-only layer of a target: what was applied by CONFIG SET, what was refused, and how."""

    layer: str  # "spec.redis.customConfig (CONFIG SET by the operator)"
    field: str  # the field a person edits: "spec.redis.customConfig"
    mechanism: str  # one phrase: "the spotahome operator runs CONFIG SET on every pod at each reconcile (30 s)"
    boot: Evaluation  # the config a restarted pod runs with until the operator's next pass
    # Where a setting goes so that Redis reads it at every start, with `{line}` for the directive:
    # "add `{line}` to the ConfigMap's redis-additional.conf".
    boot_place: str
    applied: tuple[ConfLine, ...]  # entries CONFIG SET accepts, in order
    refused: tuple[Refused, ...] = ()
    kind: str = RUNTIME_ONLY


def _save_value(line: ConfLine) -> str | None:
    """CONFIG SET save takes every pair in one value (a 6.2 config file line does not): the value, or None."""
    args = [a for a in line.args if a != ""]
    if not args:
        return ""
    if len(args) % 2 or not all(a.lstrip("-").isdigit() for a in args):
        return None
    return " ".join(str(int(a)) for a in args)


def _refusal(line: ConfLine, table: DirectiveTable, boot: Evaluation) -> str:
    """Why CONFIG SET refuses this entry, or "" when it accepts it."""
    if line.key == "save":
        return "" if _save_value(line) is not None else "CONFIG SET save takes pairs of numbers (seconds changes)"
    if line.problem is not None:
        return line.problem.reason or line.problem.kind
    info = table.lookup(line.name)
    if info is None or not info.is_setting:
        return f"CONFIG SET knows no setting {line.name!r}"
    if info.immutable:
        return f"{info.primary} cannot be changed at run time (CONFIG SET refuses immutable settings)"
    if info.protected and (boot.value("enable-protected-configs") or "no") == "no":
        return (f"{info.primary} is a protected setting: CONFIG SET refuses it while enable-protected-configs is "
                "no (the default)")
    return ""


def apply_runtime(boot_source: ConfigSource, lines: list[ConfLine], version: RedisVersion, *, layer: str,
                  field: str, mechanism: str, boot_place: str,
                  stop_at_first_error: bool) -> tuple[Evaluation, RuntimeConfig]:
    """(the running pod's evaluation, the runtime layer) after CONFIG SET of each line on top of the boot config.

    A CONFIG SET changes what a config line with the same arguments changes (one class of
    client-output-buffer-limit, say), so the accepted entries are read like a file included after the
    boot config; `save` is the exception: CONFIG SET replaces the save points, applied here afterwards.
    """
    boot = evaluate(boot_source, version)
    table = DirectiveTable.for_version(version)
    applied: list[ConfLine] = []
    refused: list[Refused] = []
    stopped: ConfLine | None = None
    for line in lines:
        if stopped is not None:
            refused.append(Refused(line, f"never applied: the operator stops at the first entry Redis refuses "
                                         f"('{stopped.raw}')"))
            continue
        reason = _refusal(line, table, boot)
        if reason:
            refused.append(Refused(line, reason))
            if stop_at_first_error:
                stopped = line
            continue
        applied.append(line)
    others = tuple(line for line in applied if line.key != "save")
    running = evaluate(ConfigSource(boot_source.layer, (*boot_source.items, Include(ConfigSource(layer, others)))),
                       version) if others else boot
    settings = dict(running.settings)
    for line in applied:
        if line.key == "save":
            value = _save_value(line) or ""
            old = settings.get("save")
            history = (old.history if old is not None else ()) + (Assignment(layer, value, line, "set"),)
            settings["save"] = Setting("save", value, history)
    running = running._replace(settings=settings)
    return running, RuntimeConfig(layer, field, mechanism, boot, boot_place, tuple(applied), tuple(refused))
