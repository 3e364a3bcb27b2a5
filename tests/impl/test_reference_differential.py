"""The reference against threading.Barrier on real threads, for deterministic outcomes.

Each scenario (``tests/support/differential.py``) runs once with each barrier class; what it
records does not depend on timing (index sets, broken flags, exception types), so the two must
record the same thing.
"""

from __future__ import annotations

import threading

import pytest
from differential import SCENARIOS, scenario_generations

from barrierlab.impl import reference

BARRIERS = {"threading": threading.Barrier, "reference": reference.Barrier}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_reference_matches_threading(scenario):
    expected = scenario(BARRIERS["threading"])
    assert scenario(BARRIERS["reference"]) == expected


def test_generations_give_every_index_once():
    result = scenario_generations(reference.Barrier)
    assert all(s == [0, 1, 2, 3] for s in result["index_sets"])
