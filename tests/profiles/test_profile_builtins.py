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
from redislint.profiles import BUILTIN_PROFILES, SETTINGS, Profile, load_profile, profile_table, schema
from redislint.rules import CATALOGUE
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
    assert list(plain["rules"]) == list(CATALOGUE), "every rule, by code, in catalogue order"
    assert set(plain["settings"]) == {s.key for s in SETTINGS}


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_builtin_profile_decides_every_catalogue_rule(name):
    profile = load_profile(name)
    assert set(profile.severities) == set(CATALOGUE)
    for code, slug in CATALOGUE.items():
        assert profile.severity_for(code) == profile.severity_for(slug)


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_builtin_file_comments_every_rule_with_its_slug(name):
    lines = (POLICIES / f"{name}.yaml").read_text(encoding="utf-8").splitlines()
    for code, slug in CATALOGUE.items():
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


# The product table (DESIGN.md, issue 11), with the refinements each profile file explains:
# baseline judges no durability (window null); ephemeral forbids persistence; session needs a
# window of 3600 s from either mechanism; cache and queue need the AOF (RDB optional, PVC 3x for
# an AOF, the disk model adds RDB); critical needs both, replicas and monitoring.
ORDER = ("baseline", "ephemeral", "session", "cache", "queue", "critical")
EXPECTED = {
    "rdb": ("optional", "forbidden", "optional", "optional", "optional", "required"),
    "aof": ("optional", "forbidden", "optional", "required", "required", "required"),
    "allowed_appendfsync": (("*",), ("*",), ("*",), ("everysec", "always"), ("everysec", "always"), ("always",)),
    "max_data_loss_seconds": (None, None, 3600, 1, 1, 0),
    "maxmemory": ("optional", "required", "recommended", "required", "required", "required"),
    "allowed_eviction_policies": (("*",), ("allkeys-*",), ("allkeys-*", "volatile-*"), ("allkeys-*",),
                                  ("noeviction",), ("noeviction",)),
    "fork_headroom_factor": (2, 2, 2, 2, 2, 2),
    "pvc_size_factor": (1, 1, 2, 3, 3, 5),
    "persistent_volume": ("optional", "optional", "required", "required", "required", "required"),
    "min_replicas": (0, 0, 0, 0, 0, 2),
    "min_replicas_to_write": (0, 0, 0, 0, 0, 1),
    "monitoring": ("optional", "optional", "optional", "optional", "optional", "required"),
    "suppression_reason_required": (False, False, False, False, False, True),
}


def test_builtin_order():
    assert BUILTIN_PROFILES == ORDER


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


def _all():
    return {n: load_profile(n) for n in BUILTIN_PROFILES}


def test_severity_refinements():
    p = _all()
    b, e, s, c, q, k = (p[n] for n in ORDER)
    # Durability is judged only once someone says what the data is.
    assert all(b.severity_for(code) is None for code in ("RL201", "RL202", "RL203", "RL204", "RL205", "RL211"))
    # AOF off is a sound session setup (the snapshots meet 3600 s), and so is RDB off (the AOF does):
    # session needs a window, not a mechanism, and RL205 reports when nothing meets it.
    assert s.severity_for("aof-disabled") is None and s.severity_for("rdb-disabled") is None
    assert s.severity_for("RL205") is Severity.ERROR
    # The same condition (RDB off, AOF everysec) is judged alike wherever the AOF carries the RPO.
    assert c.severity_for("rdb-disabled") is q.severity_for("rdb-disabled") is None
    assert k.severity_for("rdb-disabled") is Severity.ERROR  # critical: the second copy is the point
    assert c.severity_for("aof-disabled") is q.severity_for("aof-disabled") is k.severity_for("aof-disabled") \
        is Severity.ERROR
    # Every profile with a window makes it an error; the others leave RL205 off.
    for profile in p.values():
        assert (profile.severity_for("RL205") is Severity.ERROR) == profile.judges_data_loss
    # Disposable data: persistence is reported by RL211 only under ephemeral.
    assert e.severity_for("RL211") is Severity.WARNING
    assert all(x.severity_for("RL211") is None for x in (b, s, c, q, k))
    # Eviction: a queue never evicts, a cache and an ephemeral cache must.
    assert q.severity_for("RL305") is Severity.ERROR and q.allowed_eviction_policies == ("noeviction",)
    assert e.severity_for("RL305") is c.severity_for("RL305") is Severity.ERROR
    assert s.severity_for("RL305") is Severity.WARNING  # noeviction refuses logins: availability, not loss
    # Critical: nothing unresolved or ineffective passes silently; monitoring required.
    assert k.severity_for("unresolved-value") is Severity.ERROR
    assert s.severity_for("unresolved-value") is Severity.WARNING
    assert k.severity_for("RL701") is Severity.ERROR and s.severity_for("RL701") is None
    assert k.severity_for("RL501") is Severity.ERROR and c.severity_for("RL501") is None


@pytest.mark.parametrize("code", ["RL209", "RL304", "RL403", "RL502", "RL801"])
def test_what_is_wrong_for_every_kind_of_data_is_an_error_in_baseline(code):
    assert load_profile("baseline").severity_for(code) is Severity.ERROR


def test_baseline_reports_nothing_that_depends_on_the_data_as_an_error():
    b = load_profile("baseline")
    for code in ("RL201", "RL202", "RL203", "RL204", "RL205", "RL206", "RL207", "RL211", "RL301", "RL305",
                 "RL404", "RL501", "RL701", "RL702"):
        assert b.severity_for(code) is None, code
    # Likely to hurt, but depends on a write rate or a storage class no config shows.
    assert b.severity_for("RL303") is b.severity_for("RL402") is b.severity_for("RL601") is Severity.WARNING


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_severity_words_are_severities_or_off(name):
    assert all(v is None or isinstance(v, Severity) for v in load_profile(name).severities.values())


def test_eviction_policy_globs():
    p = _all()
    s, c, k, b, e = p["session"], p["cache"], p["critical"], p["baseline"], p["ephemeral"]
    assert s.allows_eviction_policy("allkeys-lru") and s.allows_eviction_policy("volatile-ttl")
    assert s.allows_eviction_policy("ALLKEYS-RANDOM")  # Redis enums are case-insensitive
    assert not s.allows_eviction_policy("noeviction")
    assert c.allows_eviction_policy("allkeys-lfu") and not c.allows_eviction_policy("volatile-lru")
    assert e.allows_eviction_policy("allkeys-random") and not e.allows_eviction_policy("noeviction")
    assert k.allows_eviction_policy("noeviction") and not k.allows_eviction_policy("allkeys-lru")
    assert all(b.allows_eviction_policy(v) for v in ("noeviction", "allkeys-lru", "volatile-ttl"))


def test_appendfsync_allowed():
    p = _all()
    s, c, k = p["session"], p["cache"], p["critical"]
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
    assert rows[0] == ("setting",) + ORDER
    table = {r[0]: r[1:] for r in rows[1:]}
    assert list(table) == [s.key for s in SETTINGS]
    assert table["max_data_loss_seconds"] == ("not judged", "not judged", "3600", "1", "1", "0")
    assert table["allowed_eviction_policies"] == ("*", "allkeys-*", "allkeys-*, volatile-*", "allkeys-*",
                                                  "noeviction", "noeviction")
    assert table["suppression_reason_required"] == ("no", "no", "no", "no", "no", "yes")
    assert table["pvc_size_factor"] == ("1", "1", "2", "3", "3", "5")
    assert table["rdb"][1] == "forbidden"
    with_rules = profile_table([load_profile(n) for n in BUILTIN_PROFILES], rules=True)
    rule_rows = with_rules[1 + len(SETTINGS):]
    assert [r[0] for r in rule_rows] == [f"{c} {s}" for c, s in CATALOGUE.items()]
    by_rule = dict((r[0], r[1:]) for r in rule_rows)
    assert by_rule["RL902 suppression-without-reason"] == ("off",) * 5 + ("error",)
    assert by_rule["RL211 snapshots-on-disposable-data"] == ("off", "warning", "off", "off", "off", "off")
    assert all(isinstance(cell, str) for r in with_rules for cell in r)
    assert all(len(r) == 1 + len(ORDER) for r in with_rules)
