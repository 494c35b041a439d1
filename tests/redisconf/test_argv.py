"""lines_from_argv: redis-server's main() turning options into config lines."""

from __future__ import annotations

from redislint.model import Span
from redislint.redisconf import RedisVersion, lines_from_argv
from redislint.redisconf.argv import build_options

R62 = RedisVersion("redis", 6, 2)
R70 = RedisVersion("redis", 7, 0, 15)


def opts(*items: str, version: RedisVersion = R70) -> str:
    return build_options(list(items), version)[0]


def test_build_options() -> None:
    assert opts("--appendonly", "yes") == 'appendonly "yes" '
    assert opts("--maxmemory 1gb") == "maxmemory 1gb "
    assert opts("--save", "") == 'save "" '
    assert opts("--save") == 'save ""'
    assert opts("--save", "--appendonly", "yes") == 'save ""\nappendonly "yes" '
    assert opts("--appendonly", "--save") == 'appendonly "--save" '  # a value, even with --
    assert opts("--dbfilename", 'a "b"\n') == 'dbfilename "a \\"b\\"\\n" '
    assert opts("--a", "1", "--b", "2") == 'a "1" \nb "2" '


def test_build_options_62() -> None:
    assert opts("--save", version=R62) == "save "
    assert opts("--save", "--appendonly", "yes", version=R62) == 'save \nappendonly "yes" '


def items(*texts: str) -> list[tuple[str, Span]]:
    out, col = [], 1
    for t in texts:
        out.append((t, Span("values.yaml", 5, col, 5, col + len(t))))
        col += len(t) + 1
    return out


def test_lines_and_spans() -> None:
    lines = lines_from_argv(items("--maxmemory", "2gb", "--appendonly yes"), "extraFlags", R70)
    assert [(ln.index, ln.raw, ln.key, ln.value) for ln in lines] == [
        (0, 'maxmemory "2gb"', "maxmemory", "2147483648"),
        (1, "appendonly yes", "appendonly", "yes")]
    mem, aof = lines
    assert mem.name_span == Span("values.yaml", 5, 3, 5, 12)  # "maxmemory" inside "--maxmemory"
    assert mem.arg_spans == (Span("values.yaml", 5, 13, 5, 16),)
    assert mem.span == Span("values.yaml", 5, 1, 5, 16)
    assert aof.name_span == Span("values.yaml", 5, 19, 5, 29)
    assert aof.arg_spans == (Span("values.yaml", 5, 30, 5, 33),)


def test_errors_echo_quoted_values() -> None:
    (line,) = lines_from_argv(items("--appendonly", "maybe"), "argv", R70)
    assert line.raw == 'appendonly "maybe"'
    assert line.problem is not None and line.problem.reason == "argument must be 'yes' or 'no'"
    (split,) = lines_from_argv(items("--maxmemory", "1", "gb"), "argv", R70)
    assert split.problem is not None and split.problem.reason == "wrong number of arguments"


def test_save_forms() -> None:
    (one,) = lines_from_argv(items("--save", "60 5"), "argv", R70)
    assert one.value == "60 5"
    (two,) = lines_from_argv(items("--save", "60", "5"), "argv", R70)
    assert two.value == "60 5"
    (empty,) = lines_from_argv(items("--save"), "argv", R70)
    assert empty.args == ("",) and empty.value == ""
