"""The bundled asyncio targets and what a check should find in each (the quality tier's list).

Kept apart from :mod:`barrierlab.impl.targets` (threading barriers), whose lists the thread
benchmarks and CPython's ``threading`` test suite run over.
"""

from __future__ import annotations

from typing import Final

from barrierlab.impl.targets import TargetInfo, _scenario

__all__ = ["ASYNC_BUGS", "ASYNC_CORRECT"]


def _bug(name, expected, also, scenario, notes) -> TargetInfo:
    return TargetInfo(
        name,
        f"barrierlab.impl.aio_bugs.{name.removeprefix('aio_')}:Barrier",
        "bug",
        expected,
        scenario,
        notes=notes,
        also=also,
    )


ASYNC_CORRECT: Final[tuple[TargetInfo, ...]] = (
    TargetInfo(
        "asyncio_reference",
        "barrierlab.impl.asyncio_reference:Barrier",
        "correct",
        None,
        None,
        notes="CPython's design with indices numbered at release: cancellation done right",
    ),
)

ASYNC_BUGS: Final[tuple[TargetInfo, ...]] = (
    _bug(
        "aio_index_at_arrival",
        "A-INDEX",
        (),
        _scenario(3, ["wait", "wait", "wait", "wait"]),
        "index = count on arrival (CPython's asyncio.Barrier, gh-155233)",
    ),
    _bug(
        "aio_cancel_breaks",
        "A-CANCEL-STATE",
        ("A-BROKEN-WAIT",),
        _scenario(2, ["wait(1)", "wait", "wait"]),
        "a cancelled waiter breaks the barrier",
    ),
    _bug(
        "aio_cancel_keeps_seat",
        "A-CANCEL-FILLING",
        ("A-RELEASE", "A-N-WAITING"),
        _scenario(2, ["wait", "wait"]),
        "a waiter cancelled while filling keeps its seat",
    ),
    _bug(
        "aio_cancel_swallowed",
        "A-CANCEL",
        ("deadlock",),
        _scenario(2, ["wait", "wait"]),
        "wait swallows the CancelledError and waits on",
    ),
    _bug(
        "aio_no_drain_gate",
        "A-BROKEN-WAIT",
        ("A-RESET",),
        _scenario(2, ["wait", "wait", "wait"]),
        "no drain gate: an arrival during the drain raises BrokenBarrierError",
    ),
    _bug(
        "aio_reset_keeps_seats",
        "A-RESET",
        ("A-RELEASE", "A-RELEASE-ALL", "A-INDEX", "A-CANCEL-FILLING"),
        _scenario(2, ["wait", "reset", "wait"]),
        "reset leaves the seats of the reset waiters in the next generation",
    ),
    _bug(
        "aio_reset_cancel_half",
        "A-CANCEL",
        ("deadlock", "A-RELEASE-ALL", "A-RELEASE", "A-CANCEL-STATE"),
        _scenario(2, ["wait", "reset", "wait"]),
        "reset suspends half-way: cancelled there, it leaves half a reset",
    ),
    _bug(
        "aio_exit_no_notify",
        "A-RELEASE-ALL",
        ("deadlock", "A-RELEASE", "A-CANCEL-FILLING"),
        _scenario(2, ["wait wait", "wait wait"]),
        "the last task out of a drain does not wake the tasks at the gate",
    ),
    _bug(
        "aio_blocking_sleep",
        "uncontrolled",
        (),
        _scenario(2, ["wait", "wait"]),
        "a real threading.Lock held across an await blocks the event loop (an honest limit)",
    ),
)
