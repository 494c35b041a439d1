"""The built-in profiles: schema-valid, complete, coherent, and saying what the product table says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import redislint.profiles as profiles_mod
from redislint.model import Severity
from redislint.profiles import (BUILTIN_PROFILES, RULE_CATALOGUE, SETTINGS, Profile, load_profile, profile_table,
                                schema)
from redislint.sources import load_yaml

POLICIES = Path(profiles_mod.__file__).parent / "policies"


def _plain(name: str) -> dict:
    path = POLICIES / f"{name}.yaml"
    yf = load_yaml(str(path), path.read_text(encoding="utf-8"))
    assert not yf.problems, yf.problems
    (doc,) = yf.documents
    return profiles_mod._plain(doc.root)


def test_schema_is_valid_2020_12():
    Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_forbids_additional_properties_everywhere():
    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object":
                assert node.get("additionalProperties") is False, where
            for k, v in node.items():
                walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}/{i}")

    walk(schema(), "#")


def test_schema_settings_match_module_settings():
    props = schema()["$defs"]["settings"]["properties"]
    assert list(props) == [s.key for s in SETTINGS]
    assert schema()["then"]["properties"]["settings"]["required"] == [s.key for s in SETTINGS]


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_builtin_validates_against_schema(name):
    errors = sorted(Draft202012Validator(schema()).iter_errors(_plain(name)), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_builtin_passes_the_user_profile_validation_path(name):
    """The same file, loaded as a user file would be (schema on), gives the same profile."""
    path = POLICIES / f"{name}.yaml"
    layer = profiles_mod._read_layer(str(path), path.read_text(encoding="utf-8"), validate=True)
    assert profiles_mod._build([layer]) == load_profile(name)


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_builtin_file_is_flat_named_after_itself_and_decides_every_rule_by_code(name):
    plain = _plain(name)
    assert plain["name"] == name
    assert "extends" not in plain
    assert list(plain["rules"]) == list(RULE_CATALOGUE), "every rule, by code, in catalogue order"
    assert set(plain["settings"]) == {s.key for s in SETTINGS}


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_builtin_profile_decides_every_catalogue_rule(name):
    profile = load_profile(name)
    assert set(profile.severities) == set(RULE_CATALOGUE)
    for code, slug in RULE_CATALOGUE.items():
        assert profile.severity_for(code) == profile.severity_for(slug)


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_builtin_file_comments_every_rule_with_its_slug(name):
    lines = (POLICIES / f"{name}.yaml").read_text(encoding="utf-8").splitlines()
    for code, slug in RULE_CATALOGUE.items():
        (line,) = [ln for ln in lines if ln.strip().startswith(f"{code}:")]
        assert f"# {slug}" in line, line


def test_builtins_are_loaded_without_importing_jsonschema():
    code = ("import sys, redislint.profiles as p\n"
            "for n in p.BUILTIN_PROFILES: p.load_profile(n)\n"
            "print('jsonschema' in sys.modules)")
    repo = Path(profiles_mod.__file__).parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(repo), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "False"


def test_builtins_are_cached():
    assert load_profile("cache") is load_profile("cache")


# The product table, with the refinements documented in the profile files:
#   cache PVC factor 2 → 4, critical 3 → 5 (RDB + AOF peak disk use, redis-config.md §5.5);
#   new min_replicas_to_write (critical 1: RPO 0 must also hold across a failover).
EXPECTED = {
    "rdb": ("required", "required", "required"),
    "aof": ("optional", "required", "required"),
    "allowed_appendfsync": (("*",), ("everysec", "always"), ("always",)),
    "max_data_loss_seconds": (3600, 1, 0),
    "maxmemory": ("recommended", "required", "required"),
    "allowed_eviction_policies": (("allkeys-*", "volatile-*"), ("allkeys-lru", "allkeys-lfu"), ("noeviction",)),
    "fork_headroom_factor": (2, 2, 2),
    "pvc_size_factor": (2, 4, 5),
    "persistent_volume": ("required", "required", "required"),
    "min_replicas": (0, 0, 2),
    "min_replicas_to_write": (0, 0, 1),
    "monitoring": ("optional", "optional", "required"),
    "suppression_reason_required": (False, False, True),
}


@pytest.mark.parametrize("key", list(EXPECTED))
def test_product_table_values(key):
    got = tuple(getattr(load_profile(n), key) for n in BUILTIN_PROFILES)
    assert got == EXPECTED[key]


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_suppression_reason_matches_rl902(name):
    p = load_profile(name)
    assert (p.severity_for("RL902") is not None) == p.suppression_reason_required


VALIDITY = ["RL001", "RL002", "RL010", "RL011", "RL012", "RL013", "RL014", "RL015", "RL016"]


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_config_validity_rules_are_errors_everywhere(name):
    p = load_profile(name)
    assert all(p.severity_for(c) is Severity.ERROR for c in VALIDITY)
    assert p.severity_for("RL017") is Severity.NOTE  # deprecated alias: still works
    assert p.severity_for("RL018") is Severity.WARNING  # overridden directive: advisory


def test_severity_refinements():
    s, c, k = (load_profile(n) for n in BUILTIN_PROFILES)
    # AOF off is the recommended session setup: not even a note.
    assert s.severity_for("aof-disabled") is None
    assert c.severity_for("aof-disabled") is k.severity_for("aof-disabled") is Severity.ERROR
    # RDB is session's only persistence; in cache the AOF carries the RPO and the RDB is a fallback copy.
    assert s.severity_for("rdb-disabled") is Severity.ERROR
    assert c.severity_for("rdb-disabled") is Severity.WARNING
    assert k.severity_for("rdb-disabled") is Severity.ERROR
    # The RPO is each profile's defining promise.
    assert {p.severity_for("RL205") for p in (s, c, k)} == {Severity.ERROR}
    # Critical: nothing unresolved or ineffective passes silently; monitoring required.
    assert k.severity_for("unresolved-value") is Severity.ERROR
    assert s.severity_for("unresolved-value") is Severity.WARNING
    assert k.severity_for("RL701") is Severity.ERROR and s.severity_for("RL701") is None
    assert k.severity_for("RL501") is Severity.ERROR and c.severity_for("RL501") is None


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_severity_words_are_severities_or_off(name):
    assert all(v is None or isinstance(v, Severity) for v in load_profile(name).severities.values())


def test_eviction_policy_globs():
    s, c, k = (load_profile(n) for n in BUILTIN_PROFILES)
    assert s.allows_eviction_policy("allkeys-lru") and s.allows_eviction_policy("volatile-ttl")
    assert s.allows_eviction_policy("ALLKEYS-RANDOM")  # Redis enums are case-insensitive
    assert not s.allows_eviction_policy("noeviction")
    assert c.allows_eviction_policy("allkeys-lfu") and not c.allows_eviction_policy("volatile-lru")
    assert k.allows_eviction_policy("noeviction") and not k.allows_eviction_policy("allkeys-lru")


def test_appendfsync_allowed():
    s, c, k = (load_profile(n) for n in BUILTIN_PROFILES)
    assert all(s.allows_appendfsync(v) for v in ("always", "everysec", "no"))
    assert c.allows_appendfsync("everysec") and c.allows_appendfsync("Always") and not c.allows_appendfsync("no")
    assert k.allows_appendfsync("always") and not k.allows_appendfsync("everysec")


def test_severity_for_unknown_rule_is_a_key_error():
    with pytest.raises(KeyError):
        load_profile("cache").severity_for("RL999")


def test_profile_is_frozen_and_hashable():
    p = load_profile("critical")
    with pytest.raises(AttributeError):
        p.min_replicas = 0  # type: ignore[misc]
    with pytest.raises(TypeError):
        p.severities["RL201"] = None  # type: ignore[index]
    assert {p: 1}[p] == 1
    assert isinstance(p, Profile) and p.builtin and p.extends == ()


def test_profile_table_rows():
    rows = profile_table([load_profile(n) for n in BUILTIN_PROFILES])
    assert rows[0] == ("setting", "session", "cache", "critical")
    table = {r[0]: r[1:] for r in rows[1:]}
    assert list(table) == [s.key for s in SETTINGS]
    assert table["max_data_loss_seconds"] == ("3600", "1", "0")
    assert table["allowed_eviction_policies"] == ("allkeys-*, volatile-*", "allkeys-lru, allkeys-lfu", "noeviction")
    assert table["suppression_reason_required"] == ("no", "no", "yes")
    assert table["pvc_size_factor"] == ("2", "4", "5")
    with_rules = profile_table([load_profile(n) for n in BUILTIN_PROFILES], rules=True)
    rule_rows = with_rules[1 + len(SETTINGS):]
    assert [r[0] for r in rule_rows] == [f"{c} {s}" for c, s in RULE_CATALOGUE.items()]
    assert dict((r[0], r[1:]) for r in rule_rows)["RL902 suppression-without-reason"] == ("off", "off", "error")
    assert all(isinstance(cell, str) for r in with_rules for cell in r)
    assert all(len(r) == 4 for r in with_rules)


def test_catalogue_matches_the_rule_registry():
    """Every registered rule is decided by every profile (until RULE_CATALOGUE is the registry)."""
    rules = pytest.importorskip("redislint.rules")
    registry = {r.code: r.name for r in rules.ALL_RULES}
    assert registry == RULE_CATALOGUE
    assert list(registry) == list(RULE_CATALOGUE)
