"""Where `check` writes its report: one analysis, any number of formats, one of them on stdout.

`--output` takes, like Checkov's `-o`:

- `FORMAT=FILE`: that format written to FILE (`FORMAT=-` is standard output);
- `FORMAT`: that format on standard output;
- anything else, `FILE`: the `--format` format written to FILE (redislint's first meaning of
  `--output`, kept: `--format gitlab --output gl-code-quality-report.json` works as before). A file
  whose name is a format name is written as `./json` or `json=json`.

Standard output carries `--format` (default `text`) unless an `--output` names what goes there,
or a bare `--output FILE` took it (then standard output stays empty, as before). Two outputs on
standard output, or two to one file, are a usage error. Every output is rendered from the same
report, so N outputs equal N separate runs byte for byte.

Colour (text on a terminal only): `--color`/`--no-color`, else `NO_COLOR` (set and not empty:
never), else `FORCE_COLOR` (set and not empty: always, also in a pipe or a CI log), else only on a
terminal (https://no-color.org, https://force-color.org). The text output wraps to the terminal's
width (`COLUMNS`, else the terminal's size) only when standard output is a terminal.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import stat
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from redislint.errors import UserError, write_error

if TYPE_CHECKING:
    from redislint.output import Formatter

# Below this many findings one process renders a text report faster than a second process starts
# (bench/RESULTS.md, "Costs cited in the code"); above it, runs of files render in worker processes.
PARALLEL_MIN_FINDINGS = 2000


class Destination(NamedTuple):
    """One output: a format and a file (None: standard output)."""

    fmt: str
    path: str | None


def plan(fmt: str | None, outputs: Sequence[str], formats: Sequence[str]) -> list[Destination]:
    """The outputs asked for by `--format` and every `--output`, standard output's first."""
    planned: list[Destination] = []
    legacy = False
    for value in outputs:
        name, eq, path = value.partition("=")
        if eq and name in formats:
            if not path:
                raise UserError(f"--output {value}: give a file after '=' (or '-' for standard output)")
            planned.append(Destination(name, None if path == "-" else path))
        elif value in formats:
            planned.append(Destination(value, None))
        elif value == "-":
            planned.append(Destination(fmt or "text", None))
        else:
            planned.append(Destination(fmt or "text", value))
            legacy = True
    to_stdout = [d for d in planned if d.path is None]
    if len(to_stdout) > 1:
        raise UserError("--output: " + " and ".join(d.fmt for d in to_stdout) + " both go to standard output; "
                        "write one of them to a file (FORMAT=FILE)")
    if to_stdout and fmt is not None and to_stdout[0].fmt != fmt:
        raise UserError(f"--format {fmt} and --output {to_stdout[0].fmt} both go to standard output; "
                        f"write one of them to a file (--output {fmt}=FILE)")
    if not to_stdout and not legacy:
        planned.append(Destination(fmt or "text", None))
    files = [os.path.abspath(d.path) for d in planned if d.path is not None]
    if len(files) != len(set(files)):
        raise UserError("--output: two outputs are written to the same file")
    planned.sort(key=lambda d: d.path is not None)
    return planned


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return bool(environ.get(name, ""))


def use_color(flag: bool | None, terminal: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """`--color`/`--no-color`, else NO_COLOR, else FORCE_COLOR, else whether stdout is a terminal."""
    if flag is not None:
        return flag
    if _flag(environ, "NO_COLOR"):
        return False
    if _flag(environ, "FORCE_COLOR"):
        return True
    return terminal


def is_terminal(stream: TextIO | None) -> bool:
    """Is `stream` an interactive terminal?"""
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):
        return False


def terminal_width(stream: TextIO | None, fallback: int = 0) -> int:
    """Columns of the terminal `stream` writes to (`COLUMNS` wins), or `fallback` when it is no terminal."""
    if not is_terminal(stream):
        return fallback
    return max(shutil.get_terminal_size((fallback or 80, 24)).columns, 20)


def write(text: str, path: str | None) -> None:
    """Write one rendered output to its file or to standard output: every byte, or an error (exit 2)."""
    write_output(text, path)


def write_output(text: str, output: str | None) -> None:
    """Write the report to --output or stdout, every byte or an error (exit 2).

    A full disk (ENOSPC), a quota or a file size limit (`ulimit -f`, EFBIG) first shows as a short
    write that Python's buffered streams let pass: the report was cut and the run still exited 0
    or 1. So the bytes go to the descriptor directly, and every short write is followed up until
    the system says why it stopped. An --output file left incomplete is removed.
    """
    if output:
        data = text.encode("utf-8")
        try:
            fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        except OSError as exc:
            raise write_error(exc, output) from exc
        try:
            _write_all(fd, data)
        except OSError as exc:
            where = output
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.fstat(fd).st_mode):  # never a cut report that looks whole to the next step
                    os.unlink(output)
                    where = f"{output} (the incomplete file was removed)"
            raise write_error(exc, where) from exc
        finally:
            os.close(fd)
        return
    if sys.stdout is None:  # started with the descriptor closed (`>&-`)
        raise UserError("standard output is closed: nowhere to write the report (use --output FILE)")
    try:
        sys.stdout.flush()
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):  # not a file (a test's capture)
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        _write_all(fd, text.encode(sys.stdout.encoding or "utf-8", sys.stdout.errors or "strict"))
    except BrokenPipeError:
        raise  # `| head` closed the pipe: nothing more is wanted, and the CLI exits quietly
    except OSError as exc:
        raise write_error(exc, "the report to standard output") from exc


def _write_all(fd: int, data: bytes) -> None:
    """`os.write` until every byte is written; the OSError that stops it propagates."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def rendering_runs(jobs: int, findings: int) -> int:
    """Processes to render a text report of `findings` with: several only when that pays; `jobs` as
    `CheckOptions.jobs` (1 = this one, N, 0 = automatic)."""
    from redislint.processes import MAX_WORKERS, available_cpus

    if jobs == 1 or findings < PARALLEL_MIN_FINDINGS:
        return 1
    return min(jobs, MAX_WORKERS) if jobs >= 2 else min(available_cpus(), MAX_WORKERS)


def formatter(fmt: str, jobs: int, findings: int) -> Formatter:
    """The formatter for `fmt`; a large text report is rendered by runs of files in worker processes
    (the formatter itself stays a pure function of the report: `output.text.render_in_runs`)."""
    from redislint.output import FORMATTERS

    runs = rendering_runs(jobs, findings) if fmt == "text" else 1
    if runs == 1:
        return FORMATTERS[fmt]
    from redislint.output import text
    from redislint.processes import map_in_order

    def render(report: Any, rules: Any, options: Any) -> str:
        return text.render_in_runs(report, rules, options, runs, lambda fn, tasks: map_in_order(fn, tasks, runs))

    return render
