"""Schedulers: one small module each, behind the protocol in ``base``."""
