"""Where the shared real-world corpus lives: one setting for every test that reads it.

The corpus (real files written by other people) is never copied into the project, so the tests
that read it skip when it is absent. `REDISLINT_SHARED_CORPUS` names its folder; without it the
folder is `shared/corpus` next to the checkout (`/work/shared/corpus` for `/work/main`), which a
worktree under `/work/wt/NAME` does not have: run those tests there with
`REDISLINT_SHARED_CORPUS=/work/shared/corpus`.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "REDISLINT_SHARED_CORPUS"
_ROOT = Path(__file__).resolve().parents[1]


def shared_corpus() -> Path:
    """The corpus folder (it may not exist: callers skip then)."""
    configured = os.environ.get(ENV, "").strip()
    return Path(configured).expanduser().resolve() if configured else _ROOT.parent / "shared" / "corpus"


def absent_reason() -> str:
    """The skip message: where the corpus was looked for and how to point at it."""
    return f"shared corpus not present at {shared_corpus()} (set {ENV} to its folder)"
