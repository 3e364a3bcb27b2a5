"""The run in progress, written where a supervising process can read it if this one dies.

A target can end the whole process for real (``os.abort()``, a segfault in a C extension, a
signal): nothing in the process survives to say which schedule did it. A check run in a
supervised worker process (:mod:`barrierlab.checker.explore.supervise`) therefore keeps a
*breadcrumb*: a small memory-mapped file that the runtime updates as a run goes, with the
scenario at the start of each run and each choice as it is made. If the worker dies, the
supervisor reads the last run from it and makes its replay token.

Layout (little-endian): ``u32`` number of choices, ``u32`` length of the scenario's JSON, the
JSON (at most :data:`MAX_SCENARIO` bytes), then one ``u32`` per choice (at most ``capacity``).
A choice past the capacity is not written; :func:`read` then gives None for the choices.
"""

from __future__ import annotations

import json
import mmap
import os
import struct
from typing import Any

__all__ = ["Breadcrumb", "read"]

MAX_SCENARIO = 64 * 1024
_HEAD = 8
_CHOICES = _HEAD + MAX_SCENARIO


class Breadcrumb:
    """Writes the run in progress into the file at ``path`` (created, sized for ``capacity``
    choices)."""

    def __init__(self, path: str, capacity: int) -> None:
        self.capacity = capacity
        size = _CHOICES + 4 * capacity
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.ftruncate(fd, size)
            self._map = mmap.mmap(fd, size)
        finally:
            os.close(fd)
        self._count = 0

    def start(self, scenario: dict[str, Any]) -> None:
        """A run of ``scenario`` begins: no choice yet."""
        text = json.dumps(scenario, separators=(",", ":")).encode()[:MAX_SCENARIO]
        self._count = 0
        struct.pack_into("<II", self._map, 0, 0, len(text))
        self._map[_HEAD : _HEAD + len(text)] = text

    def choice(self, code: int) -> None:
        """The run made one more choice (encoded as in a replay token)."""
        n = self._count
        self._count = n + 1
        if n < self.capacity:
            struct.pack_into("<I", self._map, _CHOICES + 4 * n, code)
        struct.pack_into("<I", self._map, 0, self._count)


def read(path: str) -> tuple[dict[str, Any] | None, tuple[int, ...] | None]:
    """The scenario and choices of the last run written at ``path`` (None, None if none)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None, None
    if len(data) < _CHOICES:
        return None, None
    count, length = struct.unpack_from("<II", data, 0)
    if not length:
        return None, None
    try:
        scenario = json.loads(data[_HEAD : _HEAD + length])
    except ValueError:
        return None, None
    capacity = (len(data) - _CHOICES) // 4
    if count > capacity:
        return scenario, None
    return scenario, struct.unpack_from(f"<{count}I", data, _CHOICES)
