"""Extraction: find quantitative targets and outcomes in a text and return them as records."""

from targettrack.extract.engine import extract, iter_records

__all__ = ["extract", "iter_records"]
