"""What `redislint check` can be told (`CheckOptions`, built from `config.CheckSettings`), and the profile names every stage agrees on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from redislint.config import DEFAULT_PROFILE
from redislint.targets import TargetOptions

if TYPE_CHECKING:
    from redislint.suppress import Suppression

PROFILE_ANNOTATION = "redislint.io/profile"
# `CheckOptions.jobs`: no worker processes; AUTO_JOBS: workers only for inputs large enough to pay.
ONE_PROCESS = 1
AUTO_JOBS = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckOptions:
    """Everything `redislint check` can be told (change one with `dataclasses.replace`)."""

    profile: str | None = None
    select: tuple[str, ...] = ()  # codes, slugs or code prefixes ("RL2")
    ignore: tuple[str, ...] = ()
    targets: TargetOptions = TargetOptions()
    max_bytes: int | None = None
    exclude: tuple[str, ...] = ()
    severity_overrides: Mapping[str, str] = field(default_factory=dict)  # rule code or slug -> severity or off
    extra_suppressions: tuple[Suppression, ...] = ()  # from the config file's `suppress:`
    default_profile: str | None = None  # the config file's `profile`; None: not chosen, DEFAULT_PROFILE applies
    path_profiles: tuple[tuple[str, str], ...] = ()  # (path glob, profile) from the config file
    # The config file that named `default_profile` and `path_profiles` (None: the caller's own
    # defaults): what it names is repository content, confined to its repository.
    config_path: str | None = None
    # Resolve references to the repository's other files (`repo_index`), as `check .` there would.
    repository: bool = True
    # Worker processes: ONE_PROCESS (1) = none, N, AUTO_JOBS (0) = automatic (workers only for
    # inputs large enough to pay for them; what `redislint check` uses unless told --jobs).
    jobs: int = ONE_PROCESS
    # `check --base REF`: also compare every target with itself at this git revision (redislint.change);
    # with `changed_only`, report only what the change touched.
    base: str | None = None
    changed_only: bool = False


__all__ = ["AUTO_JOBS", "DEFAULT_PROFILE", "ONE_PROCESS", "PROFILE_ANNOTATION", "CheckOptions"]
