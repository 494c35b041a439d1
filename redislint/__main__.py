"""Entry point for `python -m redislint`."""

from redislint.cli import run

run()
