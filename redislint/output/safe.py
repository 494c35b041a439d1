"""Text from repository files made safe to print: no terminal escapes, no GitHub workflow commands.

Everything redislint prints comes partly from files someone else wrote (paths, keys, values, source
lines), so every output goes through this one module:

- `clean` / `clean_name`: each character a terminal or a browser would act on instead of showing is
  replaced by U+FFFD, one character for one (columns in snippets stay aligned): C0 controls but tab
  and line feed (ESC, BEL, CR, backspace), DEL, C1 controls (U+0080–U+009F, where U+009B is a CSI and
  U+009D an OSC in 8-bit terminals), the bidirectional marks, embeddings, overrides and isolates
  (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069: "Trojan Source"), the line and paragraph
  separators (U+2028, U+2029) and lone surrogates (undecodable bytes in file names). `clean_name`
  also replaces tab and line feed: a path, a target name or a title stays on its line.
- `defuse` / `defuse_line`: a line that the GitHub Actions runner would execute as a workflow
  command is changed so that it no longer is. The runner reads every line of a step's stdout and
  stderr; it runs `::name ...::data` when the line starts with `::` after leading white space
  (`ActionCommand.TryParseV2` trims it), and the legacy `##[name ...]data` found *anywhere* in a line
  (`ActionCommand.TryParse`, actions/runner#4692). So a leading `::` gets a backslash in front
  (`\\::error ...`) and every `##[` becomes `##\\[`. Only the `github` format writes commands of its
  own, and only through `github.command`, whose fields are escaped (and `##[` defused) instead.
- `for_terminal`: both, for a block of text that is printed as it is (error messages, `effective`).
- `dumps` / `json_text`: JSON keeps the true text, but each of those characters, and the `[` of a
  `##[`, is written as a `\\uXXXX` escape, so printing the document to a terminal or a CI log is safe
  and every JSON reader still gets the original string back.
"""

from __future__ import annotations

import json
import re
from typing import Any

REPLACEMENT = "\ufffd"

# Characters never printed raw (see the module docstring); tab and line feed are handled by the caller.
_UNSAFE = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 but tab and line feed, DEL, C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings, overrides, isolates
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff"  # lone surrogates (file names with undecodable bytes)
)
_UNSAFE_RE = re.compile(f"[{_UNSAFE}]")
_UNSAFE_NAME_RE = re.compile(f"[\t\n{_UNSAFE}]")
# A workflow command at the start of a line (after any white space, as .NET's TrimStart removes it:
# Python's `\s` is a superset of .NET's white space), or a legacy one anywhere.
_COMMAND_RE = re.compile(r"^([^\S\n]*)(?=::)|##(?=\[)", re.MULTILINE)


def clean(text: str) -> str:
    """`text` with every unsafe character replaced by U+FFFD (tab and line feed kept; CRLF becomes LF)."""
    if text.isascii() and text.isprintable():  # the common case: nothing to replace, no scan
        return text
    return _UNSAFE_RE.sub(REPLACEMENT, text.replace("\r\n", "\n"))


def clean_name(text: str) -> str:
    """A path, name or title on one line: unsafe characters, tab and line feed replaced by U+FFFD."""
    if text.isascii() and text.isprintable():
        return text
    return _UNSAFE_NAME_RE.sub(REPLACEMENT, text)


def defuse(text: str) -> str:
    """`text` (one line or many) with no line the GitHub runner would take for a workflow command."""
    if "::" not in text and "##[" not in text:
        return text
    return _COMMAND_RE.sub(_defused, text)


defuse_line = defuse  # one line is text without line breaks; the name says what the caller holds


def defuse_legacy(text: str) -> str:
    """Only `##[` defused: for the message of a command of our own, which the runner has already parsed
    (a `::` there is data, but the invariant "no output line holds `##[`" keeps holding)."""
    return text.replace("##[", "##\\[") if "##[" in text else text


def _defused(m: re.Match[str]) -> str:
    return m.group(1) + "\\" if m.group(1) is not None else "##\\"


def for_terminal(text: str) -> str:
    """Text printed as it is: unsafe characters replaced, workflow commands defused."""
    return defuse(clean(text))


def json_text(document: str) -> str:
    """A serialised JSON document with every unsafe character, and the `[` of `##[`, `\\u`-escaped.

    Sound on any `json.dumps` output: outside strings JSON has only ASCII punctuation, digits and
    literals, and a `##` can only be inside a string, so each match is inside one and its escape
    decodes to the same character.
    """
    if not (document.isascii() and "\x7f" not in document) and _UNSAFE_RE.search(document):
        document = _UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
    return document.replace("##[", "##\\u005b") if "##[" in document else document


def dumps(value: Any, **kwargs: Any) -> str:
    """`json.dumps(value, **kwargs)` made safe to print with `json_text`."""
    return json_text(json.dumps(value, **kwargs))
