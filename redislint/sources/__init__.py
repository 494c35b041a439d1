"""Sources: file bytes to text, and YAML or redis.conf text to nodes with exact spans.

Positions are computed here, once, and nowhere else. This is the only package that imports
ruamel.yaml.
"""

from redislint.sources.embedded import EmbeddedText, PhysicalLine
from redislint.sources.files import (
    DEFAULT_MAX_BYTES,
    STDIN,
    STDIN_NAME,
    SourceText,
    decode_source,
    is_input_name,
    iter_input_files,
    read_source,
)
from redislint.sources.nodes import (
    MapNode,
    Node,
    ScalarNode,
    SeqNode,
    SourceProblem,
    YamlDocument,
    YamlFile,
    node_at,
    to_plain,
)
from redislint.sources.scalars import resolve_plain
from redislint.sources.yaml_loader import (
    DEFAULT_MAX_NODES,
    MAX_DEPTH,
    MAX_FILE_NODES,
    load_yaml,
    load_yaml_embedded,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_NODES",
    "MAX_DEPTH",
    "MAX_FILE_NODES",
    "STDIN",
    "STDIN_NAME",
    "EmbeddedText",
    "MapNode",
    "Node",
    "PhysicalLine",
    "ScalarNode",
    "SeqNode",
    "SourceProblem",
    "SourceText",
    "YamlDocument",
    "YamlFile",
    "decode_source",
    "is_input_name",
    "iter_input_files",
    "load_yaml",
    "load_yaml_embedded",
    "node_at",
    "read_source",
    "resolve_plain",
    "to_plain",
]
