"""The quality tier, part 3: footprints and partial-order reduction lose no outcome.

On every bundled barrier (correct and seeded) and small scenarios, line level on: the reduced
search (footprints, DPOR) is exhausted, and reaches every trace that plain DFS without
footprints reaches (every interleaving of every line); when plain DFS is exhausted within its
cap, the two reach the same set of verdicts. With footprints a thread may also be descheduled
between returning and being seen to return, so the reduced search may see more traces.
"""

from __future__ import annotations

import pytest
from reduction import explore_all

from barrierlab.checker.scenario import Scenario
from barrierlab.impl.targets import TARGETS

pytestmark = pytest.mark.quality

PLAIN_CAP = 400
REDUCED_CAP = 3_000
SMALL = {
    "wait-read": (2, ["wait", "n_waiting"]),
    "wait-abort": (2, ["wait", "abort"]),
    "wait-timeout": (2, ["wait(1)", "wait"]),
}


#: Targets whose every run spins to the step bound: minutes per case on a busy machine, so
#: they are compared in the slow tier only.
SPINNING = {"livelock_broken_spin"}


def _cases():
    for info in TARGETS.values():
        marks = [pytest.mark.slow] if info.name in SPINNING else []
        for name, (parties, threads) in SMALL.items():
            yield pytest.param(info, Scenario.build(name, parties=parties, threads=threads),
                               id=f"{info.name}-{name}", marks=marks)  # fmt: skip
        # A seeded bug's own scenario, when small (two threads, three calls at most).
        bug = info.scenario
        if bug and len(bug["threads"]) <= 2 and sum(len(t.split()) for t in bug["threads"]) <= 3:
            yield pytest.param(info, Scenario.from_json({"name": "bug", **info.scenario}),
                               id=f"{info.name}-bug", marks=marks)  # fmt: skip


@pytest.mark.parametrize(("info", "scenario"), list(_cases()))
def test_the_reduced_search_reaches_every_outcome_of_plain_dfs(info, scenario):
    reduced = explore_all(info.spec, scenario, cap=REDUCED_CAP)
    plain = explore_all(info.spec, scenario, footprints=False, reduction=False, cap=PLAIN_CAP)
    if not reduced.exhaustive:
        # A few spaces stay large (timeouts are still dependent with every step): then every
        # verdict plain DFS met must have been met too.
        assert reduced.verdicts >= plain.verdicts
        return
    missing = plain.traces - reduced.traces
    assert not missing, f"{info.name}: {len(missing)} trace(s) lost, e.g. {next(iter(missing))}"
    if plain.exhaustive:
        assert reduced.verdicts == plain.verdicts
    else:
        assert reduced.verdicts >= plain.verdicts
