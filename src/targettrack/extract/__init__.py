"""Extraction: find quantitative targets and outcomes in a text and return them as records."""

import sys
import types

from targettrack.extract.engine import extract, iter_records

__all__ = ["extract", "iter_records"]


class _CallablePackage(types.ModuleType):
    """Importing this package sets `targettrack.extract` to it, replacing the library function of
    the same name; calling the package keeps `from targettrack import extract; extract(text)` working."""

    def __call__(self, text: str, published: str | None = None, source: str | None = None,
                 all_quantities: bool = False) -> list:
        return extract(text, published=published, source=source, all_quantities=all_quantities)


sys.modules[__name__].__class__ = _CallablePackage
