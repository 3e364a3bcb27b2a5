"""The quality tier, part 3: the bugs no catalogue scenario shows.

Each seeded bug marked ``outside_catalogue`` needs a scenario of a shape the catalogue lacks (a
zero timeout; three threads and four waits with ``parties=2``; a second generation with
``parties >= 3``; a third generation). The catalogue alone misses each within a budget that
finds every other seeded bug (so the claim stays honest). That a default check, which goes on
into generated scenarios, finds each, in a generated scenario within the default bounds, is
tested with every other seeded bug in ``test_seeded_bugs.py``.
"""

from __future__ import annotations

import pytest

from barrierlab.checker import api
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
