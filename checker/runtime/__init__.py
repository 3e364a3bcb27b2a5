"""The controlled runtime: real threads run one at a time in the order a scheduler picks.

:mod:`.run` (one schedule), :mod:`.primitives` (the controlled lock and virtual clock),
:mod:`.patching` (putting them in place), :mod:`.thread_pool` (worker threads reused across
runs), :mod:`.target` (loading a target), :mod:`.launch` (one schedule, under control).
"""
