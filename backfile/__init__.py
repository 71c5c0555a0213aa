"""Backfile: an archive engine for periodicals."""

__version__ = "0.1.0"
