"""The rules of the ``asyncio`` profile: :class:`asyncio.Barrier`'s documentation, sentence by
sentence (Doc/library/asyncio-sync.rst, "Barrier", Python 3.11).

asyncio's barrier has the shape of threading's, so most rules mirror an ``R-`` rule (same
meaning, asyncio's sentence): :data:`RENAME` maps each ``R-`` ID the shared spec machinery
emits to its ``A-`` twin. The new ones are about cancellation, which asyncio's timeouts are made
of: ``A-CANCEL`` (a cancelled task exits the barrier), ``A-CANCEL-STATE`` (the barrier stays in
the same state) and ``A-CANCEL-FILLING`` (while filling, one fewer task waits).

>>> from barrierlab.model.rules import RULES
>>> RULES["A-CANCEL"].profiles
('asyncio',)
>>> RENAME["R-INDEX"]
'A-INDEX'
"""

from __future__ import annotations

from typing import Final

__all__ = ["ASYNCIO_RULES", "RENAME"]
_CLASS = (
    "A barrier is a simple synchronization primitive that allows to block until parties number "
    "of tasks are waiting on it. Tasks can wait on the wait() method and would be blocked until "
    "the specified number of tasks end up waiting on wait(). At that point all of the waiting "
    "tasks would unblock simultaneously."
)
_REUSE = "The barrier can be reused any number of times."
_INDEX = "The return value is an integer in the range of 0 to parties-1, different for each task."
_CANCEL = (
    "When a waiting or blocked task in the barrier is cancelled, this task exits the barrier "
    "which stays in the same state."
)
_FILLING = "If the state of the barrier is 'filling', the number of waiting task decreases by 1."
_RAISES = (
    "This method may raise a BrokenBarrierError exception if the barrier is broken or reset "
    "while a task is waiting."
)
_RESET = (
    "Return the barrier to the default, empty state. Any tasks waiting on it will receive the "
    "BrokenBarrierError exception."
)
_ABORT = (
    "Put the barrier into a broken state. This causes any active or future calls to wait() to "
    "fail with the BrokenBarrierError."
)
_TIMEOUTS = (
    "Methods of these synchronization primitives do not accept the timeout argument; use the "
    "asyncio.wait_for() function to perform operations with timeouts."
)


#: The asyncio profile's rules as ``(id, statement, source)``, in the order reports list them;
#: :data:`barrierlab.model.rules.RULES` holds them as rules of the profile ``asyncio``.
ASYNCIO_RULES: Final[tuple[tuple[str, str, str], ...]] = (
    ("A-RELEASE", "a wait returns only after parties tasks of its generation waited", _CLASS),
    (
        "A-RELEASE-ALL",
        "all parties of a completed generation are released; none of them stays blocked",
        _CLASS,
    ),
    (
        "A-INDEX",
        "wait returns an index in range(parties), distinct among the tasks of its generation "
        "that return (a cancelled waiter's index is not theirs to reuse twice)",
        _INDEX,
    ),
    (
        "A-REUSE",
        "a released generation leaves the barrier empty and filling, any number of times",
        _REUSE,
    ),
    (
        "A-CANCEL",
        "a cancelled wait exits the barrier: it raises CancelledError (TimeoutError under "
        "asyncio.timeout), never returns an index and never hangs; a cancelled reset or abort "
        "raises CancelledError having taken all its effect or none",
        _CANCEL,
    ),
    (
        "A-CANCEL-STATE",
        "a cancellation leaves the barrier in the same state: it breaks nothing, releases "
        "nobody, and the other tasks of the generation go on as before",
        _CANCEL,
    ),
    (
        "A-CANCEL-FILLING",
        "a waiter cancelled while filling leaves the count: one more task is needed to release",
        _FILLING,
    ),
    (
        "A-TIMEOUT",
        "a wait under asyncio.timeout(t) raises TimeoutError only once t has passed, and is "
        "then a cancellation (A-CANCEL): the barrier is not broken",
        _TIMEOUTS,
    ),
    ("A-BROKEN-WAIT", "while the barrier is broken every wait raises BrokenBarrierError", _RAISES),
    (
        "A-RESET",
        "reset wakes the waiters with BrokenBarrierError and leaves the barrier empty, unbroken",
        _RESET,
    ),
    ("A-ABORT", "abort breaks the barrier for current and future waits", _ABORT),
    (
        "A-PARTIES",
        "parties reads the number of tasks required",
        "parties: The number of tasks required to pass the barrier.",
    ),
    (
        "A-N-WAITING",
        "n_waiting reads the number of tasks waiting in the barrier while filling",
        "n_waiting: The number of tasks currently waiting in the barrier while filling.",
    ),
    (
        "A-BROKEN-FLAG",
        "broken reads True exactly while the barrier is broken",
        "broken: A boolean that is True if the barrier is in the broken state.",
    ),
    (
        "A-ERROR-TYPE",
        "wait raises only BrokenBarrierError, or CancelledError/TimeoutError when cancelled; "
        "reset and abort raise only CancelledError when cancelled; attribute reads never raise",
        "exception asyncio.BrokenBarrierError: This exception, a subclass of RuntimeError, is "
        "raised when the Barrier object is reset or broken.",
    ),
)

#: The ``R-`` rule each asyncio rule mirrors (steps and diagnoses of the shared machinery).
RENAME: Final[dict[str, str]] = {
    "R-RELEASE": "A-RELEASE",
    "R-RELEASE-ALL": "A-RELEASE-ALL",
    "R-INDEX": "A-INDEX",
    "R-REUSE": "A-REUSE",
    "R-BROKEN-WAIT": "A-BROKEN-WAIT",
    "R-RESET": "A-RESET",
    "R-ABORT": "A-ABORT",
    "R-PARTIES": "A-PARTIES",
    "R-N-WAITING": "A-N-WAITING",
    "R-BROKEN-FLAG": "A-BROKEN-FLAG",
    "R-ERROR-TYPE": "A-ERROR-TYPE",
    "R-TIMEOUT": "A-TIMEOUT",
    "R-TIMEOUT-DEFAULT": "A-TIMEOUT",
    "R-ACTION-ONCE": "A-RELEASE",
    "R-ACTION-FAIL": "A-ERROR-TYPE",
}
