"""Test-wide settings: Hypothesis runs derandomized by default, so CI is deterministic; the
quality tier is one pytest-xdist group (below).

Set ``HYPOTHESIS_PROFILE=explore`` to draw fresh random examples on each run (and more of
them) when hunting for new failures locally.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", max_examples=500, database=None, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(config, items):
    """The quality tier runs as one group (``--dist loadgroup``, set in pyproject's addopts): under
    pytest-xdist its checks run one at a time on one worker, each with a core of its own, while
    the other workers share the fast tier. Its wall-clock budgets are thus never split with
    another quality check, however many workers there are."""
    for item in items:
        if item.get_closest_marker("quality") is not None:
            item.add_marker(pytest.mark.xdist_group("quality"))
