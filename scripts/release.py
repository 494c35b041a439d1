"""Tag a release: `vX.Y.Z` for the version in pyproject.toml, once the documented pins agree with it.

    python scripts/release.py            check, then create the annotated tag at HEAD
    python scripts/release.py --check    only check (what the tests also check)

What people are told to pin must exist: the README's and docs' pre-commit `rev:` and the workflow's
`uses: redislint/redislint@vX.Y.Z` must name this version, and every link to the project must use
the one repository name of pyproject's URLs. The tag is created only from a clean work tree, and
never moved: an existing tag at another commit is an error (release a new version instead).
Pushing it (`git push origin vX.Y.Z`) is left to the person releasing. docs/releasing.md has the steps.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Where users are told what to pin.
PINNED_IN = ("README.md", "docs/*.md", "docs/examples/*")
REV_RE = re.compile(r"repo: https://github\.com/(?P<repo>[\w.-]+/[\w.-]+)\s*\n\s*rev: (?P<rev>\S+)")
USES_RE = re.compile(r"uses: (?P<repo>[\w.-]+/redislint)@(?P<rev>[\w.<>-]+)")
LINK_RE = re.compile(r"github\.com/(?P<repo>[\w.-]+/redislint)\b")


def version() -> str:
    """The version in pyproject.toml."""
    match = re.search(r'^version\s*=\s*"([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    if match is None:
        raise SystemExit("release: no version in pyproject.toml")
    return match.group(1)


def repository() -> str:
    """owner/name from pyproject's Homepage URL: the one name the docs may use."""
    match = re.search(r'^Homepage\s*=\s*"https://github\.com/([\w.-]+/[\w.-]+)"',
                      (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    if match is None:
        raise SystemExit("release: no github.com Homepage in pyproject.toml [project.urls]")
    return match.group(1)


def problems(tag: str, repo: str) -> list[str]:
    """Every pin that does not name `tag`, and every link to another repository name."""
    out = []
    files = sorted({p for pattern in PINNED_IN for p in ROOT.glob(pattern) if p.is_file()})
    for path in files:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT)
        for m in REV_RE.finditer(text):
            if m["repo"] == repo and m["rev"] != tag:
                out.append(f"{rel}: pre-commit rev {m['rev']}, expected {tag}")
        for m in USES_RE.finditer(text):
            if m["repo"] != repo:
                out.append(f"{rel}: uses {m['repo']}, expected {repo}")
            elif m["rev"] != tag and not re.fullmatch(r"<[\w-]+>|[0-9a-f]{40}", m["rev"]):  # a SHA pin is fine
                out.append(f"{rel}: uses {m['repo']}@{m['rev']}, expected @{tag}")
        for m in LINK_RE.finditer(text):
            if m["repo"] != repo:
                out.append(f"{rel}: link to github.com/{m['repo']}, expected github.com/{repo}")
    return out


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


def main(argv: list[str]) -> int:
    tag = "v" + version()
    found = problems(tag, repository())
    for problem in found:
        print(f"release: {problem}", file=sys.stderr)
    if found:
        print(f"release: update the pins above to {tag} (or the version in pyproject.toml) first", file=sys.stderr)
        return 1
    if "--check" in argv:
        print(f"release: every documented pin names {tag}")
        return 0
    if git("status", "--porcelain", "--untracked-files=no"):
        print("release: the work tree has uncommitted changes; commit them first", file=sys.stderr)
        return 1
    head = git("rev-parse", "HEAD")
    existing = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}"], cwd=ROOT,
                              capture_output=True, text=True).stdout.strip()
    if existing == head:
        print(f"release: {tag} already tags HEAD ({head[:12]})")
        return 0
    if existing:
        print(f"release: {tag} already tags {existing[:12]}, not HEAD {head[:12]}; a released tag is never moved: "
              "raise the version in pyproject.toml and the pins, then release that", file=sys.stderr)
        return 1
    git("tag", "-a", tag, "-m", f"redislint {tag[1:]}")
    print(f"release: tagged {head[:12]} as {tag}; publish it with: git push origin {tag}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
