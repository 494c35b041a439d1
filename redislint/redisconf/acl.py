"""The checks Redis 7.0 runs on a `user` config line (ACLAppendUserForLoading, src/acl.c).

Command and category names need the server's command table, which a static linter does not
have; Redis ignores unknown ones while loading (errno ENOENT), so skipping them is exact for
unknown names. The rare errors that depend on a *known* command (`+config|` with an empty
subcommand, first-args of subcommands) are not reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cnum import ascii_lower
from .tokenizer import C_SPACE, try_split

# ACLSetUserStringError texts, keyed by the errno the C code sets.
MESSAGES = {
    "EINVAL": "Syntax error",
    "EEXIST": "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and "
              "does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
    "EISDIR": "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and "
              "does not have any effect. Try 'resetchannels' to start with an empty list of "
              "channels",
    "ENODEV": "The password you are trying to remove from the user does not exist",
    "EBADMSG": "The password hash must be exactly 64 characters and contain only lowercase "
               "hexadecimal characters",
    "EALREADY": "Duplicate user found. A user can only be defined once in config files",
    "ENOENT": "Unknown command or category name in ACL",
}
# ACLCommandCategories (identical from 6.2 to 7.4 and in Valkey).
CATEGORIES = frozenset({
    "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap",
    "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous",
    "connection", "transaction", "scripting"})
_HEX = frozenset("0123456789abcdef")


class _Err(Exception):
    def __init__(self, errno: str) -> None:
        self.errno = errno


@dataclass(slots=True)
class _Selector:
    allkeys: bool = False
    allchannels: bool = False


@dataclass(slots=True)
class _User:
    passwords: set[str] = field(default_factory=set)
    root: _Selector = field(default_factory=_Selector)


def _password_hash(password: str) -> str:
    """The SHA-256 hex digest Redis keeps for a `>password` (hashlib is imported only when needed)."""
    import hashlib  # noqa: PLC0415 - hashlib only for a user line with a password

    return hashlib.sha256(password.encode("utf-8", "surrogateescape")).hexdigest()


def _valid_hash(text: str) -> bool:
    return len(text) == 64 and all(c in _HEX for c in text)


def _set_selector(sel: _Selector, op: str) -> None:
    low = ascii_lower(op)
    if low in ("allkeys", "~*"):
        sel.allkeys = True
    elif low == "resetkeys":
        sel.allkeys = False
    elif low in ("allchannels", "&*"):
        sel.allchannels = True
    elif low == "resetchannels":
        sel.allchannels = False
    elif low in ("allcommands", "+@all", "nocommands", "-@all"):
        pass
    elif op[0] in "~%":
        if sel.allkeys:
            raise _Err("EEXIST")
        offset = 1
        if op[0] == "%":
            seen = ""
            while offset < len(op):
                c = op[offset].upper()
                if c in "RW" and c not in seen:
                    seen += c
                elif op[offset] == "~":
                    offset += 1
                    break
                else:
                    raise _Err("EINVAL")
                offset += 1
        if any(c in C_SPACE or c == "\0" for c in op[offset:]):
            raise _Err("EINVAL")
    elif op[0] == "&":
        if sel.allchannels:
            raise _Err("EISDIR")
        if any(c in C_SPACE or c == "\0" for c in op[1:]):
            raise _Err("EINVAL")
    elif op[0] in "+-":
        raise _Err("ENOENT")  # command or category: unknown to us, ignored by Redis if unknown
    else:
        raise _Err("EINVAL")


def _set_user(user: _User, op: str, pubsub_all: bool) -> None:
    if not op:
        return
    low = ascii_lower(op)
    if low in ("on", "off", "skip-sanitize-payload", "sanitize-payload", "clearselectors"):
        return
    if low in ("nopass", "resetpass"):
        user.passwords.clear()
    elif op[0] in ">#":
        if op[0] == "#" and not _valid_hash(op[1:]):
            raise _Err("EBADMSG")
        user.passwords.add(_password_hash(op[1:])
                           if op[0] == ">" else op[1:])
    elif op[0] in "<!":
        if op[0] == "!" and not _valid_hash(op[1:]):
            raise _Err("EBADMSG")
        key = (_password_hash(op[1:])
               if op[0] == "<" else op[1:])
        if key not in user.passwords:
            raise _Err("ENODEV")
        user.passwords.discard(key)
    elif op[0] == "(" and op[-1] == ")":
        sel = _Selector(allchannels=pubsub_all)
        for tok in try_split(op[1:-1]) or []:
            _set_selector(sel, tok.text)
    elif low == "reset":
        user.passwords.clear()
        user.root = _Selector(allchannels=pubsub_all)
    else:
        _set_selector(user.root, op)


def _merge_selectors(rules: list[str]) -> tuple[list[str], int | None]:
    """ACLMergeSelectorArguments: join "(a", "b)" into "(a b)"; index of an unclosed "("."""
    merged: list[str] = []
    current: str | None = None
    opened = -1
    for j, op in enumerate(rules):
        if op[:1] == "(" and op[-1:] != ")":
            current, opened = op, j
            continue
        if current is not None:
            current += " " + op
            if op[-1:] == ")":
                merged.append(current)
                current = None
            continue
        merged.append(op)
    return merged, (opened if current is not None else None)


def check_user(argv: list[str], pubsub_all: bool = False) -> str | None:
    """Redis's error for a `user NAME rules...` line, or None when it loads.

    `argv` is the whole line as tokens ("user" first). The message quotes `argv[j]` where j
    counts *rules*, an off-by-two in Redis we keep so the text matches the server's.
    """
    merged, unclosed = _merge_selectors(argv[2:])
    if unclosed is not None:
        # Redis reports a stale errno here; on a normal start-up it is ENOENT.
        return f"Error in user declaration '{argv[unclosed]}': {MESSAGES['ENOENT']}"
    user = _User(root=_Selector(allchannels=pubsub_all))
    for j, op in enumerate(merged):
        try:
            _set_user(user, op, pubsub_all)
        except _Err as err:
            if err.errno != "ENOENT":
                return f"Error in user declaration '{argv[j]}': {MESSAGES[err.errno]}"
    return None


def duplicate_user_message(argv: list[str]) -> str:
    """The error for a second `user` line with the same name (argv index 1 is quoted)."""
    return f"Error in user declaration '{argv[1]}': {MESSAGES['EALREADY']}"


def _unknown_category(op: str) -> bool:
    return op[:2] in ("+@", "-@") and ascii_lower(op[2:]) not in CATEGORIES | {"all"}


def startup_error(argv: list[str], check_categories: bool = True) -> str | None:
    """The fatal log line when Redis loads this user at start-up (after the config is read).

    Only what is knowable without the command table: a user name with blanks, and unknown
    `+@category` / `-@category` names (Redis 8 modules add categories, so callers may skip it).
    """
    name = argv[1]
    if any(c in C_SPACE or c == "\0" for c in name):
        return "Spaces not allowed in ACL usernames"
    if not check_categories:
        return None
    merged, _ = _merge_selectors(argv[2:])
    for rule in merged:
        inner = [t.text for t in try_split(rule[1:-1]) or []] if rule[:1] == "(" else [rule]
        if any(_unknown_category(op) for op in inner):
            return (f"Error loading ACL rule '{rule}' for the user named '{name}': "
                    f"{MESSAGES['ENOENT']}")
    return None
