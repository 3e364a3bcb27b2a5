"""Seeded-bug asyncio barriers: one bug each; the docstring names the bug, the rule that
catches it and a scenario that shows it (listed in :mod:`barrierlab.impl.asyncio_targets`)."""
