"""CPython's own Barrier test suite, run against every correct alternative on real threads.

The suite comes from ``test_reference_cpython_suite.py`` beside this file (loaded by path: the
tests run with ``--import-mode=importlib``, so test modules are not importable by name).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from barrierlab.impl import event_per_generation, generations, leader, sense_reversing, turnstile


def _load_sibling(name):
    path = Path(__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"_barrierlab_tests_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cpython_suite_for = _load_sibling("test_reference_cpython_suite").cpython_suite_for


class GenerationsBarrierTests(cpython_suite_for(generations.Barrier)):
    pass


class EventPerGenerationBarrierTests(cpython_suite_for(event_per_generation.Barrier)):
    pass


class TurnstileBarrierTests(cpython_suite_for(turnstile.Barrier)):
    pass


class SenseReversingBarrierTests(cpython_suite_for(sense_reversing.Barrier)):
    pass


class LeaderBarrierTests(cpython_suite_for(leader.Barrier)):
    pass
