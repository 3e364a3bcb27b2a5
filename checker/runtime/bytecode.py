"""The static half of footprints: what each line of a code object does to shared state,
read from its bytecode alone.

:func:`analyse` runs the bytecode of each line symbolically, once per code object, over a
stack of *paths* (``self._cond``, a local, a global), and notes every access to shared state
against the path it goes through: attribute loads and stores, global loads and stores,
subscripts (the contents of a container), operands whose *contents* an operation may read
(``==``, ``in``, ``if x``, iteration), and calls, with what they call. The result, a
:class:`LineInfo` per line, names no live object: :mod:`barrierlab.checker.runtime.footprint`
resolves its paths against a running frame's locals and globals.

A line whose bytecode the analysis cannot follow (an opcode it does not know, an attribute of
a value produced by code it cannot see, a path starting from a local the line itself assigns
and may follow after assigning it, a ``nonlocal`` store) is *universal*: it may touch anything.
Cell variables are noted by name: a store into the frame's own cell, a load of a free variable
(a closure's, whose cell an enclosing frame owns, maybe in another thread).
"""

from __future__ import annotations

import collections
import dis
import sys
import types
from dataclasses import dataclass
from typing import Any

__all__ = ["NULL", "SCALARS", "LineInfo", "Sym", "analyse", "is_scalar"]

# -- symbolic values ---------------------------------------------------------------------------
# ("L", name): a local; ("G", name): a global; ("A", base, name): attribute of a symbolic value;
# ("M", base, name): a method looked up on base; ("F", code): a function made here;
# ("C", code): a code constant; ("K", value): any other constant that is not a scalar;
# ("D", inputs): derived by operators from inputs; ("B", operands): what a comparison gave;
# ("T", items): a tuple, list or set built here; ("R", callee): what a call returned;
# ("S",): a scalar; NULL; UNK.
#: A symbolic value of the bytecode analysis.
Sym = tuple[Any, ...]
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
        "LIST_APPEND",
        "LOAD_SMALL_INT",
        "NOT_TAKEN",
        "POP_ITER",
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
    "CONVERT_VALUE": 1,
    "FORMAT_SIMPLE": 1,
    "FORMAT_WITH_SPEC": 2,
    "CALL_INTRINSIC_1": 1,
}
#: Operations whose result is always a plain value (a bool, or a str for a format).
_PLAIN_RESULT = frozenset(
    [
        "CONTAINS_OP",
        "UNARY_NOT",
        "TO_BOOL",
        "CONVERT_VALUE",
        "FORMAT_VALUE",
        "FORMAT_SIMPLE",
        "FORMAT_WITH_SPEC",
    ]
)
#: 3.13+ pushes the NULL of a plain call above the callable (3.11 and 3.12: below it).
_NULL_ABOVE = sys.version_info >= (3, 13)
#: The loads of one local, by version (``_AND_CLEAR``: 3.12+, ``_BORROW``: 3.14+).
_LOAD_FAST = frozenset(["LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_FAST_AND_CLEAR", "LOAD_FAST_BORROW"])
#: 3.13+'s super-instructions on two locals (argval: their names), and what each half does.
_FAST_PAIRS = {
    "LOAD_FAST_LOAD_FAST": ("load", "load"),
    "LOAD_FAST_BORROW_LOAD_FAST_BORROW": ("load", "load"),
    "STORE_FAST_LOAD_FAST": ("store", "load"),
    "STORE_FAST_STORE_FAST": ("store", "store"),
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
    #: Cell variables of the frame's own code it stores or deletes, and free variables (a
    #: closure's, owned by an enclosing frame) it loads: see Footprint.cell_stores.
    cell_stores: frozenset[str] = frozenset()
    free_loads: frozenset[str] = frozenset()

    @property
    def local(self) -> bool:
        """Touches nothing shared: not a scheduling point."""
        return (
            not self.universal
            and not self.accesses
            and not self.cell_stores
            and not self.free_loads
        )


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
        line: _line(instructions, unattributed, frozenset(code.co_freevars))
        for line, instructions in by_line.items()
        if line is not None
    }


def _line(
    own: list[tuple[int, dis.Instruction]],
    unattributed: list[tuple[int, dis.Instruction]],
    free: frozenset[str],
) -> LineInfo:
    """``own``: the line's instructions; ``unattributed``: those of no line, analysed with
    every line; ``free``: the code's free variables (its other cell variables are its own)."""
    instructions = own + unattributed
    stack: list[Sym] = []
    accesses: list[tuple[str, Any, Any]] = []
    stored: set[str] = set()
    contexts: list[Sym] = []
    cells: set[str] = set()
    cell_stores: set[str] = set()
    free_loads: set[str] = set()
    previous = None
    # Locals loaded after the line stored them; whether the line may run its instructions
    # out of their order (several stretches, or a jump back within the line).
    reloaded: set[str] = set()
    offsets = {ins.offset for _, ins in own}
    reordered = False

    def pop() -> Sym:
        return stack.pop() if stack else UNK

    for index, ins in instructions:
        op, arg, name = ins.opname, ins.arg, ins.argval
        if ins.is_jump_target or (previous is not None and index != previous + 1):
            stack = []  # a merge point or a new stretch of the line: values below are unknown
            reordered |= previous is not None and index != previous + 1 and ins.offset in offsets
        previous = index
        if "JUMP" in op and isinstance(ins.argval, int) and ins.argval <= ins.offset:
            reordered |= ins.argval in offsets
        if op in _FAST_PAIRS:  # 3.13's super-instructions: two local loads or stores
            for part, local in zip(_FAST_PAIRS[op], name, strict=True):
                if part == "load":
                    stack.append(("L", local))
                    if local in stored:
                        reloaded.add(local)
                else:
                    stored.add(local)
                    pop()
        elif op in _LOAD_FAST:
            stack.append(("L", name))
            if name in stored:
                reloaded.add(name)
            if op == "LOAD_FAST_AND_CLEAR":  # 3.12+: saves and clears a comprehension's local
                stored.add(name)
        elif op == "LOAD_DEREF":
            # A cell variable: shared with closures, so its value is read afresh whenever
            # the line is resolved. A free variable's cell belongs to an enclosing frame,
            # which may run in another thread and store into it.
            stack.append(("L", name))
            cells.add(name)
            if name in stored:
                reloaded.add(name)
            if name in free:
                free_loads.add(name)
        elif op in ("STORE_DEREF", "DELETE_DEREF"):
            if name in free:
                return _UNIVERSAL  # ``nonlocal``: a cell of another frame, maybe running
            cell_stores.add(name)
            stored.add(name)
            if op == "STORE_DEREF":
                pop()
        elif op == "STORE_FAST" or op == "DELETE_FAST":
            stored.add(name)
            if op == "STORE_FAST":
                pop()
        elif op == "LOAD_GLOBAL":
            # With a NULL for a call: below the global up to 3.12, above it from 3.13.
            null = [NULL] if (arg or 0) & 1 else []
            stack += [("G", name), *null] if _NULL_ABOVE else [*null, ("G", name)]
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
            if op in _PLAIN_RESULT:
                stack[-1:] = [SCALAR]  # always a bool or a str
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
        elif op == "SET_FUNCTION_ATTRIBUTE":  # 3.13+: a default, closure or annotation
            function = pop()
            pop()
            stack.append(function)
        elif op in ("CALL", "CALL_KW"):
            if op == "CALL_KW":
                pop()  # 3.13+: the keyword names, a constant tuple
            argc = arg
            args = [pop() for _ in range(argc or 0)][::-1]
            second, first = pop(), pop()
            if first is NULL:
                callee = second
            elif second is NULL and first is not UNK:  # 3.13+: the callable, then a NULL
                callee = first
            elif first[0] in ("M", "F"):  # a method, or 3.11's comprehension (F and iterator)
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
    if roots & reloaded or (reordered and roots & stored):
        # A path starts from a local this very line assigns, and may be followed after the
        # assignment (paths are resolved from the locals the line started with).
        return _UNIVERSAL
    uses = any(kind == "rc" and _has_result(v) for kind, v, _ in accesses)
    return LineInfo(
        False,
        tuple(accesses),
        frozenset(roots),
        frozenset(cells & roots),
        uses,
        frozenset(cell_stores),
        frozenset(free_loads),
    )


def _has_result(value: Sym) -> bool:
    kind = value[0]
    if kind == "R":
        return True
    if kind in ("D", "B", "T"):
        return any(_has_result(v) for v in value[1])
    return False


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
        "NOT_TAKEN",
    ]
)
_POP_ONLY = frozenset(
    ["POP_TOP", "RETURN_VALUE", "RAISE_VARARGS", "RERAISE", "POP_EXCEPT", "END_FOR", "POP_ITER"]
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
    if op == "LOAD_SMALL_INT":  # 3.14+
        stack.append(SCALAR)
        return
    if op == "LOAD_CONST":
        stack.append(SCALAR if is_scalar(ins.argval) else ("K", ins.argval))
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


#: The types of plain values: reading their contents reads nothing shared.
SCALARS = (int, float, complex, str, bytes, bool, type(None), range, type(Ellipsis))


def is_scalar(value: Any) -> bool:
    """``value`` is a plain value: one of :data:`SCALARS`, or a tuple or frozenset of them."""
    if isinstance(value, SCALARS):
        return True
    if type(value) in (tuple, frozenset):
        return all(is_scalar(v) for v in value)
    return False
