"""The rules table: the IDs others depend on, and which profile checks which."""

from __future__ import annotations

import re
from pathlib import Path

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


#: What an ID's prefix promises: R- documented (both profiles), C- CPython's only, T- the trace,
#: A- asyncio.Barrier's documentation (the asyncio profile only).
PREFIX_PROFILES = {"R": PROFILES, "C": ("cpython",), "T": PROFILES, "A": ("asyncio",)}
ID = re.compile(r"^[RCTA](?:-[A-Z]+)+$")
CPYTHON_FACTS = "CPython's threading.Barrier (shared/CPYTHON-BARRIER.md): "
#: The excerpt of the threading documentation the verbatim quotes come from (beside the repo).
EXCERPT = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.mark.parametrize("key", list(RULES))
def test_every_rule_is_filed_under_its_id_and_the_id_names_its_profiles(key):
    rule = RULES[key]
    assert rule.id == key
    assert ID.match(key), f"{key}: IDs read R-/C-/T-/A- then upper-case words joined by '-'"
    assert rule.profiles == PREFIX_PROFILES[key[0]]
    assert rule.statement == rule.statement.strip() and "\n" not in rule.statement


@pytest.mark.parametrize("key", [k for k in RULES if k.startswith("C-")])
def test_every_cpython_rule_cites_the_cpython_facts(key):
    source = RULES[key].source
    assert source.startswith(CPYTHON_FACTS) and source[len(CPYTHON_FACTS) :].strip()


def _quotes():
    """Documented rules whose source is a whole sentence (``Capital ... .``): verbatim quotes.

    An attribute's sentence is cited as ``name: Sentence.``; the rest are paraphrases.
    """
    quotes = {}
    for key, rule in RULES.items():
        text = re.sub(r"^\w+: (?=[A-Z])", "", rule.source)
        if key.startswith("R-") and text[:1].isupper() and text.endswith("."):
            quotes[key] = text
    return quotes


def _plain(markdown):
    """The excerpt's text without links, emphasis, code marks and line breaks."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"(?<!\w)_(\w+)_(?!\w)", r"\1", text).replace("`", "")
    return " ".join(text.split())


def test_quoted_documentation_sentences_are_verbatim():
    quotes = _quotes()
    assert len(quotes) >= 10, sorted(quotes)  # the filter itself still finds the quotes
    files = sorted(EXCERPT.glob("*.txt")) if EXCERPT.is_dir() else []
    if not files:
        pytest.skip(f"the documentation excerpt is not here ({EXCERPT})")
    text = " ".join(_plain(f.read_text(encoding="utf-8")) for f in files)
    assert {k: q for k, q in quotes.items() if q not in text} == {}


def test_an_unknown_profile_is_invalid():
    with pytest.raises(InvalidArgument, match="unknown profile"):
        check_profile("java")
    with pytest.raises(InvalidArgument):
        rules_for("")
