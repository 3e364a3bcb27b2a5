"""Footprints: what shared state a line of target code reads and writes.

Partial-order reduction needs to know which steps commute. A step of target code commutes with
another thread's step when neither writes what the other reads or writes. Footprints find that
out for one *line* of target code, in two halves:

* **Statically**, once per code object, :func:`barrierlab.checker.runtime.bytecode.analyse`
  runs the bytecode of each line symbolically and notes every access to shared state against
  the *path* it goes through (``self._cond``, a local, a global): a
  :class:`~barrierlab.checker.runtime.bytecode.LineInfo`.
* **At run time**, the half in this module: when the line starts (and again whenever the
  scheduler asks, since other threads may have moved things meanwhile),
  :meth:`LineRecord.resolve` looks the paths up in the frame's locals and globals without
  running any code (no properties, no ``__getattr__``) and turns every access into a key on a
  numbered object (:class:`Objects`): ``("a", n, name)`` an attribute, ``("i", n)`` a
  container's contents, ``("g", n, name)`` a module global.

Anything the analysis cannot follow (a value produced by code it cannot see, an opcode it does
not know, a call into code that is neither traced nor known to be safe, a descriptor that runs
code) makes the line's footprint ``None``: *unknown*, dependent with every step, as every line
was before footprints. Calls are safe when they go to traced code (whose lines have their own
footprints), to ``threading``'s lock-based primitives (whose own lock operations are scheduling
points and whose state is guarded by them; ``Event`` counts as a container, since ``is_set``
reads without the lock), to the methods of built-in containers (a read or a write of their
contents), or to a few pure built-ins. The ``__eq__`` and ``__hash__`` of elements stored in
containers are assumed to be free of side effects.

A line with an empty footprint touches only its thread's own state: it is not a scheduling
point. The footprint of a scheduling step is the union over the lines that may run in it: the
line it starts at and every line still in progress in the thread's traced frames (the rest of a
caller's line runs when the callee returns); see :mod:`barrierlab.checker.runtime.run`.
"""

from __future__ import annotations

import builtins
import collections
import enum
import threading
import types
from typing import Any

from barrierlab.checker.runtime.bytecode import NULL, LineInfo, Sym, is_scalar
from barrierlab.checker.schedulers.base import Footprint

__all__ = [
    "CALL",
    "RETURN",
    "TRACE",
    "UNKNOWN",
    "Footprint",
    "LineRecord",
    "Objects",
    "attribute_is_plain",
    "plain_value",
]


EMPTY = Footprint()
#: The observable trace: a step that records an action event writes it.
TRACE = Footprint(frozenset(), frozenset({("trace",)}))
#: A step that records a call, or a return (or raise): see Footprint.records.
CALL = Footprint(frozenset({("trace",)}), records="call")
RETURN = Footprint(frozenset({("trace",)}), records="return")
#: Stands for "unknown": the step may touch anything.
UNKNOWN = None

#: A footprint key: ("a", n, name), ("i", n), ("g", n, name), ("trace",).
Key = tuple[Any, ...]


def plain_value(value: Any) -> bool:
    """True if reading the contents of ``value`` (truth, comparison, hashing) reads nothing
    shared: a scalar, or an object compared by identity. A call of traced code that returns
    anything else to a line that reads its contents ends its step there (the runtime makes
    that return a scheduling point, dependent with everything)."""
    if is_scalar(value):
        return True
    if type(value) in _CONTAINERS or type(value) in (tuple, frozenset):
        return False
    kind = type(value)
    return all(
        getattr(kind, d, None) in (None, getattr(object, d, None))
        for d in ("__eq__", "__ne__", "__bool__", "__len__", "__hash__", "__lt__")
    )


_CONTAINERS = (list, dict, set, collections.deque, bytearray)
_READ_METHODS = frozenset(
    [
        "count",
        "index",
        "copy",
        "get",
        "keys",
        "values",
        "items",
        "__contains__",
        "__len__",
        "__getitem__",
        "__iter__",
        "issubset",
        "issuperset",
        "isdisjoint",
        "union",
        "intersection",
        "difference",
        "symmetric_difference",
    ]
)
_PURE_BUILTINS = frozenset(
    id(f)
    for f in (
        len, isinstance, issubclass, min, max, abs, bool, int, float, str, range, list, tuple,
        set, frozenset, sorted, sum, any, all, enumerate, zip, divmod, round, callable, id,
    )
)  # fmt: skip
_FAIL = object()
#: Standard modules whose dunders (hash, comparison) only read their own object.
_PURE_FILES = frozenset({enum.__file__})


def _sync_types() -> tuple[type, ...]:
    from barrierlab.checker.runtime.primitives import ControlledLock

    return (
        ControlledLock,
        threading.Condition,
        threading.Semaphore,
        threading._PyRLock,  # type: ignore[attr-defined]
    )


_SYNC: tuple[type, ...] | None = None


class Objects:
    """Numbers the objects footprints mention, in the order first met (stable within a run,
    so the same schedule prefix gives the same numbers); keeps them alive meanwhile."""

    __slots__ = ("_kept", "_numbers")

    def __init__(self) -> None:
        self._numbers: dict[int, int] = {}
        self._kept: list[Any] = []

    def number(self, obj: Any) -> int:
        n = self._numbers.get(id(obj))
        if n is None:
            n = self._numbers[id(obj)] = len(self._kept) + 1
            self._kept.append(obj)
        return n


def _static_get(obj: Any, name: str) -> Any:
    """``obj.name`` when finding it runs no code (else :data:`_FAIL`)."""
    kind = type(obj)
    if isinstance(obj, type):  # a class: its own attributes (an enum's members...)
        if _dunder(kind, "__getattribute__") is not _dunder(type, "__getattribute__"):
            return _FAIL
        meta = _class_attr(obj, name)
        if meta is not _FAIL and hasattr(type(meta), "__set__"):
            return _FAIL
        for klass in obj.__mro__:
            if name in klass.__dict__:
                found = klass.__dict__[name]
                if hasattr(type(found), "__get__") and not isinstance(found, obj):
                    return _FAIL
                return found
        return _FAIL
    if _dunder(kind, "__getattribute__") is not _OBJECT_GETATTRIBUTE and not isinstance(
        obj, types.ModuleType
    ):
        return _FAIL
    found = _FAIL
    for klass in kind.__mro__:
        if name in klass.__dict__:
            found = klass.__dict__[name]
            break
    if found is not _FAIL and hasattr(type(found), "__set__"):
        if isinstance(found, types.MemberDescriptorType):
            try:
                return found.__get__(obj, kind)
            except AttributeError:
                return _FAIL
        return _FAIL
    try:
        instance = object.__getattribute__(obj, "__dict__")
    except AttributeError:
        instance = None
    if instance is not None and name in instance:
        return instance[name]
    if found is _FAIL or hasattr(type(found), "__get__"):
        return _FAIL
    return found


def _code_of(f: Any) -> types.CodeType | None:
    f = getattr(f, "__func__", f)
    code = getattr(f, "__code__", None)
    return code if isinstance(code, types.CodeType) else None


class LineRecord:
    """One line started in one frame: what it may touch, resolvable at any later moment."""

    __slots__ = ("at_start", "frame", "info", "roots", "seen")

    def __init__(self, info: LineInfo, frame: Any, run: Any) -> None:
        self.info = info
        self.roots: dict[str, Any] = {}
        self.frame = None
        #: The footprint last resolved, its keys, and how many steps the run had taken then.
        self.seen: tuple[Footprint, frozenset[Key], int] | None = None
        if info.universal or info.local:
            self.at_start = None if info.universal else EMPTY
            return
        f_locals = frame.f_locals
        self.frame = frame if info.cells else None
        for name in info.roots:
            self.roots[name] = f_locals.get(name, _FAIL)
        self.roots["<globals>"] = frame.f_globals
        self.at_start = self.resolve(run)
        if self.at_start is not None:
            self._keep(self.at_start, run)

    def footprint(self, run: Any) -> Footprint | None:
        """The footprint now, with what it was when the line started (values loaded then may
        still be on the stack).

        Resolved again only if a step since the last time may have changed where its paths
        lead: every attribute, global and container a path goes through is a key of the
        footprint, so a step that wrote none of them (``run.footprint_log`` holds what each
        step wrote; None: it may have written anything) left them all as they were.
        """
        if self.at_start is None or not self.info.accesses:
            return self.at_start
        seen = self.seen
        if seen is not None:
            footprint, keys, upto = seen
            log = run.footprint_log
            if all(w is not None and w.isdisjoint(keys) for w in log[upto:]):
                self.seen = (footprint, keys, len(log))
                return footprint
        now = self.resolve(run)
        if now is None:
            self.seen = None
            return None
        footprint = now | self.at_start
        self._keep(footprint, run)
        return footprint

    def _keep(self, footprint: Footprint, run: Any) -> None:
        self.seen = (footprint, footprint.reads | footprint.writes, len(run.footprint_log))

    def resolve(self, run: Any) -> Footprint | None:
        global _SYNC
        if _SYNC is None:
            _SYNC = _sync_types()
        objects: Objects = run.footprint_objects
        traced = run.traced_files
        glob = self.roots["<globals>"]
        gnum = objects.number(glob)
        reads: set[Key] = set()
        writes: set[Key] = set()
        values: dict[Sym, Any] = {}

        def value(v: Sym) -> Any:
            got = values.get(v, _FAIL) if v[0] != "K" else v[1]
            if got is not _FAIL or v[0] == "K":
                return got
            kind = v[0]
            if kind == "L":
                if v[1] in self.info.cells and self.frame is not None:
                    got = self.frame.f_locals.get(v[1], _FAIL)
                else:
                    got = self.roots.get(v[1], _FAIL)
            elif kind == "G":
                got = glob.get(v[1], _FAIL)
                if got is _FAIL:
                    got = builtins.__dict__.get(v[1], _FAIL)
            elif kind in ("A", "M"):
                base = value(v[1])
                got = _FAIL if base is _FAIL else _static_get(base, v[2])
            values[v] = got
            return got

        def contents(v: Sym) -> bool:
            """Note that the contents of ``v`` may be read; False if that may run unknown
            code."""
            kind = v[0]
            if kind in ("S", "K") or v is NULL:
                return True
            if kind == "D":
                return all(_scalar_value(x) for x in v[1])
            if kind == "B":
                return all(_compares_plainly(x) for x in v[1])
            if kind == "T":
                return all(contents(x) for x in v[1])
            if kind == "R":
                return _pure_result(v[1])
            if kind not in ("L", "G", "A"):
                return False
            obj = value(v)
            if obj is _FAIL:
                return False
            if is_scalar(obj):
                return True
            if type(obj) in _CONTAINERS or type(obj) in (tuple, frozenset):
                if type(obj) in (tuple, frozenset) and not all(
                    is_scalar(x) or _plain(x) for x in obj
                ):
                    return False
                reads.add(("i", objects.number(obj)))
                return True
            return _plain(obj)

        def _plain(obj: Any) -> bool:
            # An object whose comparisons, truth and hashing are object's own (identity).
            kind = type(obj)
            for dunder in ("__eq__", "__ne__", "__bool__", "__len__", "__hash__", "__lt__"):
                impl = getattr(kind, dunder, None)
                if impl is None or impl is getattr(object, dunder, None):
                    continue
                code = _code_of(impl)
                if code is None or code.co_filename not in traced | _PURE_FILES:
                    return False
            return True

        def _compares_plainly(x: Sym) -> bool:
            # A comparison with this operand gives a bool (contents() noted what it reads).
            if x[0] == "T":
                return all(_compares_plainly(y) for y in x[1])
            if x[0] in ("S", "K", "D", "R", "B"):
                return _scalar_value(x) or x[0] == "B"
            obj = value(x) if x[0] in ("L", "G", "A") else _FAIL
            if obj is _FAIL:
                return False
            if is_scalar(obj) or type(obj) in _CONTAINERS or type(obj) in (tuple, frozenset):
                return True
            kind = type(obj)
            return all(
                getattr(kind, d, None) in (None, getattr(object, d))
                for d in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__")
            )

        def _scalar_value(x: Sym) -> bool:
            if x[0] in ("S", "K"):
                return x[0] == "S" or is_scalar(x[1])
            if x[0] == "D":
                return all(_scalar_value(y) for y in x[1])
            if x[0] == "B":
                return all(_compares_plainly(y) for y in x[1])
            if x[0] == "R":
                return _pure_result(x[1])
            if x[0] in ("L", "G", "A"):
                obj = value(x)
                return obj is not _FAIL and is_scalar(obj)
            return False

        def _pure_result(callee: Sym) -> bool:
            # Results known to be plain values: len() and friends, the primitives' methods,
            # the controlled clock; and whatever traced code returns (see plain_value).
            f = value(callee) if callee[0] in ("L", "G", "A") else _FAIL
            if f is not _FAIL and (id(f) in _PURE_BUILTINS or run.safe_callable(f)):
                return True
            if callee[0] == "M":
                base = value(callee[1])
                if base is not _FAIL and not isinstance(base, _SYNC):
                    f = _static_get(base, callee[2])
                    if f is _FAIL:
                        f = _class_function(base, callee[2])
            code = _code_of(f) if f is not _FAIL else None
            if code is not None and code.co_filename in traced:
                return True
            if callee[0] == "M":
                base = value(callee[1])
                return base is not _FAIL and isinstance(base, _SYNC)
            return False

        def call(callee: Sym, args: tuple[Sym, ...]) -> bool:
            kind = callee[0]
            if kind == "F":
                code = callee[1][1] if callee[1][0] == "C" else None
                return code is not None and code.co_filename in traced
            if kind == "M":
                base = value(callee[1])
                if base is _FAIL:
                    return False
                name = callee[2]
                if isinstance(base, _SYNC):
                    return True
                if isinstance(base, threading.Event):
                    key = ("i", objects.number(base))
                    (reads if name in ("is_set", "wait") else writes).add(key)
                    return True
                if type(base) in _CONTAINERS:
                    key = ("i", objects.number(base))
                    (reads if name in _READ_METHODS else writes).add(key)
                    return all(contents(a) for a in args)
                f = _static_get(base, name)
                if f is _FAIL:
                    f = _class_function(base, name)
                return f is not _FAIL and _safe_callable(f, args)
            f = value(callee)
            return f is not _FAIL and _safe_callable(f, args)

        def _class_function(base: Any, name: str) -> Any:
            for klass in type(base).__mro__:
                if name in klass.__dict__:
                    found = klass.__dict__[name]
                    return found if isinstance(found, types.FunctionType) else _FAIL
            return _FAIL

        def _safe_callable(f: Any, args: tuple[Sym, ...]) -> bool:
            code = _code_of(f)
            if code is not None and code.co_filename in traced:
                return True
            if id(f) in _PURE_BUILTINS:
                return all(contents(a) for a in args)
            if isinstance(f, type):
                if f in _SYNC or f is threading.Event:
                    return True  # a new primitive: nothing shared yet
                if issubclass(f, BaseException):
                    init = _code_of(f.__init__)
                    return init is None or init.co_filename in traced
                init, new = _code_of(f.__init__), f.__new__
                return (
                    new is _dunder(object, "__new__")
                    and (f.__init__ is object.__init__ or _traced(f.__init__, traced))
                    and f.__getattribute__ is object.__getattribute__
                )
            return bool(run.safe_callable(f))

        for kind, v, extra in self.info.accesses:
            if kind == "rg":
                reads.add(("g", gnum, extra))
            elif kind == "wg":
                writes.add(("g", gnum, extra))
            elif kind in ("ra", "wa"):
                base = value(v)
                if base is _FAIL:
                    return UNKNOWN
                klass_attr = _class_attr(base, extra)
                if (
                    klass_attr is not _FAIL
                    and hasattr(type(klass_attr), "__get__")
                    and not _harmless_descriptor(klass_attr, traced)
                ):
                    return UNKNOWN
                if kind == "wa" and _dunder(type(base), "__setattr__") is not _dunder(
                    object, "__setattr__"
                ):
                    return UNKNOWN
                key = ("a", objects.number(base), extra)
                (reads if kind == "ra" else writes).add(key)
            elif kind in ("ri", "wi"):
                obj = value(v)
                if obj is _FAIL or not (type(obj) in _CONTAINERS or type(obj) is tuple):
                    return UNKNOWN
                (reads if kind == "ri" else writes).add(("i", objects.number(obj)))
            elif (kind == "rc" and not contents(v)) or (kind == "call" and not call(v, extra)):
                return UNKNOWN
        info = self.info
        return Footprint(
            frozenset(reads),
            frozenset(writes),
            cell_stores=info.cell_stores,
            free_loads=info.free_loads,
        )


def attribute_is_plain(obj: Any, name: str, traced: frozenset[str]) -> bool:
    """Reading ``obj.name`` runs no code but traced code: an attribute of the instance, a
    slot, or a property whose getter is traced."""
    kind = type(obj)
    if _dunder(kind, "__getattribute__") is not _OBJECT_GETATTRIBUTE:
        return False
    attr = _class_attr(obj, name)
    if attr is _FAIL:
        return not hasattr(kind, "__getattr__")
    return hasattr(type(attr), "__get__") and _harmless_descriptor(attr, traced)


def _dunder(kind: type, name: str) -> Any:
    return getattr(kind, name)


_OBJECT_GETATTRIBUTE = object.__getattribute__


def _traced(f: Any, traced: frozenset[str]) -> bool:
    code = _code_of(f)
    return code is not None and code.co_filename in traced


def _class_attr(obj: Any, name: str) -> Any:
    for klass in type(obj).__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return _FAIL


def _harmless_descriptor(attr: Any, traced: frozenset[str]) -> bool:
    """A class attribute found by an attribute access runs no unknown code."""
    if isinstance(attr, (types.FunctionType, staticmethod, classmethod)):
        return True
    if isinstance(attr, (types.MemberDescriptorType, types.GetSetDescriptorType)):
        return True
    if isinstance(attr, property):
        return all(f is None or _traced(f, traced) for f in (attr.fget, attr.fset, attr.fdel))
    return isinstance(
        attr,
        (
            types.BuiltinFunctionType,
            types.WrapperDescriptorType,
            types.MethodDescriptorType,
            types.ClassMethodDescriptorType,
        ),
    )
