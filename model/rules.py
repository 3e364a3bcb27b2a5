"""The barrier rules: stable IDs, one-line statements, and the documentation they stand on.

Every verdict names one of these IDs. Rules marked for both profiles come from the
documentation of :class:`threading.Barrier`; the ``C-`` rules pin CPython's exact behaviour and
belong to the ``cpython`` profile only (the facts are in ``shared/CPYTHON-BARRIER.md``). The
``T-`` rule is about the trace itself, not the barrier.

>>> RULES["R-INDEX"].profiles
('documented', 'cpython')
>>> rules_for("documented") < rules_for("cpython")
True
>>> sorted(r for r in rules_for("cpython") if r.startswith("C-"))[:3]
['C-ACTION-LAST', 'C-ACTION-LOCK', 'C-DRAIN']

A ``cpython`` rule may hold only since some CPython version (``since``): ``cpython-3.X``
profiles (:mod:`barrierlab.model.versions`) check it from that version on, and ``cpython``
when the running Python is that recent.

>>> "C-PARTIES" in rules_for("cpython-3.13"), "C-PARTIES" in rules_for("cpython-3.11")
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from barrierlab.model.versions import VALIDATES_PARTIES_SINCE, parse_profile

__all__ = [
    "ASYNC_PROFILES",
    "CONSTRUCTION",
    "PROFILES",
    "RULES",
    "Rule",
    "check_profile",
    "rules_for",
]

#: The profiles, loosest first: every trace ``cpython`` accepts, ``documented`` accepts.
PROFILES: Final = ("documented", "cpython")
#: The profiles of asyncio barriers (:mod:`barrierlab.model.asyncio_rules`), judged apart:
#: "both" means :data:`PROFILES`.
ASYNC_PROFILES: Final = ("asyncio",)

_BOTH: Final = ("documented", "cpython")
_CPY: Final = ("cpython",)

# The sentences of the threading documentation the rules quote. The first group is verbatim
# from the excerpt in shared/seeds/; the second paraphrases the rest of the Barrier section, as
# DESIGN.md records it.
_BLOCK = "threads block in wait() until parties threads have called it, then are released"
_REUSE = "the barrier can be reused any number of times for the same number of threads"
_INDEX = "wait() returns an integer in range(parties), different for each thread"
_TIMEOUT_ARG = "wait(timeout) overrides the constructor's default timeout"
_ACTION = (
    "If an action was provided to the constructor, one of the threads will have called it "
    "prior to being released."
)
_ACTION_FAIL = "Should this call raise an error, the barrier is put into the broken state."
_TIMED_OUT = "If the call times out, the barrier is put into the broken state."
_RAISES = (
    "This method may raise a BrokenBarrierError exception if the barrier is broken or reset "
    "while a thread is waiting."
)
_RESET = (
    "Return the barrier to the default, empty state. Any threads waiting on it will receive "
    "the BrokenBarrierError exception."
)
_ABORT = (
    "Put the barrier into a broken state. This causes any active or future calls to wait() "
    "to fail with the BrokenBarrierError."
)
_CPYTHON = "CPython's threading.Barrier (shared/CPYTHON-BARRIER.md): "


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the specification.

    ``id`` is stable (tests, seeded bugs and reports name it); ``statement`` says in one line
    what an implementation must do; ``source`` is the sentence it stands on; ``profiles`` the
    profiles that check it; ``since`` the first CPython version with the behaviour (None: all).
    """

    id: str
    statement: str
    source: str
    profiles: tuple[str, ...] = _BOTH
    since: tuple[int, int] | None = None


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.id: r for r in rules}


#: Every rule, in the order reports list them.
RULES: Final[dict[str, Rule]] = _rules(
    Rule(
        "R-RELEASE",
        "a wait returns only after parties threads of its generation have called wait",
        _BLOCK,
    ),
    Rule(
        "R-RELEASE-ALL",
        "all parties of a completed generation are released; none of them stays blocked",
        _BLOCK,
    ),
    Rule(
        "R-INDEX",
        "wait returns an index in range(parties), distinct within its generation",
        _INDEX,
    ),
    Rule(
        "R-REUSE",
        "a released generation leaves the barrier empty and filling, any number of times",
        _REUSE,
    ),
    Rule(
        "R-ACTION-ONCE",
        "with an action it runs exactly once per completed generation, by one of its parties, "
        "before any of them returns; without one it never runs",
        _ACTION,
    ),
    Rule(
        "R-ACTION-FAIL",
        "an action that raises breaks the barrier: its party raises, the others raise "
        "BrokenBarrierError, nobody of that generation returns an index",
        _ACTION_FAIL,
    ),
    Rule(
        "R-TIMEOUT",
        "a wait whose timeout expires before release breaks the barrier and raises "
        "BrokenBarrierError; never before the deadline; a timed wait never blocks forever",
        _TIMED_OUT,
    ),
    Rule(
        "R-TIMEOUT-DEFAULT",
        "wait() without a timeout uses the constructor's (R-TIMEOUT for such calls)",
        _TIMEOUT_ARG,
    ),
    Rule(
        "R-BROKEN-WAIT",
        "while the barrier is broken every wait raises BrokenBarrierError",
        _RAISES,
    ),
    Rule(
        "R-RESET",
        "reset wakes the waiters with BrokenBarrierError and leaves the barrier empty, unbroken",
        _RESET,
    ),
    Rule("R-ABORT", "abort breaks the barrier for current and future waits", _ABORT),
    Rule(
        "R-PARTIES",
        "parties reads the number of threads required",
        "parties: The number of threads required to pass the barrier.",
    ),
    Rule(
        "R-N-WAITING",
        "n_waiting reads the number of threads waiting in the current generation",
        "n_waiting: The number of threads currently waiting in the barrier.",
    ),
    Rule(
        "R-BROKEN-FLAG",
        "broken reads True exactly while the barrier is broken",
        "broken: A boolean that is True if the barrier is in the broken state.",
    ),
    Rule(
        "R-ERROR-TYPE",
        "wait raises only BrokenBarrierError or the action's own exception; reset, abort and "
        "attribute reads never raise",
        "This exception, a subclass of RuntimeError, is raised when the Barrier object is "
        "reset or broken.",
    ),
    Rule(
        "C-INDEX-ORDER",
        "the index is the arrival order; the last arrival gets parties - 1",
        _CPYTHON + "indices are the arrival order (lock acquisition order)",
        _CPY,
    ),
    Rule(
        "C-DRAIN",
        "a thread arriving while the previous generation drains waits until it has left",
        _CPYTHON + "entry: while DRAINING or RESETTING, block on the condition",
        _CPY,
    ),
    Rule(
        "C-ACTION-LAST",
        "the last arrival runs the action, and its wait raises the action's own exception",
        _CPYTHON + "the last arrival runs the action itself, holding the lock",
        _CPY,
    ),
    Rule(
        "C-ACTION-LOCK",
        "the action runs holding the barrier's lock: no timeout, reset or abort takes effect "
        "while it runs",
        _CPYTHON + "the last arrival runs the action itself, holding the lock",
        _CPY,
    ),
    Rule(
        "C-N-WAITING",
        "n_waiting is 0 while draining, resetting or broken and counts the releaser during "
        "the action",
        _CPYTHON + "n_waiting is count in FILLING and 0 otherwise",
        _CPY,
    ),
    Rule(
        "C-RESET-DRAIN",
        "reset while a generation drains leaves its released threads returning normally",
        _CPYTHON + "reset(): DRAINING stays DRAINING (released threads still return normally)",
        _CPY,
    ),
    Rule(
        "C-PARTIES",
        "Barrier(parties) with parties < 1 raises ValueError (since CPython 3.13; 3.11 and "
        "early 3.12 releases accept it, and wait() then blocks forever)",
        # The threading documentation has no sentence on it; CPython's changelog has (3.13,
        # gh-121474), and shared/CPYTHON-BARRIER.md records it.
        _CPYTHON + "parties < 1 raises ValueError from 3.13 on (gh-121474); 3.11/3.12 accept "
        "it and then hang",
        _CPY,
        since=VALIDATES_PARTIES_SINCE,
    ),
    Rule(
        "T-WELLFORMED",
        "the trace is well formed: one pending call per thread, returns match calls, the "
        "action runs inside a wait, time never goes back",
        "(a property of the trace the checker recorded, not of the barrier)",
    ),
)


#: The rules judged when the barrier is built, not on a trace of its calls.
CONSTRUCTION: Final = frozenset({"C-PARTIES"})


def check_profile(profile: str) -> str:
    """Return ``profile`` if it names a profile (also ``cpython-3.X``: see
    :data:`~barrierlab.model.versions.PROFILE_NAMES`), else raise :class:`InvalidArgument`."""
    if profile not in ASYNC_PROFILES:
        parse_profile(profile)
    return profile


def rules_for(profile: str) -> frozenset[str]:
    """The IDs of the rules ``profile`` checks."""
    if check_profile(profile) in ASYNC_PROFILES:
        return frozenset(r.id for r in RULES.values() if profile in r.profiles)
    base, version = parse_profile(profile)
    return frozenset(
        r.id
        for r in RULES.values()
        if base in r.profiles and (r.since is None or (version is not None and version >= r.since))
    )


def _asyncio_rules() -> dict[str, Rule]:
    from barrierlab.model.asyncio_rules import ASYNCIO_RULES

    return {
        rid: Rule(rid, statement, source, ASYNC_PROFILES)
        for rid, statement, source in ASYNCIO_RULES
    }


RULES.update(_asyncio_rules())
