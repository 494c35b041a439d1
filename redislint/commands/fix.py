"""`redislint fix`: apply the mechanical fixes (RL015 folded blocks, RL013 trailing comments, RL017 old
aliases) in place, safely.

Folded blocks are unfolded first, then comments moved, then aliases renamed, each in the text that
results (a line with a trailing comment only shows its alias once Redis can read it). A file is rewritten only when its fixed text,
checked again, brings no new validity finding (it still parses, Redis still accepts every line),
and only through `filewrite` (atomic, never outside the repository). Everything left alone is said
on standard error, with the reason.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from redislint.errors import UserError

if TYPE_CHECKING:
    from redislint.engine import CheckOptions
    from redislint.fixer import FileFix, KnownVersion
    from redislint.inputs import ReadInputs
    from redislint.model import Finding, Report

# The order of the fix rounds: unfold (RL015), move comments (RL013), rename (RL017).
STAGES = ("RL015", "RL013", "RL017")
# Findings about a line that only takes effect once it is fixed (its alias, a directive it now
# overrides) are news about the user's config, not damage done by the fix.
UNMASKED = frozenset({"RL017", "RL018"})


def show_diff(fix: FileFix) -> None:
    """Print one file's diff (`--diff`): secrets masked and every line safe to print (output/diff.py)."""
    import os

    from redislint.output.diff import render_diff
    from redislint.output.paths import PathMapper

    sys.stdout.write(render_diff(PathMapper(os.getcwd()).display(fix.path), fix.old, fix.new))


def _say(message: str) -> None:
    """One line on standard error, safe to print (file names and messages come from the repository):
    secrets masked, unsafe characters replaced, no workflow command."""
    from redislint.output.safe import clean_name, defuse
    from redislint.secrets import redact_text

    sys.stderr.write(defuse(clean_name(redact_text(message))) + "\n")


def fix_rules(options: CheckOptions) -> tuple[str, ...]:
    """The fixable rules left by --select/--ignore (command line or config file)."""
    from redislint.engine import selected_rules
    from redislint.fixer import FIXABLE

    return tuple(r.code for r in selected_rules(options) if r.code in FIXABLE)


def _substitute(read: ReadInputs, texts: dict[str, str]) -> ReadInputs:
    """The same inputs with some files' texts replaced (the fixed texts, checked again)."""
    from redislint.inputs import ReadInputs, SourceFile

    out = ReadInputs([SourceFile(f.path, texts.get(f.path, f.text), f.conf) for f in read.files])
    out.notifications = read.notifications
    out.texts = {path: texts.get(path, text) for path, text in read.texts.items()}
    out.files_read = read.files_read
    return out


def _fix_round(read: ReadInputs, options: CheckOptions, rules: tuple[str, ...],
               known: KnownVersion) -> tuple[Report, dict[str, FileFix]]:
    """Check the inputs and plan the fixes of `rules` for every file that has some."""
    from redislint.engine import check_read
    from redislint.fixer import LineIndex, fix_text

    report, targets = check_read(read, options)
    conf = {f.path for f in read.files if f.conf}
    to_fix = [f for f in report.findings if f.rule in rules]
    lines = LineIndex.of(targets)
    fixes = {path: fix_text(path, report.texts[path], to_fix, lines, known, conf=path in conf)
             for path in sorted({f.span.path for f in to_fix}) if path in report.texts}
    return report, fixes


def _key(f: Finding) -> tuple[str, str, str, str]:
    return (f.rule, f.span.path, f.target, f.subject)


def verify(read: ReadInputs, options: CheckOptions, before: Report, fixes: dict[str, FileFix]) -> dict[str, str]:
    """Check the fixed texts again; the files whose fix would bring a new finding, with the rules it would bring.

    A fix may only take validity findings away: a new one (the YAML no longer parses, Redis would
    refuse a line, a suppression no longer applies) rejects the file that gained it; one that
    appears in a file nobody changed rejects every change, since no one file can be blamed.
    """
    from redislint.engine import check_read

    old = Counter(_key(f) for f in before.findings)
    changed = {path for path, fx in fixes.items() if fx.new != fx.old}
    rejected: dict[str, str] = {}
    while changed - set(rejected):
        live = changed - set(rejected)
        after, _ = check_read(_substitute(read, {p: fixes[p].new for p in live}), options)
        new = Counter(_key(f) for f in after.findings if f.rule not in UNMASKED) - old
        if not new:
            break
        for (rule, path, _t, _s) in new:
            for blamed in ([path] if path in live else sorted(live)):
                codes = set(filter(None, rejected.get(blamed, "").split(", "))) | {rule}
                rejected[blamed] = ", ".join(sorted(codes))
    return rejected


def plan(read: ReadInputs, options: CheckOptions, rules: tuple[str, ...],
         known: KnownVersion) -> tuple[Report, dict[str, FileFix], dict[str, str]]:
    """The checked inputs, every file's fix (folded blocks unfolded, then comments moved, then aliases
    renamed, each round on the text the one before left) and the rejected ones.

    Unfolding comes first: the lines YAML joined show their trailing comments and aliases only once
    they are lines again.
    """
    rounds = [tuple(r for r in rules if r == code) for code in STAGES]
    report, fixes = _fix_round(read, options, rounds[0], known)
    for stage in rounds[1:]:
        if not stage:
            continue
        _, later = _fix_round(_substitute(read, {p: fx.new for p, fx in fixes.items()}), options, stage, known)
        for path, fx in later.items():
            fixes[path] = fixes[path].then(fx) if path in fixes else fx
    return report, fixes, verify(read, options, report, fixes)


def run_fix(paths: list[str], *, diff: bool, **cli: Any) -> int:
    """Rewrite files (or print a diff); with --diff, exit 1 when something would change; 2 on any I/O error."""
    from redislint.commands.settings import (
        assumed_versions,
        check_governed,
        check_options,
        config_used,
    )
    from redislint.config import resolve_settings
    from redislint.filewrite import WriteRefused, repository_root, write_destination
    from redislint.fixer import known_version
    from redislint.inputs import read_inputs
    from redislint.profiles import ProfileError

    resolved = resolve_settings(cli, paths)
    try:
        options = check_options(resolved, cli)
    except ProfileError as exc:
        raise UserError(str(exc)) from exc
    rules = fix_rules(options)
    # The validity rules all run, whatever --select says: the fixed text is compared against them.
    analysis = replace(options, select=("RL0",), ignore=())
    read = read_inputs(paths, options.max_bytes, options.exclude)
    # YAML breaks lines at a lone CR as at LF, but positions count LF only: a CR-only YAML file is
    # analysed and fixed with LF and written back with CR (a CR-only redis.conf is one line to Redis,
    # and stays as it is: see fixer.fix_text).
    cr_only = {f.path for f in read.files if not f.conf and "\r" in f.text and "\n" not in f.text}
    read = _substitute(read, {path: read.texts[path].replace("\r", "\n") for path in cr_only})
    report, fixes, rejected = plan(read, analysis, rules, known_version(resolved.redis_version.value is not None))
    check_governed(list(report.texts), resolved, explicit=bool(cli.get("config")))
    errors = 0
    for note in [*report.notifications, *config_used(resolved), *assumed_versions(resolved)]:
        where = f"{note.path}:{note.line}" if note.line else note.path
        _say(f"{where}: {note.level}: {note.message}")
        errors += note.level == "error"
    conf_paths = {f.path for f in read.files if f.conf}
    root = repository_root()
    total = changed = left = 0
    for path, fx in fixes.items():
        if path.startswith("<") or path == "-":
            _say(f"{path}: not fixed: standard input cannot be rewritten (use --diff, or name the file)")
            left += fx.fixed + len(fx.skipped)
            continue
        if path in cr_only:
            fx = fx._replace(old=fx.old.replace("\n", "\r"), new=fx.new.replace("\n", "\r"))
        for skip in fx.skipped:
            where = f"{path}:{skip.line}" if skip.line else path
            _say(f"{where}: not fixed{f' ({skip.rule})' if skip.rule else ''}: {skip.reason}")
            left += 1
        if fx.new == fx.old:
            continue
        reason = ""
        if path in rejected and any(f.rule == "RL015" and f.span.path == path for f in report.findings):
            # Not a bug: YAML had joined the lines, so a line Redis refuses was hidden in the fold.
            reason = (f"as separate lines the folded block still holds a line Redis refuses ({rejected[path]}); "
                      "it was left as it was: write the block with `|` and correct that line")
        elif path in rejected:
            reason = (f"the fixed file would bring new findings ({rejected[path]}), so it was left as it was; "
                      f"please report this as a redislint bug")
        else:
            try:
                real = write_destination(path, root)
            except WriteRefused as exc:
                reason = str(exc)
        if reason:
            _say(f"{path}: not written: {reason}")
            left += fx.fixed
            continue
        if diff:
            show_diff(fx)
        else:
            problem = _write(path, real, fx, path in conf_paths)
            if problem:
                _say(f"redislint: error: {problem}")
                errors += 1
                left += fx.fixed
                continue
        total += fx.fixed
        changed += 1
    verb = "would fix" if diff else "fixed"
    rest = f"; {left} left as they were (see above)" if left else ""
    _say(f"{verb} {total} finding(s) in {changed} file(s){rest}")
    if errors:
        return 2
    return 1 if diff and total else 0


def _write(path: str, real: str, fx: FileFix, conf: bool) -> str:
    """Replace the file with the fixed text, unless it changed since it was read; the problem, or ""."""
    from redislint.filewrite import replace_file
    from redislint.sources.files import SourceText, decode_source

    try:
        with open(real, "rb") as fh:
            now = decode_source(path, fh.read())
        bom = isinstance(now, SourceText) and now.had_bom
        if not isinstance(now, SourceText) or ("\ufeff" if conf and bom else "") + now.text != fx.old:
            return f"{path} changed while redislint was fixing it; it was left as it is now (run fix again)"
        prefix = b"\xef\xbb\xbf" if bom and not fx.new.startswith("\ufeff") else b""
        replace_file(real, prefix + fx.new.encode("utf-8"))
    except OSError as exc:
        return f"cannot write {path}: {exc.strerror or exc}; the file was left as it was"
    return ""
