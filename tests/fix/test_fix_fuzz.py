"""Fuzz `redislint fix` over generated configs in every context it meets.

Contexts: plain redis.conf, a HelmRelease's `configuration:` block scalar (`|`, `|-`, `|+`, `|2`, and
written folded by mistake, `>`, `>-`, `>+`, `>2`, which fix makes literal: RL015),
a double-quoted scalar, argv lists in `extraFlags` (plain, quoted, one item per option, flow
lists), Argo CD `helm.values: |` holding values with their own block, a ConfigMap's redis.conf; LF,
CRLF and CR line endings, with and without a BOM; Redis versions known and unknown.

For every example: the fixed file still parses and `check` finds no new validity finding (an
alias that only shows once its line is readable is allowed: RL017/RL018), line endings and BOM are
kept, every fixable finding left is reported with its reason, and a second run changes nothing.
Where every line maps onto the file and the version is known, the fixed text is exactly the one a
person would write. On a sample, a real redis-server starts with the fixed config and reads the same
values and users as from the config the author meant.

Example counts keep the suite fast; REDISLINT_PROPERTY_SCALE multiplies them (as in tests/robustness).
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import redis_server as rs

from .helpers import check_json, cli, validity_findings

_TMP = Path(tempfile.mkdtemp(prefix="rl-fix-fuzz-"))
atexit.register(shutil.rmtree, _TMP, True)
SCALE = float(os.environ.get("REDISLINT_PROPERTY_SCALE", "1"))
COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                      HealthCheck.function_scoped_fixture])
HASH = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"
SINCE_OLDEST = (6, 2)  # the oldest version of the directive table: replica names are known from there


class Directive(NamedTuple):
    """A config line valid for Redis 7.0 as the author meant it, and its primary name when it uses an alias."""

    words: str
    primary: str = ""  # the new name when `words` starts with an alias
    since: tuple[int, int] = SINCE_OLDEST  # when the new name appeared (in the table's terms)
    argv: bool = True  # usable as `--name value` items

    @property
    def name(self) -> str:
        return self.words.split()[0].strip('"').lower()

    def renamed(self, version: tuple[int, int] | None) -> str:
        if not self.primary or version is None or version < self.since:
            return self.words
        first, rest = self.words.split(" ", 1)
        quote = '"' if first.startswith('"') else ""
        return f"{quote}{self.primary}{quote} {rest}"


DIRECTIVES = (
    Directive("appendonly yes"), Directive("appendonly no"), Directive("appendfsync everysec"),
    Directive("save 900 1"), Directive("save 300 10 60 10000"), Directive("maxmemory 100mb"),
    Directive("maxmemory-policy allkeys-lru"), Directive("dbfilename dump.rdb"),
    Directive('masterauth "a # b"', argv=False),
    Directive("slaveof 127.0.0.1 6390", "replicaof"), Directive("SLAVEOF 127.0.0.1 6390", "replicaof"),
    Directive('"slaveof" 127.0.0.1 6390', "replicaof", argv=False),
    Directive("slave-read-only yes", "replica-read-only"), Directive("slave-priority 10", "replica-priority"),
    Directive("min-slaves-to-write 0", "min-replicas-to-write"),
    Directive("repl-ping-slave-period 10", "repl-ping-replica-period"),
    Directive("hash-max-ziplist-entries 128", "hash-max-listpack-entries", (7, 0)),
    Directive("list-max-ziplist-size -2", "list-max-listpack-size", (7, 0)),
    Directive("zset-max-ziplist-value 64", "zset-max-listpack-value", (7, 0)),
    Directive("lua-time-limit 5000", "busy-reply-threshold", (7, 0)),
    Directive("user jack on >pw ~* +@all", argv=False), Directive(f"user bob on #{HASH} ~* &* +@all", argv=False),
    Directive("user #ops on nopass ~* +@all", argv=False),
)
COMMENTS = ("# on", "#x", "# it's durable", "# a # b", "# redislint: disable=RL206 -- reviewed elsewhere")
CONFIG_KEYS = ("appendonly", "appendfsync", "save", "maxmemory", "maxmemory-policy", "dbfilename", "masterauth",
               "replicaof", "replica-read-only", "replica-priority", "min-replicas-to-write",
               "repl-ping-replica-period", "hash-max-listpack-entries", "list-max-listpack-size",
               "zset-max-listpack-value", "busy-reply-threshold")


class Line(NamedTuple):
    """One line of config: a directive (maybe with a trailing comment), a comment line or a blank."""

    directive: Directive | None
    comment: str = ""  # trailing comment, or the whole line when there is no directive
    gap: str = " "  # blanks between the directive and its comment
    indent: str = ""

    def written(self) -> list[str]:
        if self.directive is None:
            return [self.indent + self.comment]
        tail = f"{self.gap}{self.comment}" if self.comment else ""
        return [self.indent + self.directive.words + tail]

    def fixed(self, version: tuple[int, int] | None) -> list[str]:
        if self.directive is None:
            return [self.indent + self.comment]
        words = self.directive.renamed(version)
        return [self.indent + self.comment, self.indent + words] if self.comment else [self.indent + words]

    def meant(self) -> list[str]:
        """What the author meant Redis to read: the directive, never the comment."""
        return [self.directive.words] if self.directive is not None else []


class Argv(NamedTuple):
    """Command-line options as `extraFlags` items, in one YAML style."""

    directives: tuple[Directive, ...]
    style: str  # plain, double, single, joined (one item per option), flow

    def items(self, version: tuple[int, int] | None) -> list[str]:
        out: list[str] = []
        for d in self.directives:
            words = d.renamed(version).split()
            words[0] = "--" + words[0]
            out.extend([" ".join(words)] if self.style == "joined" else words)
        return out

    def yaml(self, version: tuple[int, int] | None, indent: str) -> str:
        items = self.items(version)
        if self.style == "flow":
            return f"{indent}extraFlags: [{', '.join(json.dumps(i) for i in items)}]\n"
        quote = {"double": '"', "single": "'"}.get(self.style, "")
        body = "".join(f"{indent}  - {quote}{_plain(i, quote)}{quote}\n"
                       for i in items)
        return f"{indent}extraFlags:\n{body}"

    def meant(self) -> list[str]:
        return self.items(None)


def _plain(item: str, quote: str) -> str:
    """An argv item in a plain or quoted YAML scalar (plain numbers are quoted: the chart gets text)."""
    if not quote and not item.startswith("--"):
        return json.dumps(item)
    return item


lines_st = st.lists(
    st.one_of(
        st.builds(Line, st.sampled_from(DIRECTIVES), st.sampled_from(("",) * 2 + COMMENTS),
                  st.sampled_from((" ", "   ", "\t", " \t ")), st.sampled_from(("", "", "  ", "\t"))),
        st.builds(Line, st.none(), st.sampled_from(("# a comment line", "", "#no space")), st.just(""),
                  st.just("")),
    ),
    min_size=1, max_size=8, unique_by=lambda line: line.directive.words if line.directive else id(line))
argv_st = st.builds(Argv, st.lists(st.sampled_from([d for d in DIRECTIVES if d.argv]), max_size=4, unique_by=str)
                    .map(tuple), st.sampled_from(("plain", "double", "single", "joined", "flow")))


class Case(NamedTuple):
    """A generated input file: its name, its text for each reading, and how fix is run on it."""

    name: str
    lines: tuple[Line, ...]
    argv: Argv | None
    context: str
    style: str  # block scalar header, for the YAML contexts
    pin: str  # chart version of a HelmRelease ("" = none)
    version: str  # --redis-version ("" = none)

    @property
    def known(self) -> tuple[int, int] | None:
        if self.version:
            major, minor = self.version.split(".")
            return int(major), int(minor)
        return (7, 2) if self.pin and self.context in ("release", "quoted", "argocd") else None

    @property
    def mappable(self) -> bool:
        """Every line sits on a line of its own in the file: fix can move and rename all of them."""
        indented = any(line.indent for line in self.lines)
        return self.context != "quoted" and not (indented and self.context != "conf"
                                                 and self.style not in ("|2", ">2"))

    def conf(self, fixed: bool) -> str:
        out = [x for line in self.lines for x in (line.fixed(self.known) if fixed else line.written())]
        return "\n".join(out) + "\n"

    def header(self, fixed: bool) -> str:
        """The block scalar header as written, or as fix leaves it (a folded block made literal)."""
        return self.style.replace(">", "|") if fixed else self.style

    def text(self, fixed: bool = False) -> str:
        conf = self.conf(fixed)
        if self.context == "conf":
            return conf
        if self.context == "configmap":
            return ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: redis-conf\ndata:\n  redis.conf: "
                    + self.style + "\n" + _indent(conf, "    "))
        flags = self.argv.yaml(self.known if fixed else None, "  ") if self.argv else ""
        if self.context == "quoted":
            values = f"master:\n  configuration: {json.dumps(conf)}\n" + flags
        else:
            values = f"master:\n  configuration: {self.header(fixed)}\n" + _indent(conf, "    ") + flags
        if self.context == "argocd":
            return ("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: cache\n"
                    "spec:\n  destination: {namespace: db}\n  source:\n"
                    "    repoURL: https://charts.bitnami.com/bitnami\n    chart: redis\n"
                    + (f"    targetRevision: {self.pin}\n" if self.pin else "")
                    + "    helm:\n      values: |\n" + _indent("architecture: standalone\n" + values, "        "))
        return ("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cache\n"
                "  namespace: db\nspec:\n  chart:\n    spec:\n      chart: redis\n"
                + (f"      version: {self.pin}\n" if self.pin else "")
                + "      sourceRef: {kind: HelmRepository, name: bitnami}\n  values:\n"
                + _indent("architecture: standalone\n" + values, "    "))


def _indent(text: str, prefix: str) -> str:
    return "".join(prefix + line if line else line for line in text.splitlines(keepends=True))


@st.composite
def cases(draw: st.DrawFn, contexts: tuple[str, ...] = ("conf", "release", "quoted", "argocd", "configmap"),
          versions: tuple[str, ...] = ("", "", "6.2", "7.0", "7.2")) -> Case:
    context = draw(st.sampled_from(contexts))
    yaml = context != "conf"
    return Case(
        "redis.conf" if context == "conf" else "input.yaml", tuple(draw(lines_st)),
        draw(st.one_of(st.none(), argv_st)) if context in ("release", "quoted", "argocd") else None, context,
        draw(st.sampled_from(("|", "|-", "|+", "|2") + ((">", ">-", ">+", ">2") if context in ("release", "argocd")
                                                        else ()))) if yaml else "",
        draw(st.sampled_from(("", "19.0.0"))) if context in ("release", "argocd") else "",
        draw(st.sampled_from(versions)))


def encode(text: str, ending: str, bom: bool) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", ending).encode()


def fixable_left(findings: list[dict]) -> int:
    """Places with a fixable finding (several targets may report one place; fix says it once)."""
    places = {(f["rule"], f["line"], f["column"]) for f in findings if f["rule"] in ("RL013", "RL015", "RL017")}
    # RL017 names every old alias of a file in one finding: the others are its related lines.
    places |= {("RL017", r["line"], r["column"]) for f in findings if f["rule"] == "RL017" for r in f["related"]}
    return len(places)


def run_case(case: Case, ending: str, bom: bool) -> tuple[Path, str]:
    """Write the case, fix it and check the properties every context shares; the path and fix's messages."""
    directory = Path(tempfile.mkdtemp(dir=_TMP))
    path = directory / case.name
    original = encode(case.text(), ending, bom)
    path.write_bytes(original)
    args = ("--redis-version", case.version) if case.version else ()
    before = validity_findings(path, *args)
    result = cli("fix", *args, str(path))
    assert result.exit_code == 0, (case, result)
    if case.style.startswith(">") and "still holds a line Redis refuses" in result.stderr:
        # The fold hid a line this Redis refuses and no fix repairs (an unbalanced quote in a comment
        # that is no trailing comment for Redis 6.2): the file stays, and the same lines written as a
        # literal block really keep a validity finding after fix.
        assert path.read_bytes() == original
        twin = run_literal_twin(case, ending, bom)
        assert [k for k in twin if k[0] not in ("RL017", "RL018")], (case, twin)
        return path, result.stderr
    assert "not written" not in result.stderr, (case, result)  # no fix is ever rejected or refused here
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == bom
    if ending == "\r\n":
        assert data.count(b"\n") == data.count(b"\r\n"), data
    if ending == "\r":
        assert b"\n" not in data, data
    findings = check_json(path, *args)
    after = Counter((f["rule"], f["target"], f["subject"]) for f in findings)
    new = {k: n for k, n in (after - before).items() if k[0] not in ("RL017", "RL018")}
    assert not new, (case, new, data.decode())
    assert after[("RL001", "", "RL001")] <= before[("RL001", "", "RL001")]
    reported = len(re.findall(r"not fixed \(RL01[357]\)", result.stderr))
    whole_file = "not fixed: its lines end with a lone CR" in result.stderr
    assert whole_file or fixable_left(findings) <= reported, (case, result.stderr, after)
    again = cli("fix", *args, str(path))
    assert path.read_bytes() == data, (case, again)
    return path, result.stderr


def run_literal_twin(case: Case, ending: str, bom: bool) -> Counter:
    """The validity findings left after fixing `case` written with a literal block instead of `>`."""
    directory = Path(tempfile.mkdtemp(dir=_TMP))
    path = directory / case.name
    path.write_bytes(encode(case._replace(style=case.style.replace(">", "|")).text(), ending, bom))
    args = ("--redis-version", case.version) if case.version else ()
    cli("fix", *args, str(path))
    return validity_findings(path, *args)


@settings(max_examples=int(150 * SCALE), **COMMON)
@given(cases(), st.sampled_from(("\n", "\n", "\r\n", "\r")), st.booleans())
def test_fix_keeps_every_context_valid(case: Case, ending: str, bom: bool) -> None:
    path, _ = run_case(case, ending, bom)
    data = path.read_bytes()
    conf_cr = case.context == "conf" and ending == "\r"
    # Redis 6.2 ignores a multi-pair `save` line whatever follows it, so no comment is "trailing" there.
    exact = case.mappable and case.version != "6.2" and not (bom and case.context == "conf")
    if exact and not conf_cr:
        want = encode(case.text(fixed=True), ending, bom)
        assert data == want, (case, data.decode(), want.decode())
    elif conf_cr:
        assert data == encode(case.text(), ending, bom)


def _start(binary: str, conf: str, argv: list[str]) -> rs.RedisRun:
    return rs.run_server(binary, conf, argv=argv, patterns=list(CONFIG_KEYS), commands=[["ACL", "LIST"]])


@settings(max_examples=int(25 * SCALE), **COMMON)
@given(cases(contexts=("conf", "release"), versions=("7.0",)).filter(lambda c: c.mappable),
       st.sampled_from(("\n", "\r\n")))
def test_redis_reads_the_fixed_config_as_the_author_meant(case: Case, ending: str) -> None:
    """A real redis-server (7.0 here) starts with the fixed config and reads what the author meant."""
    binary = rs.require_redis_server()
    path, _ = run_case(case, ending, False)
    meant_conf = "\n".join(x for line in case.lines for x in line.meant()) + "\n"
    meant_argv = case.argv.meant() if case.argv else []
    if case.context == "conf":
        fixed_conf, fixed_argv = path.read_bytes().decode(), []
    else:
        from redislint.sources import load_yaml, node_at, to_plain

        doc = load_yaml(str(path), path.read_bytes().decode()).documents[0]
        master = to_plain(node_at(doc.root, "spec.values.master"))
        fixed_conf, fixed_argv = master["configuration"], [str(i) for i in master.get("extraFlags") or []]
    assert "\r" not in fixed_conf.replace("\r\n", "")
    meant = _start(binary, meant_conf, meant_argv)
    fixed = _start(binary, fixed_conf, fixed_argv)
    assert meant.config is not None, (meant_conf, meant.stderr)  # the generator writes valid configs
    assert fixed.config is not None, (case, fixed_conf, fixed_argv, fixed.stderr)
    assert fixed.config == meant.config
    assert fixed.replies == meant.replies  # the same ACL users, with the same passwords and rules
