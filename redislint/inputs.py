"""Read and parse every input once: YAML files into documents, redis.conf files into text."""

from __future__ import annotations

from pathlib import PurePath
from typing import NamedTuple

from redislint.chartsources import template_note
from redislint.model import Notification
from redislint.sources import SourceProblem, YamlFile, iter_input_files, load_yaml, read_source
from redislint.targets import ConfFile

YAML_SUFFIXES = (".yaml", ".yml")


class Inputs:
    """Everything read from disk (or stdin), ready for target discovery."""

    # A plain class: creating a slotted dataclass costs every start time (bench/RESULTS.md, docs/ARCHITECTURE.md).
    __slots__ = ("yaml_files", "conf_files", "notifications", "problems", "texts", "files_read")

    def __init__(self, *, notifications: list[Notification] | None = None, texts: dict[str, str] | None = None,
                 files_read: int = 0, problems: list[SourceProblem] | None = None) -> None:
        self.yaml_files: list[YamlFile] = []
        self.conf_files: list[ConfFile] = []
        self.notifications = notifications if notifications is not None else []
        self.problems = problems if problems is not None else []
        self.texts = texts if texts is not None else {}
        self.files_read = files_read


def is_conf_name(path: str) -> bool:
    """redis.conf, valkey.conf, anything.conf."""
    return PurePath(path).suffix == ".conf"


def _looks_like_yaml(text: str) -> bool:
    head = text.lstrip()[:400]
    return head.startswith(("---", "apiVersion:", "kind:")) or ":\n" in head or ": " in head.split("\n", 1)[0]


class SourceFile(NamedTuple):
    """One input read and decoded, not parsed yet."""

    path: str
    text: str
    conf: bool  # read as redis.conf text (a *.conf file, or stdin that does not look like YAML)


class ReadInputs:
    """Every input read (directories walked), in order, before any parsing."""

    __slots__ = ("files", "notifications", "texts", "files_read")

    def __init__(self, files: list[SourceFile] | None = None) -> None:
        self.files = files if files is not None else []
        self.notifications: list[Notification] = []
        self.texts: dict[str, str] = {}
        self.files_read = 0

    @property
    def total_chars(self) -> int:
        return sum(len(f.text) for f in self.files)


def read_inputs(paths: list[str], max_bytes: int | None = None, exclude: tuple[str, ...] = ()) -> ReadInputs:
    """Read every path (directories walked); unreadable files become notifications, never exceptions."""
    out = ReadInputs()
    for item in iter_input_files(paths, exclude=exclude):
        if isinstance(item, Notification):
            out.notifications.append(item)
            continue
        source = read_source(item) if max_bytes is None else read_source(item, max_bytes=max_bytes)
        if isinstance(source, Notification):
            out.notifications.append(source)
            continue
        template = template_note(source.path, source.text)
        if template is not None:
            out.notifications.append(template)
            continue
        out.files_read += 1
        conf = is_conf_name(source.path) or (source.path == "<stdin>" and not _looks_like_yaml(source.text))
        # A BOM means nothing to YAML but is part of the first word for Redis, which then refuses to
        # start: give it back to redis.conf text so RL011 can say so.
        text = "\ufeff" + source.text if conf and source.had_bom else source.text
        out.texts[source.path] = text
        out.files.append(SourceFile(source.path, text, conf))
    return out


def parse_source(source: SourceFile) -> YamlFile | ConfFile:
    """A redis.conf file as text, a YAML file as documents (syntax problems included)."""
    if source.conf:
        return ConfFile(source.path, source.text)
    return load_yaml(source.path, source.text)


def parse_inputs(read: ReadInputs) -> Inputs:
    """Parse every file read, in order."""
    out = Inputs(notifications=read.notifications, texts=read.texts, files_read=read.files_read)
    for source in read.files:
        loaded = parse_source(source)
        if isinstance(loaded, ConfFile):
            out.conf_files.append(loaded)
        else:
            out.yaml_files.append(loaded)
            out.problems.extend(loaded.problems)
    return out


def load_inputs(paths: list[str], max_bytes: int | None = None, exclude: tuple[str, ...] = ()) -> Inputs:
    """Read every path (directories walked) and parse it; unreadable files become notifications."""
    return parse_inputs(read_inputs(paths, max_bytes, exclude))
