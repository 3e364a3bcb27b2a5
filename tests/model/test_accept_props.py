"""Property tests of acceptance: the spec's own runs pass, single mutations fail, and the
cpython profile refines the documented one on every trace (mutated or not)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from barrierlab.model.accept import accept
from barrierlab.model.events import ActionEnd, ActionStart, Call, Raise, Return
from barrierlab.model.moves import random_trace
from barrierlab.model.spec import make_spec

STEPS = ["wait", "wait", "wait", "wait(0.5)", "wait(0)", "wait(2)", "reset", "abort"]
STEPS += ["n_waiting", "broken", "parties"]
FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _step(word):
    if word.startswith("wait("):
        return ("wait", float(word[5:-1]))
    return (word, None)


@st.composite
def setups(draw, steps=STEPS):
    """(profile, parties, programs, options) for a small random scenario."""
    profile = draw(st.sampled_from(["documented", "cpython"]))
    parties = draw(st.integers(1, 3))
    n = draw(st.integers(1, 4))
    programs = tuple(
        tuple(_step(w) for w in draw(st.lists(st.sampled_from(steps), max_size=4)))
        for _ in range(n)
    )
    options = {
        "has_action": draw(st.booleans()),
        "default_timeout": draw(st.sampled_from([None, None, 1.0])),
    }
    return profile, parties, programs, options


@st.composite
def runs(draw, steps=STEPS, eager=None):
    profile, parties, programs, options = draw(setups(steps))
    spec = make_spec(profile, parties, **options)
    seed = draw(st.integers(0, 2**32 - 1))
    eager = draw(st.sampled_from([0.0, 0.5, 0.9])) if eager is None else eager
    trace, complete = random_trace(spec, programs, seed=seed, eager=eager, max_events=200)
    return profile, parties, options, trace, complete


def _accept(trace, parties, options, profile, complete=True):
    return accept(trace, parties=parties, profile=profile, complete=complete, **options)


@FAST
@given(runs())
def test_random_runs_of_the_spec_are_accepted(run):
    profile, parties, options, trace, complete = run
    v = _accept(trace, parties, options, profile, complete)
    assert v.ok, v.message
    assert len(v.states) == len(trace)
    assert bool(v.edges) == bool(trace)


@FAST
@given(runs())
def test_cpython_runs_are_documented_runs(run):
    profile, parties, options, trace, complete = run
    assume(profile == "cpython")
    assert _accept(trace, parties, options, "documented", complete).ok


def _completions(trace):
    return [i for i, e in enumerate(trace) if isinstance(e, Return | Raise)]


@FAST
@given(runs(), st.data())
def test_dropping_a_return_is_rejected(run, data):
    profile, parties, options, trace, complete = run
    ends = _completions(trace)
    assume(complete and ends)
    i = data.draw(st.sampled_from(ends))
    v = _accept(trace[:i] + trace[i + 1 :], parties, options, profile)
    assert not v.ok


@FAST
@given(runs(), st.data())
def test_repeating_a_return_is_rejected(run, data):
    profile, parties, options, trace, _ = run
    ends = _completions(trace)
    assume(ends)
    i = data.draw(st.sampled_from(ends))
    v = _accept(trace[: i + 1] + trace[i:], parties, options, profile, complete=False)
    assert (v.ok, v.rule, v.index) == (False, "T-WELLFORMED", i + 1)


@FAST
@given(runs(), st.data())
def test_an_index_out_of_range_is_rejected(run, data):
    profile, parties, options, trace, _ = run
    waits = [i for i, e in enumerate(trace) if isinstance(e, Return) and e.op == "wait"]
    assume(waits)
    i = data.draw(st.sampled_from(waits))
    bad = data.draw(st.sampled_from([-1, parties, parties + 3]))
    mutated = (*trace[:i], replace(trace[i], value=bad), *trace[i + 1 :])
    v = _accept(mutated, parties, options, profile, complete=False)
    assert (v.ok, v.rule, v.index) == (False, "R-INDEX", i)


@FAST
@given(runs(), st.data())
def test_an_impossible_n_waiting_is_rejected(run, data):
    profile, parties, options, trace, _ = run
    reads = [i for i, e in enumerate(trace) if isinstance(e, Return) and e.op == "n_waiting"]
    assume(reads)
    i = data.draw(st.sampled_from(reads))
    mutated = (*trace[:i], replace(trace[i], value=parties + 1), *trace[i + 1 :])
    v = _accept(mutated, parties, options, profile, complete=False)
    assert (v.ok, v.rule, v.index) == (False, "R-N-WAITING", i)


@st.composite
def lockstep(draw):
    """Every thread only waits, parties = threads, no timeout: generation k is every thread's
    k-th wait, so two returns of one generation are known."""
    profile = draw(st.sampled_from(["documented", "cpython"]))
    parties = draw(st.integers(2, 4))
    rounds = draw(st.integers(1, 3))
    has_action = draw(st.booleans())
    spec = make_spec(profile, parties, has_action=has_action)
    programs = ((("wait", None),) * rounds,) * parties
    seed = draw(st.integers(0, 2**32 - 1))
    trace, complete = random_trace(spec, programs, seed=seed, action_fails=0.0)
    assert complete
    return profile, parties, {"has_action": has_action}, trace, rounds


def _returns_by_round(trace):
    seen: dict[int, int] = {}
    rounds: dict[int, list[int]] = {}
    for i, e in enumerate(trace):
        if isinstance(e, Return):
            k = seen.get(e.tid, 0)
            seen[e.tid] = k + 1
            rounds.setdefault(k, []).append(i)
    return rounds


@FAST
@given(lockstep(), st.data())
def test_a_duplicate_index_is_rejected(run, data):
    profile, parties, options, trace, rounds = run
    k = data.draw(st.integers(0, rounds - 1))
    i, j = sorted(data.draw(st.permutations(_returns_by_round(trace)[k]))[:2])
    mutated = (*trace[:j], replace(trace[j], value=trace[i].value), *trace[j + 1 :])
    v = _accept(mutated, parties, options, profile)
    assert (v.ok, v.rule, v.index) == (False, "R-INDEX", j)


@FAST
@given(lockstep(), st.data())
def test_dropping_an_action_is_rejected(run, data):
    profile, parties, options, trace, rounds = run
    assume(options["has_action"])
    starts = [i for i, e in enumerate(trace) if isinstance(e, ActionStart)]
    assert len(starts) == rounds
    i = data.draw(st.sampled_from(starts))
    j = next(k for k in range(i, len(trace)) if isinstance(trace[k], ActionEnd))
    mutated = trace[:i] + trace[i + 1 : j] + trace[j + 1 :]
    v = _accept(mutated, parties, options, profile)
    assert not v.ok
    assert v.rule in ("R-ACTION-ONCE", "R-RELEASE-ALL")


@FAST
@given(lockstep())
def test_a_return_after_a_reset_that_broke_the_wait_is_rejected(run):
    """Right after the first wait is called, a reader sees it waiting and resets the barrier:
    that wait must raise, so its return in the original trace is rejected."""
    profile, parties, options, trace, _ = run
    assume(not options["has_action"])
    first = trace[0].tid
    x = parties  # a thread of its own
    pin = (Call(x, "n_waiting"), Return(x, "n_waiting", 1), Call(x, "reset"), Return(x, "reset"))
    mutated = trace[:1] + pin + trace[1:]
    v = _accept(mutated, parties, options, profile)
    j = next(i for i, e in enumerate(mutated) if isinstance(e, Return) and e.tid == first)
    assert (v.ok, v.rule) == (False, "R-RESET")
    assert 1 < v.index <= j


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runs(), st.data())
def test_cpython_refines_documented_on_mutated_traces(run, data):
    """Any trace, valid or not: if cpython accepts it, documented accepts it too."""
    _, parties, options, trace, complete = run
    trace = list(trace)
    for _ in range(data.draw(st.integers(0, 2))):
        values = [i for i, e in enumerate(trace) if isinstance(e, Return) and e.op != "reset"]
        if values and data.draw(st.booleans()):
            i = data.draw(st.sampled_from(values))
            value = data.draw(st.integers(0, parties)) if trace[i].op != "broken" else None
            value = (not trace[i].value) if value is None else value
            trace[i] = replace(trace[i], value=value)
        elif len(trace) > 1:
            i = data.draw(st.integers(0, len(trace) - 2))
            trace[i], trace[i + 1] = trace[i + 1], trace[i]
    if _accept(trace, parties, options, "cpython", complete).ok:
        assert _accept(trace, parties, options, "documented", complete).ok
