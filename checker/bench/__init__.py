"""Benchmarks: modules run with ``python -m``; they print tables and never assert timings."""
