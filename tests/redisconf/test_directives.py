"""The directive table resolved per version: names, aliases, defaults, suggestions."""

from __future__ import annotations

from redislint.redisconf import DirectiveTable, RedisVersion

R62 = RedisVersion("redis", 6, 2)
R70 = RedisVersion("redis", 7, 0, 15)
R74 = RedisVersion("redis", 7, 4)
R86 = RedisVersion("redis", 8, 6)
V80 = RedisVersion("valkey", 8, 0, 1)
V81 = RedisVersion("valkey", 8, 1)


def table(v: RedisVersion) -> DirectiveTable:
    return DirectiveTable.for_version(v)


def test_cached_per_column() -> None:
    assert table(R70) is table(RedisVersion("redis", 7, 0, 2))


def test_inventory_70() -> None:
    # 178 built-in parameters and 19 aliases, as CONFIG GET showed on 7.0.15, plus the hidden
    # lua-enable-deprecated-api that security patches added (Debian's 7.0.15 has it).
    t = table(R70)
    assert len(t.settings()) == 179
    assert sum(1 for n in t.names() if (i := t.lookup(n)) and i.alias_of and i.is_setting) == 19
    assert sum(1 for i in t.settings() if i.hidden) == 6


def test_lookup_is_case_insensitive_and_resolves_aliases() -> None:
    t = table(R70)
    assert t.lookup("APPENDONLY") is not None
    assert t.primary_name("slaveof") == "replicaof"
    assert t.primary_name("Hash-Max-Ziplist-Entries") == "hash-max-listpack-entries"
    assert t.primary_name("nope") is None
    assert table(R62).primary_name("hash-max-ziplist-entries") == "hash-max-ziplist-entries"


def test_masterauth_primaryauth() -> None:
    assert table(R70).primary_name("masterauth") == "masterauth"
    assert table(R70).lookup("primaryauth") is None
    assert table(V80).primary_name("masterauth") == "primaryauth"
    assert table(V80).primary_name("masteruser") == "primaryuser"


def test_defaults_follow_the_version() -> None:
    assert table(R62).default("repl-diskless-sync") == "no"
    assert table(R70).default("repl-diskless-sync") == "yes"
    assert table(R62).default("acl-pubsub-default") == "allchannels"
    assert table(R70).default("lazyfree-lazy-eviction") == "no"
    assert table(V80).default("lazyfree-lazy-eviction") == "yes"
    assert table(V80).default("replica-lazy-flush") == "yes"
    assert table(V80).default("repl-backlog-size") == "10485760"
    assert table(V80).default("syslog-ident") == "valkey"
    assert table(V80).default("hide-user-data-from-log") == "yes"
    assert table(R74).default("hide-user-data-from-log") == "no"
    assert table(R70).default("save") == "3600 1 300 100 60 10000"
    assert table(R70).default("bind") == "* -::*"
    assert table(R62).default("bind") == ""
    assert table(R70).default("dir") == ""


def test_attributes_follow_the_version() -> None:
    assert table(R70).lookup("maxmemory-samples").max == 2147483647  # type: ignore[union-attr]
    assert table(R74).lookup("maxmemory-samples").max == 64  # type: ignore[union-attr]
    levels = table(R70).lookup("loglevel").enum_values  # type: ignore[union-attr]
    assert levels == ("debug", "verbose", "notice", "warning")
    assert "nothing" in table(R74).lookup("loglevel").enum_values  # type: ignore[union-attr]
    assert table(R86).lookup("cluster-slot-stats-enabled").kind == "enum"  # type: ignore[union-attr]
    assert table(V81).lookup("cluster-slot-stats-enabled").kind == "bool"  # type: ignore[union-attr]
    assert not table(R62).lookup("lua-replicate-commands").deprecated  # type: ignore[union-attr]
    assert table(R70).lookup("lua-replicate-commands").deprecated  # type: ignore[union-attr]
    assert table(V81).lookup("io-threads-do-reads").deprecated  # type: ignore[union-attr]
    assert not table(V80).lookup("io-threads-do-reads").deprecated  # type: ignore[union-attr]
    assert table(R70).lookup("bgsave_cpulist").alias_of == ""  # type: ignore[union-attr]
    assert table(R74).lookup("bgsave_cpulist").alias_of == "bgsave-cpulist"  # type: ignore[union-attr]


def test_other_versions_and_suggestions() -> None:
    t = table(R70)
    assert t.exists_in_other_version("primaryauth") == ["Valkey 8.0", "Valkey 8.1", "Valkey 9.1"]
    assert t.exists_in_other_version("gopher-enabled") == ["Redis 6.2"]
    assert t.exists_in_other_version("appendonly")[:1] == ["Redis 6.2"]
    assert t.exists_in_other_version("no-such-thing") == []
    assert t.suggest("appendonyl") == "appendonly"
    assert t.suggest("maxmemory-polcy") == "maxmemory-policy"
    assert t.suggest("zzzz") is None
