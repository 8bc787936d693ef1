"""`valreg adopt`: record that a draft release was adopted, after it was released."""

from __future__ import annotations

import argparse

from valreg.cli.parser import EXIT_OK, Commands, date_option, registry_root


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "adopt",
        parents=[common],
        help="record that a draft release was adopted (a file beside its manifest, a tag)",
        description="Record the adoption of the draft release VERSION: write "
        "registry/releases/VERSION.adoption.yaml, commit it and create the annotated tag "
        "<prefix>VERSION-adopted. The manifest and its tag are never rewritten. Refuses an "
        "unknown or already adopted release, a date before the release or in the future, "
        "check errors and a dirty work tree. Never pushes.",
    )
    parser.add_argument("version", metavar="VERSION", help="the draft release, e.g. 2019.2")
    parser.add_argument(
        "--adopted-by", metavar="BODY", required=True, help="who adopted it (a committee)"
    )
    parser.add_argument("--adopted-on", metavar="DATE", required=True, help="when, YYYY-MM-DD")
    parser.add_argument("--minutes", metavar="URL", help="link to the minutes")
    parser.add_argument(
        "--sign", action="store_true", help="sign the tag with your git signing setup"
    )
    parser.add_argument("--dry-run", action="store_true", help="show what it would do")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from valreg.clock import today
    from valreg.versions.adoption import adopt

    adopted_on = date_option("--adopted-on", args.adopted_on)
    assert adopted_on is not None  # a required option
    result = adopt(
        registry_root(args),
        args.version,
        adopted_by=args.adopted_by,
        adopted_on=adopted_on,
        minutes=args.minutes,
        sign=args.sign,
        dry_run=args.dry_run,
        today=today(),
    )
    plan = result.plan
    print(plan.message, end="")
    if result.commit is None:
        print(f"dry run: would write {plan.path} and tag {plan.tag}")
        return EXIT_OK
    kind = "signed tag" if result.signed else "tag"
    print(f"committed {result.commit[:12]} and made the {kind} {plan.tag}")
    print(f"publish it with: git push origin HEAD {plan.tag}")
    return EXIT_OK
