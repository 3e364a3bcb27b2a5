"""The GIL-against-free-threaded bench runs, and says so when it cannot compare."""

from __future__ import annotations

import sys

from barrierlab.checker.bench import builds


def test_the_running_interpreter_is_measured_first():
    assert builds.find_interpreters()[0] == sys.executable
    row = builds.measure_here(quick=True)
    assert row["schedules_per_s"] > 0 and row["ring_us"] > 0


def test_the_table_compares_with_the_gil_build_and_says_when_it_cannot():
    gil = {"build": "3.13", "version": "3.13.0", "gil": True, "ring_us": 10.0}
    free = {"build": "3.13t", "version": "3.13.0", "gil": False, "ring_us": 55.0}
    lines = builds.table([{**gil, "schedules_per_s": 100.0}, {**free, "schedules_per_s": 60.0}])
    assert lines[-1].endswith("| 0.60x |")
    alone = builds.table([{**gil, "schedules_per_s": 100.0}])
    assert "could not be measured" in alone[-1]
