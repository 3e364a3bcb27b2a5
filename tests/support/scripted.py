"""Shared helpers for checker tests: tiny schedulers that need nothing else of ours."""

from __future__ import annotations

import random
from pathlib import Path

TARGETS = Path(__file__).parent.parent / "checker" / "targets"


class Scripted:
    """Picks by a rule: the first option, or seeded random; one schedule per start()."""

    name = "scripted"
    exhaustive = False

    def __init__(self, seed=None, prefer_timeouts=False):
        self.rng = random.Random(seed) if seed is not None else None
        self.prefer_timeouts = prefer_timeouts
        self.seen = []

    def start(self):
        return True

    def choose(self, options):
        self.seen.append(tuple(options))
        if self.prefer_timeouts:
            for c in options:
                if c.timeout:
                    return c
        return self.rng.choice(options) if self.rng else options[0]

    def finish(self, cut_short=False):
        pass


def styles_spec(name: str) -> str:
    """The target spec of a class in tests/checker/targets/styles.py."""
    return f"{TARGETS / 'styles.py'}:{name}"
