"""The exporter runs, but no Prometheus alert watches persistence.

## What it does
For chart releases whose exporter runs (`metrics.enabled: true`; redis-ha: `exporter.enabled`),
under a profile that requires monitoring, reports when the chart renders no PrometheusRule
(`metrics.prometheusRule.enabled` false or no `rules`; redis-ha: `prometheusRule.*`),
or when none of its alert expressions uses a persistence metric of redis_exporter for a
mechanism that is on: `redis_rdb_last_bgsave_status`, `redis_rdb_last_save_timestamp_seconds` or
`redis_rdb_changes_since_last_save` for RDB snapshots; `redis_aof_last_write_status` or
`redis_aof_last_bgrewrite_status` for the AOF.

## Why is this bad?
Metrics nobody alerts on are read after the incident. Persistence failures do not stop Redis
from serving reads, so without an alert the first signal is data missing after a restart. Note
that the runbook's `redis_aof_last_rewrite_status` is not a metric redis_exporter exports (it is
`redis_aof_last_bgrewrite_status`): an alert on it never fires.

## Example
```yaml profile=critical
architecture: replication
metrics:
  enabled: true
```

## Use instead
```yaml profile=critical
architecture: replication
commonConfiguration: |
  appendonly yes
  appendfsync always
  save 300 1
metrics:
  enabled: true
  prometheusRule:
    enabled: true
    rules:
      - alert: RedisBGSaveFailed
        expr: redis_rdb_last_bgsave_status == 0
        for: 5m
      - alert: RedisAOFWriteFailed
        expr: redis_aof_last_write_status == 0
        for: 5m
```

## Fix
Set `metrics.prometheusRule.enabled: true` with alerts such as
`redis_rdb_last_bgsave_status == 0`, `redis_aof_last_bgrewrite_status == 0`,
`redis_aof_last_write_status == 0` and `redis_rdb_last_save_timestamp_seconds < (time() - 3600)`
(runbook "Set Up Monitoring"), and let Prometheus scrape the exporter (`metrics.serviceMonitor`).
A chart without PrometheusRule values (redis-ha before 4.12.23) needs a PrometheusRule of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.charts.values_keys import key_table
from redislint.charts.versions import format_semver
from redislint.kinds.registry import vocabulary_of
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import chart_reads, is_user_span, save_points
from redislint.rules.rl701_persistence_unmonitored import values_anchor

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target

RDB_METRICS = ("redis_rdb_last_bgsave_status", "redis_rdb_last_save_timestamp_seconds",
               "redis_rdb_changes_since_last_save")
AOF_METRICS = ("redis_aof_last_write_status", "redis_aof_last_bgrewrite_status")
# Names people write that redis_exporter does not export (the runbook's own alert uses the first).
NOT_EXPORTED = {"redis_aof_last_rewrite_status": "redis_aof_last_bgrewrite_status"}


# What fails silently: a BGSAVE, an AOF rewrite (fork: Cannot allocate memory; the AOF then grows until
# the disk fills) and an AOF write (Redis then refuses writes with MISCONF).
_RDB_ALERTS = ("redis_rdb_last_bgsave_status == 0",)
_AOF_ALERTS = ("redis_aof_last_bgrewrite_status == 0", "redis_aof_last_write_status == 0")


def _alerts(needed: list[tuple[str, tuple[str, ...]]]) -> str:
    exprs = [e for what, _ in needed for e in (_RDB_ALERTS if what == "RDB snapshots" else _AOF_ALERTS)]
    return exprs[0] if len(exprs) == 1 else ", ".join(exprs[:-1]) + " and " + exprs[-1]


def _first_with(chart: str, path: str) -> str:
    """The first release of `chart` that reads `path`, as text ("" when unknown)."""
    table = key_table(chart)
    row = table.row(path) if table is not None else None
    return format_semver(row.first) if row is not None and row.first is not None else ""


def _scraped(target: Target) -> str:
    """", and ... serviceMonitor.enabled" when nothing scrapes the exporter for the rules to see."""
    v = vocabulary_of(target)
    key = v.service_monitor if v is not None and v.service_monitor else "metrics.serviceMonitor.enabled"
    found = target.values.get(key) if target.values is not None else None
    if found is not None and found.value is True:
        return ""
    return (f", and `{key}: true` (or a scrape of the exporter's pod annotations): the rules only see series "
            "Prometheus scrapes")


def _exprs(rules: object) -> list[str] | None:
    """Alert expressions of metrics.prometheusRule.rules; None when they are not a plain list."""
    if not isinstance(rules, list):
        return None
    out = []
    for rule in rules:
        if isinstance(rule, dict) and rule.get("alert") and rule.get("expr") is not None:
            out.append(str(rule["expr"]))
    return out


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    if not profile.monitoring_required or not facts.known or facts.metrics_enabled.value is not True:
        return
    view = target.values
    if view is None:
        return  # a hand-written workload: its PrometheusRule, if any, is a separate object
    v = vocabulary_of(target)
    rule_key = v.alerts if v is not None and v.alerts else "metrics.prometheusRule"
    needed: list[tuple[str, tuple[str, ...]]] = []
    if save_points(target):
        needed.append(("RDB snapshots", RDB_METRICS))
    if (target.value("appendonly") or "no").lower() == "yes":
        needed.append(("the AOF", AOF_METRICS))
    if not needed:
        return  # nothing is persisted: RL201/RL203/RL205 report that
    if facts.alerts_enabled.value is not True and chart_reads(target, f"{rule_key}.enabled") is False:
        # An older chart has no PrometheusRule of its own (redis-ha before 4.12.23): never advise the key.
        since = _first_with(target.chart, f"{rule_key}.enabled")
        yield Hit(f"The exporter runs but no alert watches persistence: {target.chart} {target.chart_version} has no "
                  f"{rule_key} values{f' (they arrived in {since})' if since else ''}, so a failing "
                  f"{' or '.join({'RDB snapshots': 'BGSAVE', 'the AOF': 'AOF write or rewrite'}[w] for w, _ in needed)} is only visible on a dashboard, unless a PrometheusRule outside this release watches it",
                  values_anchor(target, "exporter.enabled", "exporter", "metrics.enabled", "metrics"),
                  f"Create a PrometheusRule next to the release with alerts on {_alerts(needed)}"
                  + (f", or upgrade the chart to {since} or later and set `{rule_key}.enabled: true`" if since else ""),
                  subject=rule_key)
        return
    if facts.alerts_enabled.value is not True:
        found = view.get(f"{rule_key}.enabled")
        if found is None:
            state = f"{rule_key}.enabled is false (chart default)"
        elif found.value is not True:
            state = f"{rule_key}.enabled is false"
        else:
            state = f"{rule_key} has no rules"
        message = (f"The exporter runs but no alert watches persistence: {state}, so a failing BGSAVE or AOF write "
                   "is only visible on a dashboard")
        span = facts.alerts_enabled.span if is_user_span(facts.alerts_enabled.span) else \
            values_anchor(target, rule_key, rule_key.split(".")[0])
        first = f"Add rules to {rule_key}" if found is not None and found.value is True else \
            f"Set `{rule_key}.enabled: true` with rules"
        yield Hit(message, span, f"{first} alerting on {_alerts(needed)}{_scraped(target)}", subject=rule_key)
        return
    rules = view.get(f"{rule_key}.rules")
    exprs = _exprs(rules.value if rules is not None else None)
    if exprs is None:
        return  # not a list (a template, say): cannot tell
    # Label matchers are often templated ({{ include "common.names.fullname" . }}); metric names are not.
    missing = [(what, names) for what, names in needed if not any(n in e for n in names for e in exprs)]
    if not missing:
        return
    wrong = sorted({bad for bad in NOT_EXPORTED for e in exprs if bad in e})
    what = " and ".join(w for w, _ in missing)
    metrics = " and ".join(f"{names[0]} == 0" for _, names in missing)
    used = [n for _, names in missing for n in names]
    message = (f"{rule_key} has {len(exprs)} alert(s), but none on {what}: no expression uses "
               f"{', '.join(used[:-1])} or {used[-1]}")
    if wrong:
        message += "; " + ", ".join(f"{w} is not a redis_exporter metric (it is {NOT_EXPORTED[w]}), so its alert "
                                    "never fires" for w in wrong)
    span = rules.key_span if rules is not None else values_anchor(target, rule_key)
    yield Hit(message, span, f"Add alerts on {metrics}", subject=f"{rule_key}.rules")


RULE = define("RL702", "no-persistence-alerts", "monitoring", Severity.WARNING, __doc__, check,
              tags=("monitoring", "persistence"))
