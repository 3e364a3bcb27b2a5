"""Loading a target: ``package.module:Name`` or ``path/to/file.py:Name``.

A target is a class or factory called as ``Name(parties)``, with ``action=`` and ``timeout=``
where it takes them, that returns something with a ``wait()`` method; ``reset``, ``abort``,
``parties``, ``n_waiting`` and ``broken`` are checked where it has them. Loading finds the
object, the modules whose globals may hold ``threading`` or ``time`` names to control, the
source files whose lines are scheduling points (the target's own code, never the standard
library's), and what the target offers (:mod:`~barrierlab.checker.runtime.capabilities`).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from barrierlab.checker.runtime.capabilities import FULL, Capabilities, detect, resolve_error
from barrierlab.model.errors import TargetError

__all__ = ["Target", "load_target", "target_of"]

_STDLIB = tuple(
    os.path.realpath(sysconfig.get_paths()[key]) + os.sep for key in ("stdlib", "platstdlib")
)


@dataclass(frozen=True)
class Target:
    """A loaded target: the factory and what the runtime needs to control it."""

    spec: str
    factory: Any
    modules: tuple[ModuleType, ...]
    source_files: frozenset[str]
    capabilities: Capabilities = FULL
    #: The error class the target was given (``module:Name``), when detection was overridden:
    #: a replay token carries it.
    broken_error: str | None = None

    @property
    def name(self) -> str:
        return self.spec


def _is_stdlib(path: str) -> bool:
    real = os.path.realpath(path)
    return real.startswith(_STDLIB) and "site-packages" not in real


def _import_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise TargetError(f"no such file: {path}")
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    name = f"_barrierlab_target_{path.stem}_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise TargetError(f"cannot import {path}: not a Python source file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as error:
        del sys.modules[name]
        raise TargetError(f"importing {path} failed: {type(error).__name__}: {error}") from None
    return module


def _import_module(name: str) -> ModuleType:
    if str(Path.cwd()) not in sys.path and "" not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        raise TargetError(
            f"cannot import module {name!r}: {error} (is it installed, or importable from "
            "the current directory?)"
        ) from None
    except BaseException as error:
        raise TargetError(f"importing {name!r} failed: {type(error).__name__}: {error}") from None


def load_target(spec: str, *, broken_error: str | type[BaseException] | None = None) -> Target:
    """Load ``spec`` (``pkg.mod:Name`` or ``path/file.py:Name``); raise TargetError if bad.

    ``broken_error`` (a class, or ``module:Name``) is the exception the target raises for a
    broken barrier, when it is not the one :func:`~.capabilities.detect` finds.
    """
    if not isinstance(spec, str) or spec.count(":") < 1:
        raise TargetError(
            f"bad target {spec!r}: write it as 'package.module:Name' or 'path/to/file.py:Name'"
        )
    where, _, attr = spec.rpartition(":")
    if not where or not attr:
        raise TargetError(f"bad target {spec!r}: both the module and the name are needed")
    if where.endswith(".py") or os.sep in where or "/" in where:
        module = _import_file(Path(where))
    else:
        module = _import_module(where)
    obj: Any = module
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise TargetError(f"{where} has no attribute {attr!r}") from None
    if not callable(obj):
        raise TargetError(f"{spec} is a {type(obj).__name__}, not a class or factory")
    if inspect.isclass(obj) and not callable(getattr(obj, "wait", None)):
        raise TargetError(f"{spec} is not barrier-like: it has no wait() method")
    return _target(spec, obj, module, broken_error)


def _target(
    spec: str, obj: Any, home: ModuleType, broken_error: str | type[BaseException] | None = None
) -> Target:
    error = resolve_error(broken_error) if isinstance(broken_error, str) else broken_error
    modules = _modules_of(obj, home)
    files = frozenset(
        f
        for m in modules
        if (f := getattr(m, "__file__", None)) and f.endswith(".py") and not _is_stdlib(f)
    )
    caps = detect(obj, modules=modules, traced_files=files, error=error)
    named = broken_error if isinstance(broken_error, str) else None
    if error is not None and named is None:
        named = f"{error.__module__}:{error.__qualname__}"
    return Target(spec, obj, modules, files, caps, named)


def target_of(obj: Any, *, broken_error: str | type[BaseException] | None = None) -> Target:
    """A target made from a class or factory object rather than a ``module:Name`` string.

    Its spec names where the object can be found again (``pkg.mod:Name``, or
    ``path/file.py:Name`` for a module that is not importable by name, such as a test file), so
    a replay token of a violation works in another process whenever the object is defined at
    the top level of its module. Raises :class:`TargetError` for anything not callable.
    """
    if isinstance(obj, Target):
        return obj
    if isinstance(obj, str):
        return load_target(obj, broken_error=broken_error)
    if not callable(obj):
        raise TargetError(f"{obj!r} is a {type(obj).__name__}, not a class or factory")
    home = sys.modules.get(getattr(obj, "__module__", "") or "")
    if home is None:
        raise TargetError(f"cannot tell which module {obj!r} comes from")
    qualname = getattr(obj, "__qualname__", getattr(obj, "__name__", ""))
    file = getattr(home, "__file__", None)
    importable = not home.__name__.startswith("_barrierlab_target_") and _findable(home.__name__)
    where = home.__name__ if importable or not file else file
    return _target(f"{where}:{qualname}", obj, home, broken_error)


def _findable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _modules_of(obj: Any, home: ModuleType) -> tuple[ModuleType, ...]:
    """The target's module and those of its base classes (where its code lives)."""
    found = [home]
    classes = inspect.getmro(obj) if inspect.isclass(obj) else ()
    for cls in classes:
        module = sys.modules.get(cls.__module__)
        if module is not None and module not in found and module.__name__ != "builtins":
            found.append(module)
    return tuple(found)
