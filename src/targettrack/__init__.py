"""targettrack: find, normalize and track quantitative policy targets and outcomes."""

__version__ = "0.1.0"
