"""parse_conf: which lines Redis acts on, their words and spans, and why it refuses some."""

from __future__ import annotations

import pytest

from redislint.model import Span
from redislint.redisconf import RedisVersion, parse_conf

from .helpers import FakeEmbedded

R62 = RedisVersion("redis", 6, 2)
R70 = RedisVersion("redis", 7, 0, 15)
R80 = RedisVersion("redis", 8, 0)
V80 = RedisVersion("valkey", 8, 0)


def parse(text: str, version: RedisVersion = R70, **kw):  # type: ignore[no-untyped-def]
    return parse_conf(FakeEmbedded(text, "conf"), "conf", version, **kw)


def kinds(text: str, version: RedisVersion = R70) -> list[str | None]:
    return [ln.problem.kind if ln.problem else None for ln in parse(text, version)]


def test_lines_comments_and_spans() -> None:
    text = "# header\n\n  maxmemory   \"1 gb\"  \r\n\t#indented comment\nappendonly yes"
    lines = parse(text)
    assert [(ln.index, ln.raw) for ln in lines] == [(2, 'maxmemory   "1 gb"'), (4, "appendonly yes")]
    first = lines[0]
    assert (first.name, first.key, first.args) == ("maxmemory", "maxmemory", ("1 gb",))
    assert first.span == Span("conf", 3, 3, 3, 21)
    assert first.name_span == Span("conf", 3, 3, 3, 12)
    assert first.arg_spans == (Span("conf", 3, 15, 3, 21),)  # the quotes included
    assert first.problem is not None and first.problem.reason == "argument must be a memory value"
    assert lines[1].value == "yes" and lines[1].problem is None


def test_the_trailing_comment_starts_where_redis_needs_the_cut() -> None:
    """The words before the cut form a line Redis accepts: an ACL password hash is never the cut."""
    from redislint.redisconf.lines import trailing_comment_start

    line = f"user bob on #{'a' * 64} ~* # it's ops"
    assert trailing_comment_start(line, R70) == line.index(" # it's") + 1
    assert trailing_comment_start("user #ops on nopass # c", R70) == len("user #ops on nopass ")
    assert trailing_comment_start("appendonly yes", R70) is None


def test_alias_and_case() -> None:
    (line,) = parse("SLAVEOF 10.0.0.1 6379")
    assert (line.name, line.key, line.alias_used, line.value) == \
        ("SLAVEOF", "replicaof", True, "10.0.0.1 6379")


def test_split_multi_arg_value() -> None:
    (line,) = parse('save "900 1 300 10"')
    assert line.args == ("900 1 300 10",) and line.value == "900 1 300 10"
    (line,) = parse('save "900 1 300 10"', R62)
    assert line.problem is not None and line.problem.kind == "save-ignored"


@pytest.mark.parametrize(("text", "kind", "reason"), [
    ("appendonly yes # c", "trailing-comment", "wrong number of arguments"),
    ("save 900 1 # c", "trailing-comment", "Invalid save parameters"),
    ("appendonly yes # don't", "trailing-comment", "Unbalanced quotes in configuration line"),
    (f"user bob on #{'a' * 64} ~* # it's ops", "trailing-comment", "Unbalanced quotes in configuration line"),
    ("appendonly yes#c", "invalid-value", "argument must be 'yes' or 'no'"),
    ("\ufeffappendonly yes", "bom", "Bad directive or wrong number of arguments"),
    ("\ufeff# comment", "bom", "Bad directive or wrong number of arguments"),
    ("appendonly\u00a0yes", "non-breaking-space", "Bad directive or wrong number of arguments"),
    ("appendonly yes\u00a0", "non-breaking-space", "argument must be 'yes' or 'no'"),
    ("appendonly\fyes", "non-breaking-space", "Bad directive or wrong number of arguments"),
    ('dir "/tmp', "unbalanced-quotes", "Unbalanced quotes in configuration line"),
    ("appendonyl yes", "unknown-directive", "Bad directive or wrong number of arguments"),
    ("primaryauth x", "not-in-version", "Bad directive or wrong number of arguments"),
    ("appendonly", "wrong-arg-count", "wrong number of arguments"),
    ("include a b", "wrong-arg-count", "Bad directive or wrong number of arguments"),
    ("rename-command CONFIG", "wrong-arg-count", "Bad directive or wrong number of arguments"),
    ("mymod.opt", "wrong-arg-count", "Module config specified without value"),
    ("appendfsync sometimes", "invalid-value",
     "argument(s) must be one of the following: everysec, always, no"),
    ("sentinel monitor m 127.0.0.1 6379 2", "sentinel-only",
     "sentinel directive while not in sentinel mode"),
    ("user alice on #abc", "invalid-value", "Error in user declaration 'alice': The password hash "
     "must be exactly 64 characters and contain only lowercase hexadecimal characters"),
])
def test_problems(text: str, kind: str, reason: str) -> None:
    (line,) = parse(text)
    assert line.problem is not None
    assert (line.problem.kind, line.problem.reason) == (kind, reason)
    assert line.fatal


def test_suggestion_and_versions_in_detail() -> None:
    (typo,) = parse("appendonyl yes")
    assert typo.problem is not None and "appendonly" in typo.problem.detail
    (other,) = parse("primaryauth x")
    assert other.problem is not None and "Valkey 8.0" in other.problem.detail


def test_accepted_special_lines() -> None:
    lines = parse("include /etc/redis/a.conf\nrename-command FLUSHALL \"\"\nuser bob on\n"
                  "loadmodule /m.so a b\nmymod.opt 1 2\nsentinel\nlist-max-ziplist-entries 5\n")
    assert [(ln.role, ln.problem) for ln in lines] == [
        ("include", None), ("rename-command", None), ("user", None), ("loadmodule", None),
        ("module-config", None), ("sentinel", None), ("ignored", None)]
    assert lines[4].value == "1 2"
    assert lines[5].ignored and lines[6].ignored


def test_sentinel_mode() -> None:
    (line,) = parse("sentinel monitor m 127.0.0.1 6379 2", sentinel_mode=True)
    assert line.problem is None and line.role == "sentinel"


def test_version_specific_parsing() -> None:
    assert kinds("dir /a /b", R62) == ["wrong-arg-count"]
    (line,) = parse("dir /a /b", R62)
    assert line.problem is not None
    assert line.problem.reason == "Bad directive or wrong number of arguments"
    assert kinds("mymod.opt 1", R62) == ["unknown-directive"]
    (trailing,) = parse("save 900 1 # c", R62)
    assert trailing.problem is not None and not trailing.problem.fatal
    assert trailing.problem.kind == "trailing-comment"
    assert kinds("primaryauth x", V80) == [None]
    (unknown,) = parse("foo-bar yes", R80)
    assert unknown.problem is not None and unknown.problem.reason.startswith(
        "Module Configuration detected")


def test_cr_only_file_is_one_line() -> None:
    (line,) = parse("appendonly yes\rmaxmemory 1mb\r")
    assert line.problem is not None and line.problem.reason == "wrong number of arguments"


def test_blank_only_line_is_skipped() -> None:
    assert parse("\f\v\nappendonly yes")[0].index == 1


def test_with_the_real_embedded_text() -> None:
    sources = pytest.importorskip("redislint.sources")
    text = "# c\r\nappendonly yes # x\r\nmaxmemory 1gb\r\n"
    lines = parse_conf(sources.EmbeddedText.for_file("r.conf", text), "redis.conf", R70)
    assert [(ln.span.line, ln.span.column, ln.span.end_column) for ln in lines] == [(2, 1, 19),
                                                                              (3, 1, 14)]
    assert lines[0].problem is not None and lines[0].problem.kind == "trailing-comment"
    assert lines[1].arg_spans == (Span("r.conf", 3, 11, 3, 14),)
