"""Seeded-bug barriers: one bug each, named in each module's docstring.

Every module defines ``Barrier`` with the API of :class:`threading.Barrier` and carries exactly
one bug, marked ``# BUG`` in the code. Its docstring starts with ``Bug:``, explains the bug, and
ends with two lines the tests read::

    Rule: R-XXX (also: neighbouring rules or verdict kinds a checker may report first)
    Scenario: parties=N[, timeout=T], threads=[...][, action=...]

The ``Scenario`` is the smallest one that shows the bug; :mod:`barrierlab.impl.targets` holds
the same facts as data. Three styles: subclasses of :class:`threading.Barrier` that override one
method (``notify_one_release``, ``reset_no_wake``...), subclasses of this package's correct
alternatives that change one method (``stale_generation``, ``timeout_race``...), and standalone
copies (``sense_no_gate``, ``event_reuse``, ``abort_unlocked``). Every bug is a deterministic
function of the interleaving: no randomness, no real sleeping, no loop that does not call a
threading primitive (except the seeded livelock, whose loop does).

Many of these barriers hang on real threads; never run them under CPython's ``BarrierTests``
without a time cap.
"""
