"""Barriers of the shapes people actually write, correct and buggy.

Not every barrier looks like :class:`threading.Barrier` in every detail. These show the shapes
barrierlab checks for what they offer (see :mod:`barrierlab.checker.runtime.capabilities`):
their own ``BrokenBarrierError``, ``wait()`` as the only method and returning None, a
constructor taking only ``parties``, a factory function, and polling loops that sleep between
checks. Each module's docstring says whether it is correct and, for a bug, which rule a check
reports; :data:`barrierlab.impl.targets.SHAPES` holds the same facts as data.
"""
