"""evaluate(): last wins, save accumulation and the include trap, lists, provenance."""

from __future__ import annotations

from redislint.model import Span
from redislint.redisconf import (
    ConfigSource,
    Evaluation,
    Include,
    RedisVersion,
    evaluate,
    lines_from_argv,
    parse_conf,
)

from .helpers import FakeEmbedded

R62 = RedisVersion("redis", 6, 2)
R70 = RedisVersion("redis", 7, 0, 15)
V80 = RedisVersion("valkey", 8, 0)


def src(text: str, layer: str = "conf", version: RedisVersion = R70) -> ConfigSource:
    return ConfigSource(layer, tuple(parse_conf(FakeEmbedded(text, layer), layer, version)))


def run(*items, version: RedisVersion = R70) -> Evaluation:  # type: ignore[no-untyped-def]
    flat: list = []
    for item in items:
        flat.extend(item.items if isinstance(item, ConfigSource) else [item])
    return evaluate(ConfigSource("top", tuple(flat)), version)


def save(*texts: str, version: RedisVersion = R70) -> str:
    """The save points after reading texts: a str is a file chunk, a tuple an include."""
    items: list = []
    for t in texts:
        if isinstance(t, tuple):
            items.append(Include(src(t[0], "inc", version)))
        else:
            items.extend(src(t, "conf", version).items)
    value = evaluate(ConfigSource("top", tuple(items)), version).value("save")
    assert value is not None
    return value


def test_every_setting_has_a_default_first() -> None:
    ev = run(src("appendonly yes"))
    assert len(ev.settings) == 179  # 178 + the patch-added lua-enable-deprecated-api
    setting = ev.settings["appendonly"]
    assert setting.value == "yes"
    assert [(a.layer, a.value, a.effect) for a in setting.history] == [
        ("Redis 7.0 default", "no", "default"), ("conf", "yes", "set")]
    assert setting.history[0].line is None and setting.winner.line is not None
    untouched = ev.settings["maxmemory"]
    assert untouched.is_default and untouched.value == "0"


def test_last_wins_across_aliases() -> None:
    ev = run(src("slave-read-only no\nreplica-read-only yes\nMAXMEMORY 1gb\nmaxmemory 2mb"))
    assert ev.value("replica-read-only") == "yes"
    assert ev.value("slave-read-only") == "yes"  # aliases read the primary
    assert ev.value("maxmemory") == "2097152"
    assert len(ev.settings["maxmemory"].history) == 3


def test_save_accumulates_and_clears() -> None:
    assert save("") == "3600 1 300 100 60 10000"
    assert save("save 900 1\nsave 300 10") == "900 1 300 10"
    assert save("save 900 1\nsave 900 1") == "900 1 900 1"
    assert save('save 900 1\nsave ""\nsave 60 2') == "60 2"
    assert save("save 900 1\nsave") == "900 1"  # a bare save only resets as the first line
    assert save('save "900 1 300 10"') == "900 1 300 10"


def test_include_trap_70_and_valkey() -> None:
    for version in (R70, V80):
        assert save("save 900 1\n", ("save 300 3",), "save 60 2", version=version) == "60 2"
        assert save("save 900 1\n", ("",), "save 60 2", version=version) == "60 2"
        assert save("save 900 1\n", ("save 300 3",), version=version) == "900 1 300 3"
    ev = run(src("save 900 1"), Include(src("")), src("save 60 2"))
    assert ev.settings["save"].winner.effect == "include-reset"


def test_include_line_not_read_still_springs_the_trap() -> None:
    ev = run(src("save 900 1\ninclude /etc/redis/extra.conf\nsave 60 2"))
    assert ev.value("save") == "60 2"
    assert [ln.value for ln in ev.includes] == ["/etc/redis/extra.conf"]


def test_save_62_is_per_call() -> None:
    assert save("save 900 1\n", ("save 300 3",), "save 60 2", version=R62) == "300 3 60 2"
    assert save("save 900 1 300 10", version=R62) == ""  # ignored, yet it cleared the defaults
    assert save("save 900 1\nsave 900 1 # c", version=R62) == "900 1"
    ev = run(src("save 900 1 # c", version=R62), version=R62)
    assert ev.value("save") == "" and ev.errors == () and len(ev.quirks) == 1


def test_argv_save_adds_to_the_file() -> None:
    argv = lines_from_argv([("--save", Span("a", 1, 1, 1, 7)), ("60 5", Span("a", 1, 8, 1, 12))],
                           "argv", R70)
    assert run(src("save 900 1"), *argv).value("save") == "900 1 60 5"
    assert run(src("save 900 1"), Include(src("")), *argv).value("save") == "60 5"


def test_replacing_and_merging_directives() -> None:
    ev = run(src("bind 127.0.0.1\nbind 10.0.0.1 -::1\nreplicaof h 1\nreplicaof no one\n"
                 "client-output-buffer-limit normal 1mb 1mb 5\n"
                 "client-output-buffer-limit pubsub 2mb 1mb 5\nhz 1000\n"))
    assert ev.value("bind") == "10.0.0.1 -::1"
    assert ev.value("replicaof") == ""
    assert ev.value("client-output-buffer-limit") == \
        "normal 1048576 1048576 5 slave 268435456 67108864 60 pubsub 2097152 1048576 5"
    assert ev.value("hz") == "500"


def test_lists_and_ignored() -> None:
    ev = run(src('rename-command FLUSHALL ""\nrename-command DEBUG ""\nuser a on\n'
                 "loadmodule /m.so\nmymod.x 1\nmymod.x 2\nlist-max-ziplist-entries 5"))
    assert [ln.args for ln in ev.lists["rename-command"]] == [("FLUSHALL", ""), ("DEBUG", "")]
    assert len(ev.lists["user"]) == 1 and len(ev.lists["loadmodule"]) == 1
    assert ev.module_configs["mymod.x"].value == "2"
    assert len(ev.ignored) == 1 and ev.errors == ()


def test_errors_redis_finds_after_reading() -> None:
    dup = run(src("user a on\nuser a off"))
    assert dup.first_error is not None and dup.first_error.index == 1
    assert dup.first_error.problem.reason == (  # type: ignore[union-attr]
        "Error in user declaration 'a': Duplicate user found. A user can only be defined once "
        "in config files")
    module = run(src("mymod.x 1"))
    assert module.first_error is not None
    assert module.first_error.problem.kind == "module-config"  # type: ignore[union-attr]
    cluster = run(src("cluster-enabled yes\nreplicaof 10.0.0.1 6379"))
    assert cluster.first_error is not None
    assert cluster.first_error.problem.reason == \
        "replicaof directive not allowed in cluster mode"  # type: ignore[union-attr]
    category = run(src("user a on +@nope"))
    assert category.first_error is not None
    assert category.first_error.problem.kind == "acl-load"  # type: ignore[union-attr]


def test_errors_in_order_and_lines_still_applied() -> None:
    ev = run(src("appendonly maybe\nmaxmemory 1x\nappendonly yes"))
    assert [e.index for e in ev.errors] == [0, 1]
    assert ev.value("appendonly") == "yes"


def test_chart_start_script_layers() -> None:
    """redis-server --port 6379 --include redis.conf --include master.conf --save 60 1"""
    port = lines_from_argv([("--port", Span("s", 1, 1, 1, 7)), ("6379", Span("s", 1, 8, 1, 12))],
                           "start script", R70)
    flags = lines_from_argv([("--save", Span("v", 3, 5, 3, 11)), ("60 1", Span("v", 3, 12, 3, 16))],
                            "extraFlags", R70)
    top = ConfigSource("start script", (*port, Include(src("save 900 1\nappendonly yes",
                                                           "commonConfiguration")),
                                        Include(src("maxmemory 1gb", "master.configuration")),
                                        *flags))
    ev = evaluate(top, R70)
    assert ev.value("save") == "60 1"  # replaced: it comes after an include
    assert [a.layer for a in ev.settings["save"].history] == [
        "Redis 7.0 default", "commonConfiguration", "extraFlags"]
    assert ev.value("appendonly") == "yes" and ev.value("maxmemory") == "1073741824"
    assert ev.get("SLAVEOF") is ev.settings["replicaof"]
