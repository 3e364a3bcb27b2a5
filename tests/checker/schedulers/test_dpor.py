"""The race analysis stays near-linear in the length of a run (counted, not timed).

A thread that spins for many steps while another is passed over is the shape of every polling
barrier under a fair schedule: the analysis must not walk the whole run again for every step.
Work is counted as reads of the run's steps, so the test does not depend on the machine.
"""

from __future__ import annotations

from collections.abc import Sequence

from barrierlab.checker.schedulers.base import Choice, Footprint
from barrierlab.checker.schedulers.dpor import races

FLAG = ("a", 1, "flag")


class Counted(Sequence):
    """A run's steps that count how often the analysis reads one."""

    def __init__(self, steps: list[Choice]) -> None:
        self.steps, self.reads = steps, 0

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, i):
        self.reads += 1
        return self.steps[i]


def spinning_run(n: int) -> tuple[Counted, list[tuple[Choice, int]]]:
    """Thread 0 polls a flag ``n`` times: each turn reads it (data) and then runs untraced
    code under a lock; thread 1, pending the whole run, would set the flag."""
    steps = []
    for _ in range(n):
        steps.append(Choice(0, footprint=Footprint(reads=frozenset({FLAG}))))
        steps.append(Choice(0, obj=7, access="release", footprint=Footprint(untraced=True)))
    setter = Choice(1, footprint=Footprint(writes=frozenset({FLAG})))
    return Counted(steps), [(setter, len(steps))]


def work(n: int) -> tuple[int, int]:
    events, pending = spinning_run(n)
    found = list(races(events, pending, len(events), lambda k: None))
    return events.reads, len(found)


def test_every_step_of_the_poll_races_with_the_passed_over_setter():
    _, found = work(50)
    # The setter may come before any of the 50 reads, and before any of the 50 untraced
    # steps (untraced code conflicts with every step that touches data).
    assert found == 100


def test_the_analysis_of_a_spinning_run_grows_linearly():
    small, _ = work(400)
    large, _ = work(1600)
    # Four times the run: about four times the work (a quadratic analysis does sixteen).
    assert large < 6 * small, (small, large)
