"""The exhaustive DFS scheduler against a brute-force enumeration of toy programs."""

from __future__ import annotations

from math import factorial, prod

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from toy import enumerate_runs, explore

from barrierlab.checker.schedulers.base import Choice
from barrierlab.checker.schedulers.dfs import DFSScheduler
from barrierlab.model.errors import InvalidArgument, TargetError

STEPS = st.sampled_from(
    [
        ("read", "x"),
        ("write", "x"),
        ("read", "y"),
        ("write", "y"),
        ("lock", "L"),
        ("unlock", "L"),
        ("lock", "M"),
        ("unlock", "M"),
        ("lock?", "L"),
        ("flip", "x"),
    ]
)
PROGRAMS = st.one_of(
    st.lists(st.lists(STEPS, min_size=1, max_size=4).map(tuple), min_size=2, max_size=2),
    st.lists(st.lists(STEPS, min_size=1, max_size=3).map(tuple), min_size=3, max_size=3),
).map(tuple)

LOCK_ORDER = (
    (("lock", "A"), ("lock", "B"), ("unlock", "B"), ("unlock", "A")),
    (("lock", "B"), ("lock", "A"), ("unlock", "A"), ("unlock", "B")),
)


def _independent(threads, steps):
    return tuple(tuple(("write", f"v{t}.{i}") for i in range(steps)) for t in range(threads))


@pytest.mark.parametrize(("threads", "steps"), [(2, 1), (2, 3), (3, 2), (4, 2), (3, 3)])
def test_independent_threads_plain_dfs_counts_multinomial_and_reduction_runs_one(threads, steps):
    program = _independent(threads, steps)
    plain = explore(program, DFSScheduler(reduction=False))
    assert len(plain) == factorial(threads * steps) // prod([factorial(steps)] * threads)
    assert len({r.choices for r in plain}) == len(plain)
    reduced = DFSScheduler()
    assert len(explore(program, reduced)) == 1
    assert reduced.exhaustive


@pytest.mark.parametrize(
    "program",
    [
        LOCK_ORDER,
        ((("lock", "L"), ("write", "x"), ("unlock", "L")), (("lock", "L"), ("read", "x"))),
        ((("write", "x"), ("read", "y")), (("write", "y"), ("read", "x")), (("read", "x"),)),
        ((("lock?", "L"), ("read", "x")), (("lock", "L"), ("write", "x"), ("unlock", "L"))),
    ],
)
def test_plain_dfs_runs_exactly_the_feasible_interleavings(program):
    expected = sorted(r.choices for r in enumerate_runs(program))
    dfs = DFSScheduler(reduction=False)
    assert sorted(r.choices for r in explore(program, dfs)) == expected
    assert dfs.exhaustive and not dfs.bounded and dfs.schedules == len(expected)


def test_reduction_finds_the_lock_order_deadlock():
    runs = explore(LOCK_ORDER, DFSScheduler())
    deadlocks = [r for r in runs if r.outcome[3]]
    assert deadlocks and len(runs) < len(enumerate_runs(LOCK_ORDER))


def _check_reduction(program, footprints=False, **explore_args):
    reference = enumerate_runs(program, footprints)
    dfs = DFSScheduler()
    runs = explore(program, dfs, footprints=footprints, **explore_args)
    assert dfs.exhaustive
    assert {r.trace for r in runs} == {r.trace for r in reference}
    assert {r.outcome for r in runs} == {r.outcome for r in reference}
    complete = [r.trace for r in runs if not r.redundant]
    assert len(complete) == len(set(complete)), "two complete runs of one trace"
    assert len(runs) <= len(reference)
    return runs


@settings(max_examples=100, deadline=None)
@given(PROGRAMS)
def test_reduction_covers_every_trace_once(program):
    _check_reduction(program)


#: Programs whose brute-force enumeration stays small: a ``flip`` doubles every interleaving
#: (its timeout is dependent with everything), so at most two of them.
SMALL_PROGRAMS = PROGRAMS.filter(lambda p: sum(op == "flip" for t in p for op, _ in t) <= 2)


@settings(max_examples=60, deadline=None)
@given(SMALL_PROGRAMS)
def test_reduction_with_footprints_covers_every_trace_once(program):
    # Reads commute with reads: fewer classes, and still every one of them, once.
    _check_reduction(program, footprints=True)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(PROGRAMS)
def test_reduction_with_footprints_covers_every_trace_once_on_larger_programs(program):
    _check_reduction(program, footprints=True)


class _FullAnalysis(DFSScheduler):
    """DFS that analyses every run from its first step (never skips the known prefix)."""

    def finish(self, cut_short: bool = False) -> None:
        self._known = 0
        super().finish(cut_short)


@settings(max_examples=60, deadline=None)
@given(SMALL_PROGRAMS, st.booleans())
def test_skipping_the_analysed_prefix_runs_the_same_schedules(program, footprints):
    # dpor.races(known=...): races within the prefix a run repeats were found before, so
    # the search takes exactly the branches that analysing every run in full takes.
    skipping = [r.choices for r in explore(program, DFSScheduler(), footprints=footprints)]
    full = [r.choices for r in explore(program, _FullAnalysis(), footprints=footprints)]
    assert skipping == full


def test_reads_of_one_variable_commute_with_footprints():
    readers = tuple(((("read", "x"), ("read", "x"))) for _ in range(3))
    assert len(explore(readers, DFSScheduler(), footprints=True)) == 1
    assert len(explore(readers, DFSScheduler())) > 1


@settings(max_examples=40, deadline=None)
@given(PROGRAMS)
def test_reduction_stays_sound_when_never_told_about_blocked_threads(program):
    reference = enumerate_runs(program)
    runs = explore(program, DFSScheduler(), report_blocked_steps=False)
    assert {r.trace for r in runs} == {r.trace for r in reference}


def test_reduction_runs_one_schedule_per_trace_on_a_locking_program():
    program = tuple(
        (("lock", "L"), ("write", f"v{t}"), ("read", "x"), ("unlock", "L"), ("write", "x"))
        for t in range(3)
    )
    plain = explore(program, DFSScheduler(reduction=False))
    dfs = DFSScheduler()
    reduced = explore(program, dfs)
    assert {r.outcome for r in reduced} == {r.outcome for r in plain}
    traces = {r.trace for r in plain}
    assert len(plain) == 396 and len(traces) == 90
    assert len(reduced) == len(traces) and dfs.redundant == 0


@pytest.mark.parametrize("bound", [0, 1, 2])
def test_plain_dfs_with_a_preemption_bound_runs_exactly_the_schedules_within_it(bound):
    program = ((("write", "x"), ("read", "y"), ("write", "z")), (("write", "y"), ("read", "x")))
    reference = enumerate_runs(program)
    dfs = DFSScheduler(reduction=False, preemption_bound=bound)
    runs = explore(program, dfs)
    assert sorted(r.choices for r in runs) == sorted(
        r.choices for r in reference if r.preemptions <= bound
    )
    assert dfs.bounded == (len(runs) < len(reference))
    assert dfs.exhaustive == (not dfs.bounded)


@pytest.mark.parametrize("reduction", [False, True])
def test_preemption_bound_zero_runs_only_non_preemptive_schedules(reduction):
    program = _independent(3, 2) + LOCK_ORDER
    dfs = DFSScheduler(reduction=reduction, preemption_bound=0)
    runs = explore(program, dfs, traces=False)
    assert runs and all(r.preemptions == 0 for r in runs)
    assert dfs.bounded and not dfs.exhaustive


def test_max_schedules_caps_the_search_and_says_so():
    dfs = DFSScheduler(reduction=False, max_schedules=5)
    assert len(explore(_independent(2, 3), dfs)) == 5
    assert dfs.capped and not dfs.complete and not dfs.exhaustive


def test_a_run_cut_short_makes_the_search_not_exhaustive():
    dfs = DFSScheduler()
    explore(_independent(2, 3), dfs, step_bound=3)
    assert dfs.complete and dfs.cut_short and not dfs.exhaustive


def test_a_program_that_changes_between_runs_is_reported_as_nondeterministic():
    dfs = DFSScheduler(reduction=False)
    assert dfs.start()
    dfs.choose([Choice(0, obj=1), Choice(1, obj=1)])
    dfs.choose([Choice(1, obj=1)])
    dfs.finish()
    assert dfs.start()
    with pytest.raises(TargetError, match="deterministic"):
        dfs.choose([Choice(0, obj=2), Choice(1, obj=1)])


@pytest.mark.parametrize(
    "params", [{"preemption_bound": -1}, {"max_schedules": 0}, {"max_schedules": 1.5}]
)
def test_bad_parameters_are_refused(params):
    with pytest.raises(InvalidArgument):
        DFSScheduler(**params)
