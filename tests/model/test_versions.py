"""Profiles by CPython version: names, what they resolve to, and which rules they check."""

from __future__ import annotations

import sys

import pytest

from barrierlab.model.accept import accept
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.events import Call, Return
from barrierlab.model.rules import CONSTRUCTION, RULES, rules_for
from barrierlab.model.versions import (
    CPYTHON_VERSIONS,
    PROFILE_NAMES,
    Profile,
    parse_profile,
    rejects_invalid_parties,
)

PINNED = [f"cpython-{a}.{b}" for a, b in CPYTHON_VERSIONS]


def test_every_supported_version_has_a_profile():
    assert ("documented", "cpython", *PINNED) == PROFILE_NAMES


def test_cpython_is_the_running_python():
    assert parse_profile("cpython") == Profile("cpython", sys.version_info[:2])


@pytest.mark.parametrize("name", ["cpython-2.7", "cpython-3", "cpython3.13", "CPython", ""])
def test_an_unknown_name_is_invalid(name):
    with pytest.raises(InvalidArgument, match="unknown profile"):
        parse_profile(name)


@pytest.mark.parametrize("name", PINNED)
def test_a_pinned_profile_checks_the_cpython_rules_of_its_version(name):
    version = parse_profile(name).version
    expected = rules_for("documented") | {r for r in RULES if r.startswith("C-")}
    if version < (3, 13):
        expected -= {"C-PARTIES"}
    assert rules_for(name) == expected


def test_only_cpython_3_13_and_later_require_refusing_parties_below_one():
    assert [rejects_invalid_parties(parse_profile(n)) for n in PINNED] == [
        False,
        False,
        True,
        True,
    ]
    assert not rejects_invalid_parties(parse_profile("documented"))
    assert set(RULES) >= CONSTRUCTION
    assert "C-PARTIES" not in rules_for("documented")


@pytest.mark.parametrize("name", PINNED)
def test_a_pinned_profile_judges_traces_as_cpython_does(name):
    # Index = arrival order is a cpython rule: the pinned profiles keep it.
    trace = [Call(0, "wait"), Call(1, "wait"), Return(0, "wait", 1), Return(1, "wait", 0)]
    assert (
        accept(trace, parties=2, profile=name).ok == accept(trace, parties=2, profile="cpython").ok
    )
    assert accept(trace, parties=2, profile="documented").ok
