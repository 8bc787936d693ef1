"""The small error tree. Library code raises these; the CLI maps them to exit codes."""

from __future__ import annotations


class ValregError(Exception):
    """Base of every error valreg raises on purpose."""

    exit_code = 1


class UsageError(ValregError):
    """The command was called wrongly (unknown round, path outside the registry …)."""

    exit_code = 2


class InvalidRegistry(ValregError):
    """The registry's files do not allow the operation (they fail `valreg check`)."""


class Refused(ValregError):
    """A precondition is not met; nothing was written."""


class GitError(ValregError):
    """A git command failed; carries the command line and git's own message."""

    def __init__(self, command: list[str], stderr: str, returncode: int) -> None:
        self.command = command
        self.stderr = stderr.strip()
        self.returncode = returncode
        shown = " ".join(command)
        super().__init__(f"`{shown}` failed (exit {returncode}): {self.stderr or 'no message'}")
