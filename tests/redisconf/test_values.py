"""Memory units, numeric bounds, enums and the special directives, per version."""

from __future__ import annotations

import pytest

from redislint.redisconf import (
    ConfigValueError,
    DirectiveTable,
    RedisVersion,
    normalize,
    parse_memory,
)

R62 = RedisVersion("redis", 6, 2)
R70 = RedisVersion("redis", 7, 0, 15)
R74 = RedisVersion("redis", 7, 4)
V80 = RedisVersion("valkey", 8, 0)
MEMORY = "argument must be a memory value"


def norm(name: str, args: list[str], version: RedisVersion = R70) -> str:
    info = DirectiveTable.for_version(version).lookup(name)
    assert info is not None, name
    return normalize(info, args, version).value


def reason(name: str, args: list[str], version: RedisVersion = R70) -> str:
    with pytest.raises(ConfigValueError) as exc:
        norm(name, args, version)
    return exc.value.reason


@pytest.mark.parametrize(("text", "expected"), [
    ("1", 1), ("1b", 1), ("1B", 1), ("1k", 1000), ("1K", 1000), ("1kb", 1024), ("1kB", 1024),
    ("1m", 10**6), ("1mb", 2**20), ("1g", 10**9), ("1gb", 2**30), ("1Gb", 2**30),
    ("2gb", 2**31), ("4g", 4 * 10**9), ("100mb", 100 * 2**20), ("0", 0), ("00", 0), ("007", 7),
    ("", 0), ("gb", 0), ("18446744073709551615", 2**64 - 1),
    ("18446744073709551616", 2**64 - 1),  # strtoull clamps
    ("20000000000gb", 3028092406290448384),  # the multiplication wraps silently
    ("17179869184gb", 0),  # 2^64 bytes wrap to 0 = no limit
])
def test_parse_memory(text: str, expected: int) -> None:
    assert parse_memory(text) == expected


@pytest.mark.parametrize("text", ["1t", "1tb", "1.5gb", "1e9", "50%", "-1", "-0", "+100", " 1gb",
                                  "1 gb", "1kib", "1\u212a"])
def test_parse_memory_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=MEMORY):
        parse_memory(text)


def test_parse_memory_62_is_signed() -> None:
    assert parse_memory("18446744073709551616", R62) == 2**63 - 1
    with pytest.raises(ValueError, match=MEMORY):
        parse_memory("-1", R62)


@pytest.mark.parametrize(("name", "args", "expected"), [
    ("appendonly", ["YES"], "yes"),
    ("maxmemory-policy", ["ALLKEYS-LRU"], "allkeys-lru"),
    ("oom-score-adj", ["relative"], "yes"),  # same value as "yes", which comes first
    ("shutdown-on-sigterm", ["now", "save"], "save now"),
    ("shutdown-on-sigterm", ["default"], "default"),
    ("maxmemory", ["1gb"], "1073741824"),
    ("maxmemory-clients", ["10%"], "10%"),
    ("maxmemory-clients", ["0%"], "0"),
    ("maxmemory-clients", ["18446744073709551566"], "50%"),  # wraps to -50: a percentage
    ("unixsocketperm", ["0700"], "700"),
    ("unixsocketperm", [""], "0"),
    ("hz", ["1000"], "1000"),  # clamped later, by the evaluation
    ("dbfilename", [""], ""),
    ("notify-keyspace-events", ["KEAn"], "AKE"),
    ("notify-keyspace-events", ["xEgm"], "gxEm"),
    ("latency-tracking-info-percentiles", ["0x10", "1e1", ".5", "99.999999"],
     "16 10 0.5 99.999999"),
    ("client-output-buffer-limit", ["replica", "1mb", "2mb", "60"], "slave 1048576 2097152 60"),
    ("client-output-buffer-limit", ["normal", "0", "0", "4294967296"], "normal 0 0 0"),
    ("oom-score-adj-values", ["", "0", "0"], "0 0 0"),
    ("replicaof", ["NO", "ONE"], ""),
    ("replicaof", ["h", ""], "h 0"),
    ("bind", [""], ""),
    ("save", ["3600", "2147483648"], "3600 -2147483648"),
    ("save", ["0900", "+1"], "900 1"),
    ("save", ["1", ""], "1 0"),
    ("save", [""], ""),
])
def test_normalize(name: str, args: list[str], expected: str) -> None:
    assert norm(name, args) == expected


@pytest.mark.parametrize(("name", "args", "expected"), [
    ("appendonly", ["true"], "argument must be 'yes' or 'no'"),
    ("appendfsync", ["sometimes"],
     "argument(s) must be one of the following: everysec, always, no"),
    ("maxmemory-samples", ["0"], "argument must be between 1 and 2147483647 inclusive"),
    ("maxmemory-samples", ["5k"], "argument couldn't be parsed into an integer"),
    ("maxmemory-samples", ["007"], "argument couldn't be parsed into an integer"),
    ("maxmemory-samples", ["+5"], "argument couldn't be parsed into an integer"),
    ("maxclients", ["-1"], "argument must be between 1 and 4294967295 inclusive"),
    ("tracking-table-max-keys", ["-1"],
     "argument must be between 0 and 9223372036854775807 inclusive"),
    ("port", ["70000"], "argument must be between 0 and 65535 inclusive"),
    ("maxmemory", ["50%"], MEMORY),
    ("maxmemory-clients", ["101%"], "percentage argument must be less or equal to 100"),
    ("maxmemory-clients", ["1.5%"], "argument must be a memory or percent value"),
    ("repl-backlog-size", ["8589934592gb"],
     "argument must be between 1 and 9223372036854775807 inclusive"),
    ("unixsocketperm", ["1000"], "argument must be between 0 and 777 inclusive"),
    ("unixsocketperm", ["8"], "argument couldn't be parsed as an octal number"),
    ("shutdown-on-sigterm", ["save", "nosave"],
     "shutdown options SAVE and NOSAVE can't be used simultaneously"),
    ("save", ["900"], "Invalid save parameters"),
    ("save", ["0", "1"], "Invalid save parameters"),
    ("save", ["900", "1.5"], "Invalid save parameters"),
    ("dbfilename", ["../x.rdb"], "dbfilename can't be a path, just a filename"),
    ("dbfilename", ["a\\b"], "dbfilename can't be a path, just a filename"),
    ("appendfilename", [""], "appendfilename can't be empty"),
    ("appenddirname", ["a/b"], "appenddirname can't be a path, just a dirname"),
    ("client-output-buffer-limit", ["normal", "0", "0"],
     "Wrong number of arguments in buffer limit configuration."),
    ("client-output-buffer-limit", ["master", "0", "0", "0"],
     "Invalid client class specified in buffer limit configuration."),
    ("oom-score-adj-values", ["0", "200"], "wrong number of arguments"),
    ("replicaof", ["h", "70000"], "Invalid master port"),
    ("notify-keyspace-events", ["Q"], "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."),
    ("latency-tracking-info-percentiles", ["101"],
     "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"),
    ("latency-tracking-info-percentiles", ["1e-400"],
     "Invalid latency-tracking-info-percentiles parameters"),
    ("proc-title-template", ["{server-mode}"],
     "template format is invalid or contains unknown variables"),
    ("cluster-announce-hostname", ["bad_host"],
     "Hostnames may only contain alphanumeric characters, hyphens or dots"),
    ("dir", [""], "No such file or directory"),
])
def test_rejects(name: str, args: list[str], expected: str) -> None:
    assert reason(name, args) == expected


def test_no_filesystem_claims() -> None:
    assert norm("dir", ["/nonexistent/dir"]) == "/nonexistent/dir"
    assert norm("logfile", ["/no/such/dir/redis.log"]) == "/no/such/dir/redis.log"


def test_version_differences() -> None:
    assert reason("appendfsync", ["x"], R62) == \
        "argument must be one of the following: everysec, always, no"
    assert norm("maxmemory-samples", ["100"], R70) == "100"
    assert reason("maxmemory-samples", ["100"], R74) == "argument must be between 1 and 64 inclusive"
    assert reason("maxmemory-samples", ["100"], V80) == "argument must be between 1 and 64 inclusive"
    assert norm("loglevel", ["nothing"], R74) == "nothing"
    assert reason("loglevel", ["nothing"], R70).startswith("argument(s) must be one of")


def test_save_62_quirks() -> None:
    info = DirectiveTable.for_version(R62).lookup("save")
    assert info is not None
    assert normalize(info, ["900", "1"], R62).value == "900 1"
    assert normalize(info, ["900", "1", "300", "10"], R62).quirk == "save-ignored"
    assert normalize(info, ["900"], R62).quirk == "save-ignored"
    truncated = normalize(info, ["900x", "abc"], R62)
    assert (truncated.value, truncated.quirk) == ("900 0", "save-truncated")
    with pytest.raises(ConfigValueError, match="Invalid save parameters"):
        normalize(info, ["3600", "2147483648"], R62)  # atoi wraps negative
