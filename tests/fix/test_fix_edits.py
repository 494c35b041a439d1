"""What `redislint fix` changes, and what it leaves alone: argv quoting, line endings, ACL lines, versions, selection."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import redis_server as rs

from .helpers import cli, validity_findings

HASH = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"  # sha256("password")


def release(values: str, version: str = "19.0.0") -> str:
    """A Flux HelmRelease of bitnami/redis with `values` (already indented by four spaces)."""
    pin = f"      version: {version}\n" if version else ""
    return ("apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cache\n  namespace: db\n"
            "spec:\n  chart:\n    spec:\n      chart: redis\n" + pin +
            "      sourceRef: {kind: HelmRepository, name: bitnami}\n  values:\n"
            "    architecture: standalone\n" + values)


ARGV = """\
    master:
      extraFlags:
        - "--slaveof"
        - "127.0.0.1"
        - "6390"
        - '--slave-read-only'
        - "yes"
        - --hash-max-ziplist-entries 100
        - --list-max-ziplist-size
        - "-2"
"""


def test_quoted_argv_aliases_keep_their_quotes_and_dashes(tmp_path: Path) -> None:
    path = tmp_path / "release.yaml"
    path.write_text(release(ARGV))
    before = validity_findings(path)
    assert sum(n for (rule, *_), n in before.items() if rule == "RL017") == 4
    result = cli("fix", str(path))
    assert result.exit_code == 0, result
    assert path.read_text() == release(ARGV.replace('"--slaveof"', '"--replicaof"')
                                       .replace("'--slave-read-only'", "'--replica-read-only'")
                                       .replace("--hash-max-ziplist-entries", "--hash-max-listpack-entries")
                                       .replace("--list-max-ziplist-size", "--list-max-listpack-size"))
    assert not validity_findings(path)


def test_the_fixed_argv_is_what_redis_accepts(tmp_path: Path) -> None:
    """The old fix turned `"--slaveof"` into `replicaof`, which redis-server reads as a stray argument."""
    binary = rs.require_redis_server()
    fixed = ["--replicaof", "127.0.0.1", "6390", "--replica-read-only", "yes",
             "--hash-max-listpack-entries", "100"]
    run = rs.run_server(binary, argv=fixed, patterns=["replicaof", "hash-max-listpack-entries"])
    assert run.config == {"replicaof": "127.0.0.1 6390", "hash-max-listpack-entries": "100"}, run.stderr
    broken = ["replicaof", "127.0.0.1", "6390"]  # what the old fix wrote
    assert rs.run_server(binary, argv=broken, patterns=["replicaof"]).config is None


def test_flow_sequence_with_several_aliases_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "release.yaml"
    path.write_text(release('    master:\n      extraFlags: ["--slaveof", "127.0.0.1", "6390", '
                            '"--slave-priority", "10"]\n'))
    assert cli("fix", str(path)).exit_code == 0
    assert '["--replicaof", "127.0.0.1", "6390", "--replica-priority", "10"]' in path.read_text()
    assert not validity_findings(path)


def test_an_escaped_or_folded_name_is_left_alone_and_said(tmp_path: Path) -> None:
    path = tmp_path / "release.yaml"
    text = release('    master:\n      extraFlags: ["--slave\\x2dread-only", "yes"]\n'
                   '      configuration: "appendonly yes # on\\nsave 900 1"\n')
    path.write_text(text)
    result = cli("fix", str(path))
    assert result.exit_code == 0
    assert path.read_text() == text
    assert "release.yaml:15: not fixed (RL017): the name is written with escapes" in result.stderr
    assert "release.yaml:16: not fixed (RL013): the line sits inside a quoted or folded value" in result.stderr


CONF = "slaveof 127.0.0.1 6390\nappendonly yes # durable\nsave 900 1\n"


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_yaml_line_endings_and_bom_are_kept(tmp_path: Path, ending: str, bom: bytes) -> None:
    values = "    master:\n      configuration: |\n        appendonly yes # durable\n        slave-read-only yes\n"
    path = tmp_path / "release.yaml"
    path.write_bytes(bom + release(values).replace("\n", ending).encode())
    assert cli("fix", str(path)).exit_code == 0
    want = values.replace("        appendonly yes # durable\n", "        # durable\n        appendonly yes\n")
    want = want.replace("slave-read-only", "replica-read-only")
    assert path.read_bytes() == bom + release(want).replace("\n", ending).encode()


def test_cr_only_yaml_is_fixed_and_written_back_with_cr(tmp_path: Path) -> None:
    """YAML breaks lines at a lone CR; the old fix put the comment at the top of the file, which broke it."""
    values = "    master:\n      configuration: |\n        appendonly yes # durable\n" + ARGV.split("\n", 1)[1]
    path = tmp_path / "release.yaml"
    path.write_bytes(release(values).replace("\n", "\r").encode())
    result = cli("fix", str(path))
    assert result.exit_code == 0, result
    data = path.read_bytes()
    assert b"\n" not in data
    text = data.decode().replace("\r", "\n")
    assert "      configuration: |\n        # durable\n        appendonly yes\n" in text
    assert '        - "--replicaof"\n' in text
    assert not validity_findings(path)


def test_cr_only_redis_conf_is_left_as_it_is(tmp_path: Path) -> None:
    """Redis reads a CR-only file as one line: moving the comment would turn the whole file into a comment."""
    text = "appendonly yes # durable\rslaveof 127.0.0.1 6390\rsave 900 1\r"
    path = tmp_path / "redis.conf"
    path.write_bytes(text.encode())
    binary = rs.require_redis_server()
    assert rs.run_server(binary, text).config is None  # Redis refuses it as it is
    result = cli("fix", "--redis-version", "7.0", str(path))
    assert result.exit_code == 0
    assert path.read_bytes() == text.encode()
    assert "redis.conf: not fixed: its lines end with a lone CR" in result.stderr
    old_fix = "# durable\rslaveof 127.0.0.1 6390\rsave 900 1\rappendonly yes\r"  # what the old fix wrote
    assert rs.run_server(binary, old_fix, patterns=["appendonly", "replicaof"]).config == {
        "appendonly": "no", "replicaof": ""}  # one comment line: every setting silently dropped


def test_conf_bom_and_crlf_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "redis.conf"
    path.write_bytes(b"# top\r\nappendonly yes # durable\r\n")
    assert cli("fix", str(path)).exit_code == 0
    assert path.read_bytes() == b"# top\r\n# durable\r\nappendonly yes\r\n"


@pytest.mark.parametrize(("line", "user"), [
    ("user jack on >pw ~* +@all # admin", "jack"),
    (f"user bob on #{HASH} ~* +@all # the hash stays", "bob"),
    (f"user bob on #{HASH} ~* +@all # it's the admin", "bob"),  # an unbalanced quote in the comment
    ("user #ops on nopass ~* +@all # a user named #ops", "#ops"),
])
def test_acl_lines_are_fixed_to_what_redis_needed(tmp_path: Path, line: str, user: str) -> None:
    binary = rs.require_redis_server()
    assert rs.run_server(binary, line + "\n").config is None  # Redis refuses the trailing comment
    path = tmp_path / "redis.conf"
    path.write_text(line + "\n")
    assert cli("fix", str(path)).exit_code == 0
    code, comment = line.split(" # ")
    assert path.read_text() == f"# {comment}\n{code}\n"
    run = rs.run_server(binary, path.read_text(), patterns=["port"], commands=[["ACL", "GETUSER", user]])
    assert run.config is not None, run.stderr
    info = run.replies[0]
    assert isinstance(info, list)
    got = dict(zip(info[::2], info[1::2], strict=True))
    assert "on" in got["flags"]
    if "#" + HASH in line:
        assert got["passwords"] == [HASH]  # the old fix cut at the hash: a user without a password
    assert got["keys"] == "~*"


def test_a_comment_and_an_alias_on_the_same_line(tmp_path: Path) -> None:
    path = tmp_path / "redis.conf"
    path.write_text("  slave-read-only yes   # keep replicas read-only\n")
    assert cli("fix", "--redis-version", "7.2", str(path)).exit_code == 0
    assert path.read_text() == "  # keep replicas read-only\n  replica-read-only yes\n"


@pytest.mark.parametrize(("args", "renamed"), [
    ((), False),  # unknown: Redis 4 has no `replicaof`
    (("--redis-version", "7.0"), True),
    (("--redis-version", "6.0"), False),  # older than any version the table knows accepts it
])
def test_aliases_are_renamed_only_for_a_known_redis_version(tmp_path: Path, args: tuple[str, ...],
                                                            renamed: bool) -> None:
    path = tmp_path / "redis.conf"
    path.write_text("slaveof 127.0.0.1 6390\n")
    result = cli("fix", *args, str(path))
    assert result.exit_code == 0
    assert path.read_text() == ("replicaof" if renamed else "slaveof") + " 127.0.0.1 6390\n"
    if not renamed:
        assert "not fixed (RL017)" in result.stderr


@pytest.mark.parametrize(("version", "renamed"), [("19.0.0", True), ("", False), (">=17.0.0", False)])
def test_a_chart_pinned_to_a_known_release_gives_the_version(tmp_path: Path, version: str, renamed: bool) -> None:
    path = tmp_path / "release.yaml"
    path.write_text(release("    master:\n      configuration: |\n        hash-max-ziplist-entries 64\n", version))
    cli("fix", str(path))
    assert ("hash-max-listpack-entries" in path.read_text()) is renamed


def test_image_tag_gives_the_version(tmp_path: Path) -> None:
    path = tmp_path / "release.yaml"
    path.write_text(release("    image:\n      tag: 7.2.4-debian-12-r9\n"
                            "    master:\n      configuration: |\n        hash-max-ziplist-entries 64\n", ""))
    cli("fix", str(path))
    assert "hash-max-listpack-entries 64" in path.read_text()


def test_a_line_read_by_two_versions_is_renamed_only_if_both_know_the_name(tmp_path: Path) -> None:
    """A values ConfigMap shared by a release on Redis 6.2 (chart 15) and one on 7.2 (chart 19)."""
    shared = textwrap.dedent("""\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: shared, namespace: db}
        data:
          values.yaml: |
            master:
              configuration: |
                hash-max-ziplist-entries 64
        """)
    def rel(name: str, version: str) -> str:
        return textwrap.dedent(f"""\
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata: {{name: {name}, namespace: db}}
            spec:
              chart:
                spec: {{chart: redis, version: {version}, sourceRef: {{kind: HelmRepository, name: bitnami}}}}
              valuesFrom:
                - kind: ConfigMap
                  name: shared
            """)
    (tmp_path / "shared.yaml").write_text(shared)
    (tmp_path / "new.yaml").write_text(rel("new", "19.0.0"))
    (tmp_path / "old.yaml").write_text(rel("old", "15.0.0"))
    result = cli("fix", str(tmp_path))
    assert "hash-max-ziplist-entries 64" in (tmp_path / "shared.yaml").read_text(), result
    alone = cli("fix", str(tmp_path / "shared.yaml"), str(tmp_path / "new.yaml"))
    assert "hash-max-listpack-entries 64" in (tmp_path / "shared.yaml").read_text(), alone


def test_select_ignore_and_config_file_are_honoured(tmp_path: Path) -> None:
    text = "slaveof 127.0.0.1 6390\nappendonly yes # durable\n"
    path = tmp_path / "redis.conf"
    for args, want in [
        (("--select", "RL013"), "slaveof 127.0.0.1 6390\n# durable\nappendonly yes\n"),
        (("--ignore", "trailing-comment"), "replicaof 127.0.0.1 6390\nappendonly yes # durable\n"),
    ]:
        path.write_text(text)
        assert cli("fix", "--redis-version", "7.0", *args, str(path)).exit_code == 0
        assert path.read_text() == want, args
    path.write_text(text)
    (tmp_path / ".redislint.yaml").write_text("ignore: [RL017]\nredis-version: '7.0'\n")
    assert cli("fix", "redis.conf", cwd=tmp_path).exit_code == 0
    assert path.read_text() == "slaveof 127.0.0.1 6390\n# durable\nappendonly yes\n"


def test_suppressed_findings_are_not_fixed(tmp_path: Path) -> None:
    path = tmp_path / "release.yaml"
    values = ("    master:\n      configuration: |\n        # redislint: disable=RL017 -- Redis 4 in prod\n"
              "        slave-read-only yes\n")
    path.write_text(release(values))
    cli("fix", str(path))
    assert "slave-read-only yes" in path.read_text()


def test_missing_file_exits_2_and_the_others_are_still_fixed(tmp_path: Path) -> None:
    path = tmp_path / "redis.conf"
    path.write_text("appendonly yes # durable\n")
    result = cli("fix", str(tmp_path / "missing.conf"), str(path))
    assert result.exit_code == 2
    assert "missing.conf: error: no such file or directory" in result.stderr
    assert path.read_text() == "# durable\nappendonly yes\n"


def test_standard_input_is_not_rewritten_and_says_so() -> None:
    from click.testing import CliRunner

    from redislint.cli import main

    result = CliRunner().invoke(main, ["fix", "-"], input="appendonly yes # durable\n")
    assert result.exit_code == 0
    assert "<stdin>: not fixed: standard input cannot be rewritten" in result.stderr


def test_diff_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "redis.conf"
    path.write_text("appendonly yes # durable\n")
    result = cli("fix", "--diff", str(path))
    assert result.exit_code == 1
    assert "+# durable\n" in result.stdout
    assert path.read_text() == "appendonly yes # durable\n"


def test_a_moved_suppression_comment_still_covers_its_directive(tmp_path: Path) -> None:
    """A trailing `# redislint: disable=…` covers its line; on its own line it covers the next one: the same."""
    import json

    path = tmp_path / "redis.conf"
    path.write_text("save 900 1\nstop-writes-on-bgsave-error no # redislint: disable=RL206 -- we alert elsewhere\n")
    assert cli("fix", str(path)).exit_code == 0
    assert path.read_text() == ("save 900 1\n# redislint: disable=RL206 -- we alert elsewhere\n"
                                "stop-writes-on-bgsave-error no\n")
    # RL206 is off under baseline (the default): staying writable while saves fail suits some data.
    report = json.loads(cli("check", "--format", "json", "--show-suppressed", "--fail-on", "never",
                            "--profile", "cache", str(path)).stdout)
    mine = [(f["rule"], f["line"], f["suppressed"]) for f in report["findings"] if f["rule"] in ("RL206", "RL901")]
    assert mine == [("RL206", 3, True)]


@pytest.mark.parametrize("header, fixed", [
    (">", "|"), (">-", "|-"), (">+", "|+"), (">2", "|2"), ("> # joined by mistake", "| # joined by mistake"),
    ("!!str >-", "!!str |-"),
])
def test_a_folded_config_block_becomes_literal(tmp_path: Path, header: str, fixed: str) -> None:
    """RL015: only the indicator changes; the block's lines, then its trailing comments, are fixed."""
    body = "      configuration: {}\n        appendonly yes\n        save 900 1 # every 15 min\n"
    path = tmp_path / "release.yaml"
    path.write_text(release("    master:\n" + body.format(header)))
    assert "RL015" in {rule for rule, _target, _subject in validity_findings(path)}
    result = cli("fix", str(path))
    assert result.exit_code == 0, result
    want = release("    master:\n      configuration: " + fixed + "\n        appendonly yes\n"
                   "        # every 15 min\n        save 900 1\n")
    assert path.read_text() == want
    assert not validity_findings(path)
    assert "fixed 2 finding(s) in 1 file(s)" in result.stderr


def test_a_folded_block_that_hides_a_refused_line_is_left_and_said(tmp_path: Path) -> None:
    """Unfolded, the block would show a line Redis refuses: the file is not written, and why is said."""
    path = tmp_path / "release.yaml"
    text = release("    master:\n      configuration: >\n        appendonly yes\n        apendonly no\n")
    path.write_text(text)
    result = cli("fix", str(path))
    assert path.read_text() == text
    assert "still holds a line Redis refuses (RL010)" in result.stderr


def test_a_multi_line_plain_config_value_is_left_to_the_author(tmp_path: Path) -> None:
    path = tmp_path / "release.yaml"
    text = release("    master:\n      configuration: appendonly yes\n        save 900 1\n")
    path.write_text(text)
    result = cli("fix", str(path))
    assert path.read_text() == text
    assert "not fixed (RL015)" in result.stderr and "by hand" in result.stderr
