"""Directives with their own parser in Redis (save, bind, replicaof, ...) and string validators."""

from __future__ import annotations

from collections.abc import Callable

from .cnum import ascii_lower, atoi, format_percentile, memtoll, memtoull, string2d, strtoll, strtoll_whole, to_int32
from .valuetypes import ConfigValueError, Normalized
from .versions import RedisVersion

BAD_DIRECTIVE = "Bad directive or wrong number of arguments"
WRONG_ARGS = "wrong number of arguments"
SAVE_ERROR = "Invalid save parameters"
# Redis 6.2 parsed these by hand: a wrong word count fell through to "Bad directive ...".
# Values: (min, max) number of arguments after the name; None = no upper bound.
LEGACY_ARGC: dict[str, tuple[int, int | None]] = {
    "bind": (1, None), "unixsocketperm": (1, 1), "save": (0, None), "dir": (1, 1),
    "logfile": (1, 1), "replicaof": (2, 2), "cluster-config-file": (1, 1),
    "client-output-buffer-limit": (4, 4), "oom-score-adj-values": (3, 3),
    "notify-keyspace-events": (1, 1),
}
_CLIENT_CLASSES = {"normal": "normal", "slave": "slave", "replica": "slave", "pubsub": "pubsub"}
_CLASS_ORDER = ("normal", "slave", "pubsub")
_KEYSPACE = "g$lshzxetdnKEmA"  # valid notify-keyspace-events characters (7.0)
_KEYSPACE_ALL = "g$lshzxetd"  # what 'A' stands for; printed in this order


def _err(reason: str) -> ConfigValueError:
    return ConfigValueError(reason)


def _norm(value: str, quirk: str = "") -> Normalized:
    return Normalized(value, quirk)


def save(args: list[str], version: RedisVersion) -> Normalized:
    """`save`: pairs of seconds (>= 1) and changes (>= 0); "" clears. 6.2 had its own rules."""
    if version.legacy_parser:
        return _save_62(args)
    if len(args) == 1 and args[0] == "":
        args = []
    if len(args) % 2:
        raise _err(SAVE_ERROR)
    pairs: list[str] = []
    for j, arg in enumerate(args):
        value, rest = strtoll(arg)
        if rest or (j % 2 == 0 and value < 1) or (j % 2 == 1 and value < 0):
            raise _err(SAVE_ERROR)
        # seconds is a time_t; changes an int without a range check (2147483648 wraps).
        pairs.append(str(value) if j % 2 == 0 else str(to_int32(value)))
    return _norm(" ".join(pairs))


def _save_62(args: list[str]) -> Normalized:
    """Redis 6.2: only `save S C` (atoi) or `save ""`; any other shape is silently ignored."""
    if len(args) == 2:
        seconds, changes = atoi(args[0]), atoi(args[1])
        if seconds < 1 or changes < 0:
            raise _err(SAVE_ERROR)
        exact = all(strtoll_whole(a) is not None and a.strip() for a in args)
        return _norm(f"{seconds} {changes}", "" if exact else "save-truncated")
    if len(args) == 1 and args[0] == "":
        return _norm("")
    return _norm("", "save-ignored")


def client_output_buffer_limit(args: list[str], version: RedisVersion) -> Normalized:
    """`client-output-buffer-limit <class> <hard> <soft> <seconds>` (several groups in 7.0+)."""
    if version.legacy_parser:
        cls = _CLIENT_CLASSES.get(ascii_lower(args[0]))
        if cls is None:
            raise _err("Unrecognized client limit class: the user specified an invalid one, "
                       "or 'master' which has no buffer limits.")
        seconds = atoi(args[3])
        if seconds < 0:
            raise _err("Negative number of seconds in soft limit is invalid")
        hard62, soft62 = (max(memtoll(a) or 0, 0) for a in args[1:3])
        return _norm(f"{cls} {hard62} {soft62} {seconds}")
    if len(args) % 4:
        raise _err("Wrong number of arguments in buffer limit configuration.")
    groups: dict[str, str] = {}
    for j in range(0, len(args), 4):
        cls = _CLIENT_CLASSES.get(ascii_lower(args[j]))
        if cls is None:
            raise _err("Invalid client class specified in buffer limit configuration.")
        hard, soft = memtoull(args[j + 1]), memtoull(args[j + 2])
        value, rest = strtoll(args[j + 3])
        seconds = to_int32(value)  # stored in an int before the sign check
        if hard is None or soft is None or seconds < 0 or rest:
            raise _err("Error in hard, soft or soft_seconds setting in buffer limit "
                       "configuration.")
        groups[cls] = f"{cls} {hard} {soft} {seconds}"
    return _norm(" ".join(groups[c] for c in _CLASS_ORDER if c in groups))


def oom_score_adj_values(args: list[str], version: RedisVersion) -> Normalized:
    """Three integers in -2000..2000 (primary, replica, background child)."""
    if len(args) != 3:
        raise _err(WRONG_ARGS)
    values = [strtoll_whole(a) for a in args]
    if any(v is None or not -2000 <= v <= 2000 for v in values):
        raise _err("Invalid oom-score-adj-values, elements must be between -2000 and 2000.")
    return _norm(" ".join(str(v) for v in values))


def notify_keyspace_events(args: list[str], version: RedisVersion) -> Normalized:
    """Event class letters, printed back in Redis's canonical order ("KEA" -> "AKE")."""
    text = args[0] if args else ""
    if any(c not in _KEYSPACE for c in text):
        raise _err("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
    chars = set(text)
    if "A" in chars:
        chars |= set(_KEYSPACE_ALL)
    body = "A" if set(_KEYSPACE_ALL) <= chars else "".join(c for c in "g$lshzxetdn" if c in chars)
    return _norm(body + "".join(c for c in "KEm" if c in chars))


def bind(args: list[str], version: RedisVersion) -> Normalized:
    """Up to 16 addresses; a single "" means none."""
    if len(args) > 16:
        raise _err("Too many bind addresses specified." if not version.legacy_parser
                   else "Too many bind addresses specified")
    if len(args) == 1 and args[0] == "" and not version.legacy_parser:
        args = []
    return _norm(" ".join(args))


def replicaof(args: list[str], version: RedisVersion) -> Normalized:
    """`replicaof <host> <port>` or `replicaof no one` (which clears it)."""
    if len(args) != 2:
        raise _err(WRONG_ARGS)
    if ascii_lower(args[0]) == "no" and ascii_lower(args[1]) == "one":
        return _norm("")
    port = strtoll_whole(args[1])
    if port is None or not 0 <= port <= 65535:
        raise _err("Invalid master port")
    return _norm(f"{args[0]} {port}")


def latency_percentiles(args: list[str], version: RedisVersion) -> Normalized:
    """Percentiles in 0..100; "" clears; CONFIG GET prints them with %f, trailing zeros cut."""
    if len(args) == 1 and args[0] == "":
        return _norm("")
    out: list[str] = []
    for arg in args:
        value = string2d(arg)
        if value is None:
            raise _err("Invalid latency-tracking-info-percentiles parameters")
        if not 0.0 <= value <= 100.0:
            raise _err("latency-tracking-info-percentiles parameters should sit between "
                       "[0.0,100.0]")
        out.append(format_percentile(value))
    return _norm(" ".join(out))


def directory(args: list[str], version: RedisVersion) -> Normalized:
    """`dir`: Redis chdir()s at once; only the empty path fails whatever the disk holds."""
    if args == [""]:
        raise _err("No such file or directory")
    return _norm(args[0])


def unixsocketperm_62(arg: str) -> str:
    """6.2: `strtol(arg, NULL, 8)`; garbage reads as 0, only overflow and > 0777 fail."""
    value = strtoll(arg, 8)[0]
    if not 0 <= value <= 0o777:
        raise _err("Invalid socket file permissions")
    return f"{value:o}"


HANDLERS: dict[str, Callable[[list[str], RedisVersion], Normalized]] = {
    "save": save,
    "client-output-buffer-limit": client_output_buffer_limit,
    "oom-score-adj-values": oom_score_adj_values,
    "notify-keyspace-events": notify_keyspace_events,
    "bind": bind,
    "rdma-bind": bind,
    "replicaof": replicaof,
    "latency-tracking-info-percentiles": latency_percentiles,
    "dir": directory,
}


def _basename_check(name: str, what: str, empty_ok: bool) -> Callable[[str], None]:
    def check(value: str) -> None:
        if not value and not empty_ok:
            raise _err(f"{name} can't be empty")
        if "/" in value or "\\" in value:
            raise _err(f"{name} can't be a path, just a {what}")
    return check


def _hostname(value: str) -> None:
    if len(value.encode("utf-8", "surrogateescape")) >= 256:  # NET_HOST_STR_LEN
        raise _err("Hostnames must be less than 256 characters")
    if any(not (c.isascii() and (c.isalnum() or c in "-.")) for c in value):
        raise _err("Hostnames may only contain alphanumeric characters, hyphens or dots")


def _proc_title(value: str) -> None:
    """sdstemplate(): {name} variables must be known and the expansion must not be blank."""
    known = {"title": "", "listen-addr": "*:6379", "server-mode": "", "config-file": "-",
             "port": "6379", "tls-port": "0", "unixsocket": ""}
    out, i = [], 0
    while i < len(value):
        j = value.find("{", i)
        if j < 0:
            out.append(value[i:])
            break
        out.append(value[i:j])
        if j + 1 >= len(value):
            raise _err("template format is invalid or contains unknown variables")
        if value[j + 1] == "{":
            out.append("{")
            i = j + 2
            continue
        k = value.find("}", j + 1)
        if k < 0 or value[j + 1:k] not in known:
            raise _err("template format is invalid or contains unknown variables")
        out.append(known[value[j + 1:k]])
        i = k + 1
    if not "".join(out).strip(" "):
        raise _err("template format is invalid or contains unknown variables")


STRING_CHECKS: dict[str, Callable[[str], None]] = {
    "dbfilename": _basename_check("dbfilename", "filename", True),
    "appendfilename": _basename_check("appendfilename", "filename", False),
    "appenddirname": _basename_check("appenddirname", "dirname", False),
    "cluster-announce-hostname": _hostname,
    "proc-title-template": _proc_title,
}
