"""One list of output formats: the CLI's choices, `--output NAME=FILE`, the formatters and the docs agree with it."""

from __future__ import annotations

import re
from pathlib import Path

import click

from redislint import output
from redislint.cli import main
from redislint.commands import outputs

ROOT = Path(__file__).resolve().parents[2]


def test_cli_choices_and_formatters_come_from_the_registry() -> None:
    names = tuple(f.name for f in output.REGISTRY)
    check = main.commands["check"]
    [fmt] = [p for p in check.params if p.name == "fmt"]
    assert isinstance(fmt.type, click.Choice)
    assert tuple(fmt.type.choices) == names
    assert tuple(output.FORMATTERS) == names
    for f in output.REGISTRY:
        assert (ROOT / "redislint" / "output" / f"{f.module}.py").is_file(), f


def test_output_name_equals_file_accepts_every_registered_format_and_only_those() -> None:
    for name in output.FORMATS:
        assert outputs.plan(None, (f"{name}=out.{name}",), output.FORMATS)[-1] == outputs.Destination(name,
                                                                                                   f"out.{name}")
    # An unknown name before `=` is not a format: the whole value is a file for --format's format.
    assert outputs.plan("json", ("yaml=out",), output.FORMATS) == [outputs.Destination("json", "yaml=out")]


def test_docs_list_every_registered_format() -> None:
    readme = (ROOT / "README.md").read_text()
    [line] = [m.group(1) for m in re.finditer(r"\[--format ([a-z|]+)\]", readme)][:1]
    assert set(line.split("|")) == set(output.FORMATS)
    table = set(re.findall(r"^\| `([a-z]+)`", output.__doc__ or "", re.M))
    assert table == set(output.FORMATS)
