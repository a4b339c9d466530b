"""targettrack: find, normalize and track quantitative policy targets and outcomes."""

__version__ = "0.1.0"


def extract(text: str, published: str | None = None, source: str | None = None) -> list:
    """Every record (targettrack.models.Record) in a text: the same records as `targettrack extract`."""
    from targettrack.extract import extract as _extract

    return _extract(text, published=published, source=source)
