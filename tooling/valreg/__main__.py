"""`python -m valreg`."""

from valreg.cli import run

run()
