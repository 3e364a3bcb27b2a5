"""The quality tier, part 3: the bugs no catalogue scenario shows.

Each seeded bug marked ``outside_catalogue`` needs a scenario of a shape the catalogue lacks (a
zero timeout; three threads and four waits with ``parties=2``; a second generation with
``parties >= 3``; a third generation). The catalogue alone misses each within a budget that
finds every other seeded bug (so the claim stays honest). That a default check, which goes on
into generated scenarios, finds each, in a generated scenario within the default bounds, is
tested with every other seeded bug in ``test_seeded_bugs.py``. What makes that robust on a
loaded machine is tested here without a clock: each bug's shape comes early in the space, and
one probe of each of the first generated scenarios finds it (synthesis by count).
"""

from __future__ import annotations

import itertools

import pytest

from barrierlab.checker import api
from barrierlab.checker.explore.generated import PROBE_SCHEDULES, generated
from barrierlab.checker.explore.scenario_catalogue import SCENARIOS
from barrierlab.checker.explore.synthesis import Bounds, canonical, key
from barrierlab.checker.report.checks import Settings
from barrierlab.checker.runtime.target import load_target
from barrierlab.checker.scenario import Scenario
from barrierlab.impl.targets import BUGS

pytestmark = pytest.mark.quality

OUTSIDE = [i for i in BUGS if i.outside_catalogue]


def test_there_are_bugs_outside_the_catalogue():
    assert len(OUTSIDE) >= 4


@pytest.mark.parametrize("info", OUTSIDE, ids=lambda i: i.name)
def test_the_catalogue_alone_misses_the_bug(info):
    result = api.check(info.spec, synthesis=False, budget=10, fail_fast=True)
    assert result.verdict == "pass", [(v.rule, v.scenario.name) for v in result.violations]
    assert result.space is None


#: How far into the generated space (the order a default check probes it in) each bug's
#: distinguishing shape may lie: no further than a default report reaches (as many probes as
#: the catalogue's schedules pay for), which a default check passes within its probe phase.
EARLY = Settings().synthesis()


@pytest.mark.parametrize("info", OUTSIDE, ids=lambda i: i.name)
def test_the_shape_that_shows_the_bug_comes_early_in_the_space(info):
    """Deterministic (no clock): the bug's own scenario, as the space writes it, is among the
    first generated scenarios a check of it runs."""
    loaded = load_target(info.spec)
    shape = canonical(Scenario.build(info.name, **info.scenario))
    assert shape is not None
    space = generated(loaded, Bounds(), list(SCENARIOS.values()), "documented")
    first_ones = list(itertools.islice(space, EARLY))
    assert key(shape) in [key(s) for s in first_ones], shape.to_args()


@pytest.mark.parametrize("info", OUTSIDE, ids=lambda i: i.name)
def test_probes_of_the_first_generated_scenarios_find_the_bug_by_count(info):
    """Synthesis by count (no clock at all, so load cannot change it): one probe of each of
    the first EARLY generated scenarios finds the bug, shrunk, with the rule it names."""
    result = api.check(
        info.spec, max_schedules=PROBE_SCHEDULES, generated=EARLY, fail_fast=True, budget=3600
    )
    assert result.verdict == "fail", result.space.summary() if result.space else None
    violation = result.violations[0]
    assert {violation.rule, violation.kind} & {info.expected, *info.also}
    assert violation.scenario.name not in SCENARIOS and Bounds().admits(violation.scenario)
    assert result.space is not None and result.space.failed == 1
