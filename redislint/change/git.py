"""Read one revision of the repository being checked from git's object database, running nothing it provides.

`check --base REF` needs the files as they were at REF. They are read with `rev-parse`, `ls-tree`
and `cat-file --batch` only: plumbing that never runs hooks, clean/smudge filters, textconv or
external diff drivers, whatever `.gitattributes` in the (attacker-controlled) work tree says.
Replace objects are ignored, so the base is the commit REF names and not what a `refs/replace/`
entry substitutes for it, and hooks and fsmonitor are switched off on the command line all the
same. Anything git cannot give is a `UserError` (exit 2) that says how to fix it: a base that is
not there is never a silent pass.
"""

from __future__ import annotations

import os
from typing import NamedTuple

from redislint.errors import UserError
from redislint.gitfiles import SAFE_GIT_OPTIONS as _SAFE

SHALLOW_FIX = ("check out the full history (actions/checkout: `fetch-depth: 0`; GitLab: `GIT_DEPTH: 0`) "
               "or fetch the base first: `git fetch origin {ref}`")


class BaseTree(NamedTuple):
    """The files of one commit: regular files only, paths relative to the repository root."""

    root: str  # the work tree's top directory (symbolic links resolved)
    ref: str  # as the user wrote it
    commit: str  # the full commit id it resolved to
    blobs: dict[str, str]  # path -> blob id


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0",
                "GIT_NO_REPLACE_OBJECTS": "1", "LC_ALL": "C"})
    return env


def run_git(root: str, args: list[str], data: bytes | None = None) -> tuple[int, bytes, str]:
    """(exit status, output, first line of errors) of `git -C root ARGS`; status 127 when git cannot be started."""
    import subprocess  # noqa: PLC0415 - only `check --base` gets here; a plain check never pays for the import

    try:
        done = subprocess.run(["git", "-C", root, *_SAFE, *args], input=data if data is not None else b"",
                              capture_output=True, env=_env(), timeout=300, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return 127, b"", str(exc)
    errors = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return done.returncode, done.stdout, errors[0] if errors else ""


def open_base(root: str, ref: str) -> BaseTree:
    """The tree of `ref` in the repository at `root`, or a UserError that says how to make it available."""
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n"):
        raise UserError(f"--base {ref!r} is not a git revision")
    status, out, error = run_git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"])
    if status == 127:
        raise UserError(f"--base needs git, which could not be started ({error})")
    if status != 0:
        raise UserError(_unknown(root, ref, error))
    commit = out.decode("ascii", "replace").strip()
    status, out, error = run_git(root, ["ls-tree", "-r", "-z", "--full-tree", commit])
    if status != 0:
        raise UserError(f"--base {ref}: git cannot list the files of {commit[:12]} ({error or 'no reason given'}); "
                        + SHALLOW_FIX.format(ref=ref))
    blobs: dict[str, str] = {}
    for entry in out.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        parts = meta.split(b" ")
        # Regular files only: a symbolic link (120000) or submodule (160000) holds no configuration of its own.
        if len(parts) == 3 and parts[0] in (b"100644", b"100755") and parts[1] == b"blob":
            blobs[path.decode("utf-8", "surrogateescape")] = parts[2].decode("ascii")
    return BaseTree(root, ref, commit, blobs)


def _unknown(root: str, ref: str, error: str) -> str:
    """Why `ref` does not resolve, and the fix."""
    if error:  # --quiet keeps an unknown name silent: this is git refusing the repository itself
        return f"--base {ref}: git cannot read this repository ({error})"
    status, out, _ = run_git(root, ["rev-parse", "--is-shallow-repository"])
    if status == 0 and out.strip() == b"true":
        return (f"--base {ref}: no such commit in this clone, which is shallow (CI checkouts fetch one commit by "
                f"default), so the base of the change cannot be read; " + SHALLOW_FIX.format(ref=ref))
    return (f"--base {ref}: no such branch, tag or commit in this repository; check the name, or fetch it first: "
            f"`git fetch origin {ref}`")


def blob_sizes(root: str, ids: list[str]) -> dict[str, int]:
    """The size of each blob that exists (`cat-file --batch-check`: nothing is read)."""
    sizes: dict[str, int] = {}
    for header in _batch(root, "--batch-check", ids).split(b"\n"):
        parts = header.split(b" ")
        if len(parts) == 3 and parts[1] == b"blob":
            sizes[parts[0].decode("ascii")] = int(parts[2])
    return sizes


def read_blobs(root: str, ids: list[str]) -> dict[str, bytes]:
    """The content of each blob that exists, read with one `cat-file --batch` (ask `blob_sizes` first:
    everything asked for is read into memory)."""
    out = _batch(root, "--batch", ids)
    found: dict[str, bytes] = {}
    at = 0
    while at < len(out):
        end = out.find(b"\n", at)
        if end < 0:
            break
        header = out[at:end].split(b" ")
        at = end + 1
        if len(header) != 3 or header[1] != b"blob":
            continue  # "<id> missing"
        size = int(header[2])
        found[header[0].decode("ascii")] = out[at:at + size]
        at += size + 1  # the content, then a newline
    return found


def _batch(root: str, mode: str, ids: list[str]) -> bytes:
    wanted = sorted(set(ids))
    if not wanted:
        return b""
    status, out, error = run_git(root, ["cat-file", mode], ("\n".join(wanted) + "\n").encode("ascii"))
    if status != 0:
        raise UserError(f"--base: git could not read the base files ({error or 'no reason given'})")
    return out
