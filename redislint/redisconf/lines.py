"""One config line as Redis's loader sees it: the ConfLine model and the per-line checks."""

from __future__ import annotations

import re
from typing import NamedTuple

from ..model import Span
from .cnum import ascii_lower
from .directives import DirectiveTable
from .special import BAD_DIRECTIVE, LEGACY_ARGC, WRONG_ARGS
from .tokenizer import LINE_TRIM, LOOKALIKE_SPACES, Token, UnbalancedQuotes, split_args, try_split
from .values import normalize
from .valuetypes import ConfigValueError
from .versions import RedisVersion

UNBALANCED = "Unbalanced quotes in configuration line"
MODULE_ABORT = ("Module Configuration detected without loadmodule directive or no ApplyConfig "
                "call: aborting")
CR_DETAIL = ("this line holds carriage returns (\\r) with no line feed after them: Redis starts a new line "
             "only at \\n, so lines broken by a lone \\r (old Mac line endings) are read as one line; save "
             "the file with \\n line endings")
_CR_KINDS = frozenset({"wrong-arg-count", "invalid-value", "unbalanced-quotes"})
_HASH_RULE = re.compile(r"#[0-9A-Fa-f]+(?=\s|$)")
_COUNT_REASONS = frozenset({WRONG_ARGS, "Module config specified without value",
                            "Wrong number of arguments in buffer limit configuration."})


class LineProblem(NamedTuple):
    """Why Redis refuses a line (or, when `fatal` is False, reads it other than it looks).

    `reason` is Redis's own text for that version ("" when Redis says nothing); `detail` is
    ours (a "did you mean", the versions that know the name, what a quirk does).
    """

    kind: str
    reason: str
    detail: str = ""
    fatal: bool = True


class ConfLine(NamedTuple):
    """A non-blank, non-comment config line with positions for every word."""

    layer: str
    index: int  # type: ignore[assignment]  # a field named like tuple.index (callers read it by name); 0-based line index in its source text; Redis's "at line N" is index + 1
    raw: str  # the trimmed line, as Redis echoes it after ">>>"
    name: str  # the directive as written
    key: str  # lower-case primary name (aliases resolved); the lowered name when unknown
    args: tuple[str, ...]  # the words after the name, quotes and escapes decoded
    span: Span
    name_span: Span
    arg_spans: tuple[Span, ...]
    problem: LineProblem | None = None
    alias_used: bool = False  # written with an alias ("slaveof", "hash-max-ziplist-value")
    ignored: bool = False  # accepted and ignored (deprecated names, a bare `sentinel`)
    value: str | None = None  # this line's own value in CONFIG GET form, when valid
    # setting, include, rename-command, user, loadmodule, module-config, sentinel, ignored, invalid
    role: str = "setting"

    @property
    def fatal(self) -> bool:
        """True when Redis refuses to start because of this line."""
        return self.problem is not None and self.problem.fatal


class Outcome(NamedTuple):
    """What the loader makes of one tokenised line (before positions are attached)."""

    key: str
    role: str
    value: str | None = None
    problem: LineProblem | None = None
    alias_used: bool = False
    ignored: bool = False


def _unknown(name: str, table: DirectiveTable, version: RedisVersion) -> Outcome:
    others = table.exists_in_other_version(name)
    if version.queues_unknown_names:
        reason = MODULE_ABORT  # 8.0+: queued as a module config, fatal once modules load
    else:
        reason = BAD_DIRECTIVE
    if others:
        detail = f"'{name}' is not available in {version.label}; it exists in {', '.join(others)}"
        return Outcome(name, "invalid", problem=LineProblem("not-in-version", reason, detail))
    hint = table.suggest(name)
    detail = f"did you mean '{hint}'?" if hint else ""
    return Outcome(name, "invalid", problem=LineProblem("unknown-directive", reason, detail))


def _bad(key: str, reason: str, alias: bool = False) -> Outcome:
    count = reason in _COUNT_REASONS or reason == BAD_DIRECTIVE
    kind = "wrong-arg-count" if count else "invalid-value"
    return Outcome(key, "invalid", problem=LineProblem(kind, reason), alias_used=alias)


def analyse_tokens(tokens: list[Token], table: DirectiveTable, version: RedisVersion,
                   sentinel_mode: bool = False) -> Outcome:
    """Apply loadServerConfigFromString's branches to one line's tokens."""
    name = ascii_lower(tokens[0].text)
    args = [t.text for t in tokens[1:]]
    argc = len(tokens)
    info = table.lookup(name)
    if info is not None and info.is_setting:
        key = info.primary
        alias = bool(info.alias_of)
        legacy = LEGACY_ARGC.get(key) if version.legacy_parser else None
        if legacy is not None:
            lo, hi = legacy
            if len(args) < lo or (hi is not None and len(args) > hi):
                return _bad(key, BAD_DIRECTIVE, alias)
        elif not info.multi_arg and argc != 2:
            return _bad(key, WRONG_ARGS, alias)
        elif info.multi_arg and argc == 2 and args[0] and not version.legacy_parser:
            # 7.0+: one non-empty word is split again, so save "900 1 300 10" works.
            inner = try_split(args[0])
            args = [t.text for t in inner] if inner is not None else []
        try:
            norm = normalize(info, args, version)
        except ConfigValueError as err:
            return _bad(key, err.reason, alias)
        problem = None
        if norm.quirk == "save-ignored":
            problem = LineProblem("save-ignored", "", "Redis 6.2 reads only `save <seconds> "
                                  "<changes>` or `save \"\"`: this line sets nothing, yet as the "
                                  "first save line it still clears the default save points",
                                  fatal=False)
        elif norm.quirk == "save-truncated":
            problem = LineProblem("save-truncated", "", f"Redis 6.2 reads this as save "
                                  f"{norm.value} (atoi stops at the first non-digit)", fatal=False)
        return Outcome(key, "setting", norm.value, problem, alias)
    if info is not None and info.deprecated:
        if argc == 2:
            return Outcome(name, "ignored", problem=None, ignored=True)
        return _bad(name, BAD_DIRECTIVE)
    if name == "include":
        return Outcome(name, "include", args[0]) if argc == 2 else _bad(name, BAD_DIRECTIVE)
    if name == "rename-command":
        return Outcome(name, "rename-command") if argc == 3 else _bad(name, BAD_DIRECTIVE)
    if name == "user":
        if argc < 2:
            return _bad(name, BAD_DIRECTIVE)
        from .acl import check_user  # noqa: PLC0415 - ACL rules are rare: their module loads only for a `user` line

        error = check_user(["user"] + args, pubsub_all=version.legacy_parser)
        return Outcome(name, "user") if error is None else _bad(name, error)
    if name == "loadmodule":
        return Outcome(name, "loadmodule") if argc >= 2 else _bad(name, BAD_DIRECTIVE)
    if "." in name and version.module_dotted_names:
        if argc < 2:
            return _bad(name, "Module config specified without value")
        return Outcome(name, "module-config", " ".join(args))
    if name == "sentinel":
        if argc == 1:
            return Outcome(name, "sentinel", ignored=True)
        if not sentinel_mode:
            return Outcome(name, "invalid", problem=LineProblem(
                "sentinel-only", "sentinel directive while not in sentinel mode",
                "sentinel lines belong in sentinel.conf (redis-sentinel / --sentinel)"))
        return Outcome(name, "sentinel")
    return _unknown(name, table, version)


def _needs_repair(outcome: Outcome) -> bool:
    p = outcome.problem
    return p is not None and (p.fatal or p.kind == "save-ignored")


def _try(text: str, table: DirectiveTable, version: RedisVersion, sentinel: bool) -> bool:
    tokens = try_split(text)
    if not tokens:
        return False
    return not _needs_repair(analyse_tokens(tokens, table, version, sentinel))


def _repair_kind(line: str, tokens: list[Token] | None, table: DirectiveTable,
                 version: RedisVersion, sentinel: bool) -> tuple[str, str] | None:
    """Name the real cause when a simple edit would make the line valid (BOM, NBSP, # ...)."""
    if tokens and tokens[0].text.startswith("\ufeff"):
        return "bom", "the line starts with a UTF-8 byte order mark, which Redis reads as " \
                      "part of the directive name"
    if any(c in LOOKALIKE_SPACES for c in line):
        fixed = "".join(" " if c in LOOKALIKE_SPACES else c for c in line)
        if _try(fixed.strip(LINE_TRIM), table, version, sentinel):
            bad = sorted({f"U+{ord(c):04X}" for c in line if c in LOOKALIKE_SPACES})
            return "non-breaking-space", f"{', '.join(bad)} is not a separator for Redis: " \
                                         "the words around it form one argument"
    if _comment_start(line, table, version, sentinel) is not None:
        return "trailing-comment", "'#' only starts a comment at the beginning of a " \
                                   "line; here it and the words after it are arguments"
    return None


def _comment_start(line: str, table: DirectiveTable, version: RedisVersion, sentinel: bool) -> int | None:
    """Offset of the first `#` after a blank such that the words before it make a line Redis accepts."""
    # The first word alone says whether this is an ACL line: the comment may hold an unbalanced quote
    # (`# it's the admin`) that leaves the whole line without tokens.
    first = line.split(None, 1)[0] if line.strip() else ""
    is_user = ascii_lower(first.strip("\"'")) == "user"
    for pos, ch in enumerate(line):
        if ch == "#" and pos > 0 and line[pos - 1] in " \t":
            if is_user and _HASH_RULE.match(line, pos):
                continue  # `#<sha256>` is an ACL password-hash rule, not a comment
            if _try(line[:pos].rstrip(" \t"), table, version, sentinel):
                return pos
    return None


def trailing_comment_start(line: str, version: RedisVersion, sentinel_mode: bool = False) -> int | None:
    """Where the trailing comment of a trimmed config line starts (the offset of its `#`), or None.

    The same cut that makes the line a `trailing-comment` problem: `redislint fix` moves exactly
    this part, so the line it leaves is the one Redis was found to accept.
    """
    return _comment_start(line, DirectiveTable.for_version(version), version, sentinel_mode)


def analyse_line(line: str, table: DirectiveTable, version: RedisVersion,
                 sentinel_mode: bool = False) -> tuple[list[Token] | None, Outcome | None]:
    """Tokenise and check one trimmed line. (None, None) when Redis skips it (no words)."""
    try:
        tokens: list[Token] | None = split_args(line)
    except UnbalancedQuotes:
        tokens = None
    if tokens == []:
        return [], None
    if tokens is None:
        first = line.split(None, 1)[0] if line.split() else ""
        outcome = Outcome(ascii_lower(first), "invalid",
                          problem=LineProblem("unbalanced-quotes", UNBALANCED))
    else:
        outcome = analyse_tokens(tokens, table, version, sentinel_mode)
    if _needs_repair(outcome):
        repair = _repair_kind(line, tokens, table, version, sentinel_mode)
        if repair is not None:
            p = outcome.problem
            assert p is not None
            kind, detail = repair
            if p.kind == "save-ignored":
                detail += "; Redis 6.2 then ignores the save line and still clears the defaults"
            outcome = Outcome(outcome.key, outcome.role, outcome.value,
                              LineProblem(kind, p.reason, detail, p.fatal), outcome.alias_used)
        elif "\r" in line and outcome.problem is not None and outcome.problem.kind in _CR_KINDS \
                and not outcome.problem.detail:
            # A carriage return inside the trimmed line: the text breaks lines with a lone CR.
            # (Not for kinds whose detail is data: RL010's suggestion, RL016's versions.)
            p = outcome.problem
            outcome = Outcome(outcome.key, outcome.role, outcome.value,
                              LineProblem(p.kind, p.reason, CR_DETAIL, p.fatal), outcome.alias_used)
    return tokens, outcome
