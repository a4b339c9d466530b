"""`python -m targettrack` runs the command line."""

from targettrack.cli import main

main()
