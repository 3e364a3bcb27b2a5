"""Exploration: many schedules of many scenarios, each run judged against the spec.

:mod:`.search` (one scenario), :mod:`.verdict_cache` (verdicts of traces judged before),
:mod:`.scenario_catalogue` (the built-in scenarios), :mod:`.token` (replay tokens),
:mod:`.parallel` (a check spread over processes).
"""
