"""What a target offers: its methods, attributes, constructor, ``wait`` and error class.

Barriers people write are not all shaped like :class:`threading.Barrier`. Many have only
``wait()`` (a turnstile, a count-down on a condition), take only ``parties``, return None from
``wait()``, or define their own ``BrokenBarrierError``. barrierlab checks each of them for what
it offers: :func:`detect` decides, by inspection and by one probe run under control, what that
is; scenarios that need something else are not run, and the rules that cannot be judged are
*not applicable*, with the reason (:meth:`Capabilities.not_applicable`).

What is decided, and how:

* ``reset``, ``abort`` (callable attributes) and ``parties``, ``n_waiting``, ``broken``
  (attributes, properties included) by static lookup on a barrier built under control: no
  attribute is read, so no property of the target runs outside a run;
* the constructor's keywords ``action=`` and ``timeout=`` by binding its signature (one that
  cannot be inspected, a C type, is assumed to take both);
* ``wait(timeout)`` by binding the signature of the built barrier's ``wait``;
* whether ``wait()`` returns an index by a probe: one controlled run of one party calling
  ``wait()`` (a barrier that returns None there is judged with the index checks off);
* whether it is an asyncio barrier (its ``wait`` a coroutine function), by the probe's
  barrier (:mod:`~.aio.detect`), which also says which of ``reset``, ``abort`` and the
  attributes it has;
* the error class: the ``BrokenBarrierError`` attribute of the class, else of its module, else
  :class:`threading.BrokenBarrierError`; ``broken_error`` (``module:Name``) overrides.

>>> import threading
>>> caps = detect(threading.Barrier)
>>> caps.returns_index, caps.action, sorted(caps.methods)
(True, True, ['abort', 'reset'])
>>> caps.not_applicable("documented")
{}
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from barrierlab.checker.runtime.aio.detect import is_async_barrier
from barrierlab.model.errors import TargetError

__all__ = ["ASYNC", "FULL", "Capabilities", "construct", "detect", "resolve_error"]

_METHODS = ("reset", "abort")
_ATTRIBUTES = ("parties", "n_waiting", "broken")
_MISSING = object()


@dataclass(frozen=True)
class Capabilities:
    """What a target offers (see the module docstring); the default is all of it."""

    methods: frozenset[str] = frozenset(_METHODS)
    attributes: frozenset[str] = frozenset(_ATTRIBUTES)
    action: bool = True  # the constructor takes action=
    timeout: bool = True  # the constructor takes timeout=
    wait_timeout: bool = True  # wait(timeout)
    returns_index: bool = True  # wait() returns an index (else None)
    asyncio: bool = False  # its wait is a coroutine function: runtime.aio runs it
    error: type[BaseException] = field(default=threading.BrokenBarrierError)

    @property
    def error_name(self) -> str:
        return f"{self.error.__module__}.{self.error.__qualname__}"

    @property
    def error_is_runtime_error(self) -> bool:
        return issubclass(self.error, RuntimeError)

    def offers(self, op: str) -> bool:
        """True if a scenario step ``op`` can be run on the target."""
        return op == "wait" or op in self.methods or op in self.attributes

    def takes(self, step: Any) -> bool:
        """True if a scenario step (its op, and a wait's timeout) can be run on the target."""
        timed = step.op == "wait" and step.timeout is not None
        return self.offers(step.op) and (self.wait_timeout or not timed)

    def missing_for(self, scenario: Any) -> list[str]:
        """What ``scenario`` needs that the target lacks (empty: it can run)."""
        missing = []
        ops = {step.op for program in scenario.programs for step in program}
        missing += [_what(op) for op in sorted(ops) if not self.offers(op)]
        if scenario.has_action and not self.action:
            missing.append("an action= argument")
        if scenario.default_timeout is not None and not self.timeout:
            missing.append("a timeout= argument")
        timed = any(s.op == "wait" and s.timeout is not None for p in scenario.programs for s in p)
        if timed and not self.wait_timeout:
            missing.append("wait(timeout)")
        return missing

    def not_applicable(self, profile: str) -> dict[str, str]:
        """The rules of ``profile`` that cannot be judged on this target, each with why."""
        from barrierlab.model.rules import rules_for

        out: dict[str, str] = {}
        if "reset" not in self.methods:
            out["R-RESET"] = "the target has no reset()"
            out["C-RESET-DRAIN"] = "the target has no reset()"
        if "abort" not in self.methods:
            out["R-ABORT"] = "the target has no abort()"
        for attr, rules in (
            ("parties", ("R-PARTIES",)),
            ("n_waiting", ("R-N-WAITING", "C-N-WAITING")),
            ("broken", ("R-BROKEN-FLAG",)),
        ):
            if attr not in self.attributes:
                out.update(dict.fromkeys(rules, f"the target has no {attr} attribute"))
        if not self.action:
            why = "the constructor takes no action= argument"
            out.update(
                dict.fromkeys(
                    ("R-ACTION-ONCE", "R-ACTION-FAIL", "C-ACTION-LAST", "C-ACTION-LOCK"), why
                )
            )
        if not self.timeout:
            out["R-TIMEOUT-DEFAULT"] = "the constructor takes no timeout= argument"
        if not self.wait_timeout:
            out["R-TIMEOUT"] = "wait() takes no timeout"
        if not self.returns_index:
            out["R-INDEX"] = "wait() returns None, not an index"
            out["C-INDEX-ORDER"] = "wait() returns None, not an index"
        if "abort" not in self.methods and not self.action and not self.wait_timeout:
            out["R-BROKEN-WAIT"] = "nothing breaks the target (no abort(), action or timeout)"
        if not {"reset", "abort"} & self.methods and not self.wait_timeout and not self.timeout:
            out["C-DRAIN"] = "only reset(), abort() or a timeout can show a drain"
        if self.asyncio:  # the asyncio profile's twins of what the barrier lacks
            from barrierlab.model.asyncio_rules import RENAME

            out = {
                RENAME[r]: why
                for r, why in out.items()
                if r in ("R-RESET", "R-ABORT", "R-PARTIES", "R-N-WAITING", "R-BROKEN-FLAG")
            }
        profile_rules = rules_for(profile)
        return {r: why for r, why in out.items() if r in profile_rules}

    def describe(self) -> str:
        """One line: what the target offers."""
        if self.asyncio:
            ops = ", ".join(["wait()", *(f"{m}()" for m in _METHODS if m in self.methods)])
            attrs = "".join(f", {a}" for a in _ATTRIBUTES if a in self.attributes)
            return f"an asyncio barrier: Name(parties); await {ops}{attrs}"
        parts = ["wait()" if not self.wait_timeout else "wait(timeout)"]
        parts += [f"{m}()" for m in _METHODS if m in self.methods]
        parts += [a for a in _ATTRIBUTES if a in self.attributes]
        kw = [k for k, on in (("action=", self.action), ("timeout=", self.timeout)) if on]
        ctor = f"Name(parties{''.join(', ' + k for k in kw)})"
        index = "returns an index" if self.returns_index else "returns None"
        return f"{ctor}; {', '.join(parts)}; wait() {index}; raises {self.error_name}"


#: Everything :class:`threading.Barrier` offers.
FULL = Capabilities()
#: An asyncio barrier (:class:`asyncio.Barrier`'s API, its ``wait`` a coroutine function).
ASYNC = Capabilities(asyncio=True)


def _what(op: str) -> str:
    return f"{op}()" if op in _METHODS else f"the {op} attribute"


def construct(
    factory: Callable[..., Any],
    parties: int,
    *,
    action: Callable[[], None] | None,
    timeout: float | None,
    caps: Capabilities = FULL,
) -> Any:
    """Call ``factory`` with the arguments it takes (``action=``/``timeout=`` only if it does)."""
    kwargs: dict[str, Any] = {}
    if caps.action:
        kwargs["action"] = action
    if caps.timeout:
        kwargs["timeout"] = timeout
    return factory(parties, **kwargs)


def _takes(factory: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):
        return True  # not inspectable (a C type): assume the full API
    try:
        signature.bind(*args, **kwargs)
    except TypeError:
        return False
    return True


def _has(obj: Any, name: str) -> bool:
    try:
        value = inspect.getattr_static(obj, name)
    except AttributeError:
        return False
    return value is not _MISSING


def resolve_error(spec: str) -> type[BaseException]:
    """The exception class named by ``module:Name``; raise TargetError if it is not one."""
    where, _, name = spec.rpartition(":")
    if not where or not name:
        raise TargetError(f"bad error class {spec!r}: write it as 'module:Name'")
    try:
        obj: Any = importlib.import_module(where)
        for part in name.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as error:
        raise TargetError(f"cannot find the error class {spec!r}: {error}") from None
    if not (inspect.isclass(obj) and issubclass(obj, BaseException)):
        raise TargetError(f"{spec} is not an exception class")
    return obj


def _own_error(candidates: Iterable[Any]) -> type[BaseException]:
    for owner in candidates:
        if owner is None:
            continue
        found = getattr(owner, "BrokenBarrierError", None)
        if inspect.isclass(found) and issubclass(found, BaseException):
            return found
    return threading.BrokenBarrierError


def detect(
    factory: Callable[..., Any],
    *,
    modules: tuple[ModuleType, ...] = (),
    traced_files: frozenset[str] = frozenset(),
    error: type[BaseException] | None = None,
) -> Capabilities:
    """Decide what ``factory``'s barriers offer (see the module docstring).

    Raises :class:`TargetError` when the factory cannot build a barrier with ``wait``.
    """
    action = _takes(factory, 1, action=None)
    timeout = _takes(factory, 1, timeout=None)
    if not _takes(factory, 1):
        raise TargetError(
            "the target cannot be called as Name(parties): a target is a class or factory "
            "whose first argument is the number of parties"
        )
    caps = Capabilities(action=action, timeout=timeout)
    barrier, value = _probe(factory, caps, modules, traced_files)
    if inspect.iscoroutine(value):
        value.close()  # the probe's wait() built a coroutine: nothing ran it
    if is_async_barrier(barrier):  # runtime.aio runs it, over the asyncio scenarios
        return Capabilities(
            methods=frozenset(m for m in _METHODS if _has(barrier, m)),
            attributes=frozenset(a for a in _ATTRIBUTES if _has(barrier, a)),
            asyncio=True,
        )
    if not callable(getattr(barrier, "wait", None)):
        raise TargetError(
            f"the target built a {type(barrier).__name__}, which is not barrier-like: "
            "it has no wait() method"
        )
    _refuse_uncontrolled(barrier)
    cls = type(barrier)
    owners: list[Any] = [cls, factory if inspect.isclass(factory) else None]
    owners += [sys.modules.get(cls.__module__), sys.modules.get(getattr(factory, "__module__", ""))]
    return Capabilities(
        methods=frozenset(m for m in _METHODS if _has(barrier, m)),
        attributes=frozenset(a for a in _ATTRIBUTES if _has(barrier, a)),
        action=action,
        timeout=timeout,
        wait_timeout=_wait_takes_timeout(barrier),
        returns_index=value is not None,
        error=error if error is not None else _own_error(owners),
    )


#: What barrierlab puts under its scheduler (named in messages about what it does not).
CONTROLLED = (
    "threading's Lock, RLock, Condition, Semaphore, BoundedSemaphore and Event (and "
    "_thread.allocate_lock), time.sleep, time.monotonic, time.time and os.sched_yield"
)


def _uncontrolled_types() -> dict[type, str]:
    import _thread

    found = {
        type(_thread.allocate_lock()): "a real _thread.lock (made where barrierlab could not "
        "replace it, e.g. before the check or in a C extension)",
        _thread.RLock: "a real _thread.RLock",
    }
    try:
        semlock = importlib.import_module("_multiprocessing").SemLock
    except (ImportError, AttributeError):  # pragma: no cover - no multiprocessing here
        pass
    else:
        found[semlock] = "multiprocessing's SemLock (an OS semaphore)"
    return found


def _refuse_uncontrolled(barrier: Any, depth: int = 4) -> None:
    """Raise TargetError if ``barrier`` holds a blocking primitive barrierlab does not control.

    Looks through instance attributes (``__dict__``, ``__slots__``) and containers, a few
    levels deep: a thread blocked on such a primitive is blocked outside the scheduler, so no
    interleaving around it could be explored.
    """
    kinds = _uncontrolled_types()
    seen: set[int] = set()
    todo: list[tuple[Any, str, int]] = [(barrier, "barrier", 0)]
    while todo:
        obj, path, level = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        kind = kinds.get(type(obj))
        if kind is not None:
            raise TargetError(
                f"the target's barrier uses {kind}, at {path}: barrierlab cannot schedule a "
                f"thread blocked on it. It controls {CONTROLLED}. Record runs of it on real "
                "threads with barrierlab.checker.record.Recorder and judge them with "
                "'barrierlab accept' instead"
            )
        if level >= depth or isinstance(obj, (str, bytes, int, float, type, ModuleType)):
            continue
        if type(obj).__module__.startswith("barrierlab.checker."):
            continue  # barrierlab's own (a controlled lock and the run behind it)
        children: list[tuple[Any, str]] = []
        if isinstance(obj, dict):
            children = [(v, f"{path}[{k!r}]") for k, v in list(obj.items())[:50]]
        elif isinstance(obj, (list, tuple, set, frozenset)):
            children = [(v, f"{path}[{i}]") for i, v in enumerate(list(obj)[:50])]
        else:
            attrs = dict(getattr(obj, "__dict__", None) or {})
            for klass in type(obj).__mro__:
                for name in getattr(klass, "__slots__", ()):
                    if isinstance(name, str):
                        with contextlib.suppress(AttributeError):
                            attrs[name] = object.__getattribute__(obj, name)
            children = [
                (v, f"{path}.{k}") for k, v in attrs.items() if not callable(v) or type(v) in kinds
            ]
        todo += [(child, where, level + 1) for child, where in children]


def _wait_takes_timeout(barrier: Any) -> bool:
    wait = getattr(type(barrier), "wait", None)
    if wait is None:
        return True
    try:
        signature = inspect.signature(wait)
    except (TypeError, ValueError):
        return True
    try:
        signature.bind(barrier, 1.0)
    except TypeError:
        return False
    return True


def _probe(
    factory: Callable[..., Any],
    caps: Capabilities,
    modules: tuple[ModuleType, ...],
    traced_files: frozenset[str],
) -> tuple[Any, Any]:
    """Build a one-party barrier under control and call ``wait()`` once: (barrier, its value).

    The value is ``0`` (an index) when the run did not return normally: the target is then
    judged with the index checks on, and the check itself shows what goes wrong.
    """
    from barrierlab.checker.config import Config
    from barrierlab.checker.runtime.patching import controlled
    from barrierlab.checker.runtime.run import Run
    from barrierlab.checker.scenario import Scenario
    from barrierlab.checker.schedulers import make_scheduler
    from barrierlab.model.events import Return

    scenario = Scenario.build("probe", parties=1, threads=["wait"])
    scheduler = make_scheduler("dfs")
    scheduler.start()
    run = Run(
        factory,
        scenario,
        scheduler,
        Config(watchdog=2.0),
        traced_files=traced_files,
        capabilities=Capabilities(action=caps.action, timeout=caps.timeout),
    )
    with controlled(modules):
        result = run.execute()
    scheduler.finish(result.cut_short)
    returns = [e for e in result.trace if isinstance(e, Return) and e.op == "wait"]
    return run.barrier, returns[0].value if returns else 0
