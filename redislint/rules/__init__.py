"""The rule registry: one module per rule, listed here explicitly, in code order."""

from __future__ import annotations

from importlib import import_module

from redislint.rules._api import Hit, Rule, RuleDoc, define

# One line per rule. A meta-test checks that every rlNNN_*.py module is listed and every code unique.
RULE_MODULES = (
    "rl001_yaml_syntax_error",
    "rl002_duplicate_yaml_key",
    "rl003_unresolved_value",
    "rl004_redis_not_analysed",
    "rl010_unknown_directive",
    "rl011_invalid_directive_value",
    "rl012_wrong_argument_count",
    "rl013_trailing_comment",
    "rl014_yaml_in_redis_conf",
    "rl015_folded_config_block",
    "rl016_directive_not_in_version",
    "rl017_deprecated_alias",
    "rl018_overridden_directive",
    "rl020_ignored_directive",
    "rl101_unknown_values_key",
    "rl102_values_ignored_in_mode",
    "rl103_values_dropped_by_upgrade",
    "rl201_rdb_disabled",
    "rl202_save_rules_unbounded",
    "rl203_aof_disabled",
    "rl204_appendfsync_not_allowed",
    "rl205_data_loss_window_exceeded",
    "rl206_bgsave_errors_ignored",
    "rl207_fsync_paused_during_rewrite",
    "rl208_rdb_checksum_disabled",
    "rl209_aof_rewrite_disabled",
    "rl210_persistence_dir_not_on_volume",
    "rl211_snapshots_on_disposable_data",
    "rl212_aof_enabled_on_existing_data",
    "rl213_persistence_switched_off",
    "rl214_rdb_format_downgrade",
    "rl301_maxmemory_unset",
    "rl302_memory_limit_missing",
    "rl303_fork_headroom_insufficient",
    "rl304_maxmemory_exceeds_limit",
    "rl305_eviction_policy_not_allowed",
    "rl306_eviction_policy_without_maxmemory",
    "rl307_chart_preset_resources",
    "rl308_memory_request_below_maxmemory",
    "rl309_replica_smaller_than_master",
    "rl401_persistence_disabled",
    "rl402_pvc_too_small",
    "rl403_no_pvc_created",
    "rl404_pvc_deleted_with_release",
    "rl405_memory_backed_volume",
    "rl406_replicas_without_persistence",
    "rl409_volume_claim_changed",
    "rl410_data_path_moved",
    "rl501_too_few_replicas",
    "rl502_min_replicas_unreachable",
    "rl601_volume_permissions_unset",
    "rl701_persistence_unmonitored",
    "rl702_no_persistence_alerts",
    "rl801_plaintext_password",
    "rl901_unused_suppression",
    "rl902_suppression_without_reason",
    "rl903_unknown_rule_in_suppression",
)

ALL_RULES: tuple[Rule, ...] = tuple(import_module(f"{__name__}.{m}").RULE for m in RULE_MODULES)
_BY_CODE = {r.code: r for r in ALL_RULES}
_BY_NAME = {r.name: r for r in ALL_RULES}


def rule_by_code(code: str) -> Rule | None:
    """Look a rule up by its code (RL203)."""
    return _BY_CODE.get(code.upper())


def find_rule(code_or_name: str) -> Rule | None:
    """Look a rule up by code or slug."""
    return _BY_CODE.get(code_or_name.upper()) or _BY_NAME.get(code_or_name.lower())


__all__ = ["ALL_RULES", "Hit", "Rule", "RuleDoc", "define", "find_rule", "rule_by_code"]
