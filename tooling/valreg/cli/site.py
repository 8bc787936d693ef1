"""`valreg site`: the public static site."""

from __future__ import annotations

import argparse
from pathlib import Path

from valreg.cli.parser import EXIT_OK, Commands, registry_root


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "site",
        parents=[common],
        help="build the public static site (Danish)",
        description="Write the registry as a static site into DIR: the current set, every "
        "value with its text in each release and the changes behind it, every release with "
        "its changelog and downloads, every round with who answered, how to take part, and "
        "an Atom feed (feed.xml). Plain HTML and CSS, relative links, nothing loaded from "
        "elsewhere. DIR must be new, empty or a site valreg wrote before (it is replaced "
        "whole, atomically). An invalid registry writes nothing and exits 1.",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="the folder to write")
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="where the site will be published (https://…/); makes the feed's links "
        "absolute and adds canonical links (default: relative links only)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.clock import today
    from valreg.publishing.site import build_site

    summary = build_site(registry_root(args), Path(args.out), base_url=args.base_url, today=today())
    print(f"wrote {summary.pages} pages ({summary.files} files) to {summary.out}")
    return EXIT_OK
