"""Redis's own config semantics: tokenizer, directive table, values, and evaluation."""

from ..quantity import format_bytes, parse_quantity
from .argv import lines_from_argv
from .directives import DirectiveInfo, DirectiveTable
from .evaluate import Assignment, ConfigSource, Evaluation, Include, Setting, evaluate
from .lines import ConfLine, LineProblem
from .parser import parse_conf
from .tokenizer import Token, UnbalancedQuotes, repr_arg, split_args
from .values import normalize, parse_memory
from .valuetypes import ConfigValueError, Normalized
from .versions import RedisVersion, parse_version

__all__ = [
    "Assignment",
    "ConfLine",
    "ConfigSource",
    "ConfigValueError",
    "DirectiveInfo",
    "DirectiveTable",
    "Evaluation",
    "Include",
    "LineProblem",
    "Normalized",
    "RedisVersion",
    "Setting",
    "Token",
    "UnbalancedQuotes",
    "evaluate",
    "format_bytes",
    "lines_from_argv",
    "normalize",
    "parse_conf",
    "parse_memory",
    "parse_quantity",
    "parse_version",
    "repr_arg",
    "split_args",
]
