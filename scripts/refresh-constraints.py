"""Write scripts/action-constraints.txt from the installed versions of redislint's runtime dependencies.

Run it in the virtualenv the test suite passed in; the action then installs exactly these versions.
"""

from __future__ import annotations

import re
import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER_END = "\n\n"


def closure(name: str, seen: dict[str, str]) -> None:
    """Every distribution `name` needs at run time (extras left out), with its installed version."""
    key = re.sub(r"[-_.]+", "-", name).lower()
    if key in seen:
        return
    try:
        dist = distribution(name)
    except PackageNotFoundError:  # a dependency of another Python version or platform
        return
    seen[key] = dist.version
    for requirement in dist.requires or []:
        if "extra ==" in requirement:
            continue
        match = re.match(r"[A-Za-z0-9_.\-]+", requirement)
        if match:
            closure(match.group(), seen)


def main() -> int:
    target = HERE / "action-constraints.txt"
    text = target.read_text(encoding="utf-8")
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    seen: dict[str, str] = {}
    closure("redislint", seen)
    seen.pop("redislint", None)
    target.write_text(header + "".join(f"{name}=={version}\n" for name, version in sorted(seen.items())),
                      encoding="utf-8")
    print(f"wrote {len(seen)} pins to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
