"""The construction scenario: Barrier(0) is refused with ValueError under cpython-3.13 on."""

from __future__ import annotations

import sys
import threading

import pytest
from pythons import find_python, run_python

from barrierlab.checker import api
from barrierlab.checker.explore.scenario_catalogue import CONSTRUCTION, SCENARIOS, select
from barrierlab.checker.runtime.target import target_of
from barrierlab.checker.runtime.versions import PYTHON
from barrierlab.model.versions import (
    CPYTHON_VERSIONS,
    cpython_refuses_invalid_parties,
    parse_profile,
    rejects_invalid_parties,
)

CONSTRUCT = ["construct-zero"]


def _refuses_zero() -> bool:
    try:
        threading.Barrier(0)
    except ValueError:
        return True
    return False


def test_the_catalogue_has_a_construction_scenario():
    assert CONSTRUCTION["construct-zero"].invalid_parties
    assert not any(s.invalid_parties for s in SCENARIOS.values())


def test_a_default_check_runs_it_only_where_it_is_judged():
    def names(profile):
        return {s.name for s in select(None, profile)}

    assert "construct-zero" in names("cpython-3.13")
    assert "construct-zero" not in names("documented") | names("cpython-3.11") | names(None)
    assert ("construct-zero" in names("cpython")) == (PYTHON >= (3, 13))


def test_check_without_scenarios_reports_the_acceptance_on_the_pinned_version():
    result = api.check("threading:Barrier", profile="cpython-3.13", max_schedules=3, budget=60)
    found = [v for v in result.violations if v.rule == "C-PARTIES"]
    assert bool(found) != _refuses_zero()


@pytest.mark.parametrize("profile", ["cpython-3.13", "cpython-3.14"])
def test_the_running_barrier_under_a_validating_version(profile):
    result = api.check("threading:Barrier", profile=profile, scenarios=CONSTRUCT, budget=10)
    if _refuses_zero():
        assert result.verdict == "pass"
        assert "C-PARTIES" in result.rules_exercised
    else:
        # 3.11 (and early 3.12) accept Barrier(0): reported, and the wait that would hang on
        # real threads is a deadlock in virtual time.
        (violation,) = result.violations
        assert violation.rule == "C-PARTIES"
        assert "Barrier(0) was accepted" in violation.message
        assert "blocked forever" in violation.message
        assert violation.result.outcome == "deadlock"


@pytest.mark.parametrize("profile", ["documented", "cpython-3.11", "cpython-3.12"])
def test_profiles_that_do_not_judge_construction_pass_either_way(profile):
    result = api.check("threading:Barrier", profile=profile, scenarios=CONSTRUCT, budget=10)
    assert result.verdict == "pass"


def test_cpython_means_the_running_version():
    result = api.check("threading:Barrier", profile="cpython", scenarios=CONSTRUCT, budget=10)
    assert result.verdict == "pass"  # every CPython agrees with itself
    assert ("C-PARTIES" in result.rules_exercised) == (PYTHON >= (3, 13))


def test_a_barrier_that_refuses_with_another_error_breaks_the_rule():
    def refuses_badly(parties, action=None, timeout=None):
        if parties < 1:
            raise TypeError("no")
        return threading.Barrier(parties, action, timeout)

    result = api.check(
        target_of(refuses_badly), profile="cpython-3.13", scenarios=CONSTRUCT, budget=10
    )
    (violation,) = result.violations
    assert "raised TypeError" in violation.message


def test_the_reference_refuses_under_every_profile():
    for profile in ["documented", "cpython", "cpython-3.11", "cpython-3.13"]:
        result = api.check(
            "barrierlab.impl.reference:Barrier", profile=profile, scenarios=CONSTRUCT, budget=10
        )
        assert result.verdict == "pass", profile


#: What a CPython does with Barrier(parties) for parties < 1: "ValueError" or "accepted", for
#: 0 and -1 (gh-121474 covers both).
PROBE = """
import threading
for parties in (0, -1):
    try:
        threading.Barrier(parties)
    except ValueError:
        print("ValueError")
    else:
        print("accepted")
"""


def _claim_holds(version, seen):
    """Whether what an interpreter of ``version`` did (``seen``) is what the model claims."""
    claim = cpython_refuses_invalid_parties(version)
    if claim is None:  # releases differ: either, but the same for 0 and -1
        return len(set(seen)) == 1
    return set(seen) == {"ValueError" if claim else "accepted"}


def test_the_running_cpython_does_what_its_pinned_profile_claims():
    seen = run_python(sys.executable, PROBE).split()
    assert _claim_holds(PYTHON, seen), (PYTHON, seen)
    pinned = f"cpython-{PYTHON[0]}.{PYTHON[1]}"
    result = api.check("threading:Barrier", profile=pinned, scenarios=CONSTRUCT, budget=10)
    assert result.verdict == "pass"  # the running CPython conforms to its own version's profile
    assert ("C-PARTIES" in result.rules_exercised) == rejects_invalid_parties(parse_profile(pinned))


@pytest.mark.parametrize("version", CPYTHON_VERSIONS, ids=lambda v: f"{v[0]}.{v[1]}")
def test_each_pinned_profile_claims_what_that_cpython_does(version):
    exe = find_python(version)
    if exe is None:
        pytest.skip(f"no CPython {version[0]}.{version[1]} on PATH or in pyenv to compare with")
    seen = run_python(exe, PROBE).split()
    assert _claim_holds(version, seen), (exe, seen)
    # The profile requires refusing exactly where every release refuses: a CPython that
    # accepts is never held to it, and one that refuses is where the rule is judged or the
    # releases differ (3.12).
    requires = rejects_invalid_parties(parse_profile(f"cpython-{version[0]}.{version[1]}"))
    if "accepted" in seen:
        assert not requires, f"cpython-{version} would flag {exe}"
    else:
        assert requires or cpython_refuses_invalid_parties(version) is None
