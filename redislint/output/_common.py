"""What every formatter needs: stable paths, ordered findings with fingerprints, source lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from redislint.model import Finding, Notification, Report
from redislint.output import OutputOptions, fingerprint, safe
from redislint.output.paths import PathMapper
from redislint.secrets import mask_line, redact_text, secret_ranges, shift_column, shown_line_ranges
from redislint.sources.positions import LineIndex

if TYPE_CHECKING:
    from redislint.rules._api import Rule


class Entry(NamedTuple):
    """A finding as formatters see it: display path, fingerprint, and whether it was suppressed."""

    finding: Finding
    path: str  # PathMapper.display
    fingerprint: str
    suppressed: bool = False

    @property
    def order(self) -> tuple:
        f, s = self.finding, self.finding.span
        return (self.path, s.line, s.column, f.rule, f.target, f.role, f.message, s.end_line, s.end_column,
                self.suppressed, self.fingerprint)


def entries(report: Report, options: OutputOptions, mapper: PathMapper, fingerprints: bool = True) -> list[Entry]:
    """Findings to show, sorted (path, line, column, rule, ...); suppressed ones only when asked.

    Fingerprints are computed over active and suppressed findings together, so they do not depend on
    `show_suppressed`. A format that does not show them passes `fingerprints=False` (each is then ""):
    findings that differ only in their fingerprint print the same, so their order cannot show.
    """
    everything = list(report.findings) + list(report.suppressed)
    if fingerprints:
        prints = fingerprint.compute(everything, mapper.display)  # = fingerprint.for_root(everything, root)
    else:
        prints = [""] * len(everything)
    n_active = len(report.findings)
    out = [
        Entry(f, mapper.display(f.span.path), fp, i >= n_active)
        for i, (f, fp) in enumerate(zip(everything, prints, strict=True))
        if i < n_active or options.show_suppressed
    ]
    out.sort(key=lambda e: e.order)
    return out


def ordered_notifications(report: Report, mapper: PathMapper) -> list[Notification]:
    """Notifications sorted by path, position and message.

    Formatters show a notification's path as given, symbolic links not resolved
    (`mapper.display(path, follow_links=False)`): a notification is often about the link itself
    (broken, or a loop), and the resolved path would name a missing file or another directory.
    """
    return sorted(report.notifications,
                  key=lambda n: (mapper.display(n.path, follow_links=False) if n.path else "", n.line, n.column,
                                 n.level, n.message))


def rules_by_code(rules: Sequence[Rule]) -> dict[str, Rule]:
    """The first rule registered under each code."""
    out: dict[str, Rule] = {}
    for rule in rules:
        out.setdefault(rule.code, rule)
    return out


class SourceLines:
    """Lines of the files in `report.texts`, as shown to users (secrets masked), and column units."""

    def __init__(self, texts: dict[str, str]) -> None:
        self._texts = texts
        self._lines: dict[str, LineIndex | None] = {}
        self._secrets: dict[str, dict[int, list[tuple[int, int]]]] = {}

    def raw(self, path: str, line: int) -> str | None:
        """Line `line` (1-based) without its line ending, or None when unknown."""
        lines = self._index(path)
        if lines is None or not 1 <= line <= lines.count:
            return None
        return lines.line(line - 1).rstrip("\r")

    def shown(self, path: str, line: int) -> tuple[str, list[tuple[int, int]]] | None:
        """The line with secrets masked, and the masked ranges of the original (for `shift_column`)."""
        raw = self.raw(path, line)
        if raw is None:
            return None
        if path not in self._secrets:
            self._secrets[path] = secret_ranges(self._texts[path])
        # The whole text's ranges (block scalars, env entries, Secrets), and what the line itself shows
        # read as a config line or a misspelt secret key.
        ranges = shown_line_ranges(raw, self._secrets[path].get(line - 1, []))
        return (mask_line(raw, ranges) if ranges else raw), ranges

    def utf16_column(self, path: str, line: int, column: int) -> int:
        """Convert a 1-based code-point column to a 1-based UTF-16 code-unit column.

        Without the text (or past the end of the line) code points are counted as one unit each, which
        is exact for everything in the Basic Multilingual Plane.
        """
        raw = self.raw(path, line)
        if raw is None or column <= 1:
            return max(column, 1)
        prefix = raw[:column - 1]
        units = len(prefix.encode("utf-16-le", "surrogatepass")) // 2
        return units + (column - 1 - len(prefix)) + 1

    def _index(self, path: str) -> LineIndex | None:
        # An index, not a list of lines: a snippet of a 10 MB file needs its line, not millions of strings.
        if path not in self._lines:
            text = self._texts.get(path)
            self._lines[path] = None if text is None else LineIndex(text)
        return self._lines[path]


def shown_columns(column: int, end_column: int, ranges: list[tuple[int, int]]) -> tuple[int, int]:
    """A span's columns moved onto the masked line."""
    if not ranges:
        return column, end_column
    return shift_column(column, ranges), shift_column(end_column, ranges)


def masked(text: str) -> str:
    """The true text with secrets masked: for JSON fields, which `safe.dumps` escapes where needed."""
    return redact_text(text)


def clean(text: str) -> str:
    """Text safe to show: secrets masked, characters a terminal or GitHub would act on replaced.

    Line breaks are kept; a caller that prints the text as lines passes each through `safe.defuse`.
    """
    return safe.clean(redact_text(text))


def clean_name(text: str) -> str:
    """A path, target or rule name safe to show on one line."""
    return safe.clean_name(text)


def sentence(text: str) -> str:
    """`text` stripped and ending with a full stop (SARIF messages are sentences)."""
    text = text.strip()
    if text and text[-1] not in ".!?":
        text += "."
    return text


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 file`, `2 files`."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def summary_line(report: Report) -> str:
    """One sentence with files read, Redis targets, findings by severity, suppressed and profiles.

    "0 Redis targets found" is spelled out: a run that found nothing to check is not a clean run.
    """
    counts = report.counts()
    targets = (f"{plural(report.targets_checked, 'Redis target')} checked" if report.targets_checked
               else "0 Redis targets found")
    parts = [
        plural(report.files_read, "file") + " read",
        targets,
        plural(counts["error"], "error"),
        plural(counts["warning"], "warning"),
        plural(counts["note"], "note"),
    ]
    if report.suppressed:
        parts.append(f"{len(report.suppressed)} suppressed")
    unreadable = len({n.path for n in report.notifications if n.level == "error"})
    if unreadable:
        parts.append(f"{plural(unreadable, 'file')} not analysed")
    if report.skipped:
        why = ", ".join(f"{n} {reason}" for reason, n in sorted(report.skipped.items(), key=lambda kv: (-kv[1], kv[0])))
        parts.append(f"{plural(sum(report.skipped.values()), 'file')} skipped ({why})")
    profiles = sorted(set(report.profiles))
    profile = ("profile " + profiles[0] if len(profiles) == 1
               else "profiles " + ", ".join(profiles) if profiles else "no profile")
    return ", ".join(parts) + f" ({profile})."
