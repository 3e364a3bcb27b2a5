"""The portfolio: exhaustive DFS where it can finish, randomized search in turns with it."""

from __future__ import annotations

from toy import ToyState, explore

from barrierlab.checker.schedulers.dfs import DFSScheduler
from barrierlab.checker.schedulers.portfolio import Portfolio

# Three threads writing one variable three times: no reduction applies (9!/3!^3 = 1,680).
RACE = tuple(tuple(("write", "x") for _ in range(3)) for _ in range(3))
SMALL = dict(dfs_cap=40, dfs_slice=20, slice_size=5, bounded_cap=10)


def test_dfs_goes_on_past_its_cap_and_ends_exhaustive():
    alone = explore(RACE, DFSScheduler(), traces=False)
    p = Portfolio(seed=1, **SMALL)
    runs = explore(RACE, p, traces=False)
    assert p.exhaustive
    assert p.counts["dfs"] == len(alone) > SMALL["dfs_cap"]
    # Every outcome of the exhaustive search was reached, and randomized turns were taken.
    assert {r.outcome for r in runs} == {r.outcome for r in alone}
    randomized = sum(n for kind, n in p.counts.items() if kind.startswith(("pct", "random")))
    assert randomized > 0


def _kinds(p: Portfolio) -> list[str]:
    """Which sub-scheduler ran each schedule of the portfolio, to its end."""
    kinds = []
    while p.start():
        kinds.append("dfs" if p.current is p.dfs else "pb1" if p.current is p.bounded else "rnd")
        state = ToyState(RACE)
        while options := state.options():
            state.execute(p.choose(options))
        p.finish()
    return kinds


def test_past_the_cap_dfs_and_randomized_search_take_equal_turns():
    kinds = _kinds(Portfolio(seed=1, **SMALL))
    dfs_at = [i for i, k in enumerate(kinds) if k == "dfs"]
    cap = dfs_at[SMALL["dfs_cap"]]  # the first DFS schedule past the cap
    before = kinds[dfs_at[0] : cap]
    after = kinds[cap:]
    assert before.count("dfs") == 4 * before.count("rnd")  # turns of 20 and 5
    assert abs(after.count("dfs") - after.count("rnd")) <= SMALL["slice_size"]


def test_the_same_seed_gives_the_same_schedules():
    one = explore(RACE, Portfolio(seed=3, **SMALL), traces=False)
    two = explore(RACE, Portfolio(seed=3, **SMALL), traces=False)
    assert [r.choices for r in one] == [r.choices for r in two]
