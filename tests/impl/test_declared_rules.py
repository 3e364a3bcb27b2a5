"""Every violation the committed report of a seeded bug shows is one its entry declares.

``TargetInfo.expected`` and ``also`` list what a check of the bug may report first; the quality
tier's default checks (time-budgeted, so they may reach any scenario first) assert that what
they find is among them. A rule the bug breaks in some scenario but its entry leaves out makes
those checks fail only when that scenario happens to come first: flaky. The committed reports
(deterministic, every scenario of the catalogue and the generated ones) show each scenario's
first violation, so they are the list to compare with.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from barrierlab.checker.report.checks import slug
from barrierlab.impl.targets import TARGETS

REPORTS = Path(__file__).resolve().parents[2] / "reports"
SEEDED = [
    t for t in TARGETS.values() if t.kind == "bug" and (REPORTS / f"{slug(t.spec)}.json").exists()
]


def test_the_reports_of_most_seeded_bugs_are_there():
    # a wrong path or slug would make the test below check nothing
    assert len(SEEDED) >= 29


@pytest.mark.parametrize("info", SEEDED, ids=lambda t: t.name)
def test_every_violation_in_the_report_is_declared(info):
    report = json.loads((REPORTS / f"{slug(info.spec)}.json").read_text(encoding="utf-8"))
    first = report["results"][0]  # the profile a default check judges by
    declared = {info.expected, *info.also}
    undeclared = sorted(
        {
            f"{v['rule'] or v['kind']} ({v['scenario']['name']})"
            for v in first["violations"]
            if not {v["rule"], v["kind"]} & declared
        }
    )
    assert not undeclared, f"{info.name} declares {sorted(declared)}; its report also shows"
