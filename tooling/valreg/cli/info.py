"""`valreg info`: what the registry holds."""

from __future__ import annotations

import argparse
import sys

from valreg.cli.parser import EXIT_OK, Commands, registry_root


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "info",
        parents=[common],
        help="show what the registry holds",
        description="A short summary: values, releases, rounds, proposals, municipalities.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.registry.snapshot import load_snapshot
    from valreg.registry.summary import render_summary, summarize

    sys.stdout.write(render_summary(summarize(load_snapshot(registry_root(args)))))
    return EXIT_OK
