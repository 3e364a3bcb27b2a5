"""The rules table: the IDs others depend on, and which profile checks which."""

from __future__ import annotations

import pytest

from barrierlab.model.errors import InvalidArgument
from barrierlab.model.rules import PROFILES, RULES, check_profile, rules_for

DOCUMENTED = [
    "R-RELEASE",
    "R-RELEASE-ALL",
    "R-INDEX",
    "R-REUSE",
    "R-ACTION-ONCE",
    "R-ACTION-FAIL",
    "R-TIMEOUT",
    "R-TIMEOUT-DEFAULT",
    "R-BROKEN-WAIT",
    "R-RESET",
    "R-ABORT",
    "R-PARTIES",
    "R-N-WAITING",
    "R-BROKEN-FLAG",
    "R-ERROR-TYPE",
]
CPYTHON_ONLY = ["C-INDEX-ORDER", "C-DRAIN", "C-ACTION-LAST", "C-N-WAITING", "C-RESET-DRAIN"]


def test_the_contracted_ids_exist_in_order():
    ids = list(RULES)
    assert ids[: len(DOCUMENTED)] == DOCUMENTED
    assert set(CPYTHON_ONLY) <= set(ids)


@pytest.mark.parametrize("rule", DOCUMENTED)
def test_documented_rules_are_in_both_profiles(rule):
    assert RULES[rule].profiles == PROFILES


@pytest.mark.parametrize("rule", CPYTHON_ONLY)
def test_cpython_rules_are_cpython_only(rule):
    assert RULES[rule].profiles == ("cpython",)
    assert rule not in rules_for("documented")
    assert rule in rules_for("cpython")


@pytest.mark.parametrize("rule", list(RULES.values()), ids=list(RULES))
def test_every_rule_has_an_id_statement_and_source(rule):
    assert rule.id and rule.statement and rule.source
    assert "\n" not in rule.statement


def test_an_unknown_profile_is_invalid():
    with pytest.raises(InvalidArgument, match="unknown profile"):
        check_profile("java")
    with pytest.raises(InvalidArgument):
        rules_for("")
