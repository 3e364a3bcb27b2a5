"""barrierlab's one exception hierarchy.

It lives in the lowest layer (``model``) so that every layer can raise it without an arrow
pointing upwards. The command line turns any :class:`BarrierlabError` into one line on stderr
and exit status 2; anything else escaping is a bug in barrierlab.
"""

from __future__ import annotations

__all__ = [
    "BarrierlabError",
    "InvalidArgument",
    "ProofError",
    "RunConflict",
    "TargetError",
    "TokenError",
]


class BarrierlabError(Exception):
    """Base class of every error barrierlab raises on purpose."""


class InvalidArgument(BarrierlabError, ValueError):
    """An argument is out of range or of the wrong kind.

    The message names the argument, the value given and what is accepted. Common causes: a
    negative ``parties``, a scheduler or scenario name with a typo, a budget of zero.
    """


class TargetError(BarrierlabError):
    """A target could not be loaded, or what was loaded is not barrier-like.

    Common causes: a misspelt ``module:Name`` (is the module importable from the current
    directory?), a file path that does not exist, a name that is not a class or factory taking
    ``(parties, action=None, timeout=None)``, or an object missing ``wait``/``reset``/``abort``.
    """


class TokenError(BarrierlabError):
    """A replay token could not be decoded.

    Common causes: the token was cut when copied (it must be pasted whole), it comes from a
    newer barrierlab with another format version, or it was edited by hand.
    """


class ProofError(BarrierlabError):
    """A proof could not be completed: z3 answered ``unknown`` or the encoding is inconsistent.

    An ``unknown`` is never a pass. Common causes: a z3 resource limit (raise the timeout) or a
    non-linear constraint slipped into the encoding.
    """


class RunConflict(BarrierlabError, RuntimeError):
    """barrierlab's controlled runtime was asked to do two things at once in one process.

    The runtime takes over ``threading``'s primitives and the clock of a whole process while a
    schedule runs, so one process runs one schedule at a time, and every use of a controlled
    primitive must come from a thread of that run. Common causes: checks started on several
    threads of one process (a thread pool of more than one worker: use processes, as
    :func:`barrierlab.checker.explore.parallel.check_parallel` does), a target that starts
    threads of its own, or one that keeps a lock made during a run and uses it after.
    """
