"""Footprints: what shared state a line of target code reads and writes.

Partial-order reduction needs to know which steps commute. A step of target code commutes with
another thread's step when neither writes what the other reads or writes. This module finds
that out for one *line* of target code, in two halves:

* **Statically**, once per code object (:func:`analyse`): the bytecode of each line is run
  symbolically over a stack of *paths* (``self._cond``, a local, a global), and every access to
  shared state is noted against the path it goes through: attribute loads and stores, global
  loads and stores, subscripts (the contents of a container), operands whose *contents* an
  operation may read (``==``, ``in``, ``if x``, iteration), and calls, with what they call.
* **At run time**, when the line starts (and again whenever the scheduler asks, since other
  threads may have moved things meanwhile), :meth:`LineRecord.resolve` looks the paths up in
  the frame's locals and globals without running any code (no properties, no ``__getattr__``)
  and turns every access into a key on a numbered object: ``("a", n, name)`` an attribute,
  ``("i", n)`` a container's contents, ``("g", n, name)`` a module global.

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
import dis
import enum
import sys
import threading
import types
from dataclasses import dataclass
from typing import Any

from barrierlab.checker.schedulers.base import Footprint

__all__ = [
    "CALL",
    "RETURN",
    "TRACE",
    "UNKNOWN",
    "Footprint",
    "LineInfo",
    "LineRecord",
    "Objects",
    "analyse",
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

# -- symbolic values ---------------------------------------------------------------------------
# ("L", name): a local; ("G", name): a global; ("A", base, name): attribute of a symbolic value;
# ("M", base, name): a method looked up on base; ("F", code): a function made here;
# ("D", inputs): derived by operators from inputs; ("S",): a scalar; NULL; UNK.
#: A symbolic value of the bytecode analysis, and a footprint key.
Sym = tuple[Any, ...]
Key = tuple[Any, ...]
UNK: Sym = ("?",)
NULL = ("0",)
SCALAR = ("S",)

_LOCAL_OPS = frozenset(
    [
        "NOP",
        "RESUME",
        "CACHE",
        "POP_TOP",
        "PUSH_NULL",
        "COPY",
        "SWAP",
        "LOAD_CONST",
        "RETURN_VALUE",
        "RETURN_CONST",
        "JUMP_FORWARD",
        "JUMP_BACKWARD",
        "JUMP_BACKWARD_NO_INTERRUPT",
        "JUMP",
        "JUMP_NO_INTERRUPT",
        "EXTENDED_ARG",
        "POP_JUMP_FORWARD_IF_NONE",
        "POP_JUMP_FORWARD_IF_NOT_NONE",
        "POP_JUMP_BACKWARD_IF_NONE",
        "POP_JUMP_BACKWARD_IF_NOT_NONE",
        "POP_JUMP_IF_NONE",
        "POP_JUMP_IF_NOT_NONE",
        "IS_OP",
        "BUILD_TUPLE",
        "BUILD_LIST",
        "BUILD_SET",
        "BUILD_MAP",
        "BUILD_CONST_KEY_MAP",
        "KW_NAMES",
        "PRECALL",
        "RAISE_VARARGS",
        "RERAISE",
        "PUSH_EXC_INFO",
        "POP_EXCEPT",
        "CHECK_EXC_MATCH",
        "POP_BLOCK",
        "LOAD_ASSERTION_ERROR",
        "MAKE_CELL",
        "COPY_FREE_VARS",
        "LOAD_CLOSURE",
        "FOR_ITER",
        "END_FOR",
        "CLEANUP_THROW",
    ]
)
_OPERAND_OPS = {  # opcode: how many stack items from the top it reads the contents of
    "COMPARE_OP": 2,
    "CONTAINS_OP": 2,
    "BINARY_OP": 2,
    "UNARY_NOT": 1,
    "UNARY_NEGATIVE": 1,
    "UNARY_INVERT": 1,
    "UNARY_POSITIVE": 1,
    "POP_JUMP_FORWARD_IF_TRUE": 1,
    "POP_JUMP_FORWARD_IF_FALSE": 1,
    "POP_JUMP_BACKWARD_IF_TRUE": 1,
    "POP_JUMP_BACKWARD_IF_FALSE": 1,
    "POP_JUMP_IF_TRUE": 1,
    "POP_JUMP_IF_FALSE": 1,
    "JUMP_IF_TRUE_OR_POP": 1,
    "JUMP_IF_FALSE_OR_POP": 1,
    "GET_ITER": 1,
    "UNPACK_SEQUENCE": 1,
    "FORMAT_VALUE": 1,
    "TO_BOOL": 1,
}


@dataclass(frozen=True)
class LineInfo:
    """What one line does to shared state, symbolically (``universal``: cannot tell)."""

    universal: bool
    accesses: tuple[Any, ...] = ()  # (kind, value, name): kinds below
    roots: frozenset[str] = frozenset()  # local names the paths start from
    cells: frozenset[str] = frozenset()  # those of them that are cell variables
    #: Reads the contents of what a call of traced code returned (see :func:`plain_value`).
    uses_results: bool = False

    @property
    def local(self) -> bool:
        """Touches nothing shared: not a scheduling point."""
        return not self.universal and not self.accesses


_UNIVERSAL = LineInfo(True)
_CACHE: dict[types.CodeType, dict[int, LineInfo]] = {}


def analyse(code: types.CodeType) -> dict[int, LineInfo]:
    """The :class:`LineInfo` of every line of ``code`` (cached)."""
    found = _CACHE.get(code)
    if found is None:
        found = _CACHE[code] = _analyse(code)
    return found


def _analyse(code: types.CodeType) -> dict[int, LineInfo]:
    by_line: dict[int | None, list[tuple[int, dis.Instruction]]] = collections.defaultdict(list)
    current = None
    for index, ins in enumerate(dis.get_instructions(code)):
        line = ins.positions.lineno if ins.positions else None
        if line is None:
            line = current  # no line of its own: it runs as part of the line before
        current = line
        by_line[line].append((index, ins))
    unattributed = by_line.pop(None, [])
    return {
        line: _line(instructions + unattributed)
        for line, instructions in by_line.items()
        if line is not None
    }


def _line(instructions: list[tuple[int, dis.Instruction]]) -> LineInfo:
    stack: list[Sym] = []
    accesses: list[tuple[str, Any, Any]] = []
    stored: set[str] = set()
    contexts: list[Sym] = []
    cells: set[str] = set()
    previous = None

    def pop() -> Sym:
        return stack.pop() if stack else UNK

    for index, ins in instructions:
        op, arg, name = ins.opname, ins.arg, ins.argval
        if ins.is_jump_target or (previous is not None and index != previous + 1):
            stack = []  # a merge point or a new stretch of the line: values below are unknown
        previous = index
        if op in ("LOAD_FAST", "LOAD_FAST_CHECK"):
            stack.append(("L", name))
        elif op == "LOAD_DEREF":
            # A cell variable: shared with closures, so read afresh whenever resolved (a
            # STORE_DEREF anywhere is unknown, hence dependent with this line).
            stack.append(("L", name))
            cells.add(name)
        elif op == "STORE_FAST" or op == "DELETE_FAST":
            stored.add(name)
            if op == "STORE_FAST":
                pop()
        elif op == "LOAD_GLOBAL":
            if (arg or 0) & 1:
                stack.append(NULL)
            stack.append(("G", name))
            accesses.append(("rg", None, name))
        elif op in ("STORE_GLOBAL", "DELETE_GLOBAL"):
            accesses.append(("wg", None, name))
            if op == "STORE_GLOBAL":
                pop()
        elif op == "LOAD_ATTR" or op == "LOAD_METHOD":
            base = pop()
            if not _is_path(base):
                return _UNIVERSAL
            accesses.append(("ra", base, name))
            method = op == "LOAD_METHOD" or (sys.version_info >= (3, 12) and arg & 1)
            if method:
                stack += [("M", base, name), NULL]
            else:
                stack.append(("A", base, name))
        elif op in ("STORE_ATTR", "DELETE_ATTR"):
            base = pop()
            if op == "STORE_ATTR":
                pop()
            if not _is_path(base):
                return _UNIVERSAL
            accesses.append(("wa", base, name))
        elif op in ("BINARY_SUBSCR", "BINARY_SLICE"):
            items = [pop() for _ in range(2 if op == "BINARY_SUBSCR" else 3)]
            container = items[-1]
            if not _is_path(container):
                return _UNIVERSAL
            accesses.append(("ri", container, None))
            accesses += [("rc", v, None) for v in items[:-1]]
            stack.append(UNK)
        elif op in ("STORE_SUBSCR", "DELETE_SUBSCR"):
            key, container = pop(), pop()
            if op == "STORE_SUBSCR":
                pop()
            if not _is_path(container):
                return _UNIVERSAL
            accesses += [("wi", container, None), ("rc", key, None)]
        elif op in _OPERAND_OPS:
            n = _OPERAND_OPS[op]
            operands = stack[-n:] if len(stack) >= n else [UNK] * n
            if op in ("GET_ITER", "UNPACK_SEQUENCE") and _is_path(operands[0]):
                accesses.append(("ri", operands[0], None))
            accesses += [("rc", v, None) for v in operands]
            _generic(stack, ins)
            if op in ("CONTAINS_OP", "UNARY_NOT"):
                stack[-1:] = [SCALAR]  # always a bool
            elif op == "COMPARE_OP":
                stack[-1:] = [("B", tuple(operands))]
            elif op == "BINARY_OP" or op.startswith("UNARY"):
                stack[-1:] = [("D", tuple(operands))]
        elif op == "BEFORE_WITH":
            context = pop()
            if not _is_path(context):
                return _UNIVERSAL
            contexts.append(context)
            accesses.append(("call", ("M", context, "__enter__"), ()))
            accesses.append(("call", ("M", context, "__exit__"), ()))
            stack += [UNK, SCALAR]
        elif op == "WITH_EXCEPT_START":
            if not contexts:
                return _UNIVERSAL
            stack.append(SCALAR)
        elif op == "CALL":
            argc = arg
            args = [pop() for _ in range(argc or 0)][::-1]
            second, first = pop(), pop()
            if first is NULL:
                callee = second
            elif first[0] == "M":
                callee, args = first, [second, *args]
            else:
                callee = UNK
            if callee is UNK:
                if not (contexts and argc == 2 and second is SCALAR and args == [SCALAR] * 2):
                    return _UNIVERSAL
                # A with statement's exit: its __exit__ was pushed by BEFORE_WITH, before this
                # stretch of the line began (both were noted at BEFORE_WITH).
                stack.append(SCALAR)
                continue
            if callee[0] not in ("M", "G", "A", "L", "F"):
                return _UNIVERSAL
            accesses.append(("call", callee, tuple(args)))
            stack.append(("R", callee))
        elif op == "MAKE_FUNCTION":
            code_value = pop()
            for bit in range(4):
                if (arg or 0) & (1 << bit):
                    pop()
            stack.append(("F", code_value))
        elif op == "LOAD_CONST" and isinstance(name, types.CodeType):
            stack.append(("C", name))
        elif op in ("BUILD_TUPLE", "BUILD_LIST", "BUILD_SET") and arg and len(stack) >= arg:
            built = tuple(stack[-arg:])
            del stack[-arg:]
            stack.append(("T", built))
        elif op in _LOCAL_OPS:
            _generic(stack, ins)
            if op in ("IS_OP", "CHECK_EXC_MATCH"):
                stack[-1:] = [SCALAR]
        else:
            return _UNIVERSAL
    roots: set[str] = set()
    for kind, value, extra in accesses:
        _roots(value, roots)
        if kind == "call":
            for a in extra:
                _roots(a, roots)
    if roots & stored:
        return _UNIVERSAL  # a path starts from a local this very line assigns
    uses = any(kind == "rc" and _has_result(v) for kind, v, _ in accesses)
    return LineInfo(False, tuple(accesses), frozenset(roots), frozenset(cells & roots), uses)


def _has_result(value: Sym) -> bool:
    kind = value[0]
    if kind == "R":
        return True
    if kind in ("D", "B", "T"):
        return any(_has_result(v) for v in value[1])
    return False


def plain_value(value: Any) -> bool:
    """True if reading the contents of ``value`` (truth, comparison, hashing) reads nothing
    shared: a scalar, or an object compared by identity. A call of traced code that returns
    anything else to a line that reads its contents ends its step there (the runtime makes
    that return a scheduling point, dependent with everything)."""
    if _is_scalar(value):
        return True
    if type(value) in _CONTAINERS or type(value) in (tuple, frozenset):
        return False
    kind = type(value)
    return all(
        getattr(kind, d, None) in (None, getattr(object, d, None))
        for d in ("__eq__", "__ne__", "__bool__", "__len__", "__hash__", "__lt__")
    )


_NO_OPS = frozenset(
    [
        "NOP",
        "RESUME",
        "CACHE",
        "PRECALL",
        "KW_NAMES",
        "EXTENDED_ARG",
        "JUMP_FORWARD",
        "JUMP_BACKWARD",
        "JUMP_BACKWARD_NO_INTERRUPT",
        "JUMP",
        "JUMP_NO_INTERRUPT",
        "MAKE_CELL",
        "COPY_FREE_VARS",
        "POP_BLOCK",
    ]
)
_POP_ONLY = frozenset(
    ["POP_TOP", "RETURN_VALUE", "RAISE_VARARGS", "RERAISE", "POP_EXCEPT", "END_FOR"]
)


def _generic(stack: list[Sym], ins: dis.Instruction) -> None:
    """The stack effect of an instruction that touches nothing shared: what it pushes is
    unknown (a conservative value), except for the few it copies or moves."""
    op = ins.opname
    if op in _NO_OPS:
        return
    if op == "COPY":
        n = ins.arg or 1
        stack.append(stack[-n] if len(stack) >= n else UNK)
        return
    if op == "SWAP":
        n = ins.arg or 1
        while len(stack) < n:
            stack.insert(0, UNK)
        stack[-1], stack[-n] = stack[-n], stack[-1]
        return
    if op == "PUSH_NULL":
        stack.append(NULL)
        return
    if op == "LOAD_CONST":
        stack.append(SCALAR if _is_scalar(ins.argval) else ("K", ins.argval))
        return
    try:
        effect = dis.stack_effect(ins.opcode, ins.arg, jump=False)
    except ValueError:
        effect = dis.stack_effect(ins.opcode, jump=False)
    if op in _POP_ONLY or "JUMP" in op:
        del stack[len(stack) - min(len(stack), max(0, -effect)) :]
        return
    # Otherwise: it pops some values (at least one when the stack shrinks) and pushes one
    # result (more when it grows).
    pops = 1 - effect if effect <= 0 else 1
    if effect > 0 and (op.startswith("LOAD") or (op.startswith("BUILD") and not ins.arg)):
        pops = 0  # pushes only
    del stack[len(stack) - min(len(stack), pops) :]
    stack.extend([UNK] * (pops + effect))


def _is_path(value: Sym) -> bool:
    return value[0] in ("L", "G", "A")


def _roots(value: Sym | None, out: set[str]) -> None:
    if value is None:
        return
    kind = value[0]
    if kind == "L":
        out.add(value[1])
    elif kind in ("A", "M"):
        _roots(value[1], out)
    elif kind in ("D", "B", "T"):
        for v in value[1]:
            _roots(v, out)
    elif kind == "R":
        _roots(value[1], out)


# -- run time --------------------------------------------------------------------------------

_SCALARS = (int, float, complex, str, bytes, bool, type(None), range, type(Ellipsis))
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


def _is_scalar(value: Any) -> bool:
    if isinstance(value, _SCALARS):
        return True
    if type(value) in (tuple, frozenset):
        return all(_is_scalar(v) for v in value)
    return False


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
            if _is_scalar(obj):
                return True
            if type(obj) in _CONTAINERS or type(obj) in (tuple, frozenset):
                if type(obj) in (tuple, frozenset) and not all(
                    _is_scalar(x) or _plain(x) for x in obj
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
            if _is_scalar(obj) or type(obj) in _CONTAINERS or type(obj) in (tuple, frozenset):
                return True
            kind = type(obj)
            return all(
                getattr(kind, d, None) in (None, getattr(object, d))
                for d in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__")
            )

        def _scalar_value(x: Sym) -> bool:
            if x[0] in ("S", "K"):
                return x[0] == "S" or _is_scalar(x[1])
            if x[0] == "D":
                return all(_scalar_value(y) for y in x[1])
            if x[0] == "B":
                return all(_compares_plainly(y) for y in x[1])
            if x[0] == "R":
                return _pure_result(x[1])
            if x[0] in ("L", "G", "A"):
                obj = value(x)
                return obj is not _FAIL and _is_scalar(obj)
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
                    (reads if name == "is_set" else writes).add(key)
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
        return Footprint(frozenset(reads), frozenset(writes))


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
