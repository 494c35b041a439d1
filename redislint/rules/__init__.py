"""The rule registry: one line per rule, in code order; everything else that lists rules derives from it.

Each entry names the rule's module (`rlNNN_slug`, which gives its code and slug) and the profile
settings its check reads. From this one table come the rule catalogue that profiles, the config
file and `--select` are validated against (`CATALOGUE`, without importing any rule module: profile
loading and argument checks stay cheap), the rules a check runs (`ALL_RULES`, imported on first
use), the docs (`commands/readme.py`) and `redislint explain`. Meta-tests (tests/rules/
test_registry.py) fail with a clear message when a rule lacks its module, a severity in a built-in
profile, a case file or its docs, or reads a setting it does not declare.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, NamedTuple

from redislint.rules._api import Hit, Rule, RuleDoc, define

if TYPE_CHECKING:
    ALL_RULES: tuple[Rule, ...]


class Entry(NamedTuple):
    """One registered rule: its module and the profile settings (`profiles.SETTINGS` keys) it reads."""

    module: str  # rlNNN_slug_words
    reads: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        """RL203 for rl203_aof_disabled."""
        return self.module[:5].upper()

    @property
    def name(self) -> str:
        """aof-disabled for rl203_aof_disabled."""
        return self.module[6:].replace("_", "-")

    @property
    def path(self) -> str:
        """Where the rule lives, relative to the project root."""
        return f"redislint/rules/{self.module}.py"


RULES: tuple[Entry, ...] = (
    Entry("rl001_yaml_syntax_error"),
    Entry("rl002_duplicate_yaml_key"),
    Entry("rl003_unresolved_value"),
    Entry("rl004_redis_not_analysed"),
    Entry("rl010_unknown_directive"),
    Entry("rl011_invalid_directive_value"),
    Entry("rl012_wrong_argument_count"),
    Entry("rl013_trailing_comment"),
    Entry("rl014_yaml_in_redis_conf"),
    Entry("rl015_folded_config_block"),
    Entry("rl016_directive_not_in_version"),
    Entry("rl017_deprecated_alias"),
    Entry("rl018_overridden_directive"),
    Entry("rl019_runtime_only_config", reads=("allowed_appendfsync", "allowed_eviction_policies", "aof",
                                              "max_data_loss_seconds", "maxmemory", "rdb")),
    Entry("rl020_ignored_directive"),
    Entry("rl101_unknown_values_key"),
    Entry("rl102_values_ignored_in_mode"),
    Entry("rl103_values_dropped_by_upgrade"),
    Entry("rl104_unpinned_chart_version"),
    Entry("rl201_rdb_disabled", reads=("allowed_appendfsync", "aof", "rdb")),
    Entry("rl202_save_rules_unbounded"),
    Entry("rl203_aof_disabled", reads=("allowed_appendfsync", "aof", "max_data_loss_seconds")),
    Entry("rl204_appendfsync_not_allowed", reads=("allowed_appendfsync", "max_data_loss_seconds")),
    Entry("rl205_data_loss_window_exceeded", reads=("max_data_loss_seconds", "min_replicas_to_write")),
    Entry("rl206_bgsave_errors_ignored", reads=("max_data_loss_seconds",)),
    Entry("rl207_fsync_paused_during_rewrite", reads=("max_data_loss_seconds",)),
    Entry("rl208_rdb_checksum_disabled", reads=("aof", "rdb")),
    Entry("rl209_aof_rewrite_disabled"),
    Entry("rl210_persistence_dir_not_on_volume"),
    Entry("rl211_snapshots_on_disposable_data", reads=("aof", "rdb")),
    Entry("rl212_aof_enabled_on_existing_data"),
    Entry("rl213_persistence_switched_off"),
    Entry("rl214_rdb_format_downgrade"),
    Entry("rl301_maxmemory_unset", reads=("allowed_eviction_policies", "fork_headroom_factor", "maxmemory")),
    Entry("rl302_memory_limit_missing", reads=("fork_headroom_factor",)),
    Entry("rl303_fork_headroom_insufficient", reads=("allowed_eviction_policies", "fork_headroom_factor")),
    Entry("rl304_maxmemory_exceeds_limit", reads=("fork_headroom_factor",)),
    Entry("rl305_eviction_policy_not_allowed", reads=("allowed_eviction_policies",)),
    Entry("rl306_eviction_policy_without_maxmemory", reads=("fork_headroom_factor",)),
    Entry("rl307_chart_preset_resources", reads=("fork_headroom_factor",)),
    Entry("rl308_memory_request_below_maxmemory"),
    Entry("rl309_replica_smaller_than_master", reads=("fork_headroom_factor",)),
    Entry("rl401_persistence_disabled", reads=("persistent_volume",)),
    Entry("rl402_pvc_too_small", reads=("pvc_size_factor",)),
    Entry("rl403_no_pvc_created"),
    Entry("rl404_pvc_deleted_with_release"),
    Entry("rl405_memory_backed_volume"),
    Entry("rl406_replicas_without_persistence", reads=("persistent_volume",)),
    Entry("rl409_volume_claim_changed"),
    Entry("rl410_data_path_moved"),
    Entry("rl411_rolling_update_with_single_writer_volume"),
    Entry("rl412_autoscaled_redis"),
    Entry("rl413_probe_kills_loading", reads=("load_rate_mb_per_second",)),
    Entry("rl414_shutdown_grace_too_short", reads=("save_rate_mb_per_second",)),
    Entry("rl415_data_on_network_filesystem"),
    Entry("rl501_too_few_replicas", reads=("min_replicas",)),
    Entry("rl502_min_replicas_unreachable"),
    Entry("rl601_volume_permissions_unset"),
    Entry("rl701_persistence_unmonitored", reads=("monitoring",)),
    Entry("rl702_no_persistence_alerts", reads=("monitoring",)),
    Entry("rl801_plaintext_password"),
    Entry("rl802_password_regenerated_on_sync"),
    Entry("rl803_frozen_or_unsupported_image"),
    Entry("rl901_unused_suppression"),
    Entry("rl902_suppression_without_reason", reads=("suppression_reason_required",)),
    Entry("rl903_unknown_rule_in_suppression"),
)

# Code → slug of every rule, in code order.
CATALOGUE: dict[str, str] = {e.code: e.name for e in RULES}
_ENTRIES = {e.code: e for e in RULES}


def entry(code: str) -> Entry:
    """The registry entry of a rule code (KeyError for an unknown one)."""
    return _ENTRIES[code]


def rule_code(code_or_slug: str) -> str | None:
    """The code for a rule code or slug (`RL203`, `rl203`, `aof-disabled`), or None if unknown."""
    key = code_or_slug.strip()
    if key.upper() in CATALOGUE:
        return key.upper()
    slug = key.lower()
    return next((code for code, s in CATALOGUE.items() if s == slug), None)


def lookalike_code(word: str) -> str | None:
    """The rule code `word` is when a letter stands in for a digit ("RL2O3" is RL203): such a typo is
    as close to every code one digit away, and those are many."""
    upper = word.strip().upper()
    if not upper.startswith("RL"):
        return None
    code = "RL" + upper[2:].translate(str.maketrans("OIL", "011"))
    return code if code != upper and code in CATALOGUE else None


_loaded: dict[str, Any] = {}


def _registry() -> dict[str, Any]:
    """Every rule module imported, once: `ALL_RULES` and the lookups by code and name."""
    if not _loaded:
        rules = tuple(import_module(f"{__name__}.{e.module}").RULE for e in RULES)
        _loaded.update(ALL_RULES=rules, by_code={r.code: r for r in rules}, by_name={r.name: r for r in rules})
    return _loaded


def __getattr__(name: str) -> Any:
    """`ALL_RULES`, built on first use (PEP 562): importing this package stays as cheap as its table."""
    if name == "ALL_RULES":
        return _registry()["ALL_RULES"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def rule_by_code(code: str) -> Rule | None:
    """Look a rule up by its code (RL203)."""
    return _registry()["by_code"].get(code.upper())


def find_rule(code_or_name: str) -> Rule | None:
    """Look a rule up by code or slug."""
    registry = _registry()
    return registry["by_code"].get(code_or_name.upper()) or registry["by_name"].get(code_or_name.lower())


__all__ = ["ALL_RULES", "CATALOGUE", "RULES", "Entry", "Hit", "Rule", "RuleDoc", "define", "entry", "find_rule",
           "lookalike_code", "rule_by_code", "rule_code"]
