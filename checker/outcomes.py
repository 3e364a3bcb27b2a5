"""The checker's closed sets of answers, as enums.

Each member *is* its string (a :class:`enum.StrEnum`): it compares equal to it, hashes like it,
formats as it and is written to JSON as it, so reports, tokens and the command line see the
same plain words as before, while the code that produces and compares them names a member that
a typo cannot silently invent.

>>> RunOutcome.DEADLOCK == "deadlock", f"{CheckVerdict.FAIL}"
(True, 'fail')
>>> import json; json.dumps({"kind": ViolationKind.SPEC})
'{"kind": "spec"}'
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CheckVerdict", "ReplayStatus", "RunOutcome", "ViolationKind"]


class RunOutcome(StrEnum):
    """How one schedule ended (see :mod:`barrierlab.checker.runtime.run`)."""

    #: Every thread finished.
    COMPLETE = "complete"
    #: Some threads are blocked with nothing to wake them and no deadline pending.
    DEADLOCK = "deadlock"
    #: Only pollers were left, polling round after round with no event and no timeout due:
    #: they count as blocked (fair schedules, see :mod:`barrierlab.checker.runtime.run`).
    STALLED = "stalled"
    #: The step bound cut the run.
    LIVELOCK = "livelock"
    #: The watchdog cut the run: a thread blocked or spun outside barrierlab's control.
    UNCONTROLLED = "uncontrolled"


class CheckVerdict(StrEnum):
    """A check's (or a scenario's) verdict. A check that found no violation passes."""

    PASS = "pass"
    FAIL = "fail"


class ViolationKind(StrEnum):
    """What a failing schedule shows (see :mod:`barrierlab.checker.explore.search`)."""

    #: A barrier call raised something other than ``BrokenBarrierError`` or the action's error.
    CRASH = "crash"
    #: The spec rejected the trace.
    SPEC = "spec"
    #: The run ended with threads blocked that the spec says should not be.
    DEADLOCK = "deadlock"
    #: The run ended with threads polling for good that the spec says should not be blocked.
    STALLED = "stalled"
    #: The step bound cut the run.
    LIVELOCK = "livelock"
    #: The watchdog cut the run.
    UNCONTROLLED = "uncontrolled"
    #: The target tried to end the process (``os._exit``).
    EXIT = "exit"

    @property
    def rejected_by_spec(self) -> bool:
        """True for the kinds that the spec rejected at a position of the trace."""
        return self in (ViolationKind.SPEC, ViolationKind.DEADLOCK, ViolationKind.STALLED)


class ReplayStatus(StrEnum):
    """What replaying a token showed (see :mod:`barrierlab.checker.explore.replay`)."""

    #: The replayed schedule fails again.
    REPRODUCED = "reproduced"
    #: The schedule was replayed as recorded and passes now.
    PASSED = "passed"
    #: The run took another path than the recorded one (is the target deterministic?).
    DIVERGED = "diverged"
