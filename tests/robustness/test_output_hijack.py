"""No output can be hijacked by the files it reports on: no workflow commands, no terminal escapes.

A repository can name a file `::error title=Forged::x.conf`, write a YAML key holding a line break
followed by `::error ...`, put a legacy `##[error]` command or `[Click](https://...)` in a key, and put
ESC, BEL, OSC 52 (clipboard write), C1 controls, bidi overrides and U+2028 in keys, values, comments
and file names. Every command (`check` in all five formats, with and without colour, `effective` in
text and JSON, `fix --diff`, error messages) is run on such a tree and its output read the way the
GitHub Actions runner reads a step's log: `workflow_commands` below follows actions/runner's
`ActionCommand.TryParseV2` (a line starting with `::` after white space) and `ActionCommand.TryParse`
(a legacy `##[name]` anywhere in the line).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from .conftest import FORMATS, invoke, write_tree

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "output"))
from sarif_validation import multitool_problems, schema_errors

# Commands the runner has registered (actions/runner ActionCommandManager and its extensions).
REGISTERED = {"error", "warning", "notice", "debug", "group", "endgroup", "add-mask", "add-matcher",
              "remove-matcher", "set-output", "set-env", "add-path", "save-state", "echo", "stop-commands"}
# What a terminal or a browser acts on instead of showing (`redislint.output.safe` replaces these).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
SGR = re.compile(r"\x1b\[[0-9;]*m")  # the colour codes `--color` itself writes
OSC52 = "\x1b]52;c;ZXZpbA==\x07"


def workflow_commands(output: str) -> list[tuple[str, dict[str, str], str]]:
    """(name, properties, data) of each line of `output` the GitHub runner would execute."""
    found = []
    for line in re.split(r"\r\n|\r|\n", output):  # .NET ReadLine's line breaks
        text = line.lstrip()  # TryParseV2: "the message needs to start with the keyword after trim"
        if text.startswith("::") and (end := text.find("::", 2)) >= 0:
            info = text[2:end]
            name, _, props = info.partition(" ")
            if name in REGISTERED:
                pairs = (p.split("=", 1) for p in props.split(",") if "=" in p)
                found.append((name, {k: v for k, v in pairs}, text[end + 2:]))
                continue
        start = line.find("##[")  # TryParse: the legacy syntax is found anywhere in the line
        if start >= 0 and (close := line.find("]", start)) >= 0:
            name = line[start + 3:close].split(" ", 1)[0]
            if name in REGISTERED:
                found.append((name, {}, line[close + 1:]))
    return found


def _unescape_property(value: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, raw)
    return value


HOSTILE = {
    # A file name that is a workflow command, and one holding a terminal escape.
    "::error title=Forged::x.conf": "appendonly yes # c\n",
    "e\x1b[31m\u202e.conf": "appendonly yes # c\n",
    # Unknown values keys (RL101 quotes them): a line break then a command, a legacy command, a
    # Markdown link, and every kind of unsafe character (as YAML escapes: raw controls are not YAML).
    "values.yaml": (
        "architecture: standalone\n"
        "auth:\n"
        '  "a\\n  ::error title=ForgedKey::y": 1\n'
        '  "##[error]ForgedLegacy": 2\n'
        '  "[Click to fix](https://evil.example/x)": 3\n'
        '  "k\\e]52;c;ZXZpbA==\\a\\u202e\\u2028\\u0085\\u009b\\u2066": 4\n'
        "master:\n"
        "  configuration: |\n"
        "    appendonly yes # ::warning title=ForgedComment::c\n"
    ),
    # A release whose name and missing valuesFrom layer carry them: targets and assumptions (chart
    # version assumed, a layer not seen) are shown in every format.
    "release.yaml": (
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n"
        '  name: "r\\e]52;c;eA==\\a\\u202e\\n::error title=ForgedRelease::x ##[error]ForgedLegacyName"\n'
        "  namespace: cache\nspec:\n  chart:\n    spec:\n      chart: redis\n  valuesFrom:\n"
        '    - kind: ConfigMap\n      name: "missing\\n::warning title=ForgedLayer::m"\n'
        "  values:\n    architecture: standalone\n"
    ),
    # A redis.conf whose lines carry raw escapes: the snippet of RL013 and the context of `fix --diff`.
    "raw.conf": (
        f"appendonly yes # {OSC52} \u202e x \u2028 y \x9b1m \x7f\n"
        "slaveof 10.0.0.1 6379\n"
        "::error title=ForgedContext::z\n"
        "##[warning]ForgedLegacyContext\n"
        "  ::add-mask::indented\n"
    ),
}
FORGED = re.compile(r"Forged|evil|indented")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write_tree(root, HOSTILE)
    return root


def _runs(root: Path) -> dict[str, str]:
    """Every output redislint makes on the tree, by a name that says which."""
    out = {}
    for fmt in FORMATS:
        run = invoke("check", ".", "--format", fmt, cwd=root)
        assert run.exit_code == 1, (fmt, run.output)
        out[f"check {fmt}"] = run.output
    out["check text --color"] = invoke("check", ".", "--color", cwd=root).output
    out["check --show-settings"] = invoke("check", ".", "--show-settings", cwd=root).output
    out["check --statistics"] = invoke("check", ".", "--statistics", cwd=root).output
    for args in ((), ("--all",), ("--format", "json"), ("--format", "json", "--all")):
        out[" ".join(("effective",) + args)] = invoke("effective", ".", *args, cwd=root).output
    # A known version: fix renames `slaveof` too, so the diff's context reaches the indented line.
    out["fix --diff"] = invoke("fix", "--diff", "--redis-version", "7.2", ".", cwd=root).output
    # Error messages quote what they were given.
    out["check --profile"] = invoke("check", ".", "--profile", f"x{OSC52}\n::error title=ForgedArg::p\u202e",
                                    cwd=root).output
    return out


@pytest.fixture(scope="module")
def outputs(hostile: Path) -> dict[str, str]:
    return _runs(hostile)


def test_the_hostile_content_is_reported(outputs: dict[str, str]) -> None:
    """The tree produces the findings that show the hostile text (else the test below proves nothing)."""
    text = outputs["check text"]
    assert "RL101" in text and "RL013" in text and "RL017" in text
    assert "ForgedKey" in text and "ForgedLegacy" in text and "Click to fix" in text
    assert "title=Forged::x.conf" in text and "ForgedContext" in outputs["fix --diff"]
    assert "ForgedArg" in outputs["check --profile"]
    assert "assumed for cache/r" in text and "ForgedRelease" in text and "ForgedLayer" in text


@pytest.mark.parametrize("name", [
    "check text", "check json", "check sarif", "check gitlab", "check concise", "check junit", "check markdown",
    "check --statistics", "check text --color", "check --show-settings", "effective", "effective --all", "effective --format json", "effective --format json --all", "fix --diff",
    "check --profile",
])
def test_no_output_runs_a_workflow_command(outputs: dict[str, str], name: str) -> None:
    assert workflow_commands(outputs[name]) == []


def test_github_format_runs_only_its_own_annotations(outputs: dict[str, str], hostile: Path) -> None:
    commands = workflow_commands(outputs["check github"])
    assert commands, "the github format annotates"
    for name, props, data in commands:
        assert name in ("error", "warning", "notice"), (name, props, data)
        assert re.fullmatch(r"RL\d{3} [a-z0-9-]+|redislint: .*", _unescape_property(props["title"])), props
        assert set(props) <= {"file", "line", "endLine", "col", "endColumn", "title"}, props
        if "file" in props:  # the annotation names a real file of the tree
            assert (hostile / _unescape_property(props["file"])).is_file(), props
    # The forged file name is annotated as the file it is, not run as a command.
    assert any(_unescape_property(p.get("file", "")) == "::error title=Forged::x.conf" for _, p, _ in commands)


@pytest.mark.parametrize("name", [
    "check text", "check json", "check sarif", "check github", "check gitlab", "check concise", "check junit",
    "check markdown", "check --statistics", "check text --color", "check --show-settings", "effective", "effective --all", "effective --format json",
    "effective --format json --all", "fix --diff", "check --profile",
])
def test_no_raw_escape_reaches_the_terminal(outputs: dict[str, str], name: str) -> None:
    out = outputs[name]
    if name == "check text --color":
        assert SGR.search(out), "--color writes colour codes"
        out = SGR.sub("", out)
    assert UNSAFE.findall(out) == []


def test_json_keeps_the_true_text(outputs: dict[str, str]) -> None:
    """JSON escapes what it must and still carries the exact key (a script may need it)."""
    doc = json.loads(outputs["check json"])
    messages = " ".join(f["message"] for f in doc["findings"])
    assert "k\x1b]52;c;ZXZpbA==\x07\u202e\u2028\x85\x9b\u2066" in messages
    assert "##[error]ForgedLegacy" in messages and "a\n  ::error title=ForgedKey::y" in messages
    paths = {f["path"] for f in doc["findings"]}
    assert {"::error title=Forged::x.conf", "e\x1b[31m\u202e.conf"} <= paths


@pytest.mark.integration  # sarif-multitool on the hostile run
def test_sarif_messages_have_no_live_links(outputs: dict[str, str], tmp_path: Path) -> None:
    doc = json.loads(outputs["check sarif"])
    run = doc["runs"][0]
    link = [r for r in run["results"] if "Click to fix" in r["message"]["text"]]
    assert link and all("relatedLocations" not in r for r in link)  # the case that became a live link
    for r in link:
        assert "\\[Click to fix\\](https://evil.example/x)" in r["message"]["text"]
    for r in run["results"]:
        # A `[` not escaped by a backslash may only open our own links to related locations: `[text](N)`.
        unescaped = re.findall(r"(?<!\\)\[[^\]]*\]\(([^)]*)\)", r["message"]["text"])
        assert all(target.isdigit() for target in unescaped), r["message"]["text"]
        assert not UNSAFE.search(r["message"]["text"])
    assert schema_errors(doc) == []
    sarif = tmp_path / "hostile.sarif"
    sarif.write_text(outputs["check sarif"], encoding="utf-8")
    assert multitool_problems(sarif, tmp_path) == []


def test_junit_is_well_formed_and_keeps_the_text_readable(outputs: dict[str, str]) -> None:
    """The hostile names and keys are data inside valid XML (schema-valid too), never markup."""
    import xml.etree.ElementTree as ET

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "output"))
    from junit_validation import junit_errors

    root = ET.fromstring(outputs["check junit"].split("\n", 1)[1])
    assert junit_errors(outputs["check junit"]) == []
    names = {case.get("classname") for case in root.iter("testcase")}
    assert "::error title=Forged::x.conf" in names  # an attribute value starts no line: the true name
    failures = " ".join(f.text or "" for f in root.iter("failure"))
    assert "Click to fix" in failures and "ForgedKey" in failures


def test_markdown_has_no_live_links_or_markup(outputs: dict[str, str]) -> None:
    """Every bracket, angle bracket and pipe from a file is escaped or inside a code span; URLs are
    in code spans, so the job summary shows them as text."""
    for line in outputs["check markdown"].split("\n"):
        outside = re.sub(r"(`+)(?:(?!\1).)*\1", "", line)  # drop code spans
        assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", outside), line
        assert not re.search(r"(?<!\\)<[a-zA-Z/!]", outside), line
        assert "https://" not in outside, line
    assert "Click to fix" in outputs["check markdown"]


def test_text_output_shows_what_was_defused(outputs: dict[str, str]) -> None:
    """The defused lines still say what the file holds, with a visible backslash."""
    text = outputs["check text"]
    assert "\\::error title=Forged::x.conf:1:1: error RL013 trailing-comment" in text
    assert "\\::error title=ForgedKey::y is not a values key" in text
    assert "auth.##\\[error]ForgedLegacy" in text
    diff = outputs["fix --diff"]
    assert " \\::error title=ForgedContext::z\n" in diff and " ##\\[warning]ForgedLegacyContext\n" in diff
    assert "   \\::add-mask::indented\n" in diff


def test_forged_text_appears_only_where_defused(outputs: dict[str, str]) -> None:
    """Belt and braces: every line holding a forged marker is one the runner would not execute."""
    for name, out in outputs.items():
        for line in out.split("\n"):
            if FORGED.search(line) and not (name == "check github" and line.startswith("::")):
                assert workflow_commands(line) == [], (name, line)
