"""Seeded-bug barriers: one bug each, named in each module's docstring."""
