"""Replay tokens: round trip, compactness, and a decoder that only ever raises TokenError."""

from __future__ import annotations

import contextlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barrierlab.checker.explore.token import Token
from barrierlab.checker.scenario import Scenario
from barrierlab.model.errors import TokenError

STEPS = st.sampled_from(["wait", "wait(0.5)", "wait(2)", "reset", "abort", "n_waiting", "broken"])
SCENARIOS = st.builds(
    lambda name, parties, threads, timeout, action: Scenario.build(
        name, parties=parties, threads=threads, timeout=timeout, action=action
    ).to_json(),
    st.text(min_size=1, max_size=12),
    st.integers(1, 5),
    st.lists(st.lists(STEPS, max_size=4).map(" ".join), min_size=1, max_size=4),
    st.none() | st.floats(0, 100, allow_nan=False, allow_infinity=False),
    st.sampled_from(["none", "ok", "raise@1", "raise@2,5"]),
)
TOKENS = st.builds(
    Token,
    target=st.sampled_from(["threading:Barrier", "pkg.mod:Name", "path/to/f.py:B"])
    | st.text(min_size=1).map(lambda s: s + ":X"),
    scenario=SCENARIOS,
    profile=st.sampled_from(["documented", "cpython"]),
    line_level=st.booleans(),
    step_bound=st.integers(1, 10**9),
    choices=st.lists(st.integers(0, 2**20), max_size=300).map(tuple),
    broken_error=st.none() | st.sampled_from(["threading:BrokenBarrierError", "pkg.mod:Err"]),
)
URL_SAFE = re.compile(r"bl1-[A-Za-z0-9_-]+")


def _decode_or_token_error(text):
    with contextlib.suppress(TokenError):
        Token.decode(text)


@given(TOKENS)
def test_decode_inverts_encode(token):
    text = token.encode()
    assert URL_SAFE.fullmatch(text)
    assert Token.decode(text) == token


@given(TOKENS)
def test_whitespace_from_line_wrapping_is_ignored(token):
    text = token.encode()
    wrapped = "\n".join(text[i : i + 20] for i in range(0, len(text), 20))
    assert Token.decode(f"  {wrapped}\n") == token


@given(st.text() | st.binary().map(lambda b: b.decode("latin-1")))
def test_arbitrary_text_raises_only_token_error(text):
    _decode_or_token_error(text)
    _decode_or_token_error("bl1-" + text)


@given(TOKENS, st.data())
def test_mutated_tokens_are_rejected(token, data):
    text = token.encode()
    position = data.draw(st.integers(0, len(text) - 1))
    kind = data.draw(st.sampled_from(["replace", "delete", "insert", "truncate"]))
    char = data.draw(st.characters(codec="ascii"))
    if kind == "replace":
        mutated = text[:position] + char + text[position + 1 :]
    elif kind == "delete":
        mutated = text[:position] + text[position + 1 :]
    elif kind == "insert":
        mutated = text[:position] + char + text[position:]
    else:
        mutated = text[:position]
    if mutated == text or re.sub(r"\s", "", mutated) == text:
        return
    with pytest.raises(TokenError):
        Token.decode(mutated)


EXAMPLE = Token(
    "threading:Barrier",
    Scenario.build("two", parties=2, threads=["wait", "wait"]).to_json(),
    "documented",
    True,
    10_000,
    (0, 2, 0, 2, 1),
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not a barrierlab replay token"),
        ("hello", "not a barrierlab replay token"),
        (EXAMPLE.encode().replace("bl1-", "bl2-"), "format version 2"),
        (EXAMPLE.encode()[:-6], "cut short"),
        (EXAMPLE.encode()[:6], "cut short"),
        (EXAMPLE.encode() + "AAAA", "extra characters"),
        (EXAMPLE.encode()[:10] + "+/" + EXAMPLE.encode()[12:], "characters a token never has"),
        (
            EXAMPLE.encode()[:-3]
            + ("A" if EXAMPLE.encode()[-3] != "A" else "B")
            + EXAMPLE.encode()[-2:],
            "checksum",
        ),
    ],
)
def test_each_kind_of_bad_token_has_its_message(text, message):
    with pytest.raises(TokenError, match=message):
        Token.decode(text)


def test_bad_content_with_a_good_checksum_is_reported_as_malformed():
    import base64
    import hashlib
    import zlib

    body = zlib.compress(b"\x02{}\x00")
    framed = bytes([len(body)]) + hashlib.blake2b(body, digest_size=4).digest() + body
    text = "bl1-" + base64.urlsafe_b64encode(framed).decode().rstrip("=")
    with pytest.raises(TokenError, match="malformed"):
        Token.decode(text)


def test_thousands_of_choices_stay_compact():
    choices = tuple((i * 7 + i // 3) % 6 for i in range(5000))
    token = Token(EXAMPLE.target, EXAMPLE.scenario, "cpython", False, 10_000, choices)
    text = token.encode()
    assert Token.decode(text) == token
    assert len(text) < 2500, len(text)


def test_invalid_fields_are_refused_when_made():
    with pytest.raises(TokenError, match="step_bound"):
        Token(EXAMPLE.target, EXAMPLE.scenario, "documented", True, 0, ())
    with pytest.raises(TokenError, match="choices"):
        Token(EXAMPLE.target, EXAMPLE.scenario, "documented", True, 5, (-1,))
    with pytest.raises(TokenError, match="scenario"):
        Token(EXAMPLE.target, {"name": "x"}, "documented", True, 5, ())


#: Made by barrierlab before tokens carried ``broken_error`` (at cfe5fa8): it reads the same.
OLD = (
    "bl1-pwHYwLNCeNolzEEKwkAMQFEVT5J1KUVwM0uvIVLSNmpgmgxpxi7EM3olo66S8B95b5-QWajP9KAMya1SA8X0"
    "ypkgwaRjnUmcJmhgGUnQWCE9AUdnlRCiQtEE56_3VeMoaM60QDo04HcjnGI_w4rsUX_jEoVn0uqQpOb8ivdOpR-0"
    "ygTp2HVdCLQbBYABzZgs49DyXHK73LHQ0uoqPZmppdMfwGu_2e02H-Z6SHo"
)


def test_a_token_from_before_broken_error_still_decodes():
    token = Token.decode(OLD)
    assert token.broken_error is None
    assert token.target == "barrierlab.impl.shapes.own_error:Barrier"
    assert token.choices == (0, 2, 2, 0)
    assert token.encode() == OLD  # and a token without it is written as before


def test_broken_error_must_name_a_class():
    with pytest.raises(TokenError, match="broken_error"):
        Token(EXAMPLE.target, EXAMPLE.scenario, "documented", True, 5, (), "Err")
