"""Test-wide settings: Hypothesis runs derandomized by default, so CI is deterministic; the
quality tier is one unit of work for pytest-xdist (below).

Set ``HYPOTHESIS_PROFILE=explore`` to draw fresh random examples on each run (and more of
them) when hunting for new failures locally.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", max_examples=500, database=None, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


#: Tests that share a pytest-xdist worker, one after another, by where they are: the quality
#: tier (its checks have wall-clock budgets: one at a time, each with a core of its own, never
#: split with another quality check, however many workers there are) and the Dask cluster tests
#: (each starts a LocalCluster, whose scheduler asks for port 8787).
GROUPS = {"tests/quality/": "quality", "tests/checker/explore/test_cluster.py": "dask-cluster"}


def pytest_xdist_make_scheduler(config, log):
    """Under ``-n`` (pyproject's addopts): each test its own unit of work, except the groups of
    :data:`GROUPS`, each a unit sent to one worker (the largest first: the quality tier starts at
    once, the other workers share the fast tier meanwhile)."""
    from xdist.scheduler import LoadScopeScheduling

    class Grouped(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return next((g for p, g in GROUPS.items() if nodeid.startswith(p)), nodeid)

    return Grouped(config, log)
