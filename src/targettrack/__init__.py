"""targettrack: find, normalize and track quantitative policy targets and outcomes.

The library API; heavy modules load only when a function is called.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["extract", "load_registry", "progress", "compare", "compiled", "__version__"]


def compiled() -> bool:
    """Whether the extraction modules are installed compiled (setup.py builds them with mypyc where it can,
    all of them or none); if not, they run as plain Python, with the same results, more slowly."""
    import os
    from importlib.machinery import EXTENSION_SUFFIXES

    engine = os.path.join(os.path.dirname(__file__), "extraction", "engine")
    return any(os.path.exists(engine + suffix) for suffix in EXTENSION_SUFFIXES)


def extract(text: str, published: str | None = None, source: str | None = None) -> list:
    """Every record (targettrack.models.Record) in a text: the same records as `targettrack extract`."""
    from targettrack.extraction import extract as _extract

    return _extract(text, published=published, source=source)


def load_registry(path: str | None = None):
    """The registry (targets.yaml): --registry path, $TARGETTRACK_REGISTRY, ./targets.yaml or the bundled one."""
    from targettrack.registry import load_registry as _load

    return _load(path)


def progress(entries, *, as_of: int | None = None) -> list:
    """Where each target among `entries` (registry entries) stands as of a year."""
    from targettrack.analysis import progress as _progress

    return _progress(entries, as_of=as_of)


def compare(entries, regions, **filters):
    """Regions side by side, metric by metric (see targettrack.analysis.compare)."""
    from targettrack.analysis import compare as _compare

    return _compare(entries, regions, **filters)
