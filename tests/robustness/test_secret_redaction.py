"""No output of `check` or `effective`, in any format, ever contains a planted password.

Each password is distinctive (`Zq9-secret-<place>`) and sits in one place a password can be
written: `auth.password`, `requirepass`/`masterauth`/`primaryauth` in configuration blocks, in a
ConfigMap and in redis.conf, `--requirepass` in extraFlags (both argv spellings), ACL `user` lines
(`>pw`, `<pw`), a values key named `apiToken`, a ConfigMap data value, and lines whose finding is
shown with the offending line (trailing comments, wrong argument counts, an overridden line).
Some findings are suppressed so `--show-suppressed` output is covered too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import FORMATS, invoke

HELMRELEASE = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
  namespace: cache
spec:
  chart:
    spec:
      chart: redis
      version: 20.0.3
  values:
    architecture: replication
    apiToken: Zq9-secret-apitoken
    global:
      redis:
        password: "Zq9-secret-global"
    auth:
      password: Zq9-secret-authpassword
    commonConfiguration: |
      requirepass Zq9-secret-common-requirepass
      masterauth Zq9-secret-common-masterauth
      primaryauth Zq9-secret-common-primaryauth
      user default on >Zq9-secret-acl ~* +@all
      user alice on >Zq9-secret-alice <Zq9-secret-alice-old ~* +@all
      requirepass Zq9-secret-trailing # keep this secret
    master:
      extraFlags:
        - --requirepass Zq9-secret-extraflag
        - --masterauth=Zq9-secret-extraflag-equals
        - "--primaryauth"
        - "Zq9-secret-extraflag-next-item"
      configuration: |-
        requirepass Zq9-secret-master extra
        masterauth Zq9-secret-mauth # comment
        # redislint: disable=RL801 -- rotated by the vault operator
        requirepass Zq9-secret-suppressed
    replica:
      configuration: |
        masterauth "Zq9-secret-replica quoted" extra
"""

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: redis-conf
data:
  redis.conf: |
    requirepass Zq9-secret-cm-requirepass # trailing
    user alice on >Zq9-secret-cm-acl #0123abcd ~* +@all
    masterauth "Zq9-secret-cm-quoted" extra
    primaryauth Zq9-secret-cm-primary
  token: Zq9-secret-cm-token
  REDIS_PASSWORD: Zq9-secret-cm-env
"""

REDIS_CONF = """\
requirepass Zq9-secret-conf # old password: Zq9-secret-conf-comment
masterauth Zq9-secret-conf-masterauth extra
primaryauth 'Zq9-secret-conf-primary' # c
user default on >Zq9-secret-conf-acl <Zq9-secret-conf-acl2 ~* +@all # c
requirepass Zq9-secret-conf-overridden
requirepass Zq9-secret-conf-final
"""

SECRET = re.compile(r"Zq9-secret[-A-Za-z0-9]*")


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("secrets")
    (root / "hr.yaml").write_text(HELMRELEASE)
    (root / "cm.yaml").write_text(CONFIGMAP)
    (root / "redis.conf").write_text(REDIS_CONF)
    return root


def test_every_place_is_planted():
    places = set(SECRET.findall(HELMRELEASE + CONFIGMAP + REDIS_CONF))
    assert len(places) >= 30


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("extra", [(), ("--show-suppressed",), ("--profile", "critical", "--show-suppressed")],
                         ids=["default", "show-suppressed", "critical"])
def test_check_output_never_contains_a_password(planted: Path, fmt: str, extra: tuple[str, ...]) -> None:
    run = invoke("check", ".", "--format", fmt, *extra, cwd=planted)
    assert run.exit_code == 1
    assert SECRET.findall(run.output) == [], SECRET.findall(run.output)
    # Markdown escapes the mask's asterisks (`\*`) so that they render as written.
    assert "****" in run.output.replace("\\*", "*") or fmt == "gitlab"


def test_the_findings_that_show_those_lines_are_there(planted: Path) -> None:
    """The redaction is tested on the lines that are shown: the offending lines are in the output."""
    run = invoke("check", ".", "--show-suppressed", cwd=planted)
    out = run.output
    for shown in ("requirepass **** # keep this secret", "requirepass **** # old password: ****",
                  "user default on >**** ~* +@all", "masterauth \"****\" ****", "- --requirepass ****",
                  "- --masterauth=****", "password: ****", "apiToken: ****", "requirepass **** # trailing",
                  "(suppressed)"):
        assert shown in out, shown
    # Messages that quote a line keep the text after the masked value.
    assert "'requirepass **** # old password: ****' has a trailing comment in redis.conf: Redis refuses" in out
    assert "'requirepass ****' in redis.conf has no effect" in out


def test_output_file_never_contains_a_password(planted: Path, tmp_path: Path) -> None:
    for fmt in FORMATS:
        out = tmp_path / f"report.{fmt}"
        invoke("check", ".", "--format", fmt, "--show-suppressed", "--output", str(out), cwd=planted)
        assert SECRET.findall(out.read_text()) == [], fmt


@pytest.mark.parametrize("args", [(), ("--all",), ("--format", "json"), ("--format", "json", "--all"),
                                  ("--role", "master", "--all")],
                         ids=["text", "text-all", "json", "json-all", "text-master-all"])
def test_effective_output_never_contains_a_password(planted: Path, args: tuple[str, ...]) -> None:
    run = invoke("effective", ".", *args, cwd=planted)
    if "json" in args:
        json.loads(run.stdout)
    assert run.exit_code == 0
    assert SECRET.findall(run.output) == [], SECRET.findall(run.output)



def test_redaction_keeps_messages_readable() -> None:
    """Prose around a secret-looking key is not swallowed (these masked whole YAML errors)."""
    from redislint.secrets import redact_text

    assert redact_text("'requirepass ****' in x") == "'requirepass ****' in x"
    assert redact_text("'--requirepass ****', then") == "'--requirepass ****', then"
    assert redact_text("requirepass hunter2") == "requirepass ****"
    assert redact_text("masterauth=hunter2") == "masterauth=****"
