"""Command line: parse arguments, call the engine, print, exit. No logic lives here."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from redislint import __version__
from redislint.output import FORMATS  # the output registry (imports no formatter)

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_NO_TARGETS = 0, 1, 2, 3


def _guard(fn: Callable[..., int]) -> Callable[..., None]:
    """Turn user errors into messages and internal errors into a bug report; never a traceback."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        import signal

        from redislint.errors import WRITE_ERRNOS, Stopped, UserError
        from redislint.processes import stop_on_signals

        try:
            with stop_on_signals():
                code = fn(*args, **kwargs)
        except UserError as exc:
            click.echo(_printable(f"redislint: error: {exc}"), err=True)
            code = EXIT_ERROR
        except Stopped as exc:  # SIGTERM, SIGHUP: workers stopped on the way out; 128 + signal, as shells say
            click.echo(f"redislint: stopped by {signal.Signals(exc.signum).name}", err=True)
            code = 128 + exc.signum
        except KeyboardInterrupt:
            code = 128 + signal.SIGINT
        except BrokenPipeError:
            code = EXIT_ERROR
        except click.exceptions.Exit:
            raise
        except click.ClickException:
            raise
        except OSError as exc:
            if exc.errno not in WRITE_ERRNOS:
                from redislint.errors import bug_report

                click.echo(_printable(bug_report(exc)), err=True)
            else:  # a full disk, a quota, `ulimit -f`: the place written to, not a bug
                where = f" ({exc.filename})" if exc.filename else ""
                click.echo(_printable(f"redislint: error: cannot write the output{where}: {exc.strerror}"), err=True)
            code = EXIT_ERROR
        except Exception as exc:  # the last line of defence: report a bug, not a traceback
            from redislint.errors import bug_report

            click.echo(_printable(bug_report(exc)), err=True)
            code = EXIT_ERROR
        sys.exit(code)

    return wrapper


def _printable(message: str) -> str:
    """An error message quoting file content, made safe to print: secrets masked, no escapes or commands."""
    from redislint.output.safe import for_terminal
    from redislint.secrets import redact_text

    return for_terminal(redact_text(message))


def _version(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Reject a --redis-version / --chart-version that is not a version (exit 2), before any work."""
    from redislint.config import version_error

    if value is not None:
        error = version_error(str(param.name).replace("_", "-"), value)
        if error:
            raise click.BadParameter(error.split(" ", 1)[1])
    return value


def _chart(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Reject a --chart that names no chart kind (exit 2); the registry is imported only when given."""
    if value is None:
        return value
    from redislint.kinds.registry import KINDS

    charts = [k.id for k in KINDS if k.release_targets is not None]
    if value not in charts:
        raise click.BadParameter(f"{value!r} is not one of {', '.join(repr(c) for c in charts)}.")
    return value


def run() -> None:
    """The `redislint` command: `main`, then exit without tearing the interpreter down.

    Freeing every object of a run at exit is a measurable part of a one-file check (the pre-commit
    case; bench/RESULTS.md), and the operating system reclaims the memory anyway. Output is flushed first; worker
    pools are closed by the code that opened them. Tests call `main` and keep the normal exit.
    """
    try:
        main()
        status: Any = 0
    except SystemExit as exc:
        status = exc.code
    if status is None:
        status = 0
    elif not isinstance(status, int):  # sys.exit("message"): printed, status 1
        print(status, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # the descriptor was closed before Python started (`>&-`)
            continue
        try:
            stream.flush()
        except OSError as exc:  # a closed pipe (`| head`): nothing to save; a full disk: say so
            from redislint.errors import WRITE_ERRNOS

            if stream is sys.stdout and exc.errno in WRITE_ERRNOS and sys.stderr is not None:
                with contextlib.suppress(OSError, ValueError):
                    sys.stderr.write(f"redislint: error: cannot write the output: {exc.strerror}\n")
            status = status or EXIT_ERROR
        except ValueError:  # a closed stream
            status = status or EXIT_ERROR
    os._exit(status)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="redislint")
def main() -> None:
    """Lint Redis persistence configuration on Kubernetes before it merges."""


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--profile", "-p", help="baseline (the default), ephemeral, session, cache, queue, critical, or a path to "
              "your own profile file.")
@click.option("--format", "--output-format", "-f", "fmt", type=click.Choice(FORMATS), default=None,
              help="Format on standard output (default: text).")
@click.option("--output", "-o", multiple=True, metavar="FORMAT=FILE|FORMAT|FILE",
              help="Also write FORMAT to FILE (FORMAT=- or a bare FORMAT: standard output); repeatable, one "
                   "analysis for all. A bare FILE gets the --format report. E.g. --output sarif=results.sarif "
                   "--output github.")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule produced, by severity, "
              "instead of the findings (text, or JSON with --format json).")
@click.option("--sarif-category", metavar="NAME", help="SARIF automationDetails.id NAME/ (default redislint): "
              "the code-scanning category. Give each run of one workflow its own (GitHub rejects two runs "
              "with the same category in one upload).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "note", "never"]), default=None,
              help="Exit 1 when a finding at or above this severity remains (default: error).")
@click.option("--select", multiple=True, help="Only these rules (codes, names or code prefixes; comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rules (codes, names or code prefixes).")
@click.option("--redis-version", help="Redis/Valkey version to assume, e.g. 7.2.")
@click.option("--chart-version", help="Chart version to assume for every release.")
@click.option("--chart", callback=_chart, help="Chart of plain values files, when their shape does not tell "
              "(a kind id: bitnami/redis, valkey-io/valkey, cloudpirates/valkey, groundhog2k/redis …).")
@click.option("--color/--no-color", default=None, help="Colour text output (default: on a terminal, unless "
              "NO_COLOR is set; FORCE_COLOR forces it).")
@click.option("--require-targets", is_flag=True, help="Exit 3 when no Redis target was found.")
@click.option("--max-file-size", type=click.IntRange(min=1), default=None, help="Skip files larger than this many bytes (default 10 MB).")
@click.option("--config", type=click.Path(dir_okay=False), help="Config file (default: the nearest .redislint.yaml "
              "or pyproject.toml with [tool.redislint] at or above the checked paths, never above the "
              "repository root).")
@click.option("--show-settings", is_flag=True, help="Print the resolved settings and where each came from.")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Report only findings not in this baseline file.")
@click.option("--update-baseline", is_flag=True, help="Write the current findings to the --baseline file.")
@click.option("--show-suppressed", is_flag=True, help="Also list suppressed findings.")
@click.option("--base", metavar="REF", help="Also review the change since this git revision (a branch, tag or "
              "commit, e.g. origin/main): report the transitions that lose data on rollout.")
@click.option("--changed-only", is_flag=True, help="With --base: report only findings on lines the change touched "
              "or about targets whose configuration or storage it changed.")
@click.option("--add-suppressions", is_flag=True, help="Write a `# redislint: disable=…` comment above each "
              "finding (with a reason placeholder where the profile asks for reasons), keeping everything else "
              "in the files; then report what is left.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
              help="Worker processes (default: automatic, only for inputs large enough to pay for them; "
                   "1 = none, 0 = automatic). The report is the same whatever the number.")
@click.option("--no-repository-index", is_flag=True,
              help="Resolve references (valuesFrom, chartRef, valueFiles, mounted ConfigMaps) only among the "
                   "files given, not through the repository's other files.")
@_guard
def check(paths: tuple[str, ...], **opts: Any) -> int:
    """Check Redis configuration in PATHS (files or directories; - for stdin) against a profile."""
    from redislint.commands.check import run_check

    if not paths and not opts.get("show_settings"):
        raise click.UsageError("give at least one file or directory to check")
    if opts.get("changed_only") and not opts.get("base"):
        raise click.UsageError("--changed-only needs --base REF: the revision the change is compared with")
    return run_check(list(paths), **opts)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--role", help="Only this role (master, primary, replica, node, server).")
@click.option("--all", "show_all", is_flag=True, help="Every directive, not only persistence-related ones.")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--redis-version", callback=_version, help="Redis/Valkey version to assume, e.g. 7.2.")
@click.option("--chart-version", callback=_version, help="Chart version to assume for every release.")
@click.option("--chart", callback=_chart, help="Chart of plain values files, when their shape does not tell.")
@_guard
def effective(paths: tuple[str, ...], **opts: Any) -> int:
    """Show the configuration Redis will really run with, and where each value came from."""
    from redislint.commands.effective import run_effective

    return run_effective(list(paths), **opts)


@main.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table")
@_guard
def rules(fmt: str) -> int:
    """List every rule."""
    from redislint.commands.docs import run_rules

    return run_rules(fmt)


@main.command()
@click.argument("rule")
@_guard
def explain(rule: str) -> int:
    """Show the documentation of one rule (code or name)."""
    from redislint.commands.docs import run_explain

    return run_explain(rule)


@main.command()
@click.argument("name", required=False)
@_guard
def profiles(name: str | None) -> int:
    """Show what each profile requires (or one profile, by name or path)."""
    from redislint.commands.docs import run_profiles

    return run_profiles(name)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--diff", is_flag=True, help="Print a unified diff instead of writing; exit 1 if anything would change.")
@click.option("--select", multiple=True, help="Only fix these rules (RL013, RL015, RL017; codes or names, "
              "comma-separated).")
@click.option("--ignore", multiple=True, help="Do not fix these rules.")
@click.option("--redis-version", callback=_version, help="Redis/Valkey version the files are for, e.g. 7.2 (old "
              "aliases are renamed only when the version is known).")
@click.option("--chart-version", callback=_version, help="Chart version to assume for every release.")
@click.option("--chart", callback=_chart, help="Chart of plain values files, when their shape does not tell "
              "(a kind id: bitnami/redis, valkey-io/valkey, cloudpirates/valkey, groundhog2k/redis …).")
@click.option("--config", type=click.Path(dir_okay=False), help="Config file (default: as for check).")
@_guard
def fix(paths: tuple[str, ...], **opts: Any) -> int:
    """Apply the mechanical fixes: folded config blocks become literal (RL015), trailing comments move to
    their own line (RL013), old aliases are renamed (RL017).

    Files are replaced atomically, never through a symbolic link that leaves the repository; what is
    left alone is listed with the reason. Exit 2 on a file that cannot be read or written.
    """
    from redislint.commands.fix import run_fix

    return run_fix(list(paths), **opts)
