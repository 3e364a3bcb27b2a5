"""Test-wide settings: Hypothesis runs derandomized by default, so CI is deterministic.

Set ``HYPOTHESIS_PROFILE=explore`` to draw fresh random examples on each run (and more of
them) when hunting for new failures locally.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", max_examples=500, database=None, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
