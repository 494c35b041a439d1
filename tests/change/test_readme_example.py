"""The README's "Reviewing a change" example is a real run: this builds the repository it describes,
makes the change it shows, and checks that redislint prints the transcript the README gives.

Refresh the transcript after a deliberate change of the output: `python -m tests.change.test_readme_example`.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from click.testing import CliRunner
from tests.change.gitrepo import git

from redislint.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"
FILE = "clusters/prod/sessions.yaml"
COMMAND = ["check", "clusters/", "--base", "main"]


def _block(text: str, marker: str) -> re.Match[str]:
    found = re.search(rf"<!-- review-example:{marker} -->\n```[a-z]*\n(.*?)```\n", text, re.S)
    assert found is not None, f"README: no block after <!-- review-example:{marker} -->"
    return found


def transcript(workdir: Path) -> str:
    """Build the example repository under `workdir` and return what `redislint check --base main` prints."""
    text = README.read_text()
    repo = workdir / "example"
    (repo / FILE).parent.mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / FILE).write_text(_block(text, "base").group(1))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "sessions")
    git(repo, "switch", "-q", "-c", "durable-sessions")
    (workdir / "change.diff").write_text(_block(text, "change").group(1))
    git(repo, "apply", str(workdir / "change.diff"))
    git(repo, "commit", "-q", "-am", "Sessions: AOF on, a larger volume")
    old = os.getcwd()
    os.chdir(repo)
    try:
        # As the README says: each end state alone is clean.
        assert CliRunner().invoke(main, ["check", "clusters/"]).exit_code == 0
        git(repo, "switch", "-q", "main")
        assert CliRunner().invoke(main, ["check", "clusters/"]).exit_code == 0
        git(repo, "switch", "-q", "durable-sessions")
        result = CliRunner().invoke(main, COMMAND)
    finally:
        os.chdir(old)
    assert result.exit_code == 1, result.output
    return f"$ redislint {' '.join(COMMAND)}\n{result.output}"


def test_the_readme_transcript_is_a_real_run(tmp_path: Path) -> None:
    shown = _block(README.read_text(), "run").group(1)
    assert transcript(tmp_path) == shown, "run: python -m tests.change.test_readme_example to refresh the README"


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        text = README.read_text()
        block = _block(text, "run")
        new = transcript(Path(tmp))
        README.write_text(text[:block.start(1)] + new + text[block.end(1):])
        sys.stdout.write("README.md transcript refreshed\n")
