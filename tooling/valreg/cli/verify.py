"""`valreg verify`: release tags, manifests and values agree."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from valreg.cli.parser import EXIT_FAILED, EXIT_OK, Commands, registry_root

if TYPE_CHECKING:
    from valreg.versions.release import Verification


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "verify",
        parents=[common],
        help="check that release tags, manifests and values agree",
        description="For each release (default: all): the tag exists, is annotated and "
        "points at the commit that added the manifest; the manifest is unchanged and lists "
        "exactly that commit's active values with matching hashes; a signed tag verifies; an "
        "adoption recorded later (valreg adopt) has its tag and an unchanged file.",
    )
    parser.add_argument("versions", nargs="*", metavar="VERSION")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.versions.release import verify

    results = verify(registry_root(args), args.versions or None)
    for result in results:
        if result.ok:
            signed = f", signed by {result.signer}" if result.signer else ""
            print(f"{result.version}: ok (tag {result.tag}{signed}){_adoption(result)}")
        for problem in result.problems:
            print(f"{result.version}: {problem}")
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAILED


def _adoption(result: Verification) -> str:
    """`, adopted by … on 2019-11-20` (and the tag of an adoption recorded later)."""
    adoption = result.state.adopted_by if result.state is not None else None
    if adoption is None:
        return ""
    tag = f" (tag {result.adoption_tag})" if result.adoption_tag else ""
    return f", adopted by {adoption.body} on {adoption.date}{tag}"
