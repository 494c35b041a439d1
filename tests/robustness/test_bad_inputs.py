"""Bad input, one named case each, through the real CLI (`redislint check`, in-process).

Every case asserts: no traceback and no "internal error", the exit code, and the exact message
with its `path:line:col` where the problem has a position. Every case also runs in the other
output formats (json, sarif, github, gitlab) and must not crash there either.

Files that cannot be analysed at all (not UTF-8, binary, too large, unreadable, broken links)
are "notifications". README: exit 2 is for "usage, profile or I/O error", and the GitLab
formatter's docstring promises "the exit code still reports unreadable files"; today the exit
code ignores them (a run that read nothing exits 0). `test_file_not_analysed_exits_2` holds
those cases as strict xfails; the fix in `redislint/commands/check.py` is in its xfail reason.
"""

from __future__ import annotations

import builtins
import errno
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import ROOT, Run, invoke

NOT_ANALYSED = "not analysed"  # the exit code of these is held by test_file_not_analysed_exits_2

HR_HEAD = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
  namespace: cache
spec:
  chart:
    spec:
      chart: redis
      version: 20.0.3
  values:
    architecture: standalone
"""

CM_CONF = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: redis-conf
data:
  redis.conf: |
    appendonly yes
    maxmemory 1gb
    maxmemory-policy allkeys-lru
"""


@dataclass
class Case:
    id: str
    files: dict[str, bytes | str] = field(default_factory=dict)
    args: tuple[str, ...] = ()  # default: the first file
    exit: int | str = 0
    expect: tuple[str, ...] = ()  # substrings of the text output (stdout + stderr)
    absent: tuple[str, ...] = ()
    findings: tuple[tuple[str, int, int], ...] = ()  # (rule, line, column) that the JSON output must hold
    no_findings: tuple[str, ...] = ()  # rules the JSON output must not hold
    summary: str = ""  # the start of the summary line ("1 file read, 0 Redis targets found")
    setup: Callable[[Path, pytest.MonkeyPatch], None] | None = None
    stdin: bytes | None = None
    seconds: float = 10.0  # wall-clock bound for the text run
    max_output: int = 200_000  # bytes of text output (a 1 MB line is never copied whole)
    all_formats: bool = True


def _alias_bomb(levels: int = 10, width: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def _bomb_in_helmrelease() -> str:
    """Aliases that expand to ~600,000 nodes (under the guard) all over the values rules read."""
    text = HR_HEAD + '    a0: &a0 [x, x, x, x, x, x, x, x, x]\n'
    for i in range(1, 5):
        text += f"    a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n"
    many = "[" + ", ".join(["*a4"] * 4) + "]"
    return text + (f"    master:\n      configuration: |\n        appendonly yes\n      extraFlags: {many}\n"
                   f"      persistence: {{size: *a4}}\n      resources: {{limits: {{memory: *a4}}}}\n")


def _unreadable(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    """Reading `name` raises PermissionError (tests run as root, where mode 000 is still readable)."""

    def setup(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        real_open = builtins.open
        target = str(workdir / name)

        def fake_open(file, *args, **kwargs):
            if isinstance(file, (str, os.PathLike)) and os.path.abspath(os.fspath(file)) == target:
                raise PermissionError(errno.EACCES, "Permission denied", os.fspath(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", fake_open)

    return setup


def _unlistable(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    """Listing directory `name` raises PermissionError."""

    def setup(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        real_scandir = os.scandir
        target = str(workdir / name)

        def fake_scandir(path="."):
            if os.path.abspath(os.fspath(path)) == target:
                raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", fake_scandir)

    return setup


def _links(spec: dict[str, str], dirs: tuple[str, ...] = ()) -> Callable[[Path, pytest.MonkeyPatch], None]:
    def setup(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        for d in dirs:
            (workdir / d).mkdir(parents=True, exist_ok=True)
        for link, target in spec.items():
            (workdir / link).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(target, workdir / link)

    return setup


def _mkdir(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    def setup(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        (workdir / name).mkdir()

    return setup


def _big_file(name: str, size: int) -> Callable[[Path, pytest.MonkeyPatch], None]:
    """A YAML file of `size` bytes: one comment line (cheap to parse once the limit is raised)."""

    def setup(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        with open(workdir / name, "wb") as fh:
            fh.write(b"# " + b"x" * (size - 3) + b"\n")

    return setup


MB = 1024 * 1024
TEMPLATED = HR_HEAD + """\
    master:
      resources:
        limits:
          memory: ${REDIS_MEMORY}
      persistence:
        size: "{{ .Values.size }}"
      configuration: |
        maxmemory ${REDIS_MAXMEMORY}
        maxmemory-policy {{ .Values.policy }}
        save {{ save_seconds }} 1
        appendfsync {{ .Values.fsync | default "everysec" }}
"""

CASES: list[Case] = [
    # -- malformed YAML --------------------------------------------------------------------------
    Case("yaml-bad-indentation-mapping", {"bad.yaml": "a:\n  b: 1\n c: 2\n"}, exit=1,
         expect=("bad.yaml:3:2: error RL001 yaml-syntax-error",
                 "bad indentation: this line does not line up with the keys of the mapping that starts at "
                 "line 1, column 1"),
         findings=(("RL001", 3, 2),), summary="1 file read, 0 Redis targets found, 1 error"),
    Case("yaml-bad-indentation-in-helmrelease",
         {"hr.yaml": HR_HEAD + "    master:\n      persistence:\n        size: 8Gi\n       enabled: true\n"}, exit=1,
         expect=("hr.yaml:16:8: error RL001 yaml-syntax-error", "bad indentation"), findings=(("RL001", 16, 8),),
         summary="1 file read, 0 Redis targets found"),
    Case("yaml-tab-indentation", {"tabs.yaml": "a:\n\tb: 1\n"}, exit=1,
         expect=("tabs.yaml:2:1: error RL001 yaml-syntax-error",
                 "a tab character is used here: YAML indentation must use spaces, never tabs",
                 "found character '\\t' that cannot start any token"),
         absent=("token: ****",), findings=(("RL001", 2, 1),)),
    Case("yaml-unclosed-double-quote", {"q.yaml": 'a: "unclosed\nb: 2\n'}, exit=1,
         expect=("q.yaml:1:4: error RL001", "unclosed quote: the string that starts at line 1, column 4 is never "
                                            "closed"), findings=(("RL001", 1, 4),)),
    Case("yaml-unclosed-single-quote", {"q.yaml": "a: 1\nb: 'it is\nc: 3\n"}, exit=1,
         expect=("q.yaml:2:4: error RL001", "unclosed quote: the string that starts at line 2, column 4"),
         findings=(("RL001", 2, 4),)),
    Case("yaml-unclosed-bracket", {"b.yaml": "a: [1, 2\nb: 3\n"}, exit=1,
         expect=("b.yaml:1:4: error RL001", "unclosed '[': the list that starts at line 1, column 4 has no "
                                            "matching ']'"), findings=(("RL001", 1, 4),)),
    Case("yaml-unclosed-bracket-at-end-of-file", {"b.yaml": "a: 1\nb: [x,\n"}, exit=1,
         expect=("b.yaml:2:4: error RL001", "unclosed '[': the list that starts at line 2, column 4 has no "
                                            "matching ']'"), findings=(("RL001", 2, 4),)),
    Case("yaml-unclosed-brace", {"b.yaml": "a: {x: 1, y: 2\nb: 3\n"}, exit=1,
         expect=("b.yaml:1:4: error RL001", "unclosed '{': the mapping that starts at line 1, column 4 has no "
                                            "matching '}'"), findings=(("RL001", 1, 4),)),
    Case("yaml-stray-colon", {"c.yaml": "a: b: c\n"}, exit=1,
         expect=("c.yaml:1:5: error RL001", "unexpected ':' here: quote a value that contains ': ', or fix the "
                                            "indentation of this line"), findings=(("RL001", 1, 5),)),
    Case("yaml-stray-colon-in-values", {"hr.yaml": HR_HEAD + "    master:\n      configuration: appendonly: yes\n"},
         exit=1, expect=("hr.yaml:14:32: error RL001", "unexpected ':' here"), findings=(("RL001", 14, 32),)),
    Case("yaml-text-after-closing-quote", {"q.yaml": 'a: "x" y\n'}, exit=1,
         expect=("q.yaml:1:8: error RL001", "text follows the closing quote of a value: quote the whole value"),
         findings=(("RL001", 1, 8),)),
    Case("yaml-duplicate-key", {"dup.yaml": "a: 1\na: 2\n"}, exit=1,
         expect=("dup.yaml:2:1: error RL002 duplicate-yaml-key",
                 "duplicate key 'a': first defined at line 1, column 1; Helm silently keeps this later value"),
         findings=(("RL002", 2, 1),)),
    Case("yaml-duplicate-secret-key-keeps-its-message",
         {"dup.yaml": "auth:\n  password: Zq9-dup-1\n  password: Zq9-dup-2\n"}, exit=1,
         expect=("dup.yaml:3:3: error RL002", "duplicate key 'password': first defined at line 2, column 3"),
         absent=("Zq9-dup",), findings=(("RL002", 3, 3),)),
    Case("yaml-duplicate-key-in-helmrelease-is-still-checked",
         {"hr.yaml": HR_HEAD + "    architecture: replication\n    master:\n      configuration: |\n"
                               "        appendonly yes\n"}, exit=1,
         expect=("hr.yaml:13:5: error RL002",), findings=(("RL002", 13, 5),),
         summary="1 file read, 2 Redis targets checked"),
    Case("yaml-ten-thousand-duplicate-keys-are-capped", {"dup.yaml": "a: 1\n" * 10_000}, exit=1,
         expect=("dup.yaml:102:1: error RL002", "and 9,899 more duplicate keys in this file from this line on, "
                                                "not listed"),
         summary="1 file read, 0 Redis targets found, 101 errors", all_formats=False),
    # -- empty and odd documents -----------------------------------------------------------------
    Case("empty-yaml-file", {"empty.yaml": ""}, summary="1 file read, 0 Redis targets found, 0 errors"),
    Case("yaml-only-separators-and-comments", {"e.yaml": "---\n# nothing\n---\n...\n"},
         summary="1 file read, 0 Redis targets found"),
    Case("empty-redis-conf-is-the-defaults", {"redis.conf": ""}, exit=1,
         expect=("redis.conf:1:1: error RL301 maxmemory-unset",), findings=(("RL301", 1, 1),),
         summary="1 file read, 1 Redis target checked"),
    Case("yaml-document-is-a-scalar", {"s.yaml": "just a scalar\n"}, summary="1 file read, 0 Redis targets found"),
    Case("yaml-document-is-a-list", {"l.yaml": "- a\n- b: c\n"}, summary="1 file read, 0 Redis targets found"),
    Case("yaml-scalar-list-and-helmrelease-in-one-stream",
         {"m.yaml": "scalar\n---\n- 1\n---\n---\n" + CM_CONF}, summary="1 file read, 1 Redis target checked"),
    Case("helmrelease-with-wrong-types-everywhere",
         {"hr.yaml": HR_HEAD.replace("    architecture: standalone\n", "") + "    architecture: [x]\n    auth: 7\n"
                     "    master: {configuration: [a, b], extraFlags: x, persistence: 5, resources: {limits: "
                     "{memory: [1]}}, replicaCount: abc}\n    replica: [1]\n"}, exit=1,
         summary="1 file read, 1 Redis target checked"),
    # -- encodings and bytes -----------------------------------------------------------------------
    Case("non-utf8-yaml", {"latin.yaml": b"a: 1\nname: caf\xe9\n"}, exit=NOT_ANALYSED,
         expect=("latin.yaml:2:10: error: not valid UTF-8: byte 0xe9 at byte offset 14 (line 2, column 10); save "
                 "the file as UTF-8",), summary="0 files read, 0 Redis targets found, 0 errors, 0 warnings, 0 notes, "
                                                "1 file not analysed"),
    Case("non-utf8-redis-conf", {"r.conf": b"appendonly yes\nmaxmemory \xff\xfe\n"}, exit=NOT_ANALYSED,
         expect=("r.conf:2:11: error: not valid UTF-8: byte 0xff",)),
    Case("utf16-file", {"w.yaml": "a: 1\n".encode("utf-16")}, exit=NOT_ANALYSED,
         expect=("w.yaml: error: file is UTF-16 encoded (it starts with a UTF-16 byte order mark); save it as "
                 "UTF-8",)),
    Case("utf8-bom-yaml-is-fine", {"bom.yaml": b"\xef\xbb\xbf" + CM_CONF.replace("appendonly yes",
                                                                               "appendonly yes # on").encode()},
         exit=1, expect=("bom.yaml:7:5: error RL013 trailing-comment",),
         findings=(("RL013", 7, 5),), summary="1 file read, 1 Redis target checked"),
    Case("crlf-yaml-same-positions-as-lf", {"crlf.yaml": (HR_HEAD + "    master:\n      configuration: |\n"
                                                          "        appendonly yes # durable\n").replace("\n", "\r\n")},
         exit=1, expect=("crlf.yaml:15:9: error RL013 trailing-comment",), findings=(("RL013", 15, 9),)),
    Case("crlf-redis-conf", {"r.conf": b"appendonly yes\r\nmaxmemory 1gb # one gig\r\n"}, exit=1,
         expect=("r.conf:2:1: error RL013",), findings=(("RL013", 2, 1),)),
    Case("cr-only-redis-conf-is-one-line", {"mac.conf": b"appendonly yes\rsave 900 1\r"}, exit=1,
         expect=("mac.conf:1:1: error RL012 wrong-argument-count",
                 "lines broken by a lone \\r (old Mac line endings) are read as one line"),
         findings=(("RL012", 1, 1),)),
    Case("cr-only-yaml", {"mac.yaml": b"a: 1\rb: [\r"}, exit=1, expect=("mac.yaml:1:", "RL001")),
    Case("binary-file", {"blob.yaml": bytes(range(256)) * 4}, exit=NOT_ANALYSED,
         expect=("blob.yaml:1:1: error: binary file: NUL byte at byte offset 0 (line 1, column 1); not a text "
                 "configuration file",)),
    Case("nul-byte-in-redis-conf", {"nul.conf": b"appendonly yes\nsave 900 1\x00\n"}, exit=NOT_ANALYSED,
         expect=("nul.conf:2:11: error: binary file: NUL byte at byte offset 25 (line 2, column 11)",)),
    Case("nul-byte-in-yaml", {"nul.yaml": CM_CONF.encode().replace(b"appendonly yes", b"appendonly\x00yes")},
         exit=NOT_ANALYSED, expect=("nul.yaml:7:15: error: binary file: NUL byte",)),
    Case("yaml-control-character", {"ctl.yaml": "a: 1\nb: x\x07y\n"}, exit=1,
         expect=("ctl.yaml:2:5: error RL001", "character #x0007 is not allowed in YAML"),
         absent=("\x07",), findings=(("RL001", 2, 5),)),
    # -- size and shape ----------------------------------------------------------------------------
    Case("very-long-yaml-line-1mb", {"long.yaml": "a: " + "x" * MB + "\n"},
         summary="1 file read, 0 Redis targets found", seconds=10),
    Case("very-long-redis-conf-line-1mb", {"long.conf": "maxmemory 1gb\nappendonly " + "y" * MB + "\n"}, exit=1,
         expect=("long.conf:2:1: error RL011 invalid-directive-value", "rejects 'appendonly yyyyyyyy", "y…' in "
                 "long.conf: argument must be 'yes' or 'no'"),
         findings=(("RL011", 2, 1),), seconds=10),
    Case("redis-conf-number-with-a-million-digits", {"long.conf": "save " + "9" * MB + " 1\nappendonly yes\n"},
         exit=1, summary="1 file read, 1 Redis target checked", seconds=10),
    Case("yaml-integer-with-5000-digits", {"n.yaml": "replicaCount: 1" + "0" * 5000 + "\n"},
         summary="1 file read, 0 Redis targets found, 0 errors"),
    Case("deep-nesting-flow-10000", {"deep.yaml": "a: " + "[" * 10_000 + "]" * 10_000 + "\n"}, exit=1,
         expect=("deep.yaml:1:10003: error RL001", "nesting deeper than 10000 levels: Helm's YAML parser (go-yaml) "
                                                   "refuses this too"), findings=(("RL001", 1, 10_003),), seconds=10),
    Case("deep-nesting-block-sequences", {"deep.yaml": "- " * 10_001 + "x\n"}, exit=1,
         expect=("deep.yaml:1:20001: error RL001", "nesting deeper than 10000 levels"), seconds=10),
    Case("deep-nesting-under-the-limit", {"deep.yaml": "a: " + "{b: " * 5_000 + "1" + "}" * 5_000 + "\n"},
         summary="1 file read, 0 Redis targets found, 0 errors", seconds=10),
    Case("alias-bomb-billion-laughs", {"bomb.yaml": _alias_bomb()}, exit=1,
         expect=("bomb.yaml:7:10: error RL001", "alias expansion too large: the aliases in this document expand to "
                                               "more than 1,000,000 nodes (a 'billion laughs' document)"),
         findings=(("RL001", 7, 10),), seconds=5),
    Case("alias-bomb-under-the-limit-in-helmrelease", {"hr.yaml": _bomb_in_helmrelease()}, exit=1,
         summary="1 file read, 1 Redis target checked", seconds=5),
    Case("file-over-the-size-limit-50mb", {}, args=("big.yaml",), setup=_big_file("big.yaml", 50 * MB),
         exit=NOT_ANALYSED,
         expect=("big.yaml: error: file is too large to check: 52,428,800 bytes, over the 10 MiB limit for one file; "
                 "configuration files are much smaller, so check the path (or raise the limit with "
                 "--max-file-size=BYTES)",), summary="0 files read", seconds=5, all_formats=False),
    Case("max-file-size-raises-the-limit", {}, args=("big.yaml", "--max-file-size", str(60 * MB)),
         setup=_big_file("big.yaml", 50 * MB), summary="1 file read, 0 Redis targets found", seconds=20,
         all_formats=False),
    Case("max-file-size-lowers-the-limit", {"r.conf": "appendonly yes\n" * 10},
         args=("r.conf", "--max-file-size", "100"),
         exit=NOT_ANALYSED, expect=("r.conf: error: file is too large to check: 150 bytes, over the 100 bytes limit",)),
    # -- paths ---------------------------------------------------------------------------------------
    Case("directory-named-like-a-file-is-walked", {"d.yaml/inner.conf": "appendonly yes\n"}, args=("d.yaml",),
         exit=1, summary="1 file read, 1 Redis target checked"),
    Case("empty-directory-says-nothing-was-read", {}, args=("empty.yaml",), setup=_mkdir("empty.yaml"),
         expect=("empty.yaml: warning: no YAML (.yaml, .yml) or .conf file to check in this directory",),
         summary="0 files read, 0 Redis targets found"),
    Case("same-directory-twice-is-not-empty-the-second-time", {"d/r.conf": "appendonly yes\n"},
         args=("d", "d", "./d"), exit=1, absent=("no YAML",), summary="1 file read, 1 Redis target checked"),
    Case("missing-path", {}, args=("nope.yaml",), exit=NOT_ANALYSED,
         expect=("nope.yaml: error: no such file or directory",)),
    Case("unreadable-file", {"secret.yaml": CM_CONF}, setup=_unreadable("secret.yaml"), exit=NOT_ANALYSED,
         expect=("secret.yaml: error: permission denied: redislint cannot read this file",),
         summary="0 files read, 0 Redis targets found, 0 errors, 0 warnings, 0 notes, 1 file not analysed"),
    Case("unreadable-file-in-a-walked-directory", {"dir/a.conf": "appendonly yes\n", "dir/b.yaml": CM_CONF},
         args=("dir",), setup=_unreadable("dir/b.yaml"), exit=1,
         expect=("dir/b.yaml: error: permission denied",), summary="1 file read, 1 Redis target checked"),
    Case("unlistable-directory", {"top/ok.conf": "appendonly yes\n", "top/locked/x.conf": "appendonly no\n"},
         args=("top",), setup=_unlistable("top/locked"), exit=1,
         expect=("top/locked: warning: permission denied: cannot list this directory; skipped",),
         summary="1 file read, 1 Redis target checked"),
    Case("broken-symlink-while-walking", {"w/ok.conf": "appendonly yes\n"}, args=("w",),
         setup=_links({"w/broken.yaml": "nowhere.yaml"}), exit=1,
         expect=("w/broken.yaml: warning: broken symbolic link: it points to 'nowhere.yaml', which does not exist; "
                 "skipped",), absent=("w/nowhere.yaml:",), summary="1 file read, 1 Redis target checked"),
    Case("broken-symlink-given-explicitly", {}, args=("broken.yaml",), setup=_links({"broken.yaml": "gone.yaml"}),
         exit=NOT_ANALYSED, expect=("broken.yaml: error: broken symbolic link: it points to 'gone.yaml'",)),
    Case("looping-file-symlinks-while-walking", {"w/ok.conf": "appendonly yes\n"}, args=("w",),
         setup=_links({"w/loop1.yaml": "loop2.yaml", "w/loop2.yaml": "loop1.yaml"}), exit=1,
         expect=("w/loop1.yaml: warning: symbolic link loop: the link never reaches a file; skipped",
                 "w/loop2.yaml: warning: symbolic link loop"), summary="1 file read, 1 Redis target checked"),
    Case("directory-symlink-loop-while-walking", {"w/sub/ok.conf": "appendonly yes\n"}, args=("w",),
         setup=_links({"w/sub/up": ".."}), exit=1,
         expect=("w/sub/up: warning: symbolic link loop: this link points back to a directory that contains it; "
                 "skipped",), summary="1 file read, 1 Redis target checked", seconds=5),
    Case("directory-symlink-out-of-the-tree-is-not-followed", {"repo/ok.conf": "appendonly yes\n",
                                                                "outside/secret.yaml": "a: [\n"},
         args=("repo",), setup=_links({"repo/root": "/", "repo/sibling": "../outside"}), exit=1,
         expect=("repo/root: warning: symbolic link to '/', outside repo: not followed",
                 "repo/sibling: warning: symbolic link to '../outside', outside repo: not followed"),
         absent=("secret.yaml",), summary="1 file read, 1 Redis target checked", seconds=5),
    Case("file-symlink-out-of-the-tree-is-not-read", {"repo/ok.conf": "appendonly yes\n",
                                                      "home/credentials": "[default]\nkey = Zq9-outside-1\n"},
         args=("repo",), setup=_links({"repo/creds.yaml": "../home/credentials"}), exit=1,
         expect=("repo/creds.yaml: warning: symbolic link to '../home/credentials', outside repo: not followed",),
         absent=("Zq9-outside", "[default]"), summary="1 file read, 1 Redis target checked"),
    Case("same-file-twice-and-through-a-link", {"r.conf": "appendonly yes\n"}, args=("r.conf", "r.conf", "l.conf"),
         setup=_links({"l.conf": "r.conf"}), exit=1, summary="1 file read, 1 Redis target checked"),
    # -- standard input ------------------------------------------------------------------------------
    Case("stdin-yaml", args=("-",), stdin=CM_CONF.replace("allkeys-lru", "noeviction").encode(), exit=1,
         expect=("<stdin>:9:5: error RL305 eviction-policy-not-allowed",), findings=(("RL305", 9, 5),)),
    Case("stdin-redis-conf", args=("-",), stdin=b"appendonly yes # on\n", exit=1,
         expect=("<stdin>:1:1: error RL013 trailing-comment",), findings=(("RL013", 1, 1),)),
    Case("stdin-not-utf8", args=("-",), stdin=b"appendonly \xff\n", exit=NOT_ANALYSED,
         expect=("<stdin>:1:12: error: not valid UTF-8: byte 0xff",)),
    Case("stdin-given-twice-is-read-once", args=("-", "-"), stdin=b"appendonly yes\n", exit=1,
         summary="1 file read, 1 Redis target checked"),
    # -- templating ----------------------------------------------------------------------------------
    Case("helm-jinja-flux-templates-are-rl003-not-rl011", {"tpl.yaml": TEMPLATED}, exit=0,
         expect=("tpl.yaml:20:9: warning RL003 unresolved-value",
                 "'maxmemory ${REDIS_MAXMEMORY}' in master.configuration: the value is filled in at deploy time",
                 "tpl.yaml:21:9: warning RL003", "tpl.yaml:22:9: warning RL003", "tpl.yaml:23:9: warning RL003",
                 "tpl.yaml:16:19: warning RL003", "tpl.yaml:18:15: warning RL003"),
         findings=(("RL003", 16, 19), ("RL003", 18, 15), ("RL003", 20, 9), ("RL003", 21, 9), ("RL003", 22, 9),
                   ("RL003", 23, 9)),
         no_findings=("RL010", "RL011", "RL012", "RL305", "RL204")),
    Case("templated-redis-conf-file", {"r.conf": "maxmemory {{ .Values.maxmemory }}\nsave ${SAVE} 1\n"}, exit=1,
         expect=("r.conf:1:1: warning RL003", "r.conf:2:1: warning RL003"),
         findings=(("RL003", 1, 1), ("RL003", 2, 1)), no_findings=("RL011", "RL012")),
    # -- hostile content in redis.conf ---------------------------------------------------------------
    Case("redis-conf-control-characters", {"ctl.conf": b"appendonly yes\nsave 900 1\x1b[31m\nmaxmemory 1gb\x07\n"
                                                       b"\x0cmaxmemory-policy allkeys-lru\n"}, exit=1,
         expect=("ctl.conf:2:1: error RL011", "rejects 'save 900 1\\x1b[31m'", "ctl.conf:3:1: error RL011"),
         absent=("\x1b", "\x07"), findings=(("RL011", 2, 1), ("RL011", 3, 1))),
    Case("redis-conf-no-break-space", {"nb.conf": "appendonly\u00a0yes\nmaxmemory 1gb\n"}, exit=1,
         expect=("nb.conf:1:1: error RL011", "'appendonly\\u00a0yes'",
                 "U+00A0 is not a separator for Redis: the words around it form one argument",
                 "fix: Replace the no-break space(s) with ordinary spaces"), findings=(("RL011", 1, 1),)),
    Case("redis-conf-include-is-recorded-not-read", {"r.conf": "include /etc/passwd\nappendonly yes\n"}, exit=1,
         expect=("r.conf:1:1: warning RL003 unresolved-value",
                 "'include /etc/passwd' in r.conf: redislint does not read included files, so what /etc/passwd sets "
                 "was not checked"), absent=("root:",), findings=(("RL003", 1, 1),)),
    Case("redis-conf-many-bad-lines-are-capped", {"x.conf": "x\n" * 5_000}, exit=1,
         expect=("x.conf:101:1: error RL010", "and 4,900 more findings of this rule for this target"),
         summary="1 file read, 1 Redis target checked", all_formats=False),
    Case("redis-conf-many-save-lines-are-bounded", {"s.conf": "save 900 1\n" * 20_000}, exit=1,
         expect=("s.conf:1001:1: warning RL003", "more than 1,000 save points"), findings=(("RL003", 1001, 1),),
         seconds=10, all_formats=False),
    # -- hostile YAML tags ---------------------------------------------------------------------------
    Case("hostile-python-tags-construct-nothing",
         {"tags.yaml": "a: !!python/object/apply:os.system ['touch PWNED']\n"
                       "b: !!python/object/new:os.system ['touch PWNED']\n"
                       "c: !!python/name:os.system\nd: !!binary aGVsbG8=\ne: !Ref x\n"},
         summary="1 file read, 0 Redis targets found, 0 errors"),
]


def _ids(cases):
    return [c.id for c in cases]


def _prepare(case: Case, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, ...]:
    for rel, content in case.files.items():
        path = workdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    if case.setup is not None:
        case.setup(workdir, monkeypatch)
    return case.args or (next(iter(case.files)),)


def _run(case: Case, workdir: Path, args: tuple[str, ...], fmt: str) -> Run:
    # The cases' expected findings and exit codes were written for the `cache` profile (a HelmRelease
    # in namespace cache, a redis.conf that caches); without a profile they would be judged under
    # baseline, which by design reports far less.
    profile = () if "--profile" in args else ("--profile", "cache")
    return invoke("check", *args, *profile, "--format", fmt, "--no-color", cwd=workdir, input=case.stdin)


def test_there_are_at_least_forty_named_cases():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_bad_input(case: Case, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = _prepare(case, workdir, monkeypatch)
    started = time.perf_counter()
    run = _run(case, workdir, args, "text")
    elapsed = time.perf_counter() - started
    assert elapsed < case.seconds, f"took {elapsed:.1f}s"
    assert len(run.output) < case.max_output, len(run.output)
    for text in case.expect:
        assert text in run.output, f"missing {text!r} in:\n{run.output[-4000:]}"
    for text in case.absent:
        assert text not in run.output, f"unexpected {text!r} in:\n{run.output[-4000:]}"
    summary = run.stdout.rstrip("\n").rsplit("\n", 1)[-1]
    assert " file" in summary and ("Redis target" in summary), summary  # never a run without a summary
    if case.summary:
        assert summary.startswith(case.summary), summary
    if case.exit != NOT_ANALYSED:
        assert run.exit_code == case.exit, run.output[-3000:]
    else:
        assert run.exit_code in (0, 1, 2), run.output[-3000:]

    data = json.loads(_run(case, workdir, args, "json").stdout)
    got = {(f["rule"], f["line"], f["column"]) for f in data["findings"]}
    for want in case.findings:
        assert want in got, (want, sorted(got))
    for rule in case.no_findings:
        assert all(f["rule"] != rule for f in data["findings"]), [f for f in data["findings"] if f["rule"] == rule]
    if case.exit == NOT_ANALYSED:
        assert data["notifications"] and any(n["level"] == "error" for n in data["notifications"])
    if case.all_formats:
        for fmt in ("sarif", "github", "gitlab"):
            out = _run(case, workdir, args, fmt)
            # A SARIF log carries the documentation of every rule whatever the input (some 200 KB with 50
            # rules): the bound is on what the input makes, so that catalogue is not counted.
            catalogue = len(json.dumps(json.loads(out.stdout)["runs"][0]["tool"]["driver"].get("rules", []),
                                       indent=2)) if fmt == "sarif" else 0
            assert len(out.output) - catalogue < case.max_output, (fmt, len(out.output), catalogue)
            if fmt != "github":
                json.loads(out.stdout)


NOT_ANALYSED_CASES = [c for c in CASES if c.exit == NOT_ANALYSED]


@pytest.mark.parametrize("case", NOT_ANALYSED_CASES, ids=_ids(NOT_ANALYSED_CASES))
def test_file_not_analysed_exits_2(case: Case, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that could not be analysed is an I/O error: exit 2, whatever else was found."""
    args = _prepare(case, workdir, monkeypatch)
    assert _run(case, workdir, args, "text").exit_code == 2


# -- cases that need more than one run ----------------------------------------------------------

def test_hostile_tags_never_run_anything(workdir: Path) -> None:
    marker = workdir / "PWNED"
    (workdir / "tags.yaml").write_text(
        f"a: !!python/object/apply:os.system ['touch {marker}']\n"
        f"b: !!python/object/apply:subprocess.call [['touch', '{marker}']]\n"
        f"c: !!python/object/new:os.system ['touch {marker}']\n"
        "d: !!python/object:__main__.Exploit {x: 1}\n"
        f"e: !!python/module:os\nf: !!python/name:os.system\n")
    for command in (("check", "tags.yaml"), ("effective", "tags.yaml"), ("check", "tags.yaml", "-f", "sarif")):
        invoke(*command, cwd=workdir)
    assert not marker.exists()


@pytest.mark.parametrize("where", ["file", "stdin"])
def test_bom_in_redis_conf_is_an_error(workdir: Path, where: str) -> None:
    """A BOM before the first directive: Redis reads it as part of the name and refuses to start."""
    text = b"\xef\xbb\xbfappendonly yes\nmaxmemory 1gb\n"
    (workdir / "bom.conf").write_bytes(text)
    if where == "file":
        run, path = invoke("check", "bom.conf", cwd=workdir), "bom.conf"
    else:
        run, path = invoke("check", "-", cwd=workdir, input=text), "<stdin>"
    assert f"{path}:1:1: error RL011 invalid-directive-value" in run.output
    assert "byte order mark" in run.output


def test_redisconf_reports_a_leading_bom() -> None:
    """The half of the BOM fix that is ours: given the BOM, the parser and RL011 name it."""
    from redislint.redisconf import RedisVersion, parse_conf
    from redislint.rules import rule_by_code
    from redislint.sources import EmbeddedText
    from redislint.targets import TargetOptions, conf_target

    embedded = EmbeddedText.for_file("bom.conf", "\ufeffappendonly yes\n")
    lines = parse_conf(embedded, "bom.conf", RedisVersion.newest("redis"))
    assert lines[0].problem is not None and lines[0].problem.kind == "bom"
    target = conf_target("bom.conf", "bom.conf", "redis.conf", embedded, lines[0].span, TargetOptions())
    hits = list(rule_by_code("RL011").check(target, None))
    assert len(hits) == 1 and (hits[0].span.line, hits[0].span.column) == (1, 1)
    assert "'\\ufeffappendonly yes'" in hits[0].message and "byte order mark" in hits[0].message
    assert "without a byte order mark" in hits[0].fix


def test_unknown_profile_annotation_is_reported_at_its_line(workdir: Path) -> None:
    text = CM_CONF.replace("  name: redis-conf\n", "  name: redis-conf\n  annotations:\n"
                                                     "    redislint.io/profile: critcal\n")
    (workdir / "cm.yaml").write_text(text)
    (workdir / "ok.conf").write_text("appendonly yes\n")
    run = invoke("check", "cm.yaml", "ok.conf", cwd=workdir)
    # An error, not a warning: the object is judged under the default profile, weaker than the one meant.
    assert "cm.yaml:6:27: error RL003" in run.output and "did you mean 'critical'?" in run.output
    assert run.exit_code == 1
    assert "ok.conf" in run.output  # the other file is still checked



def test_include_path_is_never_opened(workdir: Path) -> None:
    """`include` lines are recorded (RL003), never read: every path opened during the run is allowed."""
    forbidden = workdir / "included" / "trap.conf"
    forbidden.parent.mkdir()
    forbidden.write_text("appendonly no\n")
    (workdir / "redis.conf").write_text(f"include /etc/passwd\ninclude {forbidden}\ninclude {workdir}/included/*.conf\n"
                                        "appendonly yes\n")
    (workdir / "cm.yaml").write_text(CM_CONF.replace("    appendonly yes\n", f"    include {forbidden}\n"))
    (workdir / "hr.yaml").write_text(HR_HEAD + f"    master:\n      configuration: |\n        include {forbidden}\n"
                                               f"      extraFlags:\n        - --include {forbidden}\n")
    profile = workdir / "team.yaml"
    profile.write_text("name: team\nextends: critical\n")
    config = workdir / ".redislint.yaml"
    config.write_text("fail-on: error\n")
    output = workdir / "out.json"
    inputs = [str(workdir / n) for n in ("redis.conf", "cm.yaml", "hr.yaml")]
    with record_opens() as opened:
        run = invoke("check", *inputs, "--profile", str(profile), "-f", "json", "-o", str(output), cwd=workdir)
        eff = invoke("effective", *inputs, "--all", cwd=workdir)
    assert run.exit_code == 1 and eff.exit_code == 0
    allowed = set(inputs) | {str(profile), str(config), str(output)}
    roots = _library_roots()
    strays = sorted({p for p in opened if p not in allowed and not p.startswith(roots)})
    assert strays == [], strays
    assert set(inputs) | {str(profile), str(config), str(output)} <= opened  # the recorder sees opens
    assert str(forbidden) not in opened and "/etc/passwd" not in opened
    data = json.loads(output.read_text())
    includes = sorted((f["path"], f["line"]) for f in data["findings"] if f["rule"] == "RL003"
                      and "does not read included files" in f["message"])
    assert includes == [("cm.yaml", 7), ("hr.yaml", 15), ("hr.yaml", 17), ("redis.conf", 1), ("redis.conf", 2),
                        ("redis.conf", 3)]


def _library_roots() -> tuple[str, ...]:
    """Where Python, its libraries and redislint's own data live (opened for imports and data files)."""
    import site
    import sysconfig

    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(ROOT / "redislint"), "/usr/lib/python3",
             "/usr/share/zoneinfo", *site.getsitepackages(), site.getusersitepackages()}
    roots.update(p for p in sysconfig.get_paths().values())
    return tuple(os.path.realpath(r) for r in roots if r) + tuple(r for r in roots if r)


_RECORDER: list[set[str]] = []


def _audit(event: str, args: tuple) -> None:
    if not _RECORDER or event != "open":
        return
    path = args[0]
    if isinstance(path, int) or path is None:
        return
    path = os.path.abspath(os.fsdecode(path))
    _RECORDER[-1].add(path)
    if path == "/etc/passwd" or path.endswith("/included/trap.conf"):
        raise PermissionError(errno.EACCES, "redislint must not open an included file", path)


class record_opens:
    """Record every file the process opens (audit hook on the `open` event) while active."""

    installed = False

    def __enter__(self) -> set[str]:
        if not record_opens.installed:
            sys.addaudithook(_audit)
            record_opens.installed = True
        _RECORDER.append(set())
        return _RECORDER[-1]

    def __exit__(self, *exc) -> None:
        _RECORDER.pop()


@pytest.mark.parametrize("value", ["0", "-1"])
def test_max_file_size_must_be_positive(workdir: Path, value: str) -> None:
    (workdir / "r.conf").write_text("appendonly yes\n")
    run = invoke("check", "r.conf", "--max-file-size", value, cwd=workdir)
    assert run.exit_code == 2 and "--max-file-size" in run.output and "too large" not in run.output


def test_notifications_name_the_link_not_its_target(workdir: Path) -> None:
    """A broken link or a loop is reported at the link in every format (not at the path it resolves to)."""
    (workdir / "w").mkdir()
    (workdir / "w" / "ok.conf").write_text("appendonly yes\n")
    os.symlink("nowhere.yaml", workdir / "w" / "broken.yaml")
    (workdir / "w" / "sub").mkdir()
    os.symlink("..", workdir / "w" / "sub" / "up")
    # A chosen profile keeps the run-level "no profile chosen" note out of the file notifications.
    github = invoke("check", "w", "-p", "cache", "-f", "github", cwd=workdir).stdout
    assert "::warning file=w/broken.yaml,title=redislint%3A file not analysed::broken symbolic link" in github
    assert "::warning file=w/sub/up,title=redislint%3A file not analysed::symbolic link loop" in github
    notes = json.loads(invoke("check", "w", "-p", "cache", "-f", "json", cwd=workdir).stdout)["notifications"]
    assert sorted(n["path"] for n in notes if n["kind"] == "file") == ["w/broken.yaml", "w/sub/up"]
    sarif = json.loads(invoke("check", "w", "-p", "cache", "-f", "sarif", cwd=workdir).stdout)
    uris = sorted(loc["physicalLocation"]["artifactLocation"]["uri"]
                  for n in sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"] for loc in n["locations"]
                  if "redislint/assumption" not in n.get("properties", {}))
    assert uris == ["w/broken.yaml", "w/sub/up"]


def test_rich_markup_and_emoji_codes_in_inputs_are_printed_as_written(workdir: Path) -> None:
    """`effective` prints names and values from the files: `[/x]` made rich raise, `:smile:` became an emoji."""
    (workdir / "cm.yaml").write_text(CM_CONF.replace("name: redis-conf", "name: '[/x] [bold]:smile:'")
                                     .replace("appendonly yes", "appendfilename ':smile:[/red]'"))
    (workdir / "[red]weird[bold].conf").write_text("dir /data/[/x]\nmaxmemory-policy [bold]x\n")
    for args in ((), ("--all",), ("-f", "json")):
        run = invoke("effective", ".", *args, cwd=workdir)
        assert run.exit_code == 0
        if not args or args == ("--all",):
            assert "[/x] [bold]:smile:" in run.output and "[red]weird[bold].conf" in run.output
            assert "\U0001f604" not in run.output
    check = invoke("check", ".", cwd=workdir)
    assert "[red]weird[bold].conf:2:1" in check.output


def test_control_characters_in_file_names_stay_on_one_line(workdir: Path) -> None:
    """A file name with a line break or a terminal escape cannot forge output lines or colour a terminal."""
    (workdir / "d").mkdir()
    (workdir / "d" / "a\nb.conf").write_text("appendonly yes # c\n")
    (workdir / "d" / "x\x1b[31m.conf").write_text("appendonly yes # c\n")
    for args in (("check", "d"), ("effective", "d"), ("effective", "d", "--all")):
        out = invoke(*args, cwd=workdir).output
        assert "\x1b" not in out
        assert not any(line.startswith("b.conf") for line in out.split("\n")), out
    check = invoke("check", "d", cwd=workdir).output
    assert "d/a\ufffdb.conf:1:1: error RL013 trailing-comment" in check
    assert "d/x\ufffd[31m.conf:1:1: error RL013" in check
    github = invoke("check", "d", "-f", "github", cwd=workdir).stdout
    assert "file=d/a%0Ab.conf," in github  # the toolkit's own escaping


@pytest.mark.parametrize("option,content,message", [
    ("--profile", b"\x00\xff\xfe binary", "not UTF-8 text"),
    ("--profile", "name: t\nextends: cache\n" + _alias_bomb(), "alias expansion too large"),
    ("--profile", "name: t\nextends: cache\nsettings: " + "[" * 20_000 + "]" * 20_000 + "\n", "nesting deeper than"),
    ("--profile", "name: t\nextends: cache\nsettings: {a: 1, a: 2}\n", "duplicate key 'a'"),
    ("--config", b"\xff\xfe\x00", "cannot read config file"),
    ("--config", "profile: [\n", ".redislint.bad:1:10: unclosed '['"),
    ("--baseline", "not json {", "cannot read baseline"),
], ids=["profile-binary", "profile-alias-bomb", "profile-deep", "profile-duplicate", "config-binary",
        "config-syntax", "baseline-not-json"])
def test_bad_profile_config_and_baseline_files_are_usage_errors(workdir: Path, option: str, content, message: str):
    name = {"--profile": "team.yaml", "--config": ".redislint.bad", "--baseline": "baseline.json"}[option]
    data = content if isinstance(content, bytes) else content.encode()
    (workdir / name).write_bytes(data)
    (workdir / "r.conf").write_text("appendonly yes\n")
    started = time.perf_counter()
    run = invoke("check", "r.conf", option, name, cwd=workdir)
    assert time.perf_counter() - started < 5
    assert run.exit_code == 2, run.output
    assert message in run.output, run.output


def test_quantity_with_a_huge_exponent_is_rejected_quickly() -> None:
    import subprocess

    code = ("from redislint.quantity import parse_quantity\n"
            "try:\n    parse_quantity('1e-999999999')\nexcept ValueError:\n    pass\n")
    try:
        subprocess.run([sys.executable, "-c", code], timeout=3, check=True, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail("parse_quantity('1e-999999999') did not return within 3 s")
