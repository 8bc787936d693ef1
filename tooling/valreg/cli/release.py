"""`valreg release`: a release manifest, its commit and its tag."""

from __future__ import annotations

import argparse

from valreg.cli.parser import EXIT_OK, Commands, date_option, registry_root


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "release",
        parents=[common],
        help="write a release manifest, commit it and tag it",
        description="Release VERSION: stamp retired_in on values retired since the last "
        "release, write registry/releases/VERSION.yaml, commit it and create the annotated "
        "tag <prefix>VERSION. Refuses on check errors, a dirty work tree, a version that is "
        "not greater than the last, an existing tag, or accepted changes not yet applied. "
        "Never pushes.",
    )
    parser.add_argument("version", metavar="VERSION", help="YYYY.N, e.g. 2019.2")
    parser.add_argument("--title", help="the release's title (default: Udgave VERSION)")
    parser.add_argument("--status", choices=("draft", "adopted"), default="draft")
    parser.add_argument("--adopted-by", metavar="BODY", help="who adopted it (adopted only)")
    parser.add_argument("--adopted-on", metavar="DATE", help="when, YYYY-MM-DD (adopted only)")
    parser.add_argument("--minutes", metavar="URL", help="link to the minutes (adopted only)")
    parser.add_argument(
        "--sign", action="store_true", help="sign the tag with your git signing setup"
    )
    parser.add_argument("--dry-run", action="store_true", help="show what it would do")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.clock import today
    from valreg.versions.release import release

    adopted_on = date_option("--adopted-on", args.adopted_on)
    result = release(
        registry_root(args),
        args.version,
        title=args.title,
        status=args.status,
        adopted_by=args.adopted_by,
        adopted_on=adopted_on,
        minutes=args.minutes,
        sign=args.sign,
        dry_run=args.dry_run,
        today=today(),
    )
    plan = result.plan
    print(plan.message, end="")
    made = f"the {plan.manifest['status']} release {plan.version}"
    if result.commit is None:
        print(f"dry run: would make {made}: write {', '.join(plan.files)} and tag {plan.tag}")
        return EXIT_OK
    kind = "signed tag" if result.signed else "tag"
    print(f"made {made}: committed {result.commit[:12]} and made the {kind} {plan.tag}")
    if plan.manifest["status"] == "draft":
        print(
            f"when it is adopted, record that with: valreg adopt {plan.version} "
            "--adopted-by BODY --adopted-on YYYY-MM-DD [--minutes URL]"
        )
    print(f"publish it with: git push origin HEAD {plan.tag}")
    return EXIT_OK
