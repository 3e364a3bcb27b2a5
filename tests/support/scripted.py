"""Shared helpers for checker tests: tiny schedulers that need nothing else of ours."""

from __future__ import annotations

import random
from pathlib import Path

STYLES = Path(__file__).with_name("styles.py")


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
    """The target spec (``path:Class``) of a class in ``styles.py`` beside this module."""
    return f"{STYLES}:{name}"
