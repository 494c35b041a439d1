"""The test run's shape (fast by default, `--full` for everything) and builders every test can use.

`python -m pytest` is the fast run: it leaves out the tests marked `slow` (the same properties
at full scale, whole-run memory and cost bounds), `integration` (real pre-commit, the GitHub
Action's scripts, Microsoft's SARIF validator) and `shared_corpus` (files written by other people,
outside the repository), and runs the property tests at a tenth of their examples.
`python -m pytest --full` runs all of it at full scale; `.ci/run` does that. The summary says
which run it was and whether the shared corpus was there.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from redislint.cli import main
from shared_corpus import ENV as CORPUS_ENV
from shared_corpus import shared_corpus

LEFT_OUT = ("slow", "integration", "shared_corpus")
FAST_PROPERTY_SCALE = "0.1"  # of each property's examples in the fast run (the full run: 1)
PROPERTY_SCALE_ENV = "REDISLINT_PROPERTY_SCALE"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--full", action="store_true",
                     help="run every test at full scale: also the slow, integration and shared-corpus tests")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: costly; what it proves is also checked cheaper in the fast run")
    config.addinivalue_line("markers", "integration: runs a real outside tool (pre-commit, the Action's scripts, "
                                       "sarif-multitool)")
    config.addinivalue_line("markers", "shared_corpus: reads the shared real-world corpus ($REDISLINT_SHARED_CORPUS)")
    # Read by the property tests when their modules load, which is after this hook.
    if not config.getoption("--full"):
        os.environ.setdefault(PROPERTY_SCALE_ENV, FAST_PROPERTY_SCALE)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    corpus_present = shared_corpus().is_dir()
    full = config.getoption("--full")
    kept: list[pytest.Item] = []
    left_out: list[pytest.Item] = []
    no_corpus: list[pytest.Item] = []
    for item in items:
        if item.get_closest_marker("shared_corpus") is not None and not corpus_present:
            no_corpus.append(item)
        elif not full and any(item.get_closest_marker(m) is not None for m in LEFT_OUT):
            left_out.append(item)
        else:
            kept.append(item)
    if left_out or no_corpus:
        config.hook.pytest_deselected(items=left_out + no_corpus)
        items[:] = kept
    config.stash[_RUN] = _RunShape(full, corpus_present, len(left_out), len(no_corpus))


@dataclass(frozen=True)
class _RunShape:
    full: bool
    corpus_present: bool
    left_out: int
    no_corpus: int


_RUN = pytest.StashKey[_RunShape]()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    shape = config.stash.get(_RUN, None)
    if shape is None:
        return
    write = terminalreporter.write_line
    if shape.full:
        write("full run: every test, property tests at full scale")
    else:
        scale = os.environ.get(PROPERTY_SCALE_ENV, "1")
        write(f"fast run: {shape.left_out} slow/integration/shared-corpus tests left out, property tests at "
              f"scale {scale}; `python -m pytest --full` runs everything")
    if shape.corpus_present:
        write(f"shared corpus: present at {shared_corpus()}")
    else:
        write(f"shared corpus: NOT PRESENT at {shared_corpus()} (set {CORPUS_ENV}); {shape.no_corpus} tests "
              "that read it did not run (fixtures of the project cover the same behaviours)")


# ---- builders ------------------------------------------------------------------------------------

Scalar = str | int | float | bool | None


def _scalar(value: Scalar) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    plain = value and value.strip() == value and not any(c in value for c in ":#{}[],&*!|>'\"%@`") \
        and value.lower() not in ("true", "false", "yes", "no", "on", "off", "null", "~") \
        and not value[0].isdigit() and not value.startswith("-")
    return value if plain else '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def values_yaml(values: Mapping[str, Any], indent: int = 0) -> str:
    """Helm values as block YAML text, in the mapping's order; multi-line strings become `|` blocks.

    The text is predictable line by line, so a test can say which line a finding belongs on.
    """
    out: list[str] = []
    pad = " " * indent

    def emit(key: str, value: Any, pad: str) -> None:
        if isinstance(value, Mapping) and value:
            out.append(f"{pad}{key}:")
            for k, v in value.items():
                emit(str(k), v, pad + "  ")
        elif isinstance(value, Sequence) and not isinstance(value, str) and value:
            out.append(f"{pad}{key}:")
            for v in value:
                if isinstance(v, Mapping) and v:
                    first = True
                    for k, vv in v.items():
                        lead = pad + ("- " if first else "  ")
                        first = False
                        emit(str(k), vv, lead)
                else:
                    out.append(f"{pad}- {_scalar(v)}")
        elif isinstance(value, Mapping | list | tuple):
            out.append(f"{pad}{key}: {'{}' if isinstance(value, Mapping) else '[]'}")
        elif isinstance(value, str) and "\n" in value:
            out.append(f"{pad}{key}: |")
            block = " " * (len(pad.replace('-', ' ')) + 2)
            out.extend(block + line if line else "" for line in value.rstrip("\n").split("\n"))
        else:
            out.append(f"{pad}{key}: {_scalar(value)}")

    for key, value in values.items():
        emit(str(key), value, pad)
    return "\n".join(out) + "\n"


def helmrelease_yaml(values: Mapping[str, Any] | None = None, *, name: str = "cache", namespace: str = "data",
                     chart: str = "redis", version: str | None = "18.19.4", repository: str = "bitnami",
                     annotations: Mapping[str, str] | None = None) -> str:
    """A Flux HelmRelease of `chart` from the HelmRepository `repository`, with inline `values`.

    Its `values:` key is on line 16 when `version` is given and there are no `annotations` (one
    line less without a version, one more per annotation and one for `annotations:`), so a value's
    line is 16 + its line in `values_yaml(values)`.
    """
    notes = [f"    {key}: {_scalar(value)}" for key, value in (annotations or {}).items()]
    lines = [
        "apiVersion: helm.toolkit.fluxcd.io/v2",
        "kind: HelmRelease",
        "metadata:",
        f"  name: {name}",
        f"  namespace: {namespace}",
        *(["  annotations:", *notes] if notes else []),
        "spec:",
        "  interval: 10m",
        "  chart:",
        "    spec:",
        f"      chart: {chart}",
        *([f'      version: "{version}"'] if version is not None else []),
        "      sourceRef:",
        "        kind: HelmRepository",
        f"        name: {repository}",
        "        namespace: flux-system",
    ]
    text = "\n".join(lines) + "\n"
    if values:
        text += "  values:\n" + values_yaml(values, indent=4)
    return text


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, str], Path]:
    """write_file(name, text): the file under the test's temporary folder, dedented, parents made."""
    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
    return write


@dataclass(frozen=True)
class CliRun:
    """What one `redislint` invocation did."""

    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None, input: str | bytes | None = None) -> CliRun:
    """`redislint ARGS` in this process (click's runner), in `cwd` when given.

    An exception that escapes the command line fails the test: the CLI turns every problem
    into a message and an exit code.
    """
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=True)
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"exception escaped the CLI: {result.exception!r}") from result.exception
    return CliRun(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli() -> Callable[..., CliRun]:
    """cli(*args, cwd=None, input=None): run `redislint` in-process; see `run_cli`."""
    return run_cli


@pytest.fixture
def helmrelease() -> Callable[..., str]:
    """helmrelease(values, name=…, chart=…, version=…): HelmRelease text; see `helmrelease_yaml`."""
    return helmrelease_yaml


@pytest.fixture
def values() -> Callable[..., str]:
    """values(mapping): Helm values text; see `values_yaml`."""
    return values_yaml
