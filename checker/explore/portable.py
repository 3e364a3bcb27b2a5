"""Targets that load in another process or on another machine.

A ``module:Name`` target must be importable where it runs; a ``path/file.py:Name`` target is
*shipped*: :func:`portable_target` reads the file here, and :meth:`PortableTarget.load`, in the
worker, loads it from a private copy keyed by its content, while the loaded target keeps the
user's spec (so results, tokens and messages name the user's file).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from barrierlab.checker.runtime.target import Target, load_target
from barrierlab.model.errors import TargetError

__all__ = ["PortableTarget", "portable_target"]


@dataclass(frozen=True)
class PortableTarget:
    """A target spec that loads in another process or on another machine.

    ``source`` is the file's text for a file-path target (shipped with every task), None for a
    ``module:Name`` target (which must be importable where the task runs).
    """

    spec: str
    source: str | None = None

    def load(self) -> Target:
        """The target, loaded here (from a private copy of the shipped file, if any)."""
        if self.source is None:
            return load_target(self.spec)
        where, _, name = self.spec.rpartition(":")
        digest = hashlib.sha256(self.source.encode()).hexdigest()[:16]
        home = Path(tempfile.gettempdir()) / f"barrierlab-shipped-{digest}"
        home.mkdir(exist_ok=True)
        copy = home / Path(where).name
        if not copy.exists():
            partial = copy.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(self.source)
            os.replace(partial, copy)
        return replace(load_target(f"{copy}:{name}"), spec=self.spec)


def portable_target(spec: str) -> PortableTarget:
    """A :class:`PortableTarget` for ``spec``: the file's source is read here if it is a path."""
    where, _, _ = spec.rpartition(":")
    if where.endswith(".py") or "/" in where or os.sep in where:
        try:
            return PortableTarget(spec, Path(where).read_text())
        except OSError as error:
            raise TargetError(f"cannot read {where}: {error.strerror or error}") from None
    return PortableTarget(spec)
