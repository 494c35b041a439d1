"""Property tests: generated and mutated inputs through the whole pipeline.

For any HelmRelease, values file, ConfigMap or redis.conf text (well-formed or mangled):
`redislint.engine.check_paths` on a real file raises nothing, every finding's span (and related
span) lies inside a file that was read — line within the line count, column within the line
length + 1 — and every formatter renders the report without raising.

The example counts are tuned so that the folder runs well under 90 s; the terminal summary
prints how many examples ran (`robustness: N hypothesis examples run`).
"""

from __future__ import annotations

import atexit
import json
import os
import random
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redislint.engine import CheckOptions, check_paths, selected_rules
from redislint.output import FORMATTERS, OutputOptions

from .conftest import EXAMPLES, check_report_spans

_TMP = Path(tempfile.mkdtemp(prefix="redislint-props-"))
atexit.register(shutil.rmtree, _TMP, True)
_OPTIONS = CheckOptions()
_CRITICAL = CheckOptions(profile="critical")
_RULES = selected_rules(_OPTIONS)
_OUT = OutputOptions(root=str(_TMP), information_uri="https://example.invalid/redislint", tool_version="0.0.0")

SCALE = float(os.environ.get("REDISLINT_PROPERTY_SCALE", "1"))
COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                      HealthCheck.filter_too_much])


def run_pipeline(name: str, text: str | bytes, options: CheckOptions = _OPTIONS, render: bool = False):
    """Write `text` to a temp file, check it, verify spans (and optionally render every format)."""
    path = _TMP / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    # A mutated `redislint.io/profile` annotation naming no profile is an RL003 at the annotation.
    report, _targets = check_paths([str(path)], options)
    check_report_spans(report)
    if render:
        for fmt, formatter in FORMATTERS.items():
            out = formatter(report, _RULES, _OUT)
            assert isinstance(out, str) and (out or fmt == "concise")  # concise: one line per finding
            if fmt in ("json", "sarif", "gitlab"):
                json.loads(out)
    return report


# -- building blocks ----------------------------------------------------------------------------

DIRECTIVES = (
    "save", "appendonly", "appendfsync", "appendfilename", "appenddirname", "dir", "dbfilename", "maxmemory",
    "maxmemory-policy", "stop-writes-on-bgsave-error", "rdbchecksum", "rdbcompression", "no-appendfsync-on-rewrite",
    "auto-aof-rewrite-percentage", "auto-aof-rewrite-min-size", "min-replicas-to-write", "min-replicas-max-lag",
    "replicaof", "slaveof", "slave-read-only", "requirepass", "masterauth", "primaryauth", "user", "include",
    "rename-command", "loadmodule", "sentinel", "port", "bind", "protected-mode", "io-threads",
    "hash-max-ziplist-entries", "client-output-buffer-limit", "repl-diskless-sync", "aof-use-rdb-preamble",
    "apendonly", "mymodule.setting", "notify-keyspace-events", "oom-score-adj-values", "list-max-listpack-size",
)
ARGS = (
    "yes", "no", "always", "everysec", "0", "1", "900", "60", "10000", "-1", "1gb", "1GB", "512mb", "100k",
    "2Gi", "1e3", "0x10", "allkeys-lru", "noeviction", "volatile-ttl", "/data", "/tmp", '""', "''", '"900 1"',
    '"unbalanced', "'x y'", "${VAR}", "{{ .Values.x }}", "$(POD_IP)", "#", "# comment", "on", ">pw", "~*", "+@all",
    "#0123", "master", "6379", "127.0.0.1", "normal", "0 0 0", "\\x41", '"\\x41\\n"', "é", "\u00a0yes", "\x0c",
    "Zq9-secret", "*",
)
CONF_ALPHABET = " \t\r\n\"'\\#$%{}[]:=-x0yé\u00a0\x00\x1b\ufeff\u2028"
YAML_ALPHABET = " \t\n\n\n\r-:?|>[]{}#&*!'\",.%@`\\~<ab01yn9é\x85\u2028\ufeff\x00"


class Pick:
    """The choices a generator makes: driven by hypothesis (`st.data()`) or by a seeded `random.Random`.

    Hypothesis-driven generation shrinks to small failing documents; seeded generation is ~10x
    cheaper per example, which is what lets the suite run >10,000 examples in well under a minute.
    """

    def __init__(self, data=None, rng: random.Random | None = None) -> None:
        self._data = data
        self._rng = rng

    def int(self, lo: int, hi: int) -> int:
        if self._data is not None:
            return self._data.draw(st.integers(lo, hi))
        return self._rng.randint(lo, hi)

    def bool(self) -> bool:
        return self.int(0, 1) == 1

    def one(self, options):
        return options[self.int(0, len(options) - 1)]

    def some(self, options, max_size: int) -> list:
        return [self.one(options) for _ in range(self.int(0, max_size))]

    def text(self, alphabet: str, max_size: int) -> str:
        if self._data is not None:
            return self._data.draw(st.text(alphabet=alphabet, max_size=max_size))
        return "".join(self._rng.choice(alphabet) for _ in range(self._rng.randint(0, max_size)))

    def scalar(self):
        kind = self.int(0, 5)
        if kind == 0:
            return self.one((None, True, False))
        if kind == 1:
            return self.int(-3, 100_000)
        if kind == 2:
            return self.one(QUANTITIES)
        if kind == 3:
            return self.one(ARGS)
        if kind == 4:
            return self.text("ab0-:#{}$ ", 6)
        return self.one(("", "x", "1Gi"))


QUANTITIES = ("1Gi", "512Mi", "2G", "100M", "0", "-1Gi", "1.5Gi", "1e3", "abc", "${MEM}", "{{ .Values.m }}", "8Ti", "",
              "128974848", "129e6", "1Ki", "0.5")


def conf_lines(p: Pick, max_lines: int = 8) -> list[str]:
    """redis.conf lines: directives with plausible and hostile arguments, comments, blanks."""
    out = []
    for _ in range(p.int(0, max_lines)):
        kind = p.int(0, 9)
        if kind == 0:
            out.append(p.one(("", "# comment", "   ", "#save 900 1", "\t")))
        elif kind == 1:
            out.append(p.text(CONF_ALPHABET, 12))
        else:
            name = p.one(DIRECTIVES)
            if p.int(0, 9) == 0:
                name = name.upper()
            line = " ".join([name, *p.some(ARGS, 4)])
            if p.int(0, 7) == 0:
                line += " # trailing"
            if p.int(0, 7) == 0:
                line = "  " + line
            out.append(line)
    return out


def join_lines(lines: list[str], ending: str) -> str:
    return "".join(line + ending for line in lines)


class Block(str):
    """A multi-line string to emit as a block scalar with this header (`|`, `|-`, `>`)."""

    header = "|"


def block(text: str, header: str) -> Block:
    b = Block(text)
    b.header = header
    return b


PLAIN_OK = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./")


def scalar(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if text and set(text) <= PLAIN_OK and text not in ("y", "n", "yes", "no", "on", "off", "null", "true", "false"):
        return text
    return json.dumps(text, ensure_ascii=False)


def emit(value, indent: int = 0) -> list[str]:
    """Block-style YAML lines for a tree of dicts, lists, Blocks and scalars."""
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _emit_entry(f"{pad}{scalar(k)}:", v, indent)
    elif isinstance(value, list):
        for v in value:
            out += _emit_entry(f"{pad}-", v, indent)
    else:
        out.append(pad + scalar(value))
    return out


def _emit_entry(head: str, v, indent: int) -> list[str]:
    if isinstance(v, Block):
        body = [(" " * (indent + 2) + line) if line else "" for line in str(v).split("\n")]
        return [f"{head} {v.header}"] + body
    if isinstance(v, (dict, list)) and v:
        return [head] + emit(v, indent + 2)
    if isinstance(v, dict):
        return [f"{head} {{}}"]
    if isinstance(v, list):
        return [f"{head} []"]
    return [f"{head} {scalar(v)}"]


_NOT_IN_YAML = re.compile("[\x00-\x08\x0b-\x1f\x7f\t\u2028\ufeff]")


def conf_block(p: Pick):
    """Config lines as a values string: characters YAML forbids removed, lines unindented."""
    lines = [_NOT_IN_YAML.sub("", line).strip(" ") for line in conf_lines(p, 6)]
    text = "\n".join(lines).strip("\n") or "appendonly yes"
    if p.int(0, 5) == 0:
        return text  # a quoted or plain scalar holding config lines
    return block(text, p.one(("|", "|", "|-", "|+", ">")))


def maybe(p: Pick, odds: int) -> bool:
    return p.int(0, odds - 1) == 0


def role_values(p: Pick) -> dict:
    role: dict = {}
    if p.bool():
        role["configuration"] = conf_block(p)
    if p.bool():
        persistence: dict = {}
        if p.bool():
            persistence["enabled"] = p.one((True, False, "true", "no", 1, None))
        if p.bool():
            persistence["size"] = p.one(QUANTITIES) if p.bool() else p.scalar()
        if maybe(p, 4):
            persistence["medium"] = p.one(("", "Memory", 5))
        if maybe(p, 4):
            persistence["path"] = p.one(("/data", "/bitnami/redis/data", 3))
        role["persistence"] = persistence
    if p.bool():
        role["resources"] = {side: ({"memory": p.one(QUANTITIES) if p.bool() else p.scalar()} if p.bool() else {})
                             for side in ("limits", "requests")}
    if maybe(p, 4):
        role["resourcesPreset"] = p.one(("nano", "micro", "small", "large", "2xlarge", "none", "bogus", 3))
    if maybe(p, 4):
        role["extraFlags"] = p.some(("--appendonly yes", "--save 60 1", "--maxmemory 1gb", "--requirepass Zq9-x",
                                     "--masterauth=y", "--", "--save", '--save ""', "--appendfsync always", "-x", 7), 3)
    if maybe(p, 4):
        role["replicaCount"] = p.scalar()
    if maybe(p, 6):
        role["command"] = ["/bin/sh"]
        role["args"] = ["-c", "redis-server /etc/redis.conf"]
    if maybe(p, 6):
        role["kind"] = p.one(("Deployment", "StatefulSet", 1))
    if maybe(p, 6):
        role["podSecurityContext"] = {"enabled": p.bool(), "fsGroup": p.scalar()}
    return role


def values_tree(p: Pick) -> dict:
    values: dict = {}
    if p.bool():
        values["architecture"] = p.one(("standalone", "replication", "bogus", 5))
    if maybe(p, 3):
        values["auth"] = {"enabled": p.bool(), "password": p.one(("Zq9-pw", "", "${PW}")),
                          **({"existingSecret": "s"} if p.bool() else {})}
    if maybe(p, 3):
        values["commonConfiguration"] = conf_block(p)
    for role in ("master", "replica", "primary", "sentinel"):
        if maybe(p, 3):
            values[role] = role_values(p)
    if maybe(p, 5):
        values["sentinel"] = {"enabled": p.bool()}
    if maybe(p, 5):
        values["metrics"] = {"enabled": p.bool(), "prometheusRule": {"enabled": p.bool(), "rules": []}}
    if maybe(p, 6):
        values["existingConfigmap"] = p.one(("cm", "", "{{ .Release.Name }}"))
    if maybe(p, 6):
        values["image"] = {"tag": p.one(("7.2.4", "6.2", "8.0.1-debian-12-r0", "latest", "x", 7))}
    if maybe(p, 7):
        values[p.one(("mastr", "replicas", "apiToken", "volumePermissions"))] = p.scalar()
    return values


def helmrelease(p: Pick) -> dict:
    doc: dict = {
        "apiVersion": p.one(("helm.toolkit.fluxcd.io/v2", "helm.toolkit.fluxcd.io/v2beta1", "helm.fluxcd.io/v1",
                             "helm.toolkit.fluxcd.io/v9")),
        "kind": "HelmRelease",
        "metadata": {"name": p.one(("redis", "cache", "", 7)), "namespace": p.one(("db", "default"))},
        "spec": {"chart": {"spec": {
            "chart": p.one(("redis", "valkey", "redis-ha", "bitnami/redis", "oci://x/redis", "nginx", "", 5)),
            "version": p.one(("19.6.4", "20.0.3", "17.0.0", "~18", ">=1", "x", "", 21))}}},
    }
    if maybe(p, 5):
        doc["metadata"]["annotations"] = {"redislint.io/profile": p.one(("critical", "session", "cache"))}
    if maybe(p, 4):
        doc["spec"]["valuesFrom"] = [{"kind": p.one(("ConfigMap", "Secret")), "name": p.one(("redis-values", "other")),
                                      **({"optional": True} if p.bool() else {})}]
    doc["spec"]["values"] = values_tree(p)
    return doc


CONFIGMAP_HEAD = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "redis-values"}}


def yaml_stream(p: Pick) -> str:
    """One to three documents: HelmReleases, values files, ConfigMaps, Argo CD Applications."""
    docs = []
    for _ in range(p.one((1, 1, 1, 2, 3))):
        kind = p.int(0, 5)
        if kind <= 2:
            docs.append(emit(helmrelease(p)))
        elif kind == 3:
            docs.append(emit(values_tree(p)))
        elif kind == 4:
            data = ({"redis.conf": conf_block(p)} if p.bool()
                    else {"values.yaml": block("\n".join(emit(values_tree(p))) or "{}", "|")})
            docs.append(emit({**CONFIGMAP_HEAD, "data": data}))
        else:
            helm = {"values": block("\n".join(emit(values_tree(p))) or "{}", "|")}
            docs.append(emit({"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
                              "metadata": {"name": "redis"},
                              "spec": {"source": {"chart": "redis", "targetRevision": "19.6.4", "helm": helm}}}))
    return "---\n".join("\n".join(lines) + "\n" for lines in docs)


def seeded(seed: int) -> Pick:
    return Pick(rng=random.Random(seed))


def mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
    for pos, delete, insert in edits:
        pos %= len(text) + 1
        text = text[:pos] + insert + text[pos + delete:]
    return text


EDITS = st.lists(st.tuples(st.integers(0, 100_000), st.integers(0, 6), st.text(alphabet=YAML_ALPHABET, max_size=4)),
                 min_size=1, max_size=5)
SEEDS = st.integers(0, 2**32 - 1)


def line_edits(text: str, data) -> str:
    """Delete, duplicate or swap whole lines, or re-indent one (indentation-level damage)."""
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 3))):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(st.integers(0, 3))
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2:
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = " " * data.draw(st.integers(0, 5)) + lines[i].lstrip(" ")
    return "\n".join(lines)


# -- the properties -----------------------------------------------------------------------------

@settings(max_examples=int(600 * SCALE), **COMMON)
@given(st.data(), st.sampled_from(("\n", "\n", "\n", "\r\n")))
def test_generated_yaml_through_the_pipeline(data, ending):
    """Documents whose structure hypothesis chooses (and shrinks)."""
    EXAMPLES["generated yaml (hypothesis-driven)"] += 1
    run_pipeline("gen.yaml", yaml_stream(Pick(data)).replace("\n", ending))


@settings(max_examples=int(1000 * SCALE), **COMMON)
@given(SEEDS, st.sampled_from(("\n", "\n", "\r\n")))
def test_seeded_yaml_through_the_pipeline(seed, ending):
    EXAMPLES["generated yaml (seeded)"] += 1
    run_pipeline("seeded.yaml", yaml_stream(seeded(seed)).replace("\n", ending), _CRITICAL if seed % 2 else _OPTIONS)


@settings(max_examples=int(2600 * SCALE), **COMMON)
@given(SEEDS, EDITS)
def test_mutated_yaml_through_the_pipeline(seed, edits):
    EXAMPLES["mutated yaml"] += 1
    run_pipeline("mut.yaml", mutate(yaml_stream(seeded(seed)), edits))


@settings(max_examples=int(900 * SCALE), **COMMON)
@given(SEEDS, st.data())
def test_line_damaged_yaml_through_the_pipeline(seed, data):
    EXAMPLES["line-damaged yaml"] += 1
    run_pipeline("lines.yaml", line_edits(yaml_stream(seeded(seed)), data), _CRITICAL)


@settings(max_examples=int(700 * SCALE), **COMMON)
@given(st.data(), st.sampled_from(("\n", "\n", "\r\n", "\r")), st.booleans())
def test_generated_redis_conf_through_the_pipeline(data, ending, bom):
    EXAMPLES["generated redis.conf (hypothesis-driven)"] += 1
    text = ("\ufeff" if bom else "") + join_lines(conf_lines(Pick(data), 12), ending)
    run_pipeline("gen.conf", text)


@settings(max_examples=int(1700 * SCALE), **COMMON)
@given(SEEDS, st.sampled_from(("\n", "\n", "\r\n", "\r")), st.booleans())
def test_seeded_redis_conf_through_the_pipeline(seed, ending, bom):
    EXAMPLES["generated redis.conf (seeded)"] += 1
    text = ("\ufeff" if bom else "") + join_lines(conf_lines(seeded(seed), 12), ending)
    run_pipeline("seeded.conf", text, _CRITICAL if seed % 2 else _OPTIONS)


@settings(max_examples=int(2000 * SCALE), **COMMON)
@given(SEEDS, st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 4),
                                 st.text(alphabet=CONF_ALPHABET, max_size=3)), max_size=4))
def test_mutated_redis_conf_through_the_pipeline(seed, edits):
    EXAMPLES["mutated redis.conf"] += 1
    run_pipeline("mut.conf", mutate(join_lines(conf_lines(seeded(seed), 12), "\n"), edits), _CRITICAL)


@settings(max_examples=int(300 * SCALE), **COMMON)
@given(SEEDS, st.sampled_from(("r.yaml", "r.conf")), EDITS)
def test_every_formatter_renders_mutated_inputs(seed, name, edits):
    EXAMPLES["rendered in every format"] += 1
    p = seeded(seed)
    text = yaml_stream(p) if name.endswith(".yaml") else join_lines(conf_lines(p, 10), "\n")
    run_pipeline(name, mutate(text, edits), render=True)


@settings(max_examples=int(400 * SCALE), **COMMON)
@given(st.binary(max_size=200), st.sampled_from(("b.yaml", "b.conf")))
def test_arbitrary_bytes_never_raise(data, name):
    EXAMPLES["arbitrary bytes"] += 1
    run_pipeline(name, data)


def test_generators_produce_valid_documents():
    """The unmutated generator output parses (so the mutations start from real documents)."""
    from redislint.sources import load_yaml

    doc = {"a": {"b": [1, "x y", None, {"c": block("save 900 1\nappendonly yes", "|")}], "d": {}}}
    text = "\n".join(emit(doc)) + "\n"
    assert not load_yaml("t.yaml", text).problems
    clean = [yaml_stream(seeded(s)) for s in range(50)]
    assert sum(not load_yaml("s.yaml", t).problems for t in clean) >= 45
    assert os.path.isdir(_TMP)
