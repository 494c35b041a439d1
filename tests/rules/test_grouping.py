"""One root cause, one finding: the table in rules/_grouping.py, and what it does to real runs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from redislint.engine import CheckOptions, check_paths
from redislint.model import Span
from redislint.rules import ALL_RULES
from redislint.rules._grouping import DEFERS, OWNER, RANK, ROOT_CAUSES, one_finding_per_cause

CODES = {r.code for r in ALL_RULES}


def test_table_names_real_rules_and_each_cause_once() -> None:
    assert len({c.name for c in ROOT_CAUSES}) == len(ROOT_CAUSES)
    for c in ROOT_CAUSES:
        assert c.owner in CODES and set(c.deferrers) <= CODES, c
        assert c.owner not in c.deferrers and c.deferrers and c.why


def test_every_owner_ranks_before_the_rules_that_defer_to_it() -> None:
    for c in ROOT_CAUSES:
        assert all(RANK[c.owner] < RANK[d] for d in c.deferrers), c


def test_resolution_keeps_the_owner_and_drops_deferrers_of_reported_causes() -> None:
    items = [("RL205", ("aof-off", "save-points")), ("RL203", ("aof-off",)), ("RL202", ("save-points",)),
             ("RL306", ("no-maxmemory",)), ("RL017", ())]
    kept = one_finding_per_cause(items, lambda i: i[0], lambda i: i[1])
    # RL205 defers to RL203; RL205 is gone, so RL202 (which defers to RL205) stays: its own decision.
    assert [(i[0], [d[0] for d in dropped]) for i, dropped in kept] == [
        ("RL203", ["RL205"]), ("RL202", []), ("RL306", []), ("RL017", [])]
    # Without RL203 (off in the profile), RL205 reports and RL202 steps back.
    kept = one_finding_per_cause(items[:1] + items[2:], lambda i: i[0], lambda i: i[1])
    assert [(i[0], [d[0] for d in dropped]) for i, dropped in kept] == [
        ("RL205", ["RL202"]), ("RL306", []), ("RL017", [])]


def test_an_owner_only_silences_causes_it_reported() -> None:
    items = [("RL301", ("no-maxmemory",)), ("RL303", ("fork-headroom",))]
    assert len(one_finding_per_cause(items, lambda i: i[0], lambda i: i[1])) == 2
    assert set(OWNER) == set(DEFERS)


# -- end to end: each case is a config where both rules fire alone, and only the owner together --

HR = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
  namespace: apps
spec:
  chart:
    spec:
      chart: redis
      version: 20.0.3
  values:
"""


def _hr(values: str) -> str:
    return HR + textwrap.indent(textwrap.dedent(values), "    ")


class Case:
    def __init__(self, id: str, profile: str, content: str, owner: str, deferrers: tuple[str, ...],
                 consequence: tuple[str, ...], file: str = "input.yaml") -> None:
        self.id, self.profile, self.content, self.owner = id, profile, content, owner
        self.deferrers, self.consequence, self.file = deferrers, consequence, file


CASES = [
    Case("aof-off-under-cache", "cache", "appendonly no\nsave 900 1\nmaxmemory 1gb\nmaxmemory-policy allkeys-lru\n",
         "RL203", ("RL205",), ("the data-loss window is 900 s, vs at most 1 s",), "redis.conf"),
    Case("aof-and-rdb-off-under-queue", "queue", "appendonly no\nsave \"\"\nmaxmemory 1gb\n",
         "RL203", ("RL205",), ("nothing is written to disk",), "redis.conf"),
    Case("appendfsync-no-under-cache", "cache",
         "appendonly yes\nappendfsync no\nmaxmemory 1gb\nmaxmemory-policy allkeys-lru\n",
         "RL204", ("RL205",), ("about 30 s", "at most 1 s"), "redis.conf"),
    Case("everysec-under-critical", "critical",
         "appendonly yes\nappendfsync everysec\nsave 300 1\nmaxmemory 1gb\n",
         "RL204", ("RL205",), ("1 s", "at most 0 s"), "redis.conf"),
    Case("save-points-need-ten-changes-under-session", "session",
         "appendonly no\nsave 300 10\nmaxmemory 1gb\nmaxmemory-policy allkeys-lru\n",
         "RL205", ("RL202",), ("unbounded", "fewer than 10 writes"), "redis.conf"),
    Case("no-maxmemory-under-cache", "cache", _hr("""\
         architecture: standalone
         master:
           configuration: |
             maxmemory-policy allkeys-lru
           resources:
             limits:
               memory: 1Gi
         """), "RL301", ("RL306", "RL303"), ("allkeys-lru never evicts", "fork")),
    Case("persistence-on-disposable-data", "ephemeral", _hr("""\
         architecture: standalone
         master:
           configuration: |
             maxmemory 900mb
             maxmemory-policy allkeys-lru
             auto-aof-rewrite-percentage 0
           resources:
             limits:
               memory: 1Gi
           persistence:
             enabled: false
         """), "RL211", ("RL209", "RL303", "RL401"), ("every rewrite forks",)),
    Case("no-volume-under-a-replicated-cache", "cache", _hr("""\
         architecture: replication
         master:
           configuration: |
             maxmemory 100mb
             maxmemory-policy allkeys-lru
           persistence:
             enabled: false
             medium: Memory
         replica:
           replicaCount: 2
         """), "RL401", ("RL406",), ("replicas resync",)),
    Case("preset-too-small-for-the-fork", "cache", _hr("""\
         architecture: standalone
         master:
           configuration: |
             maxmemory 150mb
             maxmemory-policy allkeys-lru
         """), "RL303", ("RL307",), ("resourcesPreset nano",)),
    Case("maxmemory-over-the-limit", "critical", _hr("""\
         architecture: standalone
         master:
           configuration: |
             maxmemory 300mb
           resources:
             requests:
               memory: 128Mi
             limits:
               memory: 256Mi
         """), "RL304", ("RL308",), ("OOM-killed",)),
    Case("replica-on-nano-under-a-900mb-master", "cache", _hr("""\
         architecture: replication
         master:
           configuration: |
             maxmemory 900mb
             maxmemory-policy allkeys-lru
           resources:
             requests:
               memory: 1Gi
             limits:
               memory: 2Gi
         replica:
           replicaCount: 1
         """), "RL309", ("RL303", "RL307", "RL308"), ("cannot hold the data set it copies",)),
    Case("chart-default-common-under-critical", "critical", _hr("""\
         architecture: replication
         master:
           configuration: |
             maxmemory 1gb
           resources:
             limits:
               memory: 2Gi
         replica:
           replicaCount: 2
           resources:
             limits:
               memory: 2Gi
         """), "RL201", ("RL204",), ("does not allow either",)),
]


def _run(tmp_path: Path, case: Case, select: tuple[str, ...] = ()) -> list:
    path = tmp_path / case.file
    path.write_text(case.content)
    report, _ = check_paths([str(path)], CheckOptions(profile=case.profile, select=select))
    return report.findings


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_deferring_rules_fire_alone_and_step_back_for_the_owner(tmp_path: Path, case: Case) -> None:
    for deferrer in case.deferrers:
        alone = [f for f in _run(tmp_path, case, (deferrer,)) if f.rule == deferrer]
        assert alone, f"{deferrer} does not fire on its own here, so the case proves nothing"
    together = _run(tmp_path, case)
    rules = [f.rule for f in together]
    assert case.owner in rules, rules
    assert not set(case.deferrers) & set(rules), [(f.rule, f.message) for f in together]
    owner = next(f for f in together if f.rule == case.owner)
    for fragment in case.consequence:
        assert fragment in owner.message, owner.message


def _siblings_left(report, case: Case) -> set[str]:
    return {f.rule for f in report.findings} & ({case.owner} | set(case.deferrers))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_suppressing_the_owner_inline_leaves_no_sibling(tmp_path: Path, case: Case) -> None:
    path = tmp_path / case.file
    path.write_text(f"# redislint: disable-file={case.owner} -- decided\n" + case.content)
    report, _ = check_paths([str(path)], CheckOptions(profile=case.profile))
    assert not _siblings_left(report, case), [(f.rule, f.message) for f in report.findings]
    assert {f.rule for f in report.suppressed} & ({case.owner} | set(case.deferrers)) == {case.owner}


@pytest.mark.parametrize("case", CASES[:3], ids=lambda c: c.id)
def test_suppressing_the_owner_in_the_config_file_leaves_no_sibling(tmp_path: Path, case: Case) -> None:
    from redislint.suppress import Suppression

    path = tmp_path / case.file
    path.write_text(case.content)
    entry = Suppression((case.owner,), "decided", Span(str(tmp_path / ".redislint.yaml"), 1, 1, 1, 1), "config",
                        path_glob="*")
    report, _ = check_paths([str(path)], CheckOptions(profile=case.profile, extra_suppressions=(entry,)))
    assert not _siblings_left(report, case), [(f.rule, f.message) for f in report.findings]


@pytest.mark.parametrize("case", CASES[:3], ids=lambda c: c.id)
def test_a_baseline_holding_the_owner_leaves_no_new_sibling(tmp_path: Path, case: Case) -> None:
    from redislint import baseline

    findings = _run(tmp_path, case)
    owner = [f for f in findings if f.rule == case.owner]
    base = tmp_path / "base.json"
    baseline.write(str(base), owner, str(tmp_path))  # only the owner was ever accepted
    new, known = baseline.filter_new(_run(tmp_path, case), baseline.load(str(base)), str(tmp_path))
    assert owner and len(known) == len(owner)
    assert not {f.rule for f in new} & ({case.owner} | set(case.deferrers)), [(f.rule, f.message) for f in new]


def test_every_cause_a_rule_names_is_in_the_table() -> None:
    import re

    rules_dir = Path(__file__).resolve().parents[2] / "redislint" / "rules"
    named: dict[str, set[str]] = {}
    for path in rules_dir.glob("rl[0-9][0-9][0-9]_*.py"):
        text = path.read_text()
        # Every quoted name on a line that sets causes (`causes=(...)`, `_CAUSES = {...}`).
        for line in text.splitlines():
            if "causes" in line.lower() and ("=" in line or ":" in line):
                tail = line[line.lower().index("causes"):]  # not the subject= before it
                for cause in re.findall(r'"([a-z]+(?:-[a-z]+)*)"(?!\s*:)', tail):
                    named.setdefault(cause, set()).add(path.name[:5].upper())
    assert named, "no rule names a cause"
    assert set(named) <= set(OWNER), set(named) - set(OWNER)
    for cause, owner in OWNER.items():
        assert owner in named.get(cause, set()), f"{owner} owns {cause} but never reports it"
        for deferrer in DEFERS[cause]:
            assert deferrer in named.get(cause, set()), f"{deferrer} defers on {cause} but never names it"


def test_the_owner_takes_the_worst_severity_of_its_group_and_names_it(tmp_path: Path) -> None:
    """Under baseline an emptyDir with the AOF on is a warning (RL401); replicas that resync from the
    restarted, empty master are an error (RL406). One finding, at the worst of the two."""
    case = Case("baseline-replicated-emptydir", "baseline", _hr("""\
        architecture: replication
        master:
          persistence:
            enabled: false
        replica:
          replicaCount: 2
        """), "RL401", ("RL406",), ())
    assert [f.severity.value for f in _run(tmp_path, case, ("RL401",)) if f.role == "master"] == ["warning"]
    (owner,) = [f for f in _run(tmp_path, case) if f.rule == "RL401" and f.role == "master"]
    assert owner.severity.value == "error"
    assert "replicas resync from it" in owner.message
    assert owner.message.endswith("(one root cause: this finding also stands for RL406 replicas-without-persistence)")
