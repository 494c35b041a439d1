"""User profiles: extends, merging, cycles, and errors with the file:line:column to edit."""

from __future__ import annotations

import os

import pytest

import redislint.profiles as profiles_mod
from redislint.errors import UserError
from redislint.model import Severity
from redislint.profiles import ProfileError, load_profile
from redislint.rules import CATALOGUE


def test_extends_with_relative_path_overrides_two_settings_and_one_severity(write, tmp_path, monkeypatch):
    write("team/base.yaml", """
        name: team-base
        description: Our cache, with bigger disks.
        extends: cache
        settings:
          pvc_size_factor: 6
    """)
    child = write("team/apps/payments.yaml", """
        name: payments
        extends: ../base.yaml
        settings:
          max_data_loss_seconds: 0
          allowed_appendfsync: [always]
        rules:
          rdb-disabled: error
    """)
    (tmp_path / ".git").mkdir()  # `extends` may leave the file's directory, not its repository
    monkeypatch.chdir(tmp_path.parent)  # relative extends resolve against the file, not the cwd
    p = load_profile(str(child))
    cache = load_profile("cache")
    assert p.name == "payments"
    assert p.description == "Our cache, with bigger disks."  # inherited from the nearest file that has one
    assert p.source == str(child)
    assert p.max_data_loss_seconds == 0 and p.allowed_appendfsync == ("always",)
    assert p.pvc_size_factor == 6  # from base.yaml
    assert p.severity_for("RL201") is Severity.ERROR and cache.severity_for("RL201") is None
    # Everything else comes from cache.
    assert p.fork_headroom_factor == cache.fork_headroom_factor
    assert p.allowed_eviction_policies == cache.allowed_eviction_policies
    assert {c: s for c, s in p.severities.items() if c != "RL201"} == \
           {c: s for c, s in cache.severities.items() if c != "RL201"}
    assert p.extends[0] == os.path.normpath(str(tmp_path / "team" / "base.yaml"))
    assert p.extends[1].endswith("cache.yaml")
    assert not p.builtin
    # The built-in itself is untouched.
    assert load_profile("cache").max_data_loss_seconds == 1


def test_extends_a_builtin_directly_and_plain_off_and_no_mean_words(write):
    path = write("session-aof.yaml", """
        name: session-aof
        extends: session
        settings:
          aof: required
          allowed_appendfsync: [everysec, no]
        rules:
          RL203: warning
          RL204: warning
          RL206: off
    """)
    p = load_profile(str(path))
    assert p.aof == "required" and p.severity_for("aof-disabled") is Severity.WARNING
    assert p.allowed_appendfsync == ("everysec", "no") and p.allows_appendfsync("no")
    assert p.severity_for("RL206") is None


def test_cycle_between_two_files(write, load_error):
    a = write("a.yaml", "name: a\nextends: b.yaml\n")
    write("b.yaml", "name: b\nextends: ./a.yaml\n")
    err = load_error(a)
    assert "extends cycle" in err.message
    assert err.path.endswith("b.yaml") and (err.line, err.column) == (2, 10)
    assert "a.yaml → " in err.message and err.message.count("a.yaml") == 2


def test_file_extending_itself(write, load_error):
    a = write("self.yaml", "name: me\nextends: self.yaml\n")
    err = load_error(a)
    assert "extends cycle" in err.message and (err.line, err.column) == (2, 10)


def test_extends_missing_file(write, load_error):
    a = write("a.yaml", "name: a\nextends: nothere.yaml\n")
    err = load_error(a)
    assert (err.path, err.line, err.column) == (str(a), 2, 10)
    assert "no such profile file" in err.message


def test_error_string_is_path_line_column_message(write, load_error):
    a = write("a.yaml", "name: a\nextends: cache\nsettings:\n  min_replicas: two\n")
    err = load_error(a)
    assert str(err) == f"{a}:4:17: {err.message}"
    assert isinstance(err, UserError)


@pytest.mark.parametrize("text, line, column, fragments", [
    pytest.param("name: a\nextends: cache\nsettings:\n  min_replicas: two\n", 4, 17,
                 ["settings.min_replicas", "whole number", "'two'"], id="wrong-type"),
    pytest.param("name: a\nextends: cache\nsettings:\n  suppression_reason_required: maybe\n", 4, 32,
                 ["suppression_reason_required", "true or false"], id="wrong-type-bool"),
    pytest.param("name: a\nextends: cache\nsettings:\n  pvc_size_factor: 0.5\n", 4, 20,
                 ["at least 1"], id="below-minimum"),
    pytest.param("name: a\nextends: cache\nsettings:\n  rdb: required\n  pvc_size_factr: 3\n", 5, 3,
                 ["unknown key 'pvc_size_factr' in settings", "did you mean 'pvc_size_factor'"], id="unknown-key"),
    pytest.param("name: a\nextend: cache\n", 2, 1, ["unknown key 'extend'", "did you mean 'extends'"],
                 id="unknown-top-level-key"),
    pytest.param("name: a\nextends: cache\nrules:\n  RL201: error\n  RL2O3: off\n", 5, 3,
                 ["'RL2O3' is not a rule code", "did you mean 'RL203'"], id="malformed-rule-code"),
    pytest.param("name: a\nextends: cache\nrules:\n  RL299: note\n", 4, 3,
                 ["unknown rule 'RL299'", "did you mean"], id="unknown-rule-code"),
    pytest.param("name: a\nextends: cache\nrules:\n  aof-disabeld: note\n", 4, 3,
                 ["unknown rule 'aof-disabeld'", "did you mean 'aof-disabled'"], id="unknown-rule-slug"),
    pytest.param("name: a\nextends: cache\nrules:\n  RL203: warn\n", 4, 10,
                 ["rules.RL203", "'warn' is not allowed", "error, warning, note, off", "did you mean 'warning'"],
                 id="bad-severity-word"),
    pytest.param("name: a\nextends: cache\nrules:\n  RL203: no\n", 4, 10,
                 ["'no' (read as a boolean)", "error, warning, note, off"], id="boolean-severity"),
    pytest.param("name: a\nextends: cache\nrules:\n  RL203: error\n  aof-disabled: note\n", 5, 3,
                 ["RL203 aof-disabled is given twice"], id="rule-by-code-and-slug"),
    pytest.param("name: a\nextends: cache\nsettings:\n  allowed_eviction_policies: [allkeys-lru, allkeys-lur]\n",
                 4, 44, ["allowed_eviction_policies[1]", "did you mean 'allkeys-lru'"], id="bad-policy"),
    pytest.param("name: a\nextends: cahce\n", 2, 10, ["extends must be a built-in profile", "did you mean 'cache'"],
                 id="bad-extends"),
    pytest.param("name: Payments Team\nextends: cache\n", 1, 7, ["name must be lower-case"], id="bad-name"),
    pytest.param("name: cache\nextends: cache\n", 1, 7, ["built-in profile"], id="name-shadows-builtin"),
    pytest.param("name: a\nextends: cache\nsettings:\n  maxmemory: [required\n", 4, 14, ["unclosed '['"],
                 id="yaml-syntax-error"),
    pytest.param("name: a\nextends: cache\nsettings:\n  aof: optional\n  aof: required\n", 5, 3,
                 ["duplicate key 'aof': first defined at line 4, column 3", "only once"], id="duplicate-key"),
    pytest.param("name: a\nextends: cache\nrules:\n  on: error\n", 4, 3, ["'on' is not a rule code"],
                 id="rule-key-read-as-boolean"),
    pytest.param("extends: cache\n", 1, 1, ["missing 'name'"], id="missing-name"),
    pytest.param("name: a\nextends: cache\nsettings:\n  min_replicas: -1\n", 4, 17, ["at least 0, not -1"],
                 id="negative"),
    pytest.param("- name: a\n", 1, 1, ["a profile is a mapping"], id="not-a-mapping"),
    pytest.param("name: a\n---\nname: b\n", 3, 1, ["one YAML document"], id="two-documents"),
])
def test_malformed_profile_is_rejected_at_the_offending_place(write, load_error, text, line, column, fragments):
    path = write("p.yaml", text)
    err = load_error(path)
    assert (err.path, err.line, err.column) == (str(path), line, column), str(err)
    for fragment in fragments:
        assert fragment in err.message, str(err)


def test_profile_without_extends_must_define_everything(write, load_error):
    path = write("p.yaml", "name: mine\ndescription: x\nsettings:\n  rdb: required\nrules:\n  RL001: error\n")
    err = load_error(path)
    assert (err.line, err.column) == (3, 1)
    assert "missing 'aof'" in err.message and "extends" in err.message


def test_standalone_profile_must_decide_every_rule(write, load_error):
    settings = "\n".join(f"  {k}: {v}" for k, v in {
        "rdb": "required", "aof": "optional", "allowed_appendfsync": "['*']", "max_data_loss_seconds": 60,
        "maxmemory": "optional", "allowed_eviction_policies": "['*']", "fork_headroom_factor": 2,
        "pvc_size_factor": 2, "persistent_volume": "optional", "min_replicas": 0, "min_replicas_to_write": 0,
        "monitoring": "optional", "suppression_reason_required": "false", "load_rate_mb_per_second": 50,
        "save_rate_mb_per_second": 50}.items())
    rules = "\n".join(f"  {c}: note" for c in list(CATALOGUE)[:-2])
    path = write("p.yaml", f"name: mine\ndescription: x\nsettings:\n{settings}\nrules:\n{rules}\n")
    err = load_error(path)
    assert (err.line, err.column) == (19, 1)
    assert "RL902 suppression-without-reason, RL903 unknown-rule-in-suppression" in err.message
    # With every rule decided it loads.
    full = "\n".join(f"  {c}: note" for c in CATALOGUE)
    path.write_text(f"name: mine\ndescription: x\nsettings:\n{settings}\nrules:\n{full}\n", encoding="utf-8")
    p = load_profile(str(path))
    assert p.extends == () and p.allows_eviction_policy("volatile-ttl")


def test_requirement_with_its_rule_off_is_rejected_where_it_was_written(write, load_error):
    path = write("p.yaml", "name: a\nextends: critical\nrules:\n  RL501: off\n")
    err = load_error(path)
    assert (err.line, err.column) == (4, 3)
    assert "min_replicas is '2' but RL501 too-few-replicas is off" in err.message
    # Narrowing a setting whose rule the base turned off points at the setting.
    path = write("q.yaml", "name: q\nextends: session\nsettings:\n  allowed_appendfsync: [everysec]\n")
    err = load_error(path)
    assert (err.line, err.column) == (4, 24) and "RL204" in err.message
    # Relaxing the setting too is fine.
    ok = write("r.yaml", "name: r\nextends: critical\nsettings:\n  min_replicas: 0\n  min_replicas_to_write: 0\n"
                         "rules:\n  RL501: off\n")
    assert load_profile(str(ok)).min_replicas == 0


def test_min_replicas_to_write_cannot_exceed_min_replicas(write, load_error):
    err = load_error(write("p.yaml", "name: a\nextends: critical\nsettings:\n  min_replicas_to_write: 3\n"))
    assert (err.line, err.column) == (4, 26) and "refuses every write" in err.message


def test_missing_file_and_unknown_name(tmp_path):
    with pytest.raises(ProfileError) as info:
        load_profile("cahce")
    assert "did you mean 'cache'" in info.value.message and info.value.line == 0
    missing = str(tmp_path / "none.yaml")
    with pytest.raises(ProfileError) as info:
        load_profile(missing)
    assert info.value.path == missing and "not found" in info.value.message


def test_empty_and_non_utf8_files(write, load_error, tmp_path):
    assert "empty profile" in load_error(write("e.yaml", "# nothing\n")).message
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"name: caf\xe9\n")
    assert "not UTF-8" in load_error(bad).message


def test_user_profiles_are_validated_with_jsonschema(write, monkeypatch):
    calls = []
    real = profiles_mod._validate
    monkeypatch.setattr(profiles_mod, "_validate", lambda *a: (calls.append(a[0]), real(*a)))
    path = write("p.yaml", "name: a\nextends: cache\n")
    load_profile(str(path))
    load_profile("critical")
    assert calls == [str(path)]


def test_rules_in_force_follow_the_options_severity_overrides() -> None:
    """The per-profile list of rules that run is cached; other overrides must not reuse it."""
    from redislint.judging import ProfileCache, selected_rules
    from redislint.options import CheckOptions

    cache = ProfileCache()
    profile = cache.get("critical")
    rules = selected_rules(CheckOptions())
    codes = lambda options: {r.code for r, _ in cache.active_rules(profile, rules, options)}  # noqa: E731
    assert "RL203" in codes(CheckOptions())
    assert "RL203" not in codes(CheckOptions(severity_overrides={"RL203": "off"}))
    assert "RL203" in codes(CheckOptions())
