"""The built-in scenarios: small, and together exercising every rule of the spec.

Each is as small as what it shows allows, because the number of interleavings grows
exponentially with threads and steps. ``barrierlab check`` runs all of them by default;
``--scenario NAME`` picks some.
"""

from __future__ import annotations

from barrierlab.checker.scenario import Scenario
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.versions import PROFILE_NAMES, parse_profile, rejects_invalid_parties

__all__ = ["CONSTRUCTION", "SCENARIOS", "select"]

_S = Scenario.build

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        _S(
            "two-generations",
            parties=2,
            threads=["wait wait", "wait wait"],
            description="release, distinct indices and reuse over two generations",
        ),
        _S(
            "three-parties",
            parties=3,
            threads=["wait", "wait", "wait"],
            description="release only once all three have arrived",
        ),
        _S(
            "more-threads-than-parties",
            parties=2,
            threads=["wait", "wait", "wait(1)"],
            description="a third thread either joins the next generation or times out",
        ),
        _S(
            "action",
            parties=2,
            action="ok",
            threads=["wait wait", "wait wait"],
            description="the action runs once per generation, before anyone is released",
        ),
        _S(
            "action-more-threads",
            parties=2,
            action="ok",
            threads=["wait", "wait", "wait"],
            description="the action of one generation while a third thread arrives",
        ),
        _S(
            "action-vs-abort",
            parties=2,
            action="ok",
            threads=["wait", "wait(1)", "abort"],
            description="an abort and a timeout racing with the action (CPython holds them off)",
        ),
        _S(
            "action-fails",
            parties=2,
            action="raise@1",
            threads=["wait", "wait"],
            description="an action that raises breaks the barrier",
        ),
        _S(
            "action-fails-then-wait",
            parties=2,
            action="raise@1",
            threads=["wait wait", "wait wait"],
            description="after a failed action every wait raises",
        ),
        _S(
            "timeout",
            parties=2,
            threads=["wait(1)", "wait wait(1)"],
            description="a per-call timeout races with the last arrival; a lone wait times out",
        ),
        _S(
            "default-timeout",
            parties=2,
            timeout=1.0,
            threads=["wait", "wait wait"],
            description="the constructor's timeout applies when wait() has none",
        ),
        _S(
            "reset-one-waiter",
            parties=2,
            threads=["wait", "reset broken wait"],
            description="reset wakes a waiter; the barrier is empty and unbroken after it",
        ),
        _S(
            "reset-with-waiters",
            parties=3,
            threads=["wait(5)", "wait(5)", "reset"],
            description="reset wakes every waiter with BrokenBarrierError",
        ),
        _S(
            "reset-during-generations",
            parties=2,
            threads=["wait", "wait wait", "reset"],
            description="a reset racing with a release and the next generation",
        ),
        _S(
            "reset-after-break",
            parties=2,
            threads=["wait(1) reset wait(3)", "abort wait(3)"],
            description="reset of a broken barrier makes it usable again",
        ),
        _S(
            "reset-after-abort",
            parties=2,
            threads=["abort reset wait(1)"],
            description="after abort and reset a wait blocks again (and times out)",
        ),
        _S(
            "abort-with-waiters",
            parties=3,
            threads=["wait", "wait", "abort"],
            description="abort fails the current waits",
        ),
        _S(
            "abort-before-wait",
            parties=2,
            threads=["abort wait", "wait(1)"],
            description="abort fails future waits",
        ),
        _S(
            "single-party",
            parties=1,
            action="ok",
            threads=["wait wait"],
            description="with parties=1 every wait passes at once and runs the action",
        ),
        _S(
            "single-party-abort",
            parties=1,
            threads=["wait", "abort wait"],
            description="abort racing with a single party's waits",
        ),
        _S(
            "observer",
            parties=2,
            action="ok",
            threads=["wait", "wait", "n_waiting broken n_waiting parties"],
            description="n_waiting, broken and parties read while threads arrive",
        ),
        # Last, so that the scenarios before it keep their index (and their schedulers' seeds).
        _S(
            "late-arrival",
            parties=2,
            threads=["wait", "wait", "wait"],
            description="a third thread stays blocked: only a full generation is released",
        ),
    ]
}


#: Construction scenarios (``parties < 1``): judged by rule C-PARTIES alone, and run by default
#: only under a profile that judges it (see :func:`select`). Kept apart from :data:`SCENARIOS`,
#: whose every scenario the spec can model.
CONSTRUCTION: dict[str, Scenario] = {
    s.name: s
    for s in [
        _S(
            "construct-zero",
            parties=0,
            threads=["wait"],
            description="Barrier(0) is refused with ValueError since CPython 3.13 (C-PARTIES); "
            "if built, what a wait on it does",
        ),
    ]
}


def select(names: list[str] | tuple[str, ...] | None, profile: str | None = None) -> list[Scenario]:
    """The scenarios named, or by default the whole catalogue; an unknown name raises
    InvalidArgument.

    By default a construction scenario (``construct-zero``) is included only when ``profile``
    judges construction (``cpython-3.13`` and later: rule ``C-PARTIES``); under any other
    profile every outcome of it passes, so running it would only cost time.
    """
    if not names:
        judged = (
            profile is not None
            and profile in PROFILE_NAMES
            and rejects_invalid_parties(parse_profile(profile))
        )
        return [*SCENARIOS.values(), *(CONSTRUCTION.values() if judged else ())]
    from barrierlab.checker.runtime.aio.scenarios import ASYNC_SCENARIOS

    known = {**SCENARIOS, **CONSTRUCTION, **ASYNC_SCENARIOS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InvalidArgument(
            f"unknown scenario {unknown[0]!r}; the built-in scenarios are: {', '.join(known)}"
        )
    return [known[n] for n in dict.fromkeys(names)]
