"""`valreg verify`: release tags, manifests and values agree."""

from __future__ import annotations

import argparse

from valreg.cli.parser import EXIT_FAILED, EXIT_OK, Commands, registry_root


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "verify",
        parents=[common],
        help="check that release tags, manifests and values agree",
        description="For each release (default: all): the tag exists, is annotated and "
        "points at the commit that added the manifest; the manifest is unchanged and lists "
        "exactly that commit's active values with matching hashes; a signed tag verifies.",
    )
    parser.add_argument("versions", nargs="*", metavar="VERSION")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.versions.release import verify

    results = verify(registry_root(args), args.versions or None)
    for result in results:
        if result.ok:
            signed = f", signed by {result.signer}" if result.signer else ""
            print(f"{result.version}: ok (tag {result.tag}{signed})")
        for problem in result.problems:
            print(f"{result.version}: {problem}")
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAILED
