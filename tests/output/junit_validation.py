"""Validate JUnit XML against the schema Jenkins reads (jenkinsci/xunit-plugin `junit-10.xsd`).

The schema is vendored in tests/schemas (MIT, its licence header kept in the file; provenance in
tests/schemas/README.md). `xmlschema` (a pure-Python XSD 1.0/1.1 validator, test dependency only)
checks it: redislint itself never parses XML.
"""

from __future__ import annotations

import functools
from pathlib import Path

SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "junit-10.xsd"


@functools.lru_cache(maxsize=1)
def _schema():
    import xmlschema

    return xmlschema.XMLSchema10(str(SCHEMA))


def junit_errors(document: str) -> list[str]:
    """Every way `document` breaks the schema (empty when it is valid)."""
    return [str(error.reason or error) for error in _schema().iter_errors(document)]
