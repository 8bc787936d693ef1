"""The command line: parse arguments, call one library function, render, exit.

Library modules are imported inside each command so that `valreg --help` stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from valreg import __version__
from valreg.errors import UsageError, ValregError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
FILE_KINDS = ("registry", "municipalities", "round", "decisions", "release", "value", "proposal")
#: What `valreg schema` exports: the file kinds, then the documents valreg writes.
SCHEMA_KINDS = (*FILE_KINDS, "changelog")


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so `main` decides the exit code."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}\n{self.format_usage().rstrip()}")


def _root(args: argparse.Namespace) -> Path:
    from valreg.snapshot import REGISTRY_FILE, find_root

    if args.root is None:
        return find_root(Path.cwd())
    root = Path(args.root)
    if not (root / REGISTRY_FILE).is_file():
        raise UsageError(f"--root {root}: no {REGISTRY_FILE} there")
    return root.resolve()


def _cmd_check(args: argparse.Namespace) -> int:
    from valreg.check import check_registry
    from valreg.diagnostics import RENDERERS, summary_line

    result = check_registry(
        _root(args),
        [Path(p) for p in args.paths],
        use_cache=not args.no_cache,
        since=args.since,
    )
    sys.stdout.write(RENDERERS[args.format](result, args.lang))
    if args.format != "text":
        print(summary_line(result, args.lang), file=sys.stderr)
    return EXIT_FAILED if result.failed(strict=args.strict) else EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from valreg.schema import render_schema, write_schemas

    kinds = [args.kind] if args.kind else list(SCHEMA_KINDS)
    if args.write:
        for path in write_schemas(Path(args.write), kinds):
            print(f"wrote {path}")
    elif args.kind:
        sys.stdout.write(render_schema(args.kind))
    else:
        raise UsageError("name a KIND to print, or give --write DIR to write every schema")
    return EXIT_OK


def _cmd_init(args: argparse.Namespace) -> int:
    from valreg.create import init_registry

    target = init_registry(
        Path(args.dir),
        name=args.name,
        owner=args.owner,
        language=args.language,
        example=args.example,
    )
    print(f"created a registry in {target}; next: cd {args.dir} && valreg check")
    return EXIT_OK


def _cmd_info(args: argparse.Namespace) -> int:
    from valreg.snapshot import load_snapshot
    from valreg.summary import render_summary, summarize

    sys.stdout.write(render_summary(summarize(load_snapshot(_root(args)))))
    return EXIT_OK


def _recover_interrupted(root: Path) -> None:
    """Finish or roll back a writing command that was killed, and say so."""
    from valreg.transaction import pending_journal, recover, registry_lock

    if pending_journal(root) is None:
        return
    with registry_lock(root):
        recovery = recover(root)
    if recovery is not None:
        print(
            f"valreg: an interrupted command was {recovery.action}: "
            f"{', '.join(recovery.paths) or 'no files touched'}",
            file=sys.stderr,
        )


def _cmd_status(args: argparse.Namespace) -> int:
    from valreg import _git
    from valreg.clock import today
    from valreg.snapshot import load_snapshot
    from valreg.status import render_json, render_markdown, render_text, round_status

    root = _root(args)
    _recover_interrupted(root)
    status = round_status(load_snapshot(root), args.round, _git.applied_change_ids(root), today())
    if args.format == "json":
        sys.stdout.write(render_json(status))
    elif args.format == "md":
        sys.stdout.write(render_markdown(status))
    else:
        sys.stdout.write(render_text(status, rich=sys.stdout.isatty()))
    return EXIT_OK


def _cmd_decide(args: argparse.Namespace) -> int:
    from valreg.clock import today
    from valreg.decide import decide
    from valreg.models import DECISIONS

    *change_ids, decision = args.items
    if decision not in DECISIONS or not change_ids:
        raise UsageError(
            "usage: valreg decide CHANGE_ID... accept|reject|modify|note; the decision "
            f"comes last (got '{decision}')"
        )
    root = _root(args)
    for decided in decide(
        root,
        change_ids,
        decision,
        reason=args.reason,
        text=args.text,
        editor=args.editor,
        today=today(),
    ):
        replaced = (
            f" (replaces the earlier decision '{decided.replaced}')" if decided.replaced else ""
        )
        print(f"{decided.change_id}: {decided.decision}{replaced}")
    return EXIT_OK


def _cmd_propose(args: argparse.Namespace) -> int:
    from valreg.clock import today
    from valreg.propose import write_proposal

    root = _root(args)
    path = write_proposal(
        root,
        args.municipality,
        round_id=args.round,
        out=Path(args.out) if args.out is not None else None,
        late=args.late,
        today=today(),
    )
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    print(f"wrote {shown}")
    if path.is_relative_to(root):
        print(f"next: edit the file, then run valreg check {shown}")
    else:
        print(
            "next: edit the file, then put it into the registry's proposals/<round>/ folder "
            "and run valreg check on it"
        )
    return EXIT_OK


def _cmd_apply(args: argparse.Namespace) -> int:
    from valreg.apply import apply_round

    result = apply_round(_root(args), args.round, dry_run=args.dry_run, commit=not args.no_commit)
    plan = result.plan
    for change_id, why in plan.skipped:
        print(f"skipped {change_id}: {why}")
    if not plan.steps:
        print(f"nothing to apply in round {plan.round_id}")
        return EXIT_OK
    if args.dry_run:
        print(plan.message, end="")
        print()
        print(plan.diff(), end="")
        print("dry run: nothing was written")
    elif result.commit is not None:
        print(plan.message, end="")
        print(f"committed {result.commit[:12]}")
    else:
        print(plan.message, end="")
        print(f"the edits are staged; commit them with: git commit --file {result.message_file}")
    return EXIT_OK


def _cmd_release(args: argparse.Namespace) -> int:
    import datetime as dt

    from valreg.clock import today
    from valreg.release import release

    adopted_on = None
    if args.adopted_on is not None:
        try:
            adopted_on = dt.date.fromisoformat(args.adopted_on)
        except ValueError:
            raise UsageError(f"--adopted-on {args.adopted_on}: write YYYY-MM-DD") from None
    result = release(
        _root(args),
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
    if result.commit is None:
        print(f"dry run: would write {', '.join(plan.files)} and tag {plan.tag}")
        return EXIT_OK
    kind = "signed tag" if result.signed else "tag"
    print(f"committed {result.commit[:12]} and made the {kind} {plan.tag}")
    print(f"publish it with: git push origin HEAD {plan.tag}")
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    from valreg.release import verify

    results = verify(_root(args), args.versions or None)
    for result in results:
        if result.ok:
            signed = f", signed by {result.signer}" if result.signer else ""
            print(f"{result.version}: ok (tag {result.tag}{signed})")
        for problem in result.problems:
            print(f"{result.version}: {problem}")
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAILED


def _cmd_tags(args: argparse.Namespace) -> int:
    from valreg.release import recreate_tags

    if not args.recreate:
        raise UsageError("valreg tags needs --recreate (the only thing it does)")
    created = recreate_tags(_root(args))
    for tag in created:
        print(f"created {tag}")
    if not created:
        print("every release has its tag")
    return EXIT_OK


def _cmd_review(args: argparse.Namespace) -> int:
    from valreg._git import applied_change_ids
    from valreg.review import RENDERERS, review_round
    from valreg.snapshot import load_snapshot

    root = _root(args)
    review = review_round(load_snapshot(root), args.round, applied_change_ids(root), args.value)
    sys.stdout.write(RENDERERS[args.format](review))
    return EXIT_OK


def _cmd_check_pr(args: argparse.Namespace) -> int:
    from valreg.check_pr import RENDERERS, check_pr
    from valreg.clock import today

    result = check_pr(_root(args), args.base, args.head, args.actor, today())
    sys.stdout.write(RENDERERS[args.format](result, args.lang))
    return EXIT_OK if result.ok else EXIT_FAILED


def _cmd_codeowners(args: argparse.Namespace) -> int:
    from valreg.codeowners import CODEOWNERS_FILE, write_codeowners

    result = write_codeowners(_root(args), check=args.check)
    if result.current:
        print(f"{CODEOWNERS_FILE} is current")
        return EXIT_OK
    if args.check:
        print(f"{CODEOWNERS_FILE} is stale; run: valreg codeowners", file=sys.stderr)
        return EXIT_FAILED
    print(f"wrote {CODEOWNERS_FILE}")
    return EXIT_OK


def _cmd_changelog(args: argparse.Namespace) -> int:
    from valreg.atomic import write_atomic
    from valreg.changelog import RENDERERS, build_changelog
    from valreg.clock import today

    changelog = build_changelog(_root(args), args.start, args.end, today=today())
    output = RENDERERS[args.format](changelog)
    if args.out is None:
        sys.stdout.write(output)
    else:
        write_atomic(Path(args.out), output)
        print(f"wrote {args.out}", file=sys.stderr)
    return EXIT_OK


def _cmd_site(args: argparse.Namespace) -> int:
    from valreg.clock import today
    from valreg.site import build_site

    summary = build_site(_root(args), Path(args.out), base_url=args.base_url, today=today())
    print(f"wrote {summary.pages} pages ({summary.files} files) to {summary.out}")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from valreg.atomic import write_atomic
    from valreg.clock import today
    from valreg.report import RENDERERS, build_report

    if args.format == "docx" and args.out is None and sys.stdout.isatty():
        raise UsageError("a Word document is not for a terminal; give --out FILE (or a pipe)")
    root = _root(args)
    if args.base_url is not None:
        base = args.base_url.rstrip("/")
        if not base.startswith(("https://", "http://")):
            raise UsageError(f"--base-url {args.base_url}: give an http(s) URL")

        def release_url(version: str) -> str | None:
            return f"{base}/udgivelser/{version}.html"

    else:

        def release_url(version: str) -> str | None:
            return f"registry/releases/{version}.yaml"

    report = build_report(root, args.round, today=today(), release_url=release_url)
    output = RENDERERS[args.format](report)
    if args.out is not None:
        write_atomic(Path(args.out), output)
        print(f"wrote {args.out}", file=sys.stderr)
    elif isinstance(output, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(output)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(output)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="valreg",
        description="A git-backed, versioned registry of policy values with a review workflow.",
        epilog="Exit status: 0 success, 1 errors found or operation refused, 2 usage error, "
        "130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"valreg {__version__}")
    common = _Parser(add_help=False)
    common.add_argument(
        "--root",
        metavar="DIR",
        help="the registry's folder (default: the nearest folder above the current one "
        "that holds registry/registry.yaml)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    check = commands.add_parser(
        "check",
        parents=[common],
        help="validate every file of the registry",
        description="Validate the registry's files and the rules between them. Writes "
        "nothing. Exit 1 on errors (or warnings with --strict).",
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="check these files or folders and what they refer to (default: everything)",
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "github", "sarif"),
        default="text",
        help="output format (default: text)",
    )
    check.add_argument(
        "--since",
        metavar="REF",
        help="report only on the files changed since commit REF (committed, staged, "
        "unstaged, untracked or deleted) and on the files that depend on them: files "
        "that refer to a changed file (a proposal naming a value, round or release; a "
        "decision naming a proposal's change; a release listing values and rounds; a "
        "value merged into another), every release when a release changed, and every "
        "value whose number is duplicated or out of range when a value changed. The "
        "rules still see the whole registry",
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--lang", choices=("en", "da"), default="en", help="language of the messages (default: en)"
    )
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="parse every file afresh and keep no cache (default: parse results of "
        "unchanged files are kept in .git/valreg/)",
    )
    check.set_defaults(handler=_cmd_check)

    schema = commands.add_parser(
        "schema",
        help="export the JSON Schemas of the file kinds",
        description="Print the JSON Schema (2020-12) of one file kind, or write all of them.",
    )
    schema.add_argument(
        "kind",
        nargs="?",
        choices=SCHEMA_KINDS,
        metavar="KIND",
        help=f"one of: {', '.join(SCHEMA_KINDS)}",
    )
    schema.add_argument(
        "--write",
        metavar="DIR",
        help="write <kind>.schema.json files into DIR (e.g. registry/schema)",
    )
    schema.set_defaults(handler=_cmd_schema)

    init = commands.add_parser(
        "init",
        help="create a new, empty registry",
        description="Create a registry in DIR (new or empty): a git repository with "
        "registry.yaml, the schemas and a first commit.",
    )
    init.add_argument("dir", metavar="DIR")
    init.add_argument("--name", default="Values", help="the registry's public name")
    init.add_argument("--owner", default="Owner", help="the organisation that owns it")
    init.add_argument("--language", default="da", help="language of public texts (default: da)")
    init.add_argument(
        "--example",
        action="store_true",
        help="KL's 11 first-draft values and a fictional consultation round to try "
        "the workflow on (marked fictional throughout)",
    )
    init.set_defaults(handler=_cmd_init)

    review = commands.add_parser(
        "review",
        parents=[common],
        help="show a round's changes per value, as word diffs, with conflicts",
        description="For each value: its current text and every change of the round that "
        "touches it, as a word diff, with municipality, rationale and decision state. Flags "
        "conflicts, stale changes (written against an older text) and duplicates (the same "
        "text from several municipalities); then comments on the whole set and the answers "
        "to each question. A report: exit 0 even when it flags conflicts.",
    )
    review.add_argument("round", nargs="?", metavar="ROUND", help="default: the one open round")
    review.add_argument(
        "--value", metavar="ID", help="only this value and the changes that touch it"
    )
    review.add_argument(
        "--format",
        choices=("text", "md", "json"),
        default="text",
        help="text for a terminal, md (Markdown) for a pull request or an agenda, json for "
        "scripts (default: text)",
    )
    review.set_defaults(handler=_cmd_review)

    status = commands.add_parser(
        "status",
        parents=[common],
        help="show who has answered a round and where its changes stand",
        description="Every municipality's standing in the round (answered, answered with no "
        "remarks, late, no answer) beside the answers received elsewhere, counts per region, "
        "days to the deadline, and the changes by kind and decision state. A table in a "
        "terminal, plain text when piped. Proposal files that fail their schema are left out "
        "and listed. Finishes or rolls back an interrupted apply; otherwise writes nothing.",
    )
    status.add_argument("round", nargs="?", metavar="ROUND", help="default: the one open round")
    status.add_argument(
        "--format",
        choices=("text", "md", "json"),
        default="text",
        help="output format (default: text); json has a stable shape with a version",
    )
    status.set_defaults(handler=_cmd_status)

    check_pr = commands.add_parser(
        "check-pr",
        parents=[common],
        help="may a pull request be merged for its author?",
        description="Judge every path changed between the merge base of BASE and HEAD for "
        "the author: editors may change anything; a municipality's login may add or modify "
        "only its own proposal files in an open round, without touching decided changes. "
        "Rights come from the merge base, never from the pull request. The changed files "
        "are also checked as `valreg check` would. Exit 1 if anything is refused.",
    )
    check_pr.add_argument("--base", required=True, metavar="REF", help="the target branch")
    check_pr.add_argument("--head", default="HEAD", metavar="REF", help="default: HEAD")
    check_pr.add_argument(
        "--actor", required=True, metavar="LOGIN", help="the pull request's author"
    )
    check_pr.add_argument(
        "--format", choices=("text", "json", "github"), default="text", help="default: text"
    )
    check_pr.add_argument(
        "--lang", choices=("en", "da"), default="en", help="language of the messages (default: en)"
    )
    check_pr.set_defaults(handler=_cmd_check_pr)

    decide = commands.add_parser(
        "decide",
        parents=[common],
        help="record the editors' decision on changes",
        description="Record a decision on one or more changes in "
        "registry/rounds/<round>/decisions.yaml (comments and order are kept). A reason is "
        "required for everything but accept; modify takes the final text and exists for "
        "amend, add and merge; a comment takes note or reject.",
    )
    decide.add_argument(
        "items",
        nargs="+",
        metavar="CHANGE_ID... DECISION",
        help="change ids (<round>/<file name>#<id>, as `valreg review` shows them), then "
        "accept, reject, modify or note",
    )
    decide.add_argument("--reason", metavar="TEXT", help="why (published in the report)")
    decide.add_argument("--text", metavar="TEXT", help="the final text (modify only)")
    decide.add_argument(
        "--editor",
        metavar="LOGIN",
        help="who decides (default: git config valreg.editor); recorded, never published",
    )
    decide.set_defaults(handler=_cmd_decide)

    propose = commands.add_parser(
        "propose",
        parents=[common],
        help="write a proposal file for a municipality to fill in",
        description="Write a new proposal file for a municipality in a round, valid as it "
        "stands (no changes and no answers means 'no remarks'), with Danish guidance, the "
        "base release's values, the round's questions as answer stubs and an example of each "
        "kind of change, all commented out. Never overwrites: the file is "
        "proposals/<round>/<code>-<name>.yaml, or -2, -3 … if that is taken. Refuses a "
        "closed round, and one past its deadline unless --late.",
    )
    propose.add_argument(
        "--municipality",
        required=True,
        metavar="CODE",
        help="the municipality's code, e.g. 461 or 0461 (see registry/municipalities.yaml)",
    )
    propose.add_argument("--round", metavar="ROUND", help="default: the one open round")
    propose.add_argument(
        "--out",
        metavar="PATH",
        help="write this new file instead (refused if it exists; inside the registry it must "
        "be proposals/<round>/<code>-<name>.yaml)",
    )
    propose.add_argument(
        "--late",
        action="store_true",
        help="allow a proposal after the round's deadline (the editors will see it as late)",
    )
    propose.set_defaults(handler=_cmd_propose)

    apply = commands.add_parser(
        "apply",
        parents=[common],
        help="apply a round's accepted changes in one commit",
        description="Apply every accepted and modified change of the round to values/ in "
        "one commit with an `Applies: <change id>` trailer per change. Refuses, writing "
        "nothing, on conflicting or stale accepted changes, decisions that no longer match "
        "their change, or uncommitted edits to the files it would write. Changes already in "
        "effect are skipped.",
    )
    apply.add_argument("round", nargs="?", metavar="ROUND", help="default: the one open round")
    apply.add_argument(
        "--dry-run", action="store_true", help="print the plan and the diff; write nothing"
    )
    apply.add_argument(
        "--no-commit",
        action="store_true",
        help="stage the edits and prepare the commit message (trailers included) for your own "
        "commit",
    )
    apply.set_defaults(handler=_cmd_apply)

    release = commands.add_parser(
        "release",
        parents=[common],
        help="write a release manifest, commit it and tag it",
        description="Release VERSION: stamp retired_in on values retired since the last "
        "release, write registry/releases/VERSION.yaml, commit it and create the annotated "
        "tag <prefix>VERSION. Refuses on check errors, a dirty work tree, a version that is "
        "not greater than the last, an existing tag, or accepted changes not yet applied. "
        "Never pushes.",
    )
    release.add_argument("version", metavar="VERSION", help="YYYY.N, e.g. 2019.2")
    release.add_argument("--title", help="the release's title (default: Udgave VERSION)")
    release.add_argument("--status", choices=("draft", "adopted"), default="draft")
    release.add_argument("--adopted-by", metavar="BODY", help="who adopted it (adopted only)")
    release.add_argument("--adopted-on", metavar="DATE", help="when, YYYY-MM-DD (adopted only)")
    release.add_argument("--minutes", metavar="URL", help="link to the minutes (adopted only)")
    release.add_argument(
        "--sign", action="store_true", help="sign the tag with your git signing setup"
    )
    release.add_argument("--dry-run", action="store_true", help="show what it would do")
    release.set_defaults(handler=_cmd_release)

    changelog = commands.add_parser(
        "changelog",
        parents=[common],
        help="what changed between two versions, and why (in Danish)",
        description="The public changelog from FROM to TO: values added, retired, amended "
        "(as a word diff), merged and renumbered, each with the applied changes behind it "
        "(municipality, decision, the editors' reason), and a summary. FROM and TO are "
        "versions (2019.1), tags or git refs, read from git without a checkout. Writes "
        "nothing but --out.",
    )
    changelog.add_argument(
        "start",
        nargs="?",
        metavar="FROM",
        help="default: the release before TO",
    )
    changelog.add_argument(
        "end",
        nargs="?",
        metavar="TO",
        help="default: the work tree, shown as unreleased (Ikke udgivet)",
    )
    changelog.add_argument(
        "--format",
        choices=("md", "json", "html"),
        default="md",
        help="md (Markdown, for GitHub), json (stable shape: valreg schema changelog) or "
        "html (one standalone page) (default: md)",
    )
    changelog.add_argument(
        "--out", metavar="FILE", help="write to FILE (atomically) instead of standard output"
    )
    changelog.set_defaults(handler=_cmd_changelog)

    report = commands.add_parser(
        "report",
        parents=[common],
        help="the consultation report (høringsnotat) of a round, in Danish",
        description="The høringsnotat of a round, laid out as a commented consultation "
        "overview: what was sent out, to whom and when, every municipality's answer and who "
        "approved it; value by value the text sent out, the proposals (the same proposal "
        "from several municipalities once, naming them all), the editors' comment and the "
        "resulting text; the answers to the round's questions; and the counts. Refuses an "
        "invalid registry (exit 1). Never shows an editor's login. Writes nothing but --out.",
    )
    report.add_argument("round", nargs="?", metavar="ROUND", help="default: the one open round")
    report.add_argument(
        "--format",
        choices=("md", "html", "docx"),
        default="md",
        help="md (Markdown, for GitHub), html (one standalone page) or docx (a Word "
        "document for a committee's agenda; needs --out or a pipe) (default: md)",
    )
    report.add_argument(
        "--out", metavar="FILE", help="write to FILE (atomically) instead of standard output"
    )
    report.add_argument(
        "--base-url",
        metavar="URL",
        help="link the base release to URL/udgivelser/VERSION.html, the static site's page "
        "(default: the manifest registry/releases/VERSION.yaml, relative to the repository)",
    )
    report.set_defaults(handler=_cmd_report)

    verify = commands.add_parser(
        "verify",
        parents=[common],
        help="check that release tags, manifests and values agree",
        description="For each release (default: all): the tag exists, is annotated and "
        "points at the commit that added the manifest; the manifest is unchanged and lists "
        "exactly that commit's active values with matching hashes; a signed tag verifies.",
    )
    verify.add_argument("versions", nargs="*", metavar="VERSION")
    verify.set_defaults(handler=_cmd_verify)

    tags = commands.add_parser(
        "tags",
        parents=[common],
        help="recreate missing release tags",
        description="Create the missing tag of each release at the commit that added its "
        "manifest (a fresh clone often has no tags). Never moves an existing tag.",
    )
    tags.add_argument("--recreate", action="store_true", help="create the missing tags")
    tags.set_defaults(handler=_cmd_tags)

    codeowners = commands.add_parser(
        "codeowners",
        parents=[common],
        help="write .github/CODEOWNERS from registry.yaml",
        description="Write .github/CODEOWNERS so that the editors in registry/registry.yaml "
        "own everything (atomically; only when it changes). With --check, write nothing and "
        "exit 1 when the file is stale.",
    )
    codeowners.add_argument(
        "--check", action="store_true", help="exit 1 if the file is stale; write nothing"
    )
    codeowners.set_defaults(handler=_cmd_codeowners)

    site = commands.add_parser(
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
    site.add_argument("--out", required=True, metavar="DIR", help="the folder to write")
    site.add_argument(
        "--base-url",
        metavar="URL",
        help="where the site will be published (https://…/); makes the feed's links "
        "absolute and adds canonical links (default: relative links only)",
    )
    site.set_defaults(handler=_cmd_site)

    info = commands.add_parser(
        "info",
        parents=[common],
        help="show what the registry holds",
        description="A short summary: values, releases, rounds, proposals, municipalities.",
    )
    info.set_defaults(handler=_cmd_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run valreg with `argv`; returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        # A terminal that cannot show æ, ø, å gets escapes rather than a crash.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        args = build_parser().parse_args(argv)
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except UsageError as exc:
        print(f"valreg: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValregError as exc:
        print(f"valreg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("valreg: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`valreg check | head`); not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # a file valreg was asked to read or write, not a bug
        where = f" {exc.filename}" if exc.filename else ""
        print(f"valreg: error:{where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
