#!/usr/bin/env python3
"""The bare C-composer parse that `bench/run.py` compares redislint against.

Reads every *.yaml / *.yml file under the given paths (directories walked in sorted order) and
composes every document with ruamel.yaml's C composer (`YAML(typ='safe', pure=False)`, libyaml via
ruamel.yaml.clib): node trees with positions, nothing else. That is the floor for a linter that
needs line and column numbers. A file that does not parse is counted and skipped.
"""

from __future__ import annotations

import os
import sys


def files_under(paths: list[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs.sort()
                out += [os.path.join(root, n) for n in sorted(names) if n.endswith((".yaml", ".yml"))]
        else:
            out.append(p)
    return out


def main(argv: list[str]) -> int:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="safe", pure=False)
    if "CParser" not in getattr(yaml.Parser, "__name__", ""):
        print("ruamel.yaml.clib (the C parser) is not available", file=sys.stderr)
        return 2
    docs = failed = 0
    for path in files_under(argv):
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        try:
            for _node in yaml.compose_all(text):
                docs += 1
        except YAMLError:
            failed += 1
    print(f"{docs} documents composed, {failed} files failed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
