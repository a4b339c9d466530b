"""Extraction: find quantitative targets and outcomes in a text and return them as records."""

from targettrack.extraction.engine import extract, iter_records

__all__ = ["extract", "iter_records"]
