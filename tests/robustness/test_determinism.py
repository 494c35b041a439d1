"""Same input, same bytes: whatever the order files were created in or named on the command line,
whatever the hash seed, in every output format; the shared corpus and a generated corpus of a few
thousand small files run twice (different creation order, hash seed and worker count) without a crash
and with byte-identical output.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from .conftest import FORMATS, SHARED_CORPUS, invoke, run_process, write_tree
from .test_properties import conf_lines, emit, helmrelease, join_lines, mutate, seeded

HR = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: {name}
  namespace: {ns}
spec:
  chart:
    spec:
      chart: redis
      version: 19.6.4
  valuesFrom:
    - kind: ConfigMap
      name: {name}-values
  values:
    architecture: replication
    auth:
      password: Zq9-det-{name}
    master:
      configuration: |
        appendonly yes # durable
        save 900 1
        maxmemory 1gb
"""
VALUES_CM = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-values
  namespace: {ns}
data:
  values.yaml: |
    replica:
      replicaCount: 0
      persistence:
        enabled: false
"""

FIXTURE: dict[str, bytes | str] = {
    "apps/a/release.yaml": HR.format(name="cache", ns="a"),
    "apps/a/values-cm.yaml": VALUES_CM.format(name="cache", ns="a"),
    "apps/b/release.yml": HR.format(name="sessions", ns="b").replace("\n", "\r\n"),
    "apps/b/values.yaml": VALUES_CM.format(name="sessions", ns="b"),
    "conf/redis.conf": "# redislint: disable=RL013 -- kept for the demo\nappendonly yes # on\nsave 60 1\n"
                       "maxmemory 2gb\nmaxmemory-policy allkeys-lru\nrequirepass Zq9-det-conf\n",
    "conf/valkey.conf": b"\xef\xbb\xbfappendonly no\r\nsave \"\"\r\n",
    "conf/bad.conf": "apendonly yes\nsave 900\n",
    "multi.yaml": "---\nscalar\n---\n- list\n---\n" + VALUES_CM.format(name="x", ns="c").replace(
        "values.yaml", "redis.conf").replace("    replica:\n      replicaCount: 0\n      persistence:\n"
                                             "        enabled: false\n", "    appendonly yes\n    save 1 1\n"),
    "values/bitnami.yaml": "architecture: standalone\nmaster:\n  persistence:\n    enabled: false\n"
                           "  configuration: |-\n    appendfsync always\n",
    "broken/syntax.yaml": "a: [1, 2\nb: c: d\n",
    "broken/dup.yaml": "a: 1\nb: 2\na: 3\n",
    "broken/latin1.yaml": b"name: caf\xe9\n",
    "broken/nul.conf": b"save 1 1\x00\n",
    "z-last.yaml": "kind: Deployment\napiVersion: apps/v1\nmetadata: {name: web}\n",
}


def _make(base: Path, reverse: bool) -> Path:
    order = sorted(FIXTURE, reverse=reverse)
    write_tree(base, FIXTURE, order)
    (base / "broken" / "dangling.yaml").symlink_to("missing.yaml")
    return base


@pytest.fixture(scope="module")
def twins(tmp_path_factory) -> tuple[Path, Path]:
    """The same tree twice, its files created in opposite orders."""
    return (_make(tmp_path_factory.mktemp("forward"), False), _make(tmp_path_factory.mktemp("reverse"), True))


COMMANDS = [("check", ".", "-f", fmt, "--show-suppressed") for fmt in FORMATS] + [
    ("effective", "."), ("effective", ".", "-f", "json", "--all")]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[0:1] + c[2:]) for c in COMMANDS])
def test_creation_order_and_hash_seed_do_not_change_a_byte(twins, command) -> None:
    forward, reverse = twins
    first = run_process(*command, cwd=forward, hash_seed="1")
    second = run_process(*command, cwd=reverse, hash_seed="2")
    assert first.returncode == second.returncode
    assert first.stdout == second.stdout
    assert first.stderr == second.stderr
    assert first.stdout  # something was printed


def test_command_line_order_does_not_change_a_byte(twins) -> None:
    forward, _ = twins
    files = sorted(str(p.relative_to(forward)) for p in forward.rglob("*") if p.is_file() or p.is_symlink())
    shuffled = files[:]
    random.Random(7).shuffle(shuffled)
    for fmt in FORMATS:
        a = invoke("check", *files, "-f", fmt, "--show-suppressed", cwd=forward)
        b = invoke("check", *reversed(files), "-f", fmt, "--show-suppressed", cwd=forward)
        c = invoke("check", *shuffled, "-f", fmt, "--show-suppressed", cwd=forward)
        assert a.stdout == b.stdout == c.stdout, fmt
        assert a.exit_code == b.exit_code == c.exit_code


def test_the_fixture_covers_what_it_should(twins) -> None:
    forward, _ = twins
    out = invoke("check", ".", "--show-suppressed", cwd=forward).output
    for expected in ("(suppressed)", "RL001", "RL002", "RL010", "RL801", "not valid UTF-8", "binary file",
                     "broken symbolic link", "Redis targets checked"):
        assert expected in out, expected
    assert "Zq9-det" not in out


@pytest.mark.shared_corpus
@pytest.mark.parametrize("command", [("check", ".", "-f", "json"), ("check", ".", "-f", "sarif"),
                                     ("check", ".", "-f", "text"), ("effective", ".", "-f", "json", "--all")],
                         ids=["json", "sarif", "text", "effective-json"])
def test_shared_corpus_twice(command) -> None:
    first = run_process(*command, cwd=SHARED_CORPUS, hash_seed="1")
    second = run_process(*command, cwd=SHARED_CORPUS, hash_seed="3")
    assert first.returncode in (0, 1) and first.returncode == second.returncode, first.stderr
    assert first.stdout == second.stdout
    assert first.stdout


def _generated_corpus(count: int, seed: int) -> dict[str, str]:
    """`count` small files (HelmReleases, some damaged, and redis.conf files), deterministic by seed."""
    rng = random.Random(seed)
    files: dict[str, str] = {}
    for i in range(count):
        pick = seeded(rng.getrandbits(32))
        where = f"team{i % 17}/env{i % 5}"
        if rng.random() < 0.45:
            text = "\n".join(emit(helmrelease(pick))) + "\n"
            if rng.random() < 0.1:
                text = mutate(text, [(rng.randrange(10_000), rng.randrange(4),
                                      rng.choice(["-", ":", "\t", "[", "'", "\n  ", "\x00"]))])
            files[f"{where}/r{i}.yaml"] = text
        else:
            files[f"{where}/r{i}.conf"] = join_lines(conf_lines(pick, 10), "\n")
    return files


def _supports_jobs() -> bool:
    return "--jobs" in invoke("check", "--help").stdout


@pytest.mark.slow  # a generated corpus through every format; the fixture twins above run in the fast run
def test_generated_corpus_twice(tmp_path: Path) -> None:
    files = _generated_corpus(2500, seed=20240611)
    first_dir, second_dir = tmp_path / "one", tmp_path / "two"
    write_tree(first_dir, files)
    write_tree(second_dir, files, order=list(reversed(list(files))))
    jobs = (("--jobs", "1"), ("--jobs", "2")) if _supports_jobs() else ((), ())
    first = run_process("check", ".", "-f", "json", *jobs[0], cwd=first_dir, hash_seed="11", timeout=300)
    second = run_process("check", ".", "-f", "json", *jobs[1], cwd=second_dir, hash_seed="12", timeout=300)
    assert first.returncode == second.returncode == 1, first.stderr[-2000:]
    assert first.stdout == second.stdout
    summary = json.loads(first.stdout)["summary"]
    assert summary["files_read"] >= 2300 and summary["targets_checked"] >= 1500
    assert json.loads(first.stdout)["notifications"]  # NUL bytes: files not analysed, reported


def test_generated_corpus_is_deterministic_by_seed() -> None:
    assert _generated_corpus(50, seed=5) == _generated_corpus(50, seed=5)
