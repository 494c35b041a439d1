"""Mask secret values (Redis passwords, ACL passwords, YAML `password:` values) in text shown to users.

Every formatter passes messages, fix hints, related-location messages, notifications and source lines
through `redact_text` before printing them, so a finding about `requirepass` never copies the password
into a CI log, a SARIF upload or a GitLab report.

What is masked (case-insensitive), each value replaced by `****`, quotes kept:

- redis.conf directives and `CONFIG SET` arguments: `requirepass`, `masterauth`, `primaryauth`,
  `tls-key-file-pass`, `tls-client-key-file-pass`, `sentinel auth-pass <master> <pw>`,
  `sentinel sentinel-pass <pw>` (`masteruser` is a user name, not a secret);
- the same names as `redis-server` argv (`--requirepass X`, `--requirepass=X`, `"--requirepass", "X"`,
  and a value on the next line of a YAML list), and `redis-cli -a X` / `--pass X`;
- ACL rules: the `>password`, `<password`, `#hash`, `!hash` parts of `user ...` / `ACL SETUSER ...`;
- YAML/JSON/env keys whose name looks secret (`password`, `passwd`, `pwd`, `secret`, `token`,
  `apiKey`, `credential`, `privateKey`, `*_AUTH`): `password: hunter2` -> `password: ****`, including
  block scalars (`password: |`) and Kubernetes env entries (`- name: REDIS_PASSWORD` + `value: x`);
- the password in URLs with user info (`redis://:pw@host`).

Not masked: booleans and null (`usePassword: true`), template and variable references (`{{ ... }}`,
`${VAR}`, `$(VAR)`), and keys that name a secret rather than hold one (`existingSecret`, `secretName`,
`passwordFile`, `*Ref`). In prose, a directive followed by an English glue word (`requirepass is
empty`) is left alone; rule messages should wrap directive names in backticks anyway.

Redaction never adds or removes lines, so line numbers stay valid; `secret_ranges` returns the masked
character ranges so a caller can shift columns on a masked line (`shift_column`).
"""

from __future__ import annotations

import re
from functools import lru_cache

MASK = "****"

# Directives whose single argument is a secret (redis.conf, CONFIG SET, argv after `--`).
_SECRET_DIRECTIVES = ("requirepass", "masterauth", "primaryauth", "tls-key-file-pass", "tls-client-key-file-pass")
_DIRECTIVE_ALT = "|".join(re.escape(d) for d in _SECRET_DIRECTIVES)

# Patterns named `_X_RE` are compiled at import; those named `_X` (strings) are for lines only some
# texts have, and are compiled by `re`'s own cache on first use: compiling them all cost every
# start ~1.5 ms, most runs never use them.
# `requirepass X` as a config line or inside prose/CONFIG SET; not `--requirepass` (argv, below).
_CONF_RE = re.compile(rf"(?i)(?<![\w-])(?:{_DIRECTIVE_ALT})[ \t]+")
# `--requirepass X`, `--requirepass=X`, `"--requirepass", "X"`, and redis-cli's `--pass X`.
_ARGV = rf"(?i)(?<![\w-])--(?:{_DIRECTIVE_ALT}|pass)(?![\w-])"
_CLI_A = r"(?<!\S)-a[ \t]+"
_SENTINEL = r"(?i)(?<![\w-])sentinel[ \t]+(?:auth-pass[ \t]+\S+|sentinel-pass)[ \t]+"
_ACL = r"(?i)(?:^|(?<=[\s\"'`(]))(?:user|acl[ \t]+setuser)[ \t]+[^\s\"'`]+"
_ACL_TOKEN = r"(?<![^\s\"'`])[<>#!]([^\s\"'`,\]]+)"
_URL = r"(?i)\b[a-z][a-z0-9+.-]*://[^/\s:@\"']*:([^/\s@\"']+)@"
# A key (optionally quoted) followed by `: ` (YAML), `:` after a quoted key (JSON) or `=` (env, INI).
_KEY_RE = re.compile(r"""(?<![\w.])(["']?)([A-Za-z_][\w.-]*)\1[ \t]*(?::(?=[ \t]|$)|(?<=["']):|=)[ \t]*""")
_SECRET_KEY_RE = re.compile(
    r"(?i)(passw(?:or)?d|passwd|pwd|secret|token|api[-_]?key|credential|private[-_]?key|requirepass"
    r"|masterauth|primaryauth|auth[-_]?pass|(?:^|[-_.])auth$)"
)
_NOT_SECRET_KEY_RE = re.compile(
    r"(?i)(existing|(?:ref|refs|name|names|file|files|path|paths|enabled|enable|policy|length|mode|job|type"
    r"|kind|count|ttl|mount|volume|key[-_]?name|annotations?|labels?)$)"
)
_LIST_ITEM_NAME_RE = re.compile(r"""^(\s*)(?:-[ \t]+)?name:[ \t]*["']?([\w.-]+)["']?[ \t]*(?:#.*)?$""")
_VALUE_LINE = r"^\s*value:[ \t]*"
_NEW_ITEM = r"^(\s*)-[ \t]"
_BLOCK_INDICATOR = r"^[|>][-+0-9]*[ \t]*(?:#.*)?$"
# A list item or a `key:` line (a quoted key may hold any character): it ends a plain multi-line value.
_MAPPING_OR_ITEM = r"""^\s*(?:-(?:[ \t]|$)|(?:[\w.-]+|"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')[ \t]*:(?:[ \t]|$))"""
_NOT_SECRET_VALUES = frozenset({"", "true", "false", "yes", "no", "on", "off", "null", "~", '""', "''", "{}", "[]"})
# English glue words: `requirepass is empty` is prose about the directive, not a config line.
_PROSE_WORDS = frozenset(
    "is was are be been must should not and or from to in of for with without the a an if when but also only"
    " set unset missing empty differs overrides requires directive value line has have cannot can will".split()
)

Range = tuple[int, int]
# A value that is already masked (text redacted once, then embedded in a message and redacted again):
# `'requirepass ****' in ...` must keep its closing quote.
_MASKED_RE = re.compile(r"\*{4}[\"'`),.;:]*")


def is_secret_key(name: str) -> bool:
    """Whether a YAML/JSON/env key holds a secret value (`password`, `REDIS_PASSWORD`, `apiKey`)."""
    # Key names repeat across lines and files (`password`, `auth`, `key`); long ones are not kept.
    return _is_secret_key(name) if len(name) <= _CACHED_KEY_CHARS else _judge_key(name)


_CACHED_KEY_CHARS = 128


def _judge_key(name: str) -> bool:
    """`is_secret_key` without the cache."""
    return bool(_SECRET_KEY_RE.search(name)) and not _NOT_SECRET_KEY_RE.search(name)


_is_secret_key = lru_cache(maxsize=4096)(_judge_key)


@lru_cache(maxsize=65536)
def redact_text(text: str) -> str:
    """Return `text` with every secret value replaced by `****` (one line or many; lines are kept).

    Cached: the same messages and fix hints recur across thousands of similar files.
    """
    if not text:
        return text
    ranges = secret_ranges(text)
    if not ranges:
        return text
    lines = text.split("\n")
    for index, spans in ranges.items():
        lines[index] = mask_line(lines[index], spans)
    return "\n".join(lines)


def redact_directive_value(key: str, value: object) -> object:
    """A directive's value (as `CONFIG GET` returns it) with secrets masked, for `redislint effective`.

    `requirepass`, `masterauth`, `primaryauth` and the TLS key passphrases become `****` unless empty
    (an empty password is not a secret, and showing it is the point); `user` ACL rules keep their
    flags but lose their passwords and hashes. Other values, and non-strings, are returned unchanged;
    lists and tuples are redacted element by element.
    """
    if isinstance(value, (list, tuple)):
        return type(value)(redact_directive_value(key, v) for v in value)
    if not isinstance(value, str) or not value:
        return value
    name = key.lower()
    if name in _SECRET_DIRECTIVES or name in ("sentinel-pass", "auth-pass"):
        return MASK
    if name == "user":
        return re.sub(_ACL_TOKEN, lambda m: m.group(0)[0] + MASK, value)
    return value


def mask_line(line: str, ranges: list[Range]) -> str:
    """Replace each (start, end) character range of `line` by `****`."""
    out, pos = [], 0
    for start, end in ranges:
        out.append(line[pos:start])
        out.append(MASK)
        pos = end
    out.append(line[pos:])
    return "".join(out)


def shift_column(column: int, ranges: list[Range]) -> int:
    """Map a 1-based column of the original line to the same place on the masked line.

    A column inside a masked range moves to the start of the mask.
    """
    offset = column - 1
    delta = 0
    for start, end in ranges:
        if offset >= end:
            delta += len(MASK) - (end - start)
        elif offset > start:
            return start + delta + 1
    return offset + delta + 1


# A line can only hold (or open) a secret if it names one of these (case-insensitive); checked first, for speed.
# Each pattern needs one: `_SECRET_KEY_RE`'s `api-key` and `private_key` contain `key`, `sentinel auth-pass`
# contains `pass`, ACL rules `user`, `-a` `redis-cli`, URLs `://`.
_TRIGGER_WORDS = ("pass", "auth", "pwd", "secret", "token", "credential", "key", "user", "redis-cli", "://")
_TRIGGER_RE = re.compile("(?i)" + "|".join(map(re.escape, _TRIGGER_WORDS)))
# The same scan over `text.lower()` of ASCII text, about ten times faster than `(?i)` (which cannot skip
# ahead by first character). Only for ASCII: there `lower()` keeps every offset and equals `(?i)`'s
# folding, while for other text `(?i)` also folds e.g. `ſ` to `s` and `lower()` can lengthen `İ`.
_LOWER_TRIGGER_RE = re.compile("|".join(map(re.escape, _TRIGGER_WORDS)))
# While an env entry (`- name: REDIS_PASSWORD`) waits for its `value:`, a line without trigger words also
# matters if it starts a list item (`_NEW_ITEM`, ends the entry) or is the `value:` (`_VALUE_LINE`).
# Such a line is found by the `\n` before it (twice as fast as `(?m)^`), so these match at the newline.
_ENV_LINE = r"\n[^\S\n]*(?:-[ \t]|value:)"  # `\s` within one line
_ENV_TRIGGER_RE = re.compile("(?i)" + _ENV_LINE + "|" + _TRIGGER_RE.pattern.removeprefix("(?i)"))
_LOWER_ENV_TRIGGER_RE = re.compile(_ENV_LINE + "|" + _LOWER_TRIGGER_RE.pattern)
# Every secret-key pattern of `_SECRET_KEY_RE` contains one of these stems (`api-key` and `private_key`
# contain `key`, `masterauth` contains `auth`, `passwd` contains `pass`).
_SECRET_KEY_STEM_RE = re.compile("pass|auth|pwd|secret|token|key|credential")  # on the lowered line


def secret_ranges(text: str) -> dict[int, list[Range]]:
    """The secret character ranges of each line of `text` (split on `\\n`), by 0-based line index.

    Ranges are sorted, non-overlapping and never empty. State carries across lines for the cases
    where the secret sits on the line after its name (block scalars, env `value:`, argv lists).
    """
    result: dict[int, list[Range]] = {}
    pending_argv = False  # previous line ended with `--requirepass`
    env_indent: int | None = None  # inside `- name: REDIS_PASSWORD`, waiting for `value:`
    block_indent: int | None = None  # inside the value of `password: |` (or a multi-line plain scalar)
    block_plain = False  # the block is a plain multi-line scalar: stop at the first `key:` line
    if text.isascii():
        haystack, trigger, env_trigger = text.lower(), _LOWER_TRIGGER_RE, _LOWER_ENV_TRIGGER_RE
    else:
        haystack, trigger, env_trigger = text, _TRIGGER_RE, _ENV_TRIGGER_RE
    size = len(text)
    pos = index = 0  # offset and index of the next line to look at
    while pos <= size:
        if block_indent is None and not pending_argv:
            # Every pattern below needs one of the trigger words and most lines have none, so skip straight
            # to the next line that has one (or that can end an open env entry). Lines of a block scalar and
            # the line after `--requirepass` are masked whatever they say, so those are walked one by one.
            if env_indent is None:
                hit = trigger.search(haystack, pos)
            else:  # from the newline ending the previous line (there is one: the entry opened there or before)
                hit = env_trigger.search(haystack, pos - 1)
            if hit is None:
                break
            at = hit.start() + (haystack[hit.start()] == "\n")  # a trigger word, or a line after a newline
            index += text.count("\n", pos, at)
            line_start = text.rfind("\n", pos, at)
            if line_start >= 0:
                pos = line_start + 1
        end = text.find("\n", pos)
        if end < 0:
            end = size
        line, line_index = text[pos:end], index
        pos, index = end + 1, index + 1

        found: list[Range] = []
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" \t"))

        if block_indent is not None:
            if not stripped:
                continue
            if indent > block_indent and not (block_plain and re.match(_MAPPING_OR_ITEM, line)):
                if not (block_plain and stripped.startswith("#")):
                    result[line_index] = [(indent, len(line.rstrip()))]
                continue
            block_indent = None

        if pending_argv and stripped:
            pending_argv = False
            start = indent
            if line.startswith("-", start):
                start += 1
                while start < len(line) and line[start] in " \t":
                    start += 1
            span = _value_at(line, start, flow=True, spaces=False)
            if span:
                found.append(span)

        if env_indent is not None and stripped:
            item = re.match(_NEW_ITEM, line)
            if item and len(item.group(1)) <= env_indent:
                env_indent = None
            elif (m := re.match(_VALUE_LINE, line)) is not None:
                span = _value_at(line, m.end(), flow=False, spaces=True)
                if span and _is_secret_value(line[span[0]:span[1]]):
                    found.append(span)
                env_indent = None

        # Lowered once for the substring gates below; None (no gating) for non-ASCII lines, see `_LOWER_TRIGGER_RE`.
        low = line.lower() if line.isascii() else None
        found += _line_ranges(line, low)
        if "name:" in line and (m := _LIST_ITEM_NAME_RE.match(line)) and is_secret_key(m.group(2)):
            env_indent = len(m.group(1))
        if _ends_with_argv_name(line):
            pending_argv = True
        if low is None or _SECRET_KEY_STEM_RE.search(low):
            opens_plain = _key_ranges(line, found)
            if opens_plain is not None:
                block_indent, block_plain = indent, opens_plain

        if found:
            result[line_index] = _merge(found)
    return result


def _unmasked(line: str, span: Range | None) -> bool:
    """True for a value to mask: not None and not already `****`."""
    return span is not None and not _MASKED_RE.fullmatch(line, span[0], span[1])


def _line_ranges(line: str, low: str | None) -> list[Range]:
    """Secrets that can be found on one line alone, apart from secret keys' values (`_key_ranges`).

    `low` is `line.lower()`, or None to run every pattern. Each pattern runs only if the line contains a
    word that every match of it contains: most triggered lines (`auth:`, `- key: dedicated`) match none.
    """
    found: list[Range] = []
    # Every directive in `_CONF_RE` contains `pass` or `auth`.
    if low is None or "pass" in low or "auth" in low:
        for m in _CONF_RE.finditer(line):
            if line[max(0, m.start() - 2):m.start()] == "--":
                continue
            span = _value_at(line, m.end(), flow=False, spaces=False)
            if _unmasked(line, span) and line[span[0]:span[1]].lower() not in _PROSE_WORDS:
                found.append(span)
    if "--" in line:
        for m in re.finditer(_ARGV, line):
            span = _argv_value(line, m.end())
            if _unmasked(line, span):
                found.append(span)
    if "redis-cli" in line:
        for m in re.finditer(_CLI_A, line):
            span = _value_at(line, m.end(), flow=True, spaces=False)
            if _unmasked(line, span):
                found.append(span)
    # `sentinel auth-pass` and `sentinel sentinel-pass` both contain `-pass`.
    if low is None or "-pass" in low:
        for m in re.finditer(_SENTINEL, line):
            span = _value_at(line, m.end(), flow=False, spaces=False)
            if _unmasked(line, span):
                found.append(span)
    # `user` and `acl setuser` are both followed by a space or tab.
    if low is None or "user " in low or "user\t" in low:
        for m in re.finditer(_ACL, line):
            for token in re.compile(_ACL_TOKEN).finditer(line, m.end()):
                found.append((token.start(1), token.end(1)))
    if "://" in line:
        for m in re.finditer(_URL, line):
            found.append((m.start(1), m.end(1)))
    return found


def _key_ranges(line: str, found: list[Range]) -> bool | None:
    """Append the values of secret keys on `line` to `found`; say whether one opens a multi-line value.

    Returns False for a block scalar (`password: |`), True for a plain scalar continued on the next
    lines (`password:` with nothing after it), None if no secret key opens one (the last opener wins).
    """
    opens_plain: bool | None = None
    if ":" not in line and "=" not in line:  # `_KEY_RE` needs one of them
        return None
    for m in _KEY_RE.finditer(line):
        if not is_secret_key(m.group(2)):
            continue
        rest = line[m.end():].strip()
        if re.match(_BLOCK_INDICATOR, rest):
            opens_plain = False
        elif rest == "" or rest.startswith("#"):
            opens_plain = True
        if _quoted_key_in_prose(line, m):
            continue
        flow = "{" in line[:m.start()] or "[" in line[:m.start()]
        # `KEY=value` (shell, argv) ends at whitespace; `key: value` and `key = value` (YAML, INI) do not.
        shell_style = line[m.end() - 1] == "=" and line[m.end() - 2] != " "
        span = _value_at(line, m.end(), flow=flow, spaces=not shell_style)
        if span and _is_secret_value(line[span[0]:span[1]]):
            found.append(span)
    return opens_plain


def _quoted_key_in_prose(line: str, m: re.Match) -> bool:
    """A quoted key after a word, as in `duplicate key 'password': first defined at line 3`.

    In YAML and JSON a quoted key starts a line or follows `-`, `?`, `{`, `[`, `,` or `:` (or a `#`
    in a comment); after a word it is prose quoting a key name, and the text after it is not its
    value. (Masking it left messages reading "duplicate key 'password': ****".)
    """
    if not m.group(1):
        return False
    before = line[:m.start()].rstrip(" \t")
    return bool(before) and before[-1] not in "-?{[,:#"


def _argv_value(line: str, pos: int) -> Range | None:
    """The value after `--requirepass` at `pos`: `=X`, ` X`, `", "X"`; None at the end of the line."""
    i = pos
    if i < len(line) and line[i] in "\"'":
        i += 1
    j = i
    while j < len(line) and line[j] in " \t":
        j += 1
    if j < len(line) and line[j] in "=,":
        j += 1
        while j < len(line) and line[j] in " \t":
            j += 1
    elif j == i:
        return None  # `--requirepassword` or `--requirepass"` with nothing usable
    if j >= len(line) or line[j] == "\\":
        return None
    return _value_at(line, j, flow=True, spaces=False)


def _ends_with_argv_name(line: str) -> bool:
    """`- --requirepass`, `"--requirepass",` or `--requirepass \\` with its value on the next line."""
    if "--" not in line:  # `_ARGV` needs it; most lines have none
        return False
    matches = list(re.finditer(_ARGV, line))
    if not matches:
        return False
    last = matches[-1]
    tail = line[last.end():].strip()
    return tail in ("", '"', "'", ",", '",', "',", "\\", '"\\', "'\\")


def _value_at(line: str, i: int, *, flow: bool, spaces: bool) -> Range | None:
    """The range of the value starting at `i`: inside quotes, or a bare token.

    Bare tokens end at whitespace unless `spaces` (YAML plain scalars, which end at ` #`), and at
    `,`, `]` or `}` when `flow`.
    """
    n = len(line)
    if i >= n:
        return None
    quote = line[i]
    if quote in "\"'":
        j = i + 1
        while j < n:
            if line[j] == "\\" and quote == '"':
                j += 2
                continue
            if line[j] == quote:
                if quote == "'" and j + 1 < n and line[j + 1] == "'":
                    j += 2
                    continue
                break
            j += 1
        end = min(j, n)
        return (i + 1, end) if end > i + 1 else None
    j = i
    while j < n:
        c = line[j]
        if c in " \t" and not spaces:
            break
        if flow and c in ",]}":
            break
        if c == "#" and j > i and line[j - 1] in " \t":
            break
        j += 1
    while j > i and line[j - 1] in " \t":
        j -= 1
    return (i, j) if j > i else None


def _is_secret_value(value: str) -> bool:
    """False for values that cannot be secrets: booleans, null, templates and variable references."""
    v = value.strip()
    if v.lower() in _NOT_SECRET_VALUES:
        return False
    if v.startswith(("{", "[", "${", "$(", "*")):  # templates, flow collections, variables, aliases
        return False
    return not re.match(_BLOCK_INDICATOR, v)


def _merge(ranges: list[Range]) -> list[Range]:
    out: list[Range] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
