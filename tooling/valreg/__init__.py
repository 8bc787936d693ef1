"""valreg: a git-backed, versioned registry of policy values with a review workflow."""

__version__ = "0.1.0"
