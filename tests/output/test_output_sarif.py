"""SARIF: schema validity, GitHub's constraints, locations, columns, suppressions, broken inputs."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from output_fixtures import CONF, VALUES, make_report, make_rules
from sarif_validation import multitool_problems, schema_errors

from redislint.model import Finding, Notification, Related, Report, Severity, Span
from redislint.output import FORMATTERS
from redislint.output.sarif import build


def sarif(report, rules, options) -> dict:
    text = FORMATTERS["sarif"](report, rules, options)
    return json.loads(text)


def test_github_profile(report, rules, options):
    """What GitHub code scanning needs, checked in Python (Multitool GH rules plus the docs' limits)."""
    log = sarif(report, rules, options)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "redislint" and driver["semanticVersion"] == "0.1.0"
    assert driver["informationUri"] == options.home_page()
    ids = [r["id"] for r in driver["rules"]]
    assert ids == ["RL002", "RL101", "RL203", "RL204", "RL401"]  # registry order, no duplicates
    for rule in driver["rules"]:
        assert len(rule["name"]) <= 255
        assert 0 < len(rule["shortDescription"]["text"]) <= 1024
        assert 0 < len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"]["text"] and rule["help"]["markdown"].startswith(rule["shortDescription"]["text"][:-1])
        assert rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        props = rule["properties"]
        assert 0 < len(props["tags"]) <= 10
        assert props["precision"] in ("very-high", "high", "medium", "low")
        assert props["problem.severity"] in ("error", "warning", "recommendation")
        assert "security-severity" not in props
    assert run["automationDetails"]["id"] == "redislint/critical/"
    assert run["columnKind"] == "utf16CodeUnits"
    previous = None
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"].endswith(".")
        assert len(result["locations"]) == 1
        loc = result["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not uri.startswith(("./", "/")) and "\\" not in uri and ":" not in uri
        assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
        assert "partialFingerprints" not in result
        assert re.fullmatch(r"[0-9a-f]{64}", result["fingerprints"]["redislint/v1"])
        assert "suppressions" not in result
        key = (uri, loc["region"]["startLine"], loc["region"]["startColumn"])
        assert previous is None or previous <= key
        previous = key
    prints = [r["fingerprints"]["redislint/v1"] for r in run["results"]]
    assert len(set(prints)) == len(prints)


def test_related_locations_are_linked_from_the_message(report, rules, options):
    run = sarif(report, rules, options)["runs"][0]
    first = next(r for r in run["results"] if r["ruleId"] == "RL203")
    assert [r["id"] for r in first["relatedLocations"]] == [1, 2]
    text = first["message"]["text"]
    assert text.startswith("AOF is disabled for the master")
    assert "Fix: Set `appendonly yes` in master.configuration." in text
    assert "[persistence is enabled, so data is meant to survive](1)" in text
    # literal brackets inside link text are escaped (SARIF 3.11.6)
    assert r"[profile \[critical\] chosen by this annotation](2)" in text
    rel = first["relatedLocations"][1]["physicalLocation"]
    assert rel["artifactLocation"]["uri"] == "clusters/prod/redis-helmrelease.yaml"
    assert rel["region"] == {"startLine": 7, "startColumn": 5, "endLine": 7, "endColumn": 35}


def test_columns_are_utf16_code_units(report, rules, options):
    """`cache-💾: {appendonly` — the emoji is one code point but two UTF-16 code units."""
    run = sarif(report, rules, options)["runs"][0]
    dup = next(r for r in run["results"] if r["ruleId"] == "RL002")
    assert dup["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 13, "startColumn": 12, "endLine": 13, "endColumn": 22}


def test_zero_width_span_extends_to_end_of_line(report, rules, options):
    run = sarif(report, rules, options)["runs"][0]
    save = next(r for r in run["results"] if r["ruleId"] == "RL101" and "values" in
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
    assert save["locations"][0]["physicalLocation"]["region"] == {"startLine": 10, "startColumn": 5, "endLine": 10}


def test_notifications_make_execution_unsuccessful(report, rules, options):
    run = sarif(report, rules, options)["runs"][0]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    note, *assumptions = invocation["toolExecutionNotifications"]
    assert [a["level"] for a in assumptions] == ["note"] * 4  # assumptions never fail the run
    assert note["level"] == "error"
    assert note["message"]["text"] == "cannot read file: not valid UTF-8 (byte 0xff)."
    assert note["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "charts/broken/values.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 7},
    }
    report.notifications = [Notification("x.yaml", "skipped: too large", level="warning")]
    invocation = sarif(report, rules, options)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True


def test_suppressed_left_out_unless_asked(report, rules, options):
    run = sarif(report, rules, options)["runs"][0]
    assert len(run["results"]) == len(report.findings)
    opts = options._replace(show_suppressed=True)
    log = sarif(report, rules, opts)
    results = log["runs"][0]["results"]
    assert len(results) == len(report.findings) + len(report.suppressed)
    assert all("suppressions" in r for r in results)  # all or none, as the spec requires
    suppressed = [r for r in results if r["suppressions"]]
    assert len(suppressed) == 1 and suppressed[0]["suppressions"] == [{"kind": "inSource", "status": "accepted"}]
    assert schema_errors(log) == []


def test_fingerprints_do_not_depend_on_show_suppressed(report, rules, options):
    plain = sarif(report, rules, options)["runs"][0]["results"]
    shown = sarif(report, rules, options._replace(show_suppressed=True))["runs"][0]["results"]
    a = {r["fingerprints"]["redislint/v1"] for r in plain}
    b = {r["fingerprints"]["redislint/v1"] for r in shown if not r["suppressions"]}
    assert a == b


def test_empty_report_is_valid(rules, options, tmp_path):
    """No findings, nothing read: still one run, a results array and every rule that ran."""
    empty = Report(rules_run=("RL203",))
    log = sarif(empty, rules, options)
    run = log["runs"][0]
    assert run["results"] == []
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["RL203"]
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert schema_errors(log) == []
    path = tmp_path / "empty.sarif"
    path.write_text(json.dumps(log), encoding="utf-8")
    assert multitool_problems(path, tmp_path) == []


def test_broken_inputs_still_give_valid_sarif(rules, options, tmp_path):
    """Unknown rule, line 0, missing text, odd characters in paths, unreadable files."""
    broken = Report(
        findings=[
            Finding("RL999", "not-registered", Severity.WARNING, "from a rule the registry does not know",
                    Span("weird dir/va lues#1.yaml", 0, 0, 0, 0)),
            Finding("RL203", "aof-disabled", Severity.ERROR, "", Span("no-text.yaml", 5, 3, 4, 1),
                    related=(Related(Span("no-text.yaml", 2, 1, 2, 4), ""),)),
            Finding("RL101", "no-save-points", Severity.NOTE, "[x](y) \\ brackets", Span("-", 1, 1, 1, 2)),
        ],
        notifications=[Notification("", "no input files"), Notification("café.yaml", "binary file", 0, 0)],
        rules_run=(),
    )
    log = sarif(broken, rules, options)
    assert schema_errors(log) == []
    run = log["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == ["RL101", "RL203", "RL999"]
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"])
    assert uris == ["-", "no-text.yaml", "weird%20dir/va%20lues%231.yaml"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "caf%C3%A9.yaml"
    path = tmp_path / "broken.sarif"
    path.write_text(json.dumps(log), encoding="utf-8")
    assert multitool_problems(path, tmp_path) == []


def test_paths_outside_root_use_absolute_file_uris(rules, workdir, options, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "values.yaml"
    inside = workdir / "charts" / "values.yaml"
    rep = Report(findings=[
        Finding("RL203", "aof-disabled", Severity.ERROR, "outside", Span(str(outside), 1, 1, 1, 5)),
        Finding("RL203", "aof-disabled", Severity.ERROR, "inside, absolute", Span(str(inside), 1, 1, 1, 5)),
        Finding("RL203", "aof-disabled", Severity.ERROR, "inside, dotted",
                Span("./charts/../charts/x.yaml", 1, 1, 1, 5)),
    ], rules_run=("RL203",))
    run = sarif(rep, rules, options)["runs"][0]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert {"uri": "charts/values.yaml", "uriBaseId": "%SRCROOT%"} in locations
    assert {"uri": "charts/x.yaml", "uriBaseId": "%SRCROOT%"} in locations
    [absolute] = [loc for loc in locations if "uriBaseId" not in loc]
    assert absolute["uri"] == Path(os.path.abspath(outside)).as_uri()


def test_automation_id_gets_a_category_slash(report, rules, options):
    run = sarif(report, rules, options._replace(automation_id="redislint"))["runs"][0]
    assert run["automationDetails"]["id"] == "redislint/"


def test_non_semver_version_and_no_information_uri(report, rules, options):
    opts = options._replace(tool_version="0.1.0.dev3+g1234", information_uri="")
    log = sarif(report, rules, opts)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["version"] == "0.1.0.dev3+g1234" and "semanticVersion" not in driver
    assert "informationUri" not in driver and all("helpUri" not in r for r in driver["rules"])
    assert schema_errors(log) == []


def test_help_uri_template(report, rules, options):
    opts = options._replace(help_uri="{information_uri}/blob/main/docs/rules/{code}-{name}.md")
    rule = sarif(report, rules, opts)["runs"][0]["tool"]["driver"]["rules"][2]
    assert rule["helpUri"] == "https://github.com/example/redislint/blob/main/docs/rules/RL203-aof-disabled.md"


def test_long_descriptions_are_cut(options):
    from output_fixtures import define

    what = "word " * 400
    doc = f"Summary.\n\n## What it does\n{what}\n\n## Why is this bad?\nx\n\n## Example\n```\na\n```\n\n" \
          "## Use instead\n```\nb\n```\n\n## Fix\nc\n"
    rule = define("RL900", "long-doc", "misc", Severity.NOTE, doc, tags=tuple(f"t{i}" for i in range(15)))
    log = build(Report(rules_run=("RL900",)), [rule], options)
    descriptor = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert len(descriptor["fullDescription"]["text"]) <= 1024
    assert descriptor["fullDescription"]["text"].endswith("…")
    assert len(descriptor["properties"]["tags"]) == 10


def test_security_tagged_rules_get_security_severity(options):
    from output_fixtures import AOF_DOC, define

    rule = define("RL700", "no-requirepass", "security", Severity.ERROR, AOF_DOC, tags=("security",))
    log = build(Report(rules_run=("RL700",)), [rule], options)
    props = log["runs"][0]["tool"]["driver"]["rules"][0]["properties"]
    assert float(props["security-severity"]) == 8.0


def test_fixture_sanity():
    """The hand-built report uses the spans it claims (guards the other tests)."""
    rep = make_report()
    assert rep.texts[VALUES].split("\n")[8][4:17] == "appendonly no"
    assert rep.texts[CONF].split("\n")[1].startswith("requirepass")
    assert len(make_rules()) == 5
