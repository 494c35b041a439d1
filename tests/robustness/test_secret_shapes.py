"""Planted secrets in every shape the adversarial review found shown, in every context, never printed.

Each shape is a config line (or a values entry) holding one or two passwords, each password unique
to its shape and context (`Zq9-secret-<shape>-<context>[-2]`): quoted directive names and ACL users
(Redis accepts them: `test_redis_accepts_the_quoted_shapes` asks a real server), a `\\xHH` escape in
the name, quoted values starting with `*`, `[`, `{` or `$(`, the extra arguments of a wrong-arity
`requirepass a b`, a quoted ACL password with a space, a misspelt secret key (`pasword`) that RL101
shows, and a Flux `valuesFrom` Secret whose base64 `data` holds the passwords. Config lines go into
a redis.conf, a ConfigMap's redis.conf and a HelmRelease's configuration block, each followed by a
trailing-comment line so `fix --diff` prints them as context.

Every output is checked: `check` in the five formats with and without `--show-suppressed` and with
another profile, `--output` files, `effective` (text, JSON, `--all`), `fix --diff`, and stderr. The
test is not vacuous: each shape's line is shown, masked, in the text output (and in the diff).
"""

from __future__ import annotations

import base64
import json
import re
import sys
from pathlib import Path

import pytest

from .conftest import FORMATS, invoke, write_tree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from redis_server import require_redis_server, run_server

# (id, config line with {pw} and {pw2}, the line as it must be shown). `{pw}` is filled by `.replace`
# (the shapes hold braces of their own).
CONF_SHAPES = [
    ("dq-name", '"requirepass" {pw}', '"requirepass" ****'),
    ("sq-name", "'masterauth' {pw}", "'masterauth' ****"),
    ("hex-name", '"requir\\x65pass" {pw}', '"requir\\x65pass" ****'),
    ("quoted-user", 'user "jack" on >{pw} ~* +@all', 'user "jack" on >**** ~* +@all'),
    ("quoted-rule", 'user jill on ">{pw} {pw2}" ~* +@all', 'user jill on ">****" ~* +@all'),
    ("star", 'requirepass "*{pw}"', 'requirepass "****"'),
    ("bracket", 'masterauth "[{pw}"', 'masterauth "****"'),
    ("brace", 'requirepass "{{pw}"', 'requirepass "****"'),
    ("dollar-paren", 'masterauth "$({pw}"', 'masterauth "****"'),
    ("arity", "requirepass {pw} {pw2}", "requirepass **** ****"),
    ("arity-prose", "masterauth is {pw}", "masterauth **** ****"),
    ("arity-quoted", "requirepass '{pw}' \"{pw2}\"", "requirepass '****' \"****\""),
]
# (id, values entry under `auth:` with {pw}, the line as shown)
VALUES_SHAPES = [
    ("misspelt", "pasword: {pw}", "pasword: ****"),
    ("misspelt-swap", "passowrd: {pw}", "passowrd: ****"),
    ("star-value", 'password: "*{pw}"', 'password: "****"'),
    ("bracket-value", "password: '[{pw}'", "password: '****'"),
    ("brace-value", 'password: "{{pw}"', 'password: "****"'),
    ("dollar-value", 'password: "$({pw}"', 'password: "****"'),
]
SECRET = re.compile(r"Zq9-secret[-A-Za-z0-9]*")


def _fill(template: str, pw: str) -> str:
    return template.replace("{pw}", pw).replace("{pw2}", pw + "-2")


def _conf_block(context: str, indent: str) -> str:
    """Every config shape, each followed by a trailing-comment line (RL013, fixed by `fix`)."""
    out = []
    for shape, template, _ in CONF_SHAPES:
        out.append(indent + _fill(template, f"Zq9-secret-{shape}-{context}"))
        out.append(indent + f"appendonly yes # after {shape}")
    return "\n".join(out) + "\n"


def _values(context: str, indent: str) -> str:
    lines = ["architecture: standalone", "auth:"]
    lines += ["  " + _fill(template, f"Zq9-secret-{shape}-{context}") for shape, template, _ in VALUES_SHAPES]
    return "".join(indent + line + "\n" for line in lines)


HELMRELEASE = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis-{name}
  namespace: cache
spec:
  chart:
    spec:
      chart: redis
      version: 20.0.3
{extra}  values:
"""


def _tree() -> dict[str, str]:
    configmap = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: redis-conf\ndata:\n  redis.conf: |\n"
                 + _conf_block("configmap", "    "))
    helmrelease = (HELMRELEASE.format(name="block", extra="") + _values("helmrelease", "    ")
                   + "    master:\n      configuration: |\n" + _conf_block("helmrelease", "        "))
    # A values file kept in a Secret (base64) and read through valuesFrom: Flux decodes it, redislint too.
    hidden = _values("secret-data", "") + "master:\n  configuration: |\n    appendonly yes # c\n" \
        "    requirepass Zq9-secret-secret-data-conf\n"
    secret = ("apiVersion: v1\ndata:\n  values.yaml: " + base64.b64encode(hidden.encode()).decode() + "\n"
              "kind: Secret\nmetadata:\n  name: redis-values\n  namespace: cache\n")
    from_secret = (HELMRELEASE.format(name="from-secret",
                                      extra="  valuesFrom:\n    - kind: Secret\n      name: redis-values\n")
                   + "    architecture: standalone\n")
    return {
        "redis.conf": _conf_block("conf", ""),
        "cm.yaml": configmap,
        "values.yaml": _values("values", ""),
        "hr.yaml": helmrelease,
        "from-secret.yaml": from_secret + "---\n" + secret,
    }


def _planted() -> set[str]:
    found = set(SECRET.findall("".join(_tree().values())))
    for text in _tree().values():  # and those inside the base64 Secret data
        for encoded in re.findall(r"values\.yaml: ([A-Za-z0-9+/=]{40,})", text):
            found |= set(SECRET.findall(base64.b64decode(encoded).decode()))
    return found


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("shapes")
    write_tree(root, _tree())
    return root


def test_every_shape_is_planted_in_every_context() -> None:
    secrets = _planted()
    for shape, _, _ in CONF_SHAPES:
        for context in ("conf", "configmap", "helmrelease"):
            assert f"Zq9-secret-{shape}-{context}" in secrets
    for shape, _, _ in VALUES_SHAPES:
        for context in ("values", "helmrelease", "secret-data"):
            assert f"Zq9-secret-{shape}-{context}" in secrets
    assert "Zq9-secret-secret-data-conf" in secrets
    assert len(secrets) >= 3 * len(CONF_SHAPES) + 3 * len(VALUES_SHAPES)


@pytest.fixture(scope="module")
def text_output(planted: Path) -> str:
    return invoke("check", ".", "--show-suppressed", cwd=planted).output


@pytest.mark.parametrize("shape,shown", [(s, shown) for s, _, shown in CONF_SHAPES],
                         ids=[s for s, _, _ in CONF_SHAPES])
def test_each_config_shape_is_shown_masked(text_output: str, shape: str, shown: str) -> None:
    """The line is shown (so the next tests mean something), masked, in each context's snippet."""
    for indent in ("", "    ", "        "):  # redis.conf, ConfigMap block, HelmRelease block
        assert f" | {indent}{shown}\n" in text_output, (shape, indent)


@pytest.mark.parametrize("shape,shown", [(s, shown) for s, _, shown in VALUES_SHAPES],
                         ids=[s for s, _, _ in VALUES_SHAPES])
def test_each_values_shape_is_shown_masked(text_output: str, shape: str, shown: str) -> None:
    for indent in ("  ", "      "):  # values file, HelmRelease values
        assert f" | {indent}{shown}\n" in text_output, (shape, indent)


def test_secret_data_is_shown_masked(text_output: str) -> None:
    """Findings about the values held in the Secret point at its data line, which shows no base64."""
    assert re.search(r"\| {3}values\.yaml: \*{4}\n", text_output)
    assert "from-secret.yaml" in text_output


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("extra", [(), ("--show-suppressed",), ("--profile", "critical")],
                         ids=["default", "show-suppressed", "critical"])
def test_check_never_prints_a_planted_secret(planted: Path, fmt: str, extra: tuple[str, ...]) -> None:
    run = invoke("check", ".", "--format", fmt, *extra, cwd=planted)
    assert run.exit_code == 1, run.output
    assert SECRET.findall(run.output) == []


def test_output_files_never_hold_a_planted_secret(planted: Path, tmp_path: Path) -> None:
    for fmt in FORMATS:
        out = tmp_path / f"report.{fmt}"
        invoke("check", ".", "--format", fmt, "--output", str(out), cwd=planted)
        assert SECRET.findall(out.read_text(encoding="utf-8")) == [], fmt


@pytest.mark.parametrize("args", [(), ("--all",), ("--format", "json"), ("--format", "json", "--all")],
                         ids=["text", "text-all", "json", "json-all"])
def test_effective_never_prints_a_planted_secret(planted: Path, args: tuple[str, ...]) -> None:
    run = invoke("effective", ".", *args, cwd=planted)
    if "json" in args:
        json.loads(run.stdout)
    assert SECRET.findall(run.output) == []


def test_fix_diff_never_prints_a_planted_secret(planted: Path) -> None:
    run = invoke("fix", "--diff", ".", cwd=planted)
    assert run.exit_code == 1
    assert SECRET.findall(run.output) == []
    # The shapes are the diff's context lines (each sits just above a fixed trailing comment).
    for _, _, shown in CONF_SHAPES:
        assert f"\n {shown}\n" in run.output, shown


def test_redis_accepts_the_quoted_shapes() -> None:
    """The quoted names and users are real config, not a curiosity: Redis reads them as written."""
    binary = require_redis_server()
    conf = "\n".join(_fill(template, f"pw-{shape}") for shape, template, _ in CONF_SHAPES[:5]) + "\n"
    run = run_server(binary, conf, patterns=["requirepass", "masterauth"], password="pw-hex-name")
    assert run.error is None, run.error
    assert run.config == {"requirepass": "pw-hex-name", "masterauth": "pw-sq-name"}
