"""Mask secret values (Redis passwords, ACL passwords, YAML `password:` values) in text shown to users.

Every formatter passes messages, fix hints, related-location messages, notifications and source lines
through `redact_text` before printing them, so a finding about `requirepass` never copies the password
into a CI log, a SARIF upload or a GitLab report.

What is masked (case-insensitive), each value replaced by `****`, quotes kept:

- redis.conf directives and `CONFIG SET` arguments: `requirepass`, `masterauth`, `primaryauth`,
  `tls-key-file-pass`, `tls-client-key-file-pass`, `sentinel auth-pass <master> <pw>`,
  `sentinel sentinel-pass <pw>` (`masteruser` is a user name, not a secret), also with a quoted name
  (`"requirepass" pw`, which Redis accepts); on a line that starts with the directive, every argument
  up to a `#` word (`requirepass a b`: Redis refuses the line, and either word may be the password);
- the same names as `redis-server` argv (`--requirepass X`, `--requirepass=X`, `"--requirepass", "X"`,
  and a value on the next line of a YAML list), and `redis-cli -a X` / `--pass X`;
- ACL rules: the `>password`, `<password`, `#hash`, `!hash` parts of `user ...` / `ACL SETUSER ...`
  (a quoted user name too: `user "jack" on >pw`);
- YAML/JSON/env keys whose name looks secret (`password`, `passwd`, `pwd`, `secret`, `token`,
  `apiKey`, `credential`, `privateKey`, `*_AUTH`): `password: hunter2` -> `password: ****`, including
  block scalars (`password: |`) and Kubernetes env entries (`- name: REDIS_PASSWORD` + `value: x`);
- the password in URLs with user info (`redis://:pw@host`);
- every value under `data:` and `stringData:` of a Kubernetes `kind: Secret` (`secret_document_ranges`).

Not masked: booleans and null (`usePassword: true`), whole template and variable references
(`{{ ... }}`, `${VAR}`, `$(VAR)`), unquoted YAML aliases (`*anchor`) and flow mappings (their keys are
judged one by one), and keys that name a secret rather than hold one (`existingSecret`, `secretName`,
`passwordFile`, `*Ref`). A quoted value is a string: `"*x"`, `"[x"`, `"{x"` and `"$(x"` are masked. In
prose, a directive followed by an English glue word (`requirepass is empty`) is left alone; rule
messages should wrap directive names in backticks anyway.

Lines known to come from a file (snippets, the `fix --diff` lines, a line a message quotes) are also
read by `source_line_ranges` (`redact_source`, `shown_line_ranges`): as Redis reads a config line
(`sdssplitargs`, so `"requir\\x65pass" pw`, `">pass word"` and `requirepass is x` are masked), and for
a key that is a secret word misspelt by one letter (`pasword: x`). That pass is per line and only for
lines shown, so `secret_ranges`, which reads whole files, stays fast.

Redaction never adds or removes lines, so line numbers stay valid; `secret_ranges` returns the masked
character ranges so a caller can shift columns on a masked line (`shift_column`).

Size: one masking policy, read and reviewed as a whole: the shapes listed above and the scanners
that find each of them on one line.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, TypeGuard

if TYPE_CHECKING:
    from redislint.redisconf.tokenizer import Token

MASK = "****"

# Directives whose single argument is a secret (redis.conf, CONFIG SET, argv after `--`).
_SECRET_DIRECTIVES = ("requirepass", "masterauth", "primaryauth", "tls-key-file-pass", "tls-client-key-file-pass")
_DIRECTIVE_ALT = "|".join(re.escape(d) for d in _SECRET_DIRECTIVES)

# Patterns named `_X_RE` are compiled at import; those named `_X` (strings) are for lines only some
# texts have, and are compiled by `re`'s own cache on first use: compiling them all cost every
# start time (bench/RESULTS.md, "Costs cited in the code"), and most runs never use them.
# `requirepass X` as a config line or inside prose/CONFIG SET; not `--requirepass` (argv, below). Redis
# also reads a quoted name (`"requirepass" X`, `'masterauth' X`).
_CONF_RE = re.compile(rf"""(?i)(?<![\w-])(["']?)(?:{_DIRECTIVE_ALT})\1[ \t]+""")
# `--requirepass X`, `--requirepass=X`, `"--requirepass", "X"`, and redis-cli's `--pass X`.
_ARGV = rf"(?i)(?<![\w-])--(?:{_DIRECTIVE_ALT}|pass)(?![\w-])"
_CLI_A = r"(?<!\S)-a[ \t]+"
_SENTINEL = r"(?i)(?<![\w-])sentinel[ \t]+(?:auth-pass[ \t]+\S+|sentinel-pass)[ \t]+"
_ACL = r"""(?i)(?:^|(?<=[\s"'`(]))(["']?)(?:user|acl[ \t]+setuser)\1[ \t]+(?:"[^"]*"|'[^']*'|[^\s"'`]+)"""
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


@lru_cache(maxsize=4096)
def redact_source(text: str) -> str:
    """`redact_text` for lines of a file (a quoted config line, a snippet): also `source_line_ranges`.

    Prose rules do not apply to a file's lines: `requirepass is secret` there sets a password.
    """
    if not text:
        return text
    ranges = secret_ranges(text)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        spans = shown_line_ranges(line, ranges.get(index, []))
        if spans:
            lines[index] = mask_line(line, spans)
    return "\n".join(lines)


def shown_line_ranges(line: str, ranges: list[Range]) -> list[Range]:
    """`ranges` (from `secret_ranges` of the whole text) with the line's own `source_line_ranges` added."""
    extra = source_line_ranges(line)
    return _merge(ranges + extra) if extra else ranges


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
                if span and _is_secret_at(line, span):
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
    if "Secret" in text:
        for index, spans in secret_document_ranges(text).items():
            result[index] = _merge(result.get(index, []) + spans)
    return result


# `kind: Secret` at the top level of a document (Kubernetes kinds are case-sensitive).
_SECRET_KIND_RE = re.compile(r"""^kind:[ \t]*(["']?)Secret\1[ \t]*(?:#.*)?\r?$""", re.MULTILINE)
_DOCUMENT_START_RE = re.compile(r"^(?:---|\.\.\.)(?=[ \t]|\r?$)", re.MULTILINE)
_SECRET_DATA_RE = re.compile(r"^(data|stringData)[ \t]*:(?:[ \t]+|\r?$)")
_SECRET_DATA_START_RE = re.compile(r"^(?:data|stringData)[ \t]*:", re.MULTILINE)
# A mapping entry of a Secret's data: `key: value` (a quoted key may hold any character).
_DATA_ENTRY_RE = re.compile(r"""^[ \t]+(?:[^\s"'#][^:#]*?|"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')[ \t]*:(?:[ \t]+|\r?$)""")


def secret_document_ranges(text: str) -> dict[int, list[Range]]:
    """Every value under `data:` and `stringData:` of each Kubernetes Secret in `text`, by line index.

    A Secret's content is never shown, whatever its keys are called: `data` holds it in base64 (a
    values file read through Flux `valuesFrom`, passwords included), `stringData` in plain text.
    The keys stay visible (`values.yaml: ****`), so a finding still says which entry it is about.
    Only the documents that are Secrets are read line by line.
    """
    # Found by the word, then checked on its line: a `^`-anchored scan of a large file is ten times slower.
    kinds = []
    at = text.find("Secret")
    while at >= 0:
        line_start = text.rfind("\n", 0, at) + 1
        if _SECRET_KIND_RE.match(text, line_start):
            kinds.append(line_start)
        at = text.find("Secret", at + 6)
    if not kinds:
        return {}
    out: dict[int, list[Range]] = {}
    done = -1  # the end of the last document read
    for kind in kinds:
        if kind < done:
            continue  # two `kind: Secret` lines in one document
        start, end = _document_around(text, kind)
        done = end
        data = _SECRET_DATA_START_RE.search(text, start, end)
        if data is not None:
            lines = text[data.start():end].split("\n")
            _mask_secret_data(lines, text.count("\n", 0, data.start()), out)
    return out


def _document_around(text: str, at: int) -> tuple[int, int]:
    """The offsets of the YAML document holding offset `at`: from after a `---` / `...` line to the next."""
    start, end = 0, len(text)
    for marker in ("\n---", "\n..."):
        before = text.rfind(marker, 0, at)
        while before >= 0 and not _DOCUMENT_START_RE.match(text, before + 1):
            before = text.rfind(marker, 0, before)
        if before >= 0:
            start = max(start, before + 1)
        after = text.find(marker, at)
        while after >= 0 and not _DOCUMENT_START_RE.match(text, after + 1):
            after = text.find(marker, after + 1)
        if after >= 0:
            end = min(end, after + 1)
    return start, end


def _mask_secret_data(lines: list[str], first: int, out: dict[int, list[Range]]) -> None:
    """Mask the values of the top-level `data:` and `stringData:` mappings among `lines` of a Secret
    (line `first` of the text onwards)."""
    inside = False
    entry_indent = 0  # the indentation of the section's keys: deeper lines are a value's content
    for n, raw in enumerate(lines):
        i = first + n
        line = raw.rstrip("\r")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line[0].isspace():  # a top-level key: `data:` opens a section, any other closes it
            m = _SECRET_DATA_RE.match(line)
            inside, entry_indent = m is not None, 0
            rest = line[m.end():].strip() if m else ""
            if m and rest and not rest.startswith("#") and not re.match(_BLOCK_INDICATOR, rest):
                out.setdefault(i, []).append((m.end(), len(line.rstrip())))  # `data: {key: value}`
            continue
        if not inside:
            continue
        indent = len(line) - len(line.lstrip())
        entry_indent = entry_indent or indent
        entry = _DATA_ENTRY_RE.match(line) if indent <= entry_indent else None
        if entry is None:  # a value's content: a continuation or a line of a block scalar
            out.setdefault(i, []).append((indent, len(line.rstrip())))
            continue
        span = _value_at(line, entry.end(), flow=False, spaces=True)
        if span and not re.match(_BLOCK_INDICATOR, line[span[0]:span[1]]):
            out.setdefault(i, []).append(span)


# What a config line may start with to hold a secret: a secret directive, an ACL `user`, `sentinel`
# (auth-pass, sentinel-pass), any of them quoted, or a quoted word with a `\xHH` escape (which Redis
# decodes: `"requir\x65pass" pw` is `requirepass pw`).
_SOURCE_GATE_RE = re.compile(rf"""(?i)^[ \t]*(?:(["']?)(?:{_DIRECTIVE_ALT}|user|sentinel)\1(?:[ \t]|$)|"[^"]*\\x)""")
_SECRET_WORDS = ("password", "passwd", "secret", "credential", "credentials", "requirepass", "masterauth",
                 "primaryauth", "apikey", "privatekey")
_KEY_WORD_RE = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def source_line_ranges(line: str) -> list[Range]:
    """Secrets on one line of a file that only its own syntax shows; for lines shown as a file has them.

    `secret_ranges` reads any text (messages too) with patterns; a line known to come from a file is
    also read as Redis reads a config line (`sdssplitargs`: quotes, `\\xHH` escapes, every argument of
    `requirepass a b`, quoted ACL rules `">pass word"`) and as a YAML `key: value` whose key is a secret
    word misspelt by one letter (`pasword: x`, shown by the RL101 finding about that very key).
    """
    found: list[Range] = []
    if _SOURCE_GATE_RE.match(line):
        found += _config_line_ranges(line)
    if ":" in line or "=" in line:
        found += _misspelt_key_ranges(line)
    return found


def _config_line_ranges(line: str) -> list[Range]:
    """The secret arguments of `line` read as a redis.conf line: a secret directive's arguments (to a
    `#` word), the `>`, `<`, `#` and `!` rules of `user`, sentinel's auth-pass and sentinel-pass."""
    from redislint.redisconf.tokenizer import try_split  # noqa: PLC0415 - only for lines shown; the engine has loaded it

    tokens = try_split(line)
    if tokens is None:  # unbalanced quotes: Redis refuses the line; everything after the name is hidden
        lead = re.match(r"""[ \t]*(?:"[^"]*"?|'[^']*'?|\S+)[ \t]*""", line)
        end = len(line.rstrip())
        return [(lead.end(), end)] if lead and lead.end() < end else []
    if not tokens:
        return []
    name = tokens[0].text.lower()
    args = []
    for token in tokens[1:]:
        if not token.quoted and token.text.startswith("#"):
            break  # a trailing comment (RL013): shown, as everywhere else
        args.append(token)
    if name in _SECRET_DIRECTIVES:
        secret = args
    elif name == "sentinel" and args:
        sub = args[0].text.lower()
        secret = args[2:] if sub == "auth-pass" else args[1:] if sub == "sentinel-pass" else []
    elif name == "user":
        return [span for token in tokens[2:] if (span := _acl_secret(line, token))]
    else:
        return []
    return [span for token in secret if (span := _inner(line, token.start, token.end))]


def _inner(line: str, start: int, end: int) -> Range | None:
    """A token's range without the quotes around it; None when nothing is left."""
    if end - start >= 2 and line[start] in "\"'" and line[end - 1] == line[start]:
        start, end = start + 1, end - 1
    return (start, end) if end > start else None


def _acl_secret(line: str, token: Token) -> Range | None:
    """The password or hash of an ACL rule token (`>pw`, `">pass word"`, `>"pw"`, `#hash`), prefix kept."""
    if len(token.text) < 2 or token.text[0] not in "<>#!":
        return None
    start, end = token.start, token.end
    if line[start] in "\"'":  # `">pw"`: the prefix is the first character inside the quotes
        inner = _inner(line, start, end) or (start + 1, end)
        span = (inner[0] + 1, inner[1])
    else:  # `>pw`, or `>"pw"` with the quotes after the prefix
        span = _inner(line, start + 1, end) or (start + 1, end)
    return span if span[1] > span[0] else None


def _misspelt_key_ranges(line: str) -> list[Range]:
    """Values of keys that are a secret word misspelt by one letter (`pasword`, `REDIS_PASSWROD`)."""
    found: list[Range] = []
    for m in _KEY_RE.finditer(line):
        key = m.group(2)
        if is_secret_key(key) or not _misspelt_secret_key(key):
            continue
        flow = "{" in line[:m.start()] or "[" in line[:m.start()]
        shell_style = line[m.end() - 1] == "=" and line[m.end() - 2] != " "
        span = _value_at(line, m.end(), flow=flow, spaces=not shell_style)
        if span and _is_secret_at(line, span):
            found.append(span)
    return found


@lru_cache(maxsize=4096)
def _misspelt_secret_key(key: str) -> bool:
    """Whether a word of `key` (split at `_`, `-`, `.` and case changes) is one edit from a secret word."""
    if _NOT_SECRET_KEY_RE.search(key):
        return False
    words = [w.lower() for w in _KEY_WORD_RE.findall(key)]
    words.append("".join(words))  # `api_kei`, `private-kee`: the words of a name written apart
    return any(len(w) >= 5 and _one_edit(w, target) for w in words for target in _SECRET_WORDS)


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by at most one insertion, deletion, substitution or swap of neighbours."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


def _unmasked(span: Range | None, line: str) -> TypeGuard[Range]:
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
            found += _conf_values(line, m)
    if "--" in line:
        for m in re.finditer(_ARGV, line):
            span = _argv_value(line, m.end())
            if _unmasked(span, line):
                found.append(span)
    if "redis-cli" in line:
        for m in re.finditer(_CLI_A, line):
            span = _value_at(line, m.end(), flow=True, spaces=False)
            if _unmasked(span, line):
                found.append(span)
    # `sentinel auth-pass` and `sentinel sentinel-pass` both contain `-pass`.
    if low is None or "-pass" in low:
        for m in re.finditer(_SENTINEL, line):
            span = _value_at(line, m.end(), flow=False, spaces=False)
            if _unmasked(span, line):
                found.append(span)
    # `user` and `acl setuser` are both followed by a space, a tab or (a quoted `"user"`) a quote.
    if low is None or "user " in low or "user\t" in low or 'user"' in low or "user'" in low:
        for m in re.finditer(_ACL, line):
            for token in re.compile(_ACL_TOKEN).finditer(line, m.end()):
                found.append((token.start(1), token.end(1)))
    if "://" in line:
        for m in re.finditer(_URL, line):
            found.append((m.start(1), m.end(1)))
    return found


def _conf_values(line: str, m: re.Match[str]) -> list[Range]:
    """The value(s) after a `_CONF_RE` match: one word in prose, every argument on a config line.

    A config line starts with the directive: Redis reads all its arguments, and with a wrong number of
    them (`requirepass a b`) each may be part of the password, so all are masked up to a `#` word (a
    trailing comment, which RL013 reports). Elsewhere (`CONFIG SET requirepass x`, a message quoting a
    line) only the word after the name is; and an unquoted first word that is English glue
    (`requirepass is empty`) is prose about the directive, not a value. Lines of a file are never prose:
    `source_line_ranges` masks `requirepass a b` there.
    """
    if line[max(0, m.start() - 2):m.start()] == "--":
        return []
    span = _value_at(line, m.end(), flow=False, spaces=False)
    quoted = m.end() < len(line) and line[m.end()] in "\"'"
    if span is not None and not quoted and line[span[0]:span[1]].lower() in _PROSE_WORDS:
        return []
    if line[:m.start()].strip(" \t"):
        return [span] if span is not None and _unmasked(span, line) else []
    return [w for w in _words(line, m.end()) if _unmasked(w, line)]


def _words(line: str, i: int) -> list[Range]:
    """The words of a config line from `i` up to a `#` word: quoted ones without their quotes."""
    out: list[Range] = []
    n = len(line)
    while True:
        while i < n and line[i] in " \t\r":
            i += 1
        if i >= n or line[i] == "#":
            return out
        span = _value_at(line, i, flow=False, spaces=False)
        if line[i] in "\"'":
            end = span[1] if span else i + 1  # the closing quote (or the end of the line)
            i = end + 1
        else:
            i = span[1] if span else i + 1
        if span:
            out.append(span)


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
        if span and _is_secret_at(line, span):
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


def _is_secret_at(line: str, span: Range) -> bool:
    """Whether the value at `span` of `line` can be a secret (`_is_secret_value`), quoted or not."""
    return _is_secret_value(line[span[0]:span[1]], quoted=span[0] > 0 and line[span[0] - 1] in "\"'")


# A whole value that names a secret instead of holding it: `${VAR}` (`${VAR:-x}`), `$(VAR)` (Kubernetes
# env expansion) or a Helm/Go template.
_REFERENCE_RE = re.compile(r"\$\{[A-Za-z_][\w.-]*(?:[-:?+=][^}]*)?\}|\$\([A-Za-z_][\w.-]*\)|\{\{.*\}\}")
_ALIAS_RE = re.compile(r"\*[^\s,\[\]{}]+")


def _is_secret_value(value: str, quoted: bool = False) -> bool:
    """False for values that cannot be secrets: booleans, null, whole references and templates, and
    (unquoted) YAML aliases, flow mappings (their own keys are judged) and block indicators. A flow
    sequence under a secret key (`passwords: [a, b]`) is a list of secrets.

    A quoted value is a string whatever it starts with: `"*x"`, `"[x"`, `"{x"` and `"$(x"` are
    passwords, not aliases, collections or references (they were shown).
    """
    v = value.strip()
    if v.lower() in _NOT_SECRET_VALUES or _REFERENCE_RE.fullmatch(v):
        return False
    masked = _MASKED_RE.match(v)  # masked already (a message quoting a masked line), then prose
    if masked and (masked.end() == len(v) or v[masked.end()] in " \t"):
        return False
    if quoted:
        return True
    if _ALIAS_RE.fullmatch(v) or (v[:1] + v[-1:]) == "{}":  # a flow mapping's own keys are judged
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
