"""What is correct: the barrier specification.

Pure: no threads, no I/O. Depends on networkx and z3 only; never imports
``barrierlab.impl`` or ``barrierlab.checker``.
"""
