"""`secret_ranges`' fast path agrees with a brute-force reference that runs every pattern on every line.

`redislint.secrets.secret_ranges` skips ahead to lines holding a trigger word (one scan of the lowered
text), and runs each per-line pattern only if the line contains a word every match of that pattern
contains. Those shortcuts are sound only while each gate stays implied by its pattern; the reference
below has none of them, so a new secret pattern (or key stem) that a trigger word or gate misses
makes these tests fail. When a pattern changes in `secrets.py`, change the reference to match.
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redislint import secrets as s

from .conftest import EXAMPLES, ROOT, SHARED_CORPUS

SCALE = float(os.environ.get("REDISLINT_PROPERTY_SCALE", "1"))  # tests/conftest.py: 0.1 in the fast run

_is_secret_key = s._judge_key  # uncached: the reference shares no shortcut with the fast path


def _reference_line(line: str) -> list[s.Range]:
    """Every single-line pattern of `secrets.py`, run on `line` without any gate."""
    found: list[s.Range] = []
    for m in s._CONF_RE.finditer(line):
        found += s._conf_values(line, m)
    for m in re.compile(s._ARGV).finditer(line):
        span = s._argv_value(line, m.end())
        if s._unmasked(span, line):
            found.append(span)
    if "redis-cli" in line:
        for m in re.compile(s._CLI_A).finditer(line):
            span = s._value_at(line, m.end(), flow=True, spaces=False)
            if s._unmasked(span, line):
                found.append(span)
    for m in re.compile(s._SENTINEL).finditer(line):
        span = s._value_at(line, m.end(), flow=False, spaces=False)
        if s._unmasked(span, line):
            found.append(span)
    for m in re.compile(s._ACL).finditer(line):
        for token in re.compile(s._ACL_TOKEN).finditer(line, m.end()):
            found.append((token.start(1), token.end(1)))
    for m in re.compile(s._URL).finditer(line):
        found.append((m.start(1), m.end(1)))
    for m in s._KEY_RE.finditer(line):
        if not _is_secret_key(m.group(2)) or s._quoted_key_in_prose(line, m):
            continue
        flow = "{" in line[:m.start()] or "[" in line[:m.start()]
        shell_style = line[m.end() - 1] == "=" and line[m.end() - 2] != " "
        span = s._value_at(line, m.end(), flow=flow, spaces=not shell_style)
        if span and s._is_secret_at(line, span):
            found.append(span)
    return found


def _reference(text: str) -> dict[int, list[s.Range]]:
    """`secret_ranges` the slow way: every line of `text`, every pattern, state carried line by line."""
    result: dict[int, list[s.Range]] = {}
    pending_argv = False
    env_indent: int | None = None
    block_indent: int | None = None
    block_plain = False
    for index, line in enumerate(text.split("\n")):
        found: list[s.Range] = []
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" \t"))
        if block_indent is not None:
            if not stripped:
                continue
            if indent > block_indent and not (block_plain and re.compile(s._MAPPING_OR_ITEM).match(line)):
                if not (block_plain and stripped.startswith("#")):
                    result[index] = [(indent, len(line.rstrip()))]
                continue
            block_indent = None
        if pending_argv and stripped:
            pending_argv = False
            start = indent
            if line.startswith("-", start):
                start += 1
                while start < len(line) and line[start] in " \t":
                    start += 1
            span = s._value_at(line, start, flow=True, spaces=False)
            if span:
                found.append(span)
        if env_indent is not None and stripped:
            item = re.compile(s._NEW_ITEM).match(line)
            if item and len(item.group(1)) <= env_indent:
                env_indent = None
            elif (m := re.compile(s._VALUE_LINE).match(line)) is not None:
                span = s._value_at(line, m.end(), flow=False, spaces=True)
                if span and s._is_secret_at(line, span):
                    found.append(span)
                env_indent = None
        found += _reference_line(line)
        if (m := s._LIST_ITEM_NAME_RE.match(line)) and _is_secret_key(m.group(2)):
            env_indent = len(m.group(1))
        argv = list(re.compile(s._ARGV).finditer(line))
        if argv and line[argv[-1].end():].strip() in ("", '"', "'", ",", '",', "',", "\\", '"\\', "'\\"):
            pending_argv = True
        for m in s._KEY_RE.finditer(line):
            if not _is_secret_key(m.group(2)):
                continue
            rest = line[m.end():].strip()
            if re.compile(s._BLOCK_INDICATOR).match(rest):
                block_indent, block_plain = indent, False
            elif rest == "" or rest.startswith("#"):
                block_indent, block_plain = indent, True
        if found:
            result[index] = s._merge(found)
    for index, spans in _reference_secret_documents(text).items():
        result[index] = s._merge(result.get(index, []) + spans)
    return result


def _reference_secret_documents(text: str) -> dict[int, list[s.Range]]:
    """`secret_document_ranges` the slow way: every line, documents split at each `---` / `...` line."""
    lines = text.split("\n")
    out: dict[int, list[s.Range]] = {}
    start = 0
    separators = [i for i, line in enumerate(lines) if re.match(r"(?:---|\.\.\.)(?:[ \t]|\r?$)", line)]
    for end in separators + [len(lines)]:
        if any(s._SECRET_KIND_RE.match(lines[i]) for i in range(start, end)):
            data = [i for i in range(start, end) if s._SECRET_DATA_START_RE.match(lines[i])]
            if data:
                s._mask_secret_data(lines[data[0]:end], data[0], out)
        start = end + 1
    return out


def _assert_same(text: str) -> None:
    """The fast `secret_ranges` and `redact_text` of `text` equal the reference's."""
    expected = _reference(text)
    assert s.secret_ranges(text) == expected
    lines = text.split("\n")
    for index, spans in expected.items():
        lines[index] = s.mask_line(lines[index], spans)
    assert s.redact_text.__wrapped__(text) == "\n".join(lines)


# Pieces of secret-bearing lines: names in every case, quotes, block indicators, env entries, argv at a line
# end, ACL rules, URLs, and non-ASCII letters that `(?i)` folds onto ASCII (`ſ` ~ `s`, `ı` ~ `i`, Kelvin ~ `k`).
_FRAGMENTS = (
    "password", "PASSWORD", "Password:", "passwd", "pwd", "secret", "token", "apiKey", "api_key", "credential",
    "privateKey", "auth", "AUTH", "_AUTH", ".auth", "auth-pass", "requirepass", "REQUIREPASS", "masterauth",
    "primaryauth", "tls-key-file-pass", "--requirepass", "--pass", "--masterauth=", "-a ", "redis-cli",
    "sentinel auth-pass mymaster ", "SENTINEL sentinel-pass ", "user ", "USER\t", "ACL SETUSER bob ", ">pw", "<old",
    "#abc", "!hash", "~* +@all", "redis://:pw@host", "REDIS://u:p@h", "://", ": ", ":", "=", " = ", "'", '"', "|", "|-",
    ">+2", "# c", " #x", "- ", "- name: REDIS_PASSWORD", "- name:\tX_SECRET", "name: 'API_TOKEN'", "value: ",
    "value: hunter2", "value:\tq", "{", "}", "[", "]", ",", "\\", "****", "${VAR}", "{{ .Values.x }}", "true", "null",
    "existingSecret", "secretName", "passwordFile", "keyName", " is empty", " hunter2", "x", "a b", "k: v", " ", "\t",
    "--", "paſsword", "prıvateKey", "\u212aEY: v", "İ", "é", "uſer ", "requirepaſs ", "\r", "\x0c",
    '"requirepass"', "'masterauth' ", '"user" ', 'user "jack" ', "'*x'", '"[x"', '"{x"', "$(x", "$(X)", "*al",
    "[a, b]", "{a: b}", "Secret", "kind: Secret", "data:", "stringData:", "---",
)
# Whole lines whose meaning spans lines: env entries and their `value:`, block openers and their content,
# argv names at a line end, and list items (which end an env entry) indented with odd whitespace.
_TEMPLATES = (
    "- name: REDIS_PASSWORD", "- name:\tAPI_TOKEN", "name: 'X_SECRET'", "- name: redis-tokens-values", "value: hunter2",
    "value:\t\"q\"", "- value: x", "- other", "password: |", "token: >-", "password:", "password: # set later",
    "hunter2", "# comment", "DB_PWD: hunter2", "credentials: x", "- --requirepass", '"--masterauth",',
    "--requirepass \\", "user\tbob on >pw ~*", "sentinel auth-pass m pw", "key: value",
    "redis-cli -h h -a pw ping", "", "kind: Secret", "kind: 'Secret' # c", "data:", "stringData:", "data: {a: b}",
    "---", "...", "  values.yaml: YWJj", "  x: |", '  "k:x": v', "metadata:", "requirepass a b # c",
    '"requirepass" pw x', "user \"jack\" on >pw", "password: \"*x\"",
)
_INDENTS = ("", "", "  ", "    ", "\t", "- ", "  - ", "    - ", "\x0c- ", "\r  ", "\xa0- ", "\x0c", "\r", "\xa0")
_LINE = st.one_of(
    st.builds(lambda indent, parts: indent + "".join(parts), st.sampled_from(_INDENTS),
              st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=6)),
    st.builds(str.__add__, st.sampled_from(_INDENTS), st.sampled_from(_TEMPLATES)),
)


@settings(max_examples=int(1500 * SCALE), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, min_size=1, max_size=12))
def test_generated_lines_match_reference(lines: list[str]) -> None:
    EXAMPLES["secret_ranges vs reference (hypothesis-driven)"] += 1
    _assert_same("\n".join(lines))


def test_fixtures_and_corpus_match_reference() -> None:
    paths = [p for p in sorted((ROOT / "tests").rglob("*")) if p.suffix in (".yaml", ".yml", ".conf", ".json")]
    if SHARED_CORPUS.is_dir():
        paths += sorted(p for p in SHARED_CORPUS.rglob("*") if p.is_file())
    checked = 0
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        # As read (mostly ASCII: the lowered fast scan), with a non-ASCII letter (the `(?i)` scan), and CRLF.
        for variant in (text, text + "\n# é", text.replace("\n", "\r\n")):
            _assert_same(variant)
        checked += 1
    assert checked > 50  # the fixtures are there


def test_reference_is_not_vacuous() -> None:
    """The reference masks what the module promises (so agreeing with it means something)."""
    text = (
        "password: hunter2\nenv:\n  - name: REDIS_PASSWORD\n    value: s3cret\nconf: |\n  requirepass pw1\n"
        "args:\n  - --requirepass\n  - pw2\nurl: redis://:pw3@host\nauth:\n  token: |\n    pw4\n"
    )
    masked = s.redact_text.__wrapped__(text)
    assert not re.search(r"hunter2|s3cret|pw[1-4]", masked), masked
    _assert_same(text)
