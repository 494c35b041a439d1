"""Config fragments run through both redislint and a real redis-server (test_parity.py).

Each case is a config file (or None), extra command-line options, and extra files for includes
("{tmp}" is the server's private directory). Generated cross products come first, then
hand-written cases for quoting, comments, save, includes, argv and encodings.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    id: str
    conf: str | None
    argv: tuple[str, ...] = ()
    files: dict[str, str] = field(default_factory=dict)
    password: str | None = None


CASES: list[Case] = []


def add(id: str, conf: str | None, argv: tuple[str, ...] = (), files: dict[str, str] | None = None,
        password: str | None = None) -> None:
    assert all(c.id != id for c in CASES), id
    CASES.append(Case(id, conf, argv, files or {}, password))


def _slug(text: str) -> str:
    out = "".join(c if c.isalnum() or c in "-." else "_" for c in text)
    return out or "empty"


# --- generated: booleans -------------------------------------------------------------------
BOOL_FORMS = ["yes", "no", "YES", "Yes", "nO", "true", "1", "on", '"yes"', "'no'", "yes;",
              '""', "y"]
for name in ("appendonly", "rdbcompression", "stop-writes-on-bgsave-error", "slave-read-only"):
    for form in BOOL_FORMS:
        add(f"bool-{name}-{_slug(form)}", f"{name} {form}\n")
for name in ("aof-use-rdb-preamble", "lazyfree-lazy-eviction", "replica-lazy-flush",
             "rdbchecksum", "no-appendfsync-on-rewrite", "aof-load-truncated"):
    for form in ("yes", "NO", "off", "2"):
        add(f"bool-{name}-{_slug(form)}", f"{name} {form}\n")

# --- generated: enums ------------------------------------------------------------------------
ENUMS = {
    "appendfsync": ["everysec", "ALWAYS", "No", "sometimes", '""', '"always no"'],
    "maxmemory-policy": ["allkeys-lru", "ALLKEYS-LFU", "volatile-ttl", "lru", "noeviction",
                         "allkeys-lrm"],
    "loglevel": ["debug", "WARNING", "nothing", "info"],
    "oom-score-adj": ["relative", "yes", "absolute", "maybe"],
    "repl-diskless-load": ["swapdb", "On-Empty-DB", "always"],
    "sanitize-dump-payload": ["clients", "YES"],
    "acl-pubsub-default": ["allchannels", "ResetChannels"],
    "shutdown-on-sigterm": ["save", '"now save"', "nosave now force", "save nosave", "default",
                            "bogus", '""'],
    "propagation-error-behavior": ["panic-on-replicas", "panic"],
    "enable-debug-command": ["local", "YES"],
    "supervised": ["no", "auto", "upstart"],
}
for name, forms in ENUMS.items():
    for form in forms:
        add(f"enum-{name}-{_slug(form)}", f"{name} {form}\n")
add("enum-shutdown-bare", "shutdown-on-sigint\n")

# --- generated: memory values ------------------------------------------------------------------
MEMORY_FORMS = ["1", "1b", "1B", "1k", "1K", "1kb", "1KB", "1kB", "1m", "1mb", "1g", "1gb", "1Gb",
                "2gb", "4g", "100mb", "1t", "1tb", "1.5gb", "1e9", "50%", "-1", "-0", "+100",
                '" 1gb"', "0", "00", "007", '""', "18446744073709551615",
                "18446744073709551616", "20000000000gb", "17179869184gb", "b", "gb", "1 gb",
                "1kib", "1Mb"]
for form in MEMORY_FORMS:
    add(f"mem-maxmemory-{_slug(form)}", f"maxmemory {form}\n")
MEMORY_OTHERS = {
    "repl-backlog-size": ["1mb", "0", "10000000000gb", "8589934592gb"],
    "auto-aof-rewrite-min-size": ["64mb", "0", "-1", "1.5gb"],
    "client-query-buffer-limit": ["2gb", "1000000", "1mb"],
    "proto-max-bulk-len": ["512mb", "1k"],
    "hash-max-listpack-value": ["64", "1kb"],
    "hash-max-ziplist-value": ["128"],
    "active-defrag-ignore-bytes": ["0", "100mb"],
    "maxmemory-clients": ["10%", "0%", "100%", "101%", "1.5%", "-5", "1gb", "%",
                          "18446744073709551566", "9223372036854775808"],
    "stream-node-max-bytes": ["4kb"],
    "cluster-link-sendbuf-limit": ["1gb"],
    "zset-max-ziplist-value": ["9223372036854775808"],
}
for name, forms in MEMORY_OTHERS.items():
    for form in forms:
        add(f"mem-{name}-{_slug(form)}", f"{name} {form}\n")

# --- generated: integers ---------------------------------------------------------------------
INTS = {
    "maxmemory-samples": ["0", "1", "100", "5k", "-1", "007", "+5", "1.5", "99999999999999999999",
                          '""', '" 5"'],
    "hz": ["1000", "0", "50", "-5"],
    "databases": ["0", "32"],
    "auto-aof-rewrite-percentage": ["-1", "0", "100k"],
    "maxclients": ["0", "4294967296", "-1", "1000"],
    "list-max-listpack-size": ["-2", "-6", "0"],
    "list-max-ziplist-size": ["-1"],
    "repl-ping-replica-period": ["0"],
    "repl-ping-slave-period": ["5"],
    "unixsocketperm": ["700", "0777", "1000", "8", "-1", '""'],
    "maxmemory-eviction-tenacity": ["101"],
    "slowlog-max-len": ["-1", "1000"],
    "tracking-table-max-keys": ["-1"],
    "latency-monitor-threshold": ["100"],
    "min-slaves-max-lag": ["20"],
    "active-expire-effort": ["11"],
    "busy-reply-threshold": ["-1"],
    "lua-time-limit": ["1000"],
    "repl-backlog-ttl": ["-1"],
    "socket-mark-id": ["4294967295"],
}
for name, forms in INTS.items():
    for form in forms:
        add(f"int-{name}-{_slug(form)}", f"{name} {form}\n")

# --- save ------------------------------------------------------------------------------------
SAVE_LINES = ['900 1', '"900 1 300 10"', '900 1 300 10', '""', "''", '', '900', '0 1', '-1 1',
              '900 one', '900 1.5', '900 1 300', '3600 2147483648', '0900 +1', '1 0',
              '99999999999999999999 1', '60 99999999999999999999', '1 ""', '" 900" 1', '900x 1',
              '" "', '"900 1" 300 10', '"900 \\"1"', '4294967296 1', '60 4294967296',
              "'900 1' '300 10'", '60 -0', '+60 5', '60 5 ""']
for i, rest in enumerate(SAVE_LINES):
    add(f"save-line-{i:02d}-{_slug(rest)}", f"save {rest}\n".replace("save \n", "save\n"))
add("save-accumulate", "save 900 1\nsave 300 10\n")
add("save-duplicate-lines", "save 900 1\nsave 900 1\n")
add("save-clear-then-append", "save 900 1\nsave \"\"\nsave 60 2\n")
add("save-bare-after-line", "save 900 1\nsave\n")
add("save-clear-first", "save \"\"\nsave 60 1\n")
add("save-upper", "SAVE 60 1\n")
add("save-clear-last", "save 900 1\nsave 300 10\nsave ''\n")
add("save-invalid-after-valid", "save 900 1\nsave 0 0\n")
add("save-space-only-after", "save 900 1\nsave \" \"\n")

# --- quoting and escapes ---------------------------------------------------------------------
QUOTING = {
    "dq-space": 'dbfilename "dump 1.rdb"\n',
    "sq-doubled": "dbfilename 'it''s'\n",
    "dq-hex": 'dbfilename "a\\x41.rdb"\n',
    "sq-hex-literal": "dbfilename 'a\\x41.rdb'\n",
    "bare-backslash": "dbfilename a\\x41.rdb\n",
    "close-then-text": 'dbfilename "dump"x.rdb\n',
    "mid-token-quote-then-text": 'dbfilename ab"c d".rdb\n',
    "mid-token-quote": 'dbfilename ab"c d"\n',
    "hash-inside": "dbfilename dump#1.rdb\n",
    "hash-in-quotes": 'dbfilename "a # b"\n',
    "quoted-name": '"appendonly" yes\n',
    "empty-name": '"" yes\n',
    "escaped-quotes": 'dbfilename "\\"q\\""\n',
    "tab-escape": 'dbfilename "tab\\there"\n',
    "unknown-escape": 'dbfilename "x\\y"\n',
    "sq-escaped-quote": "dbfilename 'it\\'s'\n",
    "unterminated-dq": 'dir "/tmp\n',
    "unterminated-sq": "dbfilename 'dump.rdb\n",
    "adjacent-quotes": 'dbfilename "a""b"\n',
    "path-dotdot": "dbfilename ../x.rdb\n",
    "path-backslash": "dbfilename a\\\\b.rdb\n",
    "dbfilename-empty": 'dbfilename ""\n',
    "appendfilename-path": "appendfilename dir/x.aof\n",
    "appendfilename-empty": 'appendfilename ""\n',
    "appenddirname-path": "appenddirname a/b\n",
    "appenddirname-empty": "appenddirname ''\n",
    "appenddirname-ok": "appenddirname myaof\n",
    "unicode-value": 'dbfilename "dümp.rdb"\n',
    "hex-utf8": 'dbfilename "d\\xc3\\xbcmp.rdb"\n',
    "masterauth-spaces": 'masterauth "p@ss w0rd"\n',
    "masterauth-two-words": "masterauth 'x' 'y'\n",
    "trailing-backslash-dq": 'dbfilename "abc\\"\n',
    "quote-then-vt": 'dbfilename "abc"\vxyz\n',
}
for key, conf in QUOTING.items():
    add(f"quote-{key}", conf)

# --- trailing comments -----------------------------------------------------------------------
COMMENTS = {
    "bool": "appendonly yes # comment\n",
    "bool-nospace": "appendonly yes #comment\n",
    "bool-glued": "appendonly yes#c\n",
    "memory": "maxmemory 1gb # one gig\n",
    "save": "save 900 1 # every 15 min\n",
    "string": "dbfilename dump.rdb # the file\n",
    "apostrophe": "appendonly yes # don't\n",
    "enum": "maxmemory-policy allkeys-lru #lru\n",
    "tab": "appendonly yes\t# tab\n",
    "full-line-indented": "   # just a comment\nappendonly yes\n",
    "tab-indented": "\t#tab comment\nappendonly no\n",
}
for key, conf in COMMENTS.items():
    add(f"comment-{key}", conf)

# --- names, aliases, duplicates ----------------------------------------------------------------
NAMES = {
    "upper": "APPENDONLY YES\n",
    "mixed": "AppendOnly yes\n",
    "unknown": "foo-bar yes\n",
    "typo": "appendonyl yes\n",
    "equals": "appendonly=yes\n",
    "valkey-only": "primaryauth secret\n",
    "redis62-only": "gopher-enabled no\n",
    "valkey-az": "availability-zone x\n",
    "module-config": "mymod.opt 1\n",
    "module-config-novalue": "mymod.opt\n",
    "module-config-with-loadmodule-missing-value": "loadmodule\n",
    "sentinel-line": "sentinel monitor m 127.0.0.1 6379 2\n",
    "sentinel-bare": "sentinel\nappendonly yes\n",
    "deprecated": "list-max-ziplist-entries 512\n",
    "deprecated-two": "list-max-ziplist-entries 1 2\n",
    "deprecated-bare": "lua-replicate-commands\n",
    "deprecated-any": "lua-replicate-commands whatever\n",
    "hidden": "rdb-key-save-delay 10\n",
    "hidden-2": "key-load-delay -5\n",
    "hidden-patch-added": "lua-enable-deprecated-api yes\n",
    "include-two-args": "include a.conf b.conf\n",
    "include-bare": "include\n",
    "rename-one-arg": "rename-command CONFIG\n",
    "rename-ok": 'rename-command FLUSHALL ""\nrename-command FLUSHDB MYFLUSH\n',
    "user-bare": "user\n",
    "appendonly-novalue": "appendonly\n",
    "appendonly-two": "appendonly yes no\n",
    "maxmemory-split": "maxmemory 1 gb\n",
    "dir-two": "dir /a /b\n",
    "dir-empty": 'dir ""\n',
    "dup-last-wins": "appendonly yes\nappendonly no\n",
    "dup-case": "maxmemory 1gb\nMAXMEMORY 2gb\n",
    "alias-then-primary": "slave-read-only no\nreplica-read-only yes\n",
    "primary-then-alias": "replica-read-only no\nslave-read-only yes\n",
    "alias-listpack": "hash-max-ziplist-entries 10\nhash-max-listpack-entries 20\n",
    "alias-slaveof": "slaveof 127.0.0.1 6390\n",
    "masterauth": "masterauth s3cret\nmasteruser bob\n",
}
for key, conf in NAMES.items():
    add(f"name-{key}", conf)

# --- users (ACL rules) -------------------------------------------------------------------------
USERS = {
    "ok": "user alice on >secret ~* +@all\n",
    "bad-hash": "user alice on #abc\n",
    "remove-missing": "user bob on <nopass\n",
    "after-allkeys": "user carol ~* ~foo\n",
    "channel": "user dave on &chan +get\n",
    "after-allchannels": "user erin allchannels &x\n",
    "bad-percent": "user frank %X~foo\n",
    "bad-op": "user gina on foo\n",
    "duplicate": "user hank on\nuser hank off\n",
    "no-rules": "user ivan\n",
    "selector": "user jill on (~foo +get)\n",
    "unclosed-selector": "user kate on (~foo +get\n",
    "unknown-category": "user liam on +get -@nocategory\n",
    "unknown-category-selector": "user lily on (~x +@nope)\n",
    "space-in-name": "user 'a b' on\n",
    "reset": "user mia ~* reset ~foo\n",
    # A password hash before a trailing comment that holds a quote (the whole line then has no tokens).
    "hash-then-comment": "user noa on #5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8 ~* # it's ops\n",
}
for key, conf in USERS.items():
    add(f"user-{key}", conf)

# --- directives with their own parser ----------------------------------------------------------
SPECIAL = {
    "bind-two": "bind 127.0.0.1 ::1\n",
    "bind-empty": 'bind ""\n',
    "bind-bare": "bind\n",
    "bind-too-many": "bind " + " ".join(f"127.0.0.{i}" for i in range(1, 18)) + "\n",
    "bind-one-string": 'bind "127.0.0.1 ::1"\n',
    "bind-twice": "bind 127.0.0.1\nbind 127.0.0.2 -::1\n",
    "replicaof": "replicaof 127.0.0.1 6390\n",
    "replicaof-noone": "replicaof 127.0.0.1 6390\nreplicaof no one\n",
    "replicaof-NOONE": "replicaof NO ONE\n",
    "replicaof-one-arg": "replicaof 127.0.0.1\n",
    "replicaof-bad-port": "replicaof 127.0.0.1 70000\n",
    "replicaof-port-text": "replicaof 127.0.0.1 abc\n",
    "replicaof-port-empty": 'replicaof 127.0.0.1 ""\n',
    "replicaof-one-string": 'replicaof "127.0.0.1 6390"\n',
    "cobl-normal": "client-output-buffer-limit normal 0 0 0\n",
    "cobl-replica": "client-output-buffer-limit replica 512mb 128mb 60\n",
    "cobl-pubsub": "client-output-buffer-limit pubsub 32mb 8mb 60\n",
    "cobl-master": "client-output-buffer-limit master 0 0 0\n",
    "cobl-short": "client-output-buffer-limit normal 0 0\n",
    "cobl-bad-hard": "client-output-buffer-limit normal 1x 0 0\n",
    "cobl-neg-seconds": "client-output-buffer-limit normal 0 0 -1\n",
    "cobl-two-groups": 'client-output-buffer-limit "normal 0 0 0 pubsub 1mb 1mb 1"\n',
    "cobl-two-lines": "client-output-buffer-limit normal 1mb 1mb 5\n"
                      "client-output-buffer-limit pubsub 2mb 1mb 5\n",
    "cobl-wrap-seconds": "client-output-buffer-limit normal 0 0 4294967296\n",
    "cobl-bare": "client-output-buffer-limit\n",
    "cobl-upper-class": "client-output-buffer-limit PUBSUB 1gb 1gb 0\n",
    "oom-ok": "oom-score-adj-values 0 200 800\n",
    "oom-two": "oom-score-adj-values 0 200\n",
    "oom-range": "oom-score-adj-values -2001 0 0\n",
    "oom-string": 'oom-score-adj-values "0 100 200"\n',
    "oom-text": "oom-score-adj-values 0 0 x\n",
    "oom-empty": 'oom-score-adj-values "" 0 0\n',
    "nke-ex": "notify-keyspace-events Ex\n",
    "nke-kea": "notify-keyspace-events KEA\n",
    "nke-empty": 'notify-keyspace-events ""\n',
    "nke-kean": "notify-keyspace-events KEAn\n",
    "nke-bad": "notify-keyspace-events Q\n",
    "nke-order": "notify-keyspace-events xEgm\n",
    "lat-default": "latency-tracking-info-percentiles 50 99 99.9\n",
    "lat-empty": 'latency-tracking-info-percentiles ""\n',
    "lat-range": "latency-tracking-info-percentiles 101\n",
    "lat-text": "latency-tracking-info-percentiles abc\n",
    "lat-forms": 'latency-tracking-info-percentiles "0x10 1e1 .5 99.999999"\n',
    "lat-negative": "latency-tracking-info-percentiles -1\n",
    "proc-title": 'proc-title-template "{title}"\n',
    "proc-title-mode": 'proc-title-template "{server-mode}"\n',
    "proc-title-unknown": 'proc-title-template "{nope}"\n',
    "proc-title-brace": 'proc-title-template "x {{y"\n',
    "hostname-bad": "cluster-announce-hostname bad_host\n",
    "hostname-ok": "cluster-announce-hostname good-host.example\n",
    "cluster-replicaof": "cluster-enabled yes\nreplicaof 127.0.0.1 6390\n",
    "requirepass": "requirepass s3cret\n",
}
for key, conf in SPECIAL.items():
    add(f"special-{key}", conf, password="s3cret" if key == "requirepass" else None)

# --- whitespace and encodings ------------------------------------------------------------------
ENCODING = {
    "crlf": "appendonly yes\r\nmaxmemory 1mb\r\n",
    "bom": "\ufeffappendonly yes\n",
    "bom-comment": "\ufeff# comment\nappendonly yes\n",
    "nbsp-separator": "appendonly\u00a0yes\n",
    "nbsp-trailing": "appendonly yes\u00a0\n",
    "formfeed-separator": "appendonly\fyes\n",
    "formfeed-leading": "\fappendonly yes\n",
    "cr-only": "appendonly yes\rmaxmemory 1mb\r",
    "tab-separator": "appendonly\tyes\n",
    "leading-spaces": "   appendonly yes\n",
    "blank-lines": "\n\n   \n\t\nappendonly yes\n\n",
    "no-final-newline": "appendonly yes",
    "vtab-in-line": "appendonly\v yes\n",
    "only-comments": "# a\n# b\n",
    "empty-file": "",
    "error-on-line-5": "\n# c\nappendonly yes\n\nappendonly maybe\n",
    "em-space": "appendonly\u2003yes\n",
}
for key, conf in ENCODING.items():
    add(f"text-{key}", conf)

# --- command-line options (extraFlags style) ---------------------------------------------------
ARGV = {
    "simple": ("--appendonly", "yes"),
    "upper": ("--APPENDONLY", "YES"),
    "one-item": ("--maxmemory 1gb",),
    "split-value": ("--maxmemory", "1", "gb"),
    "bad-bool-echo": ("--appendonly", "maybe"),
    "save-empty": ("--save", ""),
    "save-last": ("--appendonly", "yes", "--save"),
    "save-then-option": ("--save", "--appendonly", "yes"),
    "save-one-string": ("--save", "60 5"),
    "save-two-items": ("--save", "60", "5"),
    "save-twice": ("--save", "60", "5", "--save", "120", "1"),
    "value-with-space": ("--dbfilename", "a b.rdb"),
    "value-with-quote": ("--dbfilename", 'x"y.rdb'),
    "value-dashes": ("--maxmemory-policy", "--allkeys-lru"),
    "name-last": ("--appendonly",),
    "name-then-name": ("--appendonly", "--save", "60 1"),
    "bind-two": ("--bind", "127.0.0.1", "::1"),
    "replicaof-one": ("--replicaof", "127.0.0.1 6390"),
    "cobl": ("--client-output-buffer-limit", "normal 0 0 0 replica 1mb 1mb 0"),
    "unknown": ("--foo", "bar"),
    "too-many": ("--maxmemory", "1gb", "2gb"),
    "value-newline": ("--dbfilename", "a\nb"),
    "item-with-newline": ("--appendonly yes\nmaxmemory 2mb",),
    "empty-value": ("--masterauth", ""),
    "hash-value": ("--dbfilename", "#x.rdb"),
    "comment-item": ("--appendonly yes # c",),
    "include-missing-arg": ("--include",),
}
for key, argv in ARGV.items():
    add(f"argv-{key}", None, argv)
add("argv-file-save-adds", "save 900 1\n", ("--save", "60 5"))
add("argv-file-override", "appendonly no\n", ("--appendonly", "yes"))
add("argv-file-save-clear", "save 900 1\n", ("--save", ""))
add("argv-error-line-number", "appendonly yes\n\n", ("--maxmemory", "1x"))
add("argv-error-line-no-newline", "appendonly yes", ("--maxmemory", "1x"))

# --- includes ----------------------------------------------------------------------------------
INC = "include {tmp}/"
add("inc-trap", f"save 900 1\n{INC}x.conf\nsave 60 2\n", files={"x.conf": "save 300 3\n"})
add("inc-inside-appends", f"save 900 1\n{INC}x.conf\n", files={"x.conf": "save 300 3\n"})
add("inc-empty-trap", f"save 900 1\n{INC}empty.conf\nsave 60 2\n", files={"empty.conf": ""})
add("inc-trap-argv", f"save 900 1\n{INC}empty.conf\n", ("--save", "60 5"),
    files={"empty.conf": ""})
add("inc-override-after", f"{INC}a.conf\nappendonly no\n", files={"a.conf": "appendonly yes\n"})
add("inc-override-before", f"appendonly no\n{INC}a.conf\n", files={"a.conf": "appendonly yes\n"})
add("inc-error-line", f"appendonly yes\n{INC}bad.conf\n",
    files={"bad.conf": "\n# x\nmaxmemory 1gb\nbogus 1\n"})
add("inc-nested", f"{INC}a.conf\n", files={"a.conf": f"save 10 1\n{INC}b.conf\nsave 20 2\n",
                                          "b.conf": "save 30 3\n"})
add("inc-glob", f"{INC}conf.d/*.conf\n",
    files={"conf.d/a.conf": "maxmemory 1mb\nsave 10 1\n", "conf.d/b.conf": "maxmemory 2mb\n"})
add("inc-glob-nomatch-no-trap", f"save 900 1\n{INC}none/*.conf\nsave 60 2\n")
add("inc-glob-error-line", f"{INC}g/*.conf\n",
    files={"g/a.conf": "appendonly yes\n", "g/b.conf": "appendonly maybe\n"})
add("inc-upper", "INCLUDE {tmp}/a.conf\n", files={"a.conf": "maxmemory 3mb\n"})
add("inc-argv-bitnami", None, ("--include", "{tmp}/redis.conf", "--include", "{tmp}/master.conf",
                               "--save", "60 1"),
    files={"redis.conf": "save 900 1\nappendonly yes\n", "master.conf": "maxmemory 5mb\n"})
add("inc-argv-bitnami-no-save", None, ("--include", "{tmp}/redis.conf"),
    files={"redis.conf": "save 900 1\nsave 300 10\n"})
add("inc-cluster-replicaof-in-include", f"{INC}c.conf\n",
    files={"c.conf": "cluster-enabled yes\nreplicaof 127.0.0.1 6390\n"})
