"""Profiles by CPython version: ``cpython`` is the running CPython, ``cpython-3.X`` pins 3.X.

``threading.Barrier``'s algorithm has not changed since 3.2, so every ``cpython-3.X`` profile
judges traces with the same state machine (:mod:`barrierlab.model.cpython`). What differs is
construction: since 3.13 (gh-121474) ``Barrier(parties)`` raises ``ValueError`` when
``parties < 1``; 3.11 accepts 0 and negative values, and ``wait()`` on such a barrier then
blocks forever. The fix was also backported to the 3.12 branch in a bug-fix release, so
3.12.x may do either: ``cpython-3.12`` judges no construction, ``cpython-3.11`` requires
nothing either (pinning a hang as required behaviour would only flag correct barriers), and
``cpython-3.13`` and later require the ``ValueError`` (rule ``C-PARTIES``).

>>> parse_profile("cpython-3.13")
Profile(base='cpython', version=(3, 13))
>>> parse_profile("documented")
Profile(base='documented', version=None)
>>> parse_profile("cpython").version == running_version()
True
>>> rejects_invalid_parties(parse_profile("cpython-3.11")), rejects_invalid_parties(
...     parse_profile("cpython-3.13"))
(False, True)
"""

from __future__ import annotations

import sys
from typing import Final, NamedTuple

from barrierlab.model.errors import InvalidArgument

__all__ = [
    "CPYTHON_VERSIONS",
    "PROFILE_NAMES",
    "Profile",
    "base_profile",
    "cpython_refuses_invalid_parties",
    "parse_profile",
    "rejects_invalid_parties",
    "running_version",
]

#: The base profiles, loosest first (the spec's state machines).
BASES: Final = ("documented", "cpython")
#: The CPython versions a profile can pin (those barrierlab supports).
CPYTHON_VERSIONS: Final = ((3, 11), (3, 12), (3, 13), (3, 14))
#: Since this version ``Barrier(parties)`` raises ValueError for ``parties < 1`` (gh-121474).
VALIDATES_PARTIES_SINCE: Final = (3, 13)
#: Every profile name the command line and the API accept.
PROFILE_NAMES: Final = (*BASES, *(f"cpython-{a}.{b}" for a, b in CPYTHON_VERSIONS))


class Profile(NamedTuple):
    """A profile name, resolved: the spec it judges traces by, and the CPython it pins."""

    base: str
    version: tuple[int, int] | None


def running_version() -> tuple[int, int]:
    """The (major, minor) of the Python running this process."""
    return (sys.version_info[0], sys.version_info[1])


def parse_profile(name: str) -> Profile:
    """Resolve a profile name; raise :class:`InvalidArgument` for one that names none."""
    if name == "documented":
        return Profile("documented", None)
    if name == "cpython":
        return Profile("cpython", running_version())
    if name in PROFILE_NAMES:
        major, minor = name.removeprefix("cpython-").split(".")
        return Profile("cpython", (int(major), int(minor)))
    raise InvalidArgument(f"unknown profile {name!r}; profiles are: {', '.join(PROFILE_NAMES)}")


def base_profile(name: str) -> str:
    """The spec a profile judges traces by: ``documented`` or ``cpython`` for the names of
    :data:`PROFILE_NAMES`; any other name (``asyncio``) is its own, returned as it is."""
    return parse_profile(name).base if name in PROFILE_NAMES else name


def cpython_refuses_invalid_parties(version: tuple[int, int]) -> bool | None:
    """What CPython ``version`` does with ``Barrier(0)`` (or any ``parties < 1``): True when
    every release raises ValueError, False when every release accepts it, None when releases
    differ.

    * 3.11: accepts (the fix, gh-121474, came after 3.11's last bug-fix release);
    * 3.12: differs (the fix was backported to the 3.12 branch in 2024: 3.12.1 accepts, the
      bug-fix releases after the backport raise);
    * 3.13 and later: raise ValueError.

    The tests check this against every CPython the machine has (``tests/checker/explore/
    test_construction.py``).

    >>> [cpython_refuses_invalid_parties(v) for v in CPYTHON_VERSIONS]
    [False, None, True, True]
    """
    if version >= VALIDATES_PARTIES_SINCE:
        return True
    return None if version == (3, 12) else False


def rejects_invalid_parties(profile: Profile) -> bool:
    """True when ``profile`` requires ``Barrier(parties)`` to raise ValueError for parties < 1.

    Only ``cpython`` profiles of versions whose every release does
    (:func:`cpython_refuses_invalid_parties`: 3.13 and later; rule ``C-PARTIES``): the
    documentation says nothing about it, 3.11 accepts such a barrier, and 3.12 releases differ,
    so neither is held to either behaviour.
    """
    version = profile.version
    return (
        profile.base == "cpython"
        and version is not None
        and cpython_refuses_invalid_parties(version) is True
    )
