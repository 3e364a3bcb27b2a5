"""Replay tokens: one schedule of one check as a short, copy-pasteable text.

A token holds everything needed to rerun one schedule: the ``target`` (``pkg.mod:Name`` or
``path/file.py:Name``), the ``scenario`` (the dict of :meth:`Scenario.to_json`), the
``profile``, whether line-level scheduling was on (``line_level``), the per-schedule
``step_bound``, the ``choices`` (encoded by
:func:`~barrierlab.checker.schedulers.base.encode_choice`), and the target's error class when
the check was told it (``broken_error``, ``module:Name``; None: the one detection finds), and
whether the schedule ended the process it ran in (``ended_process``: replay it in a supervised
process, :mod:`barrierlab.checker.explore.supervise`).

Format, version 1: ``bl1-`` followed by URL-safe base64 (``A-Z a-z 0-9 - _``, no padding) of::

    varint(n)  checksum(4 bytes)  body(n bytes)

``body`` is zlib-compressed ``varint(len(meta)) meta varint(len(choices)) varint(choice)...``
where ``meta`` is compact JSON of the other fields (``broken_error``, ``ended_process`` and
``footprints`` only when set, so tokens made before they existed read as they did, and those
without them are unchanged); ``checksum`` is the first 4 bytes of the
BLAKE2b digest of ``body``. So a token that was cut when copied, edited, or made by another
format version is told apart, and decoding any bad input raises :class:`TokenError`, with a
message saying which. Whitespace anywhere in the text (a terminal's line wrapping) is ignored.

>>> t = Token("threading:Barrier", {"name": "two", "parties": 2, "threads": ["wait", "wait"],
...           "timeout": None, "action": "none"}, "documented", True, 10_000, (0, 2, 2, 0))
>>> text = t.encode()
>>> text.startswith("bl1-"), Token.decode(text) == t
(True, True)
>>> Token.decode(text[:-5])
Traceback (most recent call last):
...
barrierlab.model.errors.TokenError: the token is cut short ...
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import zlib
from dataclasses import dataclass
from typing import Any

from barrierlab.model.errors import BarrierlabError, TokenError

__all__ = ["VERSION", "Token"]

#: The format version this module writes (and the only one it reads).
VERSION = 1
_PREFIX = f"bl{VERSION}-"
_HEAD = re.compile(r"bl(\d+)-")
_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")
_WHITESPACE = re.compile(r"\s+")
_MAX_BODY = 64 * 1024 * 1024  # decompressed bytes: a bound against crafted tokens
_REQUIRED = frozenset({"target", "scenario", "profile", "line_level", "step_bound"})
_OPTIONAL = frozenset({"broken_error", "ended_process", "footprints"})


def _varint(n: int, out: bytearray) -> None:
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


class _Reader:
    """Reads varints and byte strings from ``data``; :class:`_Bad` on any shortfall."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def varint(self) -> int:
        value = shift = 0
        while True:
            if self.at >= len(self.data):
                raise _Bad("it ends in the middle of a number")
            byte = self.data[self.at]
            self.at += 1
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return value
            shift += 7
            if shift > 70:
                raise _Bad("a number is too long")

    def take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise _Bad("it ends too early")
        chunk = self.data[self.at : self.at + n]
        self.at += n
        return chunk


class _Bad(Exception):
    """Internal: the content is malformed (turned into TokenError by ``decode``)."""


def _checksum(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=4).digest()


@dataclass(frozen=True)
class Token:
    """Everything needed to rerun one schedule; ``encode()`` / ``Token.decode(text)``."""

    target: str
    scenario: dict[str, Any]
    profile: str
    line_level: bool
    step_bound: int
    choices: tuple[int, ...]
    broken_error: str | None = None
    ended_process: bool = False
    #: Steps had footprints (fewer scheduling points: see Config.footprints). Absent from
    #: tokens made before footprints existed, which read as False.
    footprints: bool = False

    def __post_init__(self) -> None:
        problem = _problem(self)
        if problem:
            raise TokenError(f"cannot make a token: {problem}")

    def encode(self) -> str:
        """This token as ``bl1-...`` text (URL-safe, no whitespace)."""
        fields: dict[str, Any] = {
            "target": self.target,
            "scenario": self.scenario,
            "profile": self.profile,
            "line_level": self.line_level,
            "step_bound": self.step_bound,
        }
        if self.footprints:
            fields["footprints"] = True
        if self.broken_error is not None:
            fields["broken_error"] = self.broken_error
        if self.ended_process:
            fields["ended_process"] = True
        meta = json.dumps(
            fields,
            separators=(",", ":"),
            sort_keys=True,
            allow_nan=False,
        ).encode()
        raw = bytearray()
        _varint(len(meta), raw)
        raw += meta
        _varint(len(self.choices), raw)
        for choice in self.choices:
            _varint(choice, raw)
        body = zlib.compress(bytes(raw), 9)
        framed = bytearray()
        _varint(len(body), framed)
        framed += _checksum(body) + body
        return _PREFIX + base64.urlsafe_b64encode(bytes(framed)).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Token:
        """Read a token; any bad input raises :class:`TokenError` saying what is wrong."""
        if not isinstance(text, str):
            raise TokenError(f"a token is text, got {type(text).__name__}")
        text = _WHITESPACE.sub("", text)
        head = _HEAD.match(text)
        if head is None:
            raise TokenError(
                "not a barrierlab replay token: a token starts with 'bl1-' (was it copied whole?)"
            )
        if head[1] != str(VERSION):
            raise TokenError(
                f"this token has format version {head[1]}; this barrierlab reads version "
                f"{VERSION} (was it made by another barrierlab version?)"
            )
        payload = text[head.end() :]
        if not _ALPHABET.fullmatch(payload):
            bad = sorted({c for c in payload if not re.match(r"[A-Za-z0-9_-]", c)})
            raise TokenError(
                f"the token contains characters a token never has: {''.join(bad)!r} "
                "(only A-Z, a-z, 0-9, '-' and '_'; was it edited?)"
            )
        if len(payload) % 4 == 1:
            raise TokenError("the token is cut short or has a stray character: paste it whole")
        try:
            framed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        except (binascii.Error, ValueError):
            raise TokenError("the token is not valid base64url: was it edited?") from None
        reader = _Reader(framed)
        try:
            size = reader.varint()
        except _Bad:
            raise TokenError("the token is cut short: paste it whole") from None
        have = len(framed) - reader.at - 4
        if have < size:
            raise TokenError(
                f"the token is cut short ({max(have, 0)} of {size} bytes): paste it whole"
            )
        if have > size:
            raise TokenError("the token has extra characters at its end: was it edited?")
        checksum, body = reader.take(4), reader.take(size)
        if _checksum(body) != checksum:
            raise TokenError("the token's checksum does not match: it was altered when copied")
        try:
            return _parse(body)
        except _Bad as error:
            raise TokenError(f"the token's content is malformed: {error}") from None


def _parse(body: bytes) -> Token:
    try:
        inflater = zlib.decompressobj()
        raw = inflater.decompress(body, _MAX_BODY)
        if inflater.unconsumed_tail or not inflater.eof or inflater.unused_data:
            raise _Bad("the compressed data is damaged or too large")
    except zlib.error:
        raise _Bad("the compressed data is damaged") from None
    reader = _Reader(raw)
    try:
        meta = json.loads(reader.take(reader.varint()).decode())
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _Bad("the fields are not valid JSON") from None
    count = reader.varint()
    if count > len(raw):
        raise _Bad("the number of choices is impossible")
    choices = tuple(reader.varint() for _ in range(count))
    if reader.at != len(raw):
        raise _Bad("there is data after the choices")
    if not isinstance(meta, dict) or not _REQUIRED <= set(meta) <= _REQUIRED | _OPTIONAL:
        raise _Bad("the fields are not those of a token")
    try:
        return Token(
            meta["target"],
            meta["scenario"],
            meta["profile"],
            meta["line_level"],
            meta["step_bound"],
            choices,
            meta.get("broken_error"),
            meta.get("ended_process", False),
            meta.get("footprints", False),
        )
    except BarrierlabError as error:
        raise _Bad(str(error).removeprefix("cannot make a token: ")) from None


def _problem(token: Token) -> str | None:
    """What is wrong with the fields of ``token``, or None."""
    from barrierlab.checker.scenario import Scenario

    if not isinstance(token.target, str) or ":" not in token.target:
        return f"target must be text like 'pkg.mod:Name', got {token.target!r}"
    if not isinstance(token.profile, str) or not token.profile:
        return f"profile must be a non-empty name, got {token.profile!r}"
    if not isinstance(token.line_level, bool):
        return f"line_level must be True or False, got {token.line_level!r}"
    if not isinstance(token.footprints, bool):
        return f"footprints must be True or False, got {token.footprints!r}"
    if isinstance(token.step_bound, bool) or not isinstance(token.step_bound, int):
        return f"step_bound must be an integer, got {token.step_bound!r}"
    if token.step_bound < 1:
        return f"step_bound must be >= 1, got {token.step_bound!r}"
    if token.broken_error is not None and (
        not isinstance(token.broken_error, str) or ":" not in token.broken_error
    ):
        return f"broken_error must be text like 'module:Name', got {token.broken_error!r}"
    if not isinstance(token.ended_process, bool):
        return f"ended_process must be True or False, got {token.ended_process!r}"
    if not isinstance(token.choices, tuple) or not all(
        isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in token.choices
    ):
        return "choices must be a tuple of integers >= 0"
    if not isinstance(token.scenario, dict):
        return f"scenario must be a dict, got {type(token.scenario).__name__}"
    try:
        Scenario.from_json(token.scenario)
    except BarrierlabError as error:
        return f"the scenario is invalid: {error}"
    except Exception as error:  # a malformed dict can break the scenario parser in many ways
        return f"the scenario is invalid: {type(error).__name__}: {error}"
    return None
