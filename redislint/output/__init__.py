"""Report formatters: `FORMATTERS[name](report, rules, options) -> str`, one module per format,
registered once in `REGISTRY` (the CLI's `--format` choices and `--output NAME=FILE` come from it).

Each formatter is a pure view of a `Report`: it never re-lints, reads configuration or picks an exit
code. Modules are imported only when their format is used, so `--format json` never imports rich
(only `redislint.output.text` does).

| name     | module        | for                                                           |
|----------|---------------|---------------------------------------------------------------|
| `text`   | `text.py`     | people: grouped by file, the source line marked, fix, summary |
| `json`   | `json_.py`    | scripts: versioned contract `{"version": 1, ...}`             |
| `sarif`  | `sarif.py`    | GitHub code scanning (SARIF 2.1.0)                            |
| `github` | `github.py`   | GitHub Actions workflow-command annotations                   |
| `gitlab` | `gitlab.py`   | GitLab Code Quality report                                    |
| `concise`| `concise.py`  | one line per finding: `path:line:col: SEVERITY CODE message`  |
| `junit`  | `junit.py`    | JUnit XML for CI test-report views                            |
| `markdown`| `markdown.py`| counts and top findings as Markdown (the GitHub job summary)  |

`statistics.py` renders `--statistics` (counts per rule and severity) instead of a format.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from redislint import __version__

if TYPE_CHECKING:
    from redislint.model import Report
    from redislint.rules._api import Rule

# GitHub Actions shows at most 10 error, 10 warning (and, as observed, 10 notice) annotations per
# step and 50 per job; the rest are dropped without a trace (actions/toolkit#734, yamllint#573).
GITHUB_ANNOTATIONS_PER_STEP = 10


@functools.lru_cache(maxsize=1)
def project_uri() -> str:
    """The project's home page from the installed package metadata (`[project.urls]`), or "".

    Used as the default SARIF `informationUri`; the Multitool warns (SARIF2005) when it is missing.
    """
    try:
        from importlib.metadata import PackageNotFoundError, metadata  # noqa: PLC0415 - package metadata only for the formats that show the home page

        meta = metadata("redislint")
    except (ImportError, PackageNotFoundError):
        return ""
    urls: dict[str, str] = {}
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls.setdefault(label.strip().lower(), url.strip())
    for label in ("homepage", "home", "repository", "source", "documentation"):
        if urls.get(label, "").startswith(("https://", "http://")):
            return urls[label]
    home = (meta.get_all("Home-page") or [""])[0]
    return home if home.startswith(("https://", "http://")) else ""


class OutputOptions(NamedTuple):
    """How to render a report; the CLI builds one from its flags."""

    # Directory that SARIF/GitHub/GitLab paths are relative to (the repository root in CI).
    root: str = ""  # "": the working directory when the report is rendered
    color: bool = False
    # SARIF `runAutomationDetails.id`, read by GitHub as "category/run-id": keep the trailing slash
    # ("redislint/" -> category "redislint"). An id without "/" gets one appended.
    automation_id: str = "redislint/"
    # Also show suppressed findings (text, json; SARIF with `suppressions`). GitHub treats suppressed
    # SARIF results as open alerts, so they are left out unless asked for.
    show_suppressed: bool = False
    tool_version: str = __version__
    # Project home page: SARIF `informationUri`, and the base of each rule's `helpUri`; left out of
    # the SARIF file when empty. None: the package's `[project.urls]` Homepage/Repository, looked up
    # only by the formats that show it (reading package metadata costs imports: bench/RESULTS.md).
    information_uri: str | None = None
    # Rule documentation URL, with `{code}`, `{name}` and `{information_uri}` placeholders; when empty,
    # `{information_uri}#{code}` (lower case) is used.
    help_uri: str = ""
    # Annotations per severity (error, warning, notice) in the `github` format.
    github_max_annotations: int = GITHUB_ANNOTATIONS_PER_STEP
    # Terminal width the `text` format wraps to (at word boundaries, with a hanging indent);
    # 0: no wrapping (a file, a pipe: each finding's lines stay whole for grep and diff).
    width: int = 0
    # List the files that could not be analysed in the report (`text`). The CLI says them on stderr
    # instead when the report goes to standard output, which then carries the report alone.
    notification_errors: bool = True

    def home_page(self) -> str:
        """`information_uri`, or the project's home page from its package metadata when unset."""
        return project_uri() if self.information_uri is None else self.information_uri


Formatter = Callable[["Report", Sequence["Rule"], OutputOptions], str]


class OutputFormat(NamedTuple):
    """One output format: its name (`--format`, `--output NAME=FILE`), its module and what it is for."""

    name: str
    module: str  # redislint.output.<module>, imported on first use
    purpose: str


# The one list of formats: the CLI's choices, `--output` and the formatters derive from it.
REGISTRY: tuple[OutputFormat, ...] = (
    OutputFormat("text", "text", "people: grouped by file, the source line marked, fix, summary"),
    OutputFormat("json", "json_", 'scripts: versioned contract `{"version": 1, ...}`'),
    OutputFormat("sarif", "sarif", "GitHub code scanning (SARIF 2.1.0)"),
    OutputFormat("github", "github", "GitHub Actions workflow-command annotations"),
    OutputFormat("gitlab", "gitlab", "GitLab Code Quality report"),
    OutputFormat("concise", "concise", "one line per finding: `path:line:col: SEVERITY CODE message`"),
    OutputFormat("junit", "junit", "JUnit XML for CI test-report views"),
    OutputFormat("markdown", "markdown", "counts and top findings as Markdown (the GitHub job summary)"),
)
FORMATS: tuple[str, ...] = tuple(f.name for f in REGISTRY)


def _lazy(module: str, fmt: str) -> Formatter:
    """A formatter that imports `redislint.output.<module>` on its first call."""

    def render(report: Report, rules: Sequence[Rule], options: OutputOptions) -> str:
        return importlib.import_module(f"redislint.output.{module}").render(report, rules, options)

    render.__name__ = f"render_{fmt}"
    render.__qualname__ = render.__name__
    render.__doc__ = f"Render a report as {fmt} (implemented in redislint.output.{module})."
    return render


FORMATTERS: dict[str, Formatter] = {f.name: _lazy(f.module, f.name) for f in REGISTRY}

__all__ = ["FORMATS", "FORMATTERS", "GITHUB_ANNOTATIONS_PER_STEP", "REGISTRY", "OutputFormat", "OutputOptions",
           "project_uri"]
