"""The footprints benchmark runs at tiny sizes (it asserts no timing)."""

from __future__ import annotations

from barrierlab.checker.bench import reduction


def test_the_user_style_barrier_row_shows_an_exhausted_reduced_search():
    rows = list(reduction.rows(reduction.CASES[:1], cap=50, seconds=30.0, class_cap=0))
    ((_, today, reduced, _),) = rows
    assert reduced.exhaustive and reduced.schedules <= 200
    assert not today.exhaustive and today.schedules == 50  # capped: many thousands in full
    line = reduction.table(rows)[-1]
    assert line.startswith("| user-style barrier, 2 x wait | line | >= 50 |")
