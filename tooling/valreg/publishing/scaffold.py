"""`valreg init`: a new registry as a git repository with one commit, with everything a
registry on GitHub relies on: the workflows, the pull-request and issue templates, a
CONTRIBUTING.md and a README in the registry's language, CODEOWNERS, Dependabot and a
pre-commit configuration that uses valreg's hook.

The set-up files are rendered from `templates/registry/`. Where this repository (KL's
registry) has the same file, the template is that file with its particulars taken out,
and a test renders it with this repository's particulars and compares, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from valreg import __version__, _git, clock
from valreg.danish import genitive, number_word
from valreg.errors import GitError, Refused, UsageError
from valreg.publishing.guide import ANSWER_WAYS
from valreg.publishing.schema import write_schemas
from valreg.registry import models
from valreg.registry.diagnostics import rules_markdown
from valreg.registry.parse import parse_file
from valreg.registry.snapshot import MUNICIPALITIES_FILE, REGISTRY_FILE
from valreg.registry.yamlio import dump_yaml
from valreg.workflow.access import check_login, with_logins
from valreg.workflow.codeowners import CODEOWNERS_FILE, render_codeowners

if TYPE_CHECKING:
    import jinja2

_MUNICIPALITIES = """\
# The parties that take part in consultation rounds, one entry each:
# - code: "101"
#   name: København
#   region: Region Hovedstaden
#   logins: [kk-boern]      # optional: who may open pull requests for it
#                           # (valreg access grant 101 kk-boern)
[]
"""

EXAMPLE = Path(__file__).parent / "example"
#: The example's history: each folder is copied over the last and committed.
EXAMPLE_STAGES = (
    ("base", "KL's first draft, release 2019.1 (real data)"),
    ("edit", "Fictional editorial edit of value data-og-viden after release 2019.1"),
    ("round", "Fictional consultation round eksempel-1 with proposals and logins"),
)
#: FICTIONAL GitHub logins of the example, so that `valreg check-pr` can be tried on it.
EXAMPLE_LOGINS = {"101": "eksempel-koebenhavn", "751": "eksempel-aarhus"}

#: What the workflows and the pre-commit hook install: valreg from the package index, or
#: from a git repository at a commit (`valreg @ git+https://…/valreg@<commit>`).
_PINNED = re.compile(r"valreg==[0-9][0-9A-Za-z.+!-]*")
_FROM_GIT = re.compile(
    r"valreg @ git\+(?P<repo>(?:https|file)://[A-Za-z0-9._~/:%+-]+)@(?P<rev>[A-Za-z0-9._/-]+)"
)


def default_requirement() -> str:
    return f"valreg=={__version__}"


@dataclass(frozen=True)
class Setup:
    """What a registry's set-up files are made from: the registry, and the examples its
    CONTRIBUTING.md and templates show (a round, a value, dates)."""

    name: str
    owner: str
    language: str
    editors: tuple[str, ...] = ()
    tag_prefix: str = "values/"
    #: A pip requirement for valreg; None: the checkout itself (`pip install -e .`).
    requirement: str | None = field(default_factory=default_requirement)
    round: str = "2025-1"
    value: str = "vaerdiens-id"
    text: str = "Den nye tekst, ord for ord"
    rationale: str = "Derfor foreslår vi det."
    answer: str = "Vores svar på spørgsmålet."
    submitted: dt.date = dt.date(2025, 1, 15)
    approved: dt.date = dt.date(2025, 1, 8)
    #: The repository's web address (registry.yaml's `repository`), which the guide names.
    repository: str | None = None

    @property
    def danish(self) -> bool:
        return self.language == "da"


def generic_setup(
    name: str,
    owner: str,
    language: str,
    *,
    today: dt.date,
    editors: tuple[str, ...] = (),
    requirement: str | None = None,
) -> Setup:
    """The set-up of a new registry, with neutral examples in its language."""
    examples = (
        {}
        if language == "da"
        else {
            "value": "value-id",
            "text": "The new text, word for word",
            "rationale": "This is why we propose it.",
            "answer": "Our answer to the question.",
        }
    )
    return Setup(
        name,
        owner,
        language,
        editors=editors,
        requirement=requirement or default_requirement(),
        round=f"{today.year}-1",
        submitted=today,
        approved=today,
        **examples,
    )


def hook_source(requirement: str) -> tuple[str, str] | None:
    """The git repository and revision of valreg's pre-commit hook, when `requirement`
    installs valreg from git; None for a version from the package index."""
    if _PINNED.fullmatch(requirement):
        return None
    found = _FROM_GIT.fullmatch(requirement)
    if found is None:
        raise UsageError(
            f"--valreg {requirement!r}: give valreg==VERSION (from the package index) or "
            "'valreg @ git+https://…/valreg@COMMIT' (from a git repository)"
        )
    return found["repo"], found["rev"]


# --- rendering ----------------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    """Plain-text templates whose `{{ … }}` belong to GitHub: valreg's own are `[[ … ]]`."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("valreg.publishing", "templates/registry"),
        variable_start_string="[[",
        variable_end_string="]]",
        comment_start_string="[#",
        comment_end_string="#]",
        autoescape=False,  # Markdown and YAML, not HTML: the `md` filter escapes names
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["md"] = lambda text: re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)
    environment.filters["pad"] = lambda text, width: text.ljust(width - 1) + " "
    environment.filters["genitive"] = genitive
    environment.filters["number_word"] = number_word
    return environment


_WORDS = {
    "da": {
        "changes": "aendringer",
        "report": "hoeringsnotat",
        "title": "Udgave",
        "notes": "Udgave $VERSION af værdisættet. Ændringerne i forhold til den forrige "
        "udgave står i de vedhæftede filer.",
        # intake.yml: the issue form's label, and what the workflow writes (shell strings in
        # double quotes: $NUMBER, $AUTHOR, $FILE and $URL are filled in, nothing else). The
        # title is the commit's message too.
        "label": "forslag",
        "intake_title": "Høringssvar fra issue #$NUMBER",
        "intake_body": "Lavet automatisk ud fra issue #$NUMBER, som @$AUTHOR oprettede: "
        "høringssvaret er filen $FILE. Det er kontrolleret, som en pull request fra @$AUTHOR "
        "ville blive det (valreg check og valreg check-pr), og redaktionen gennemgår det.",
        "intake_done": "Tak for jeres høringssvar. Det er nu en pull request, som redaktionen "
        "gennemgår: $URL",
        "intake_refused": "Tak for jeres høringssvar. Det kunne ikke læses automatisk, men "
        "redaktionen ser på det og skriver til jer her.",
    },
    "en": {
        "changes": "changes",
        "report": "consultation-report",
        "title": "Version",
        "notes": "Version $VERSION of the set of values. The changes since the previous "
        "version are in the attached files.",
        "label": "proposal",
        "intake_title": "Proposal from issue #$NUMBER",
        "intake_body": "Made automatically from issue #$NUMBER, opened by @$AUTHOR: the "
        "proposal is the file $FILE. It was checked as a pull request from @$AUTHOR would be "
        "(valreg check and valreg check-pr), and the editors review it.",
        "intake_done": "Thank you for your proposal. It is now a pull request, which the "
        "editors review: $URL",
        "intake_refused": "Thank you for your proposal. It could not be read automatically, "
        "but the editors will look at it and reply to you here.",
    },
}


def render_setup_file(template: str, setup: Setup) -> str:
    """One template of `templates/registry/` rendered for `setup`."""
    requirement = setup.requirement
    hook = hook_source(requirement) if requirement is not None else None
    context = {
        "name": setup.name,
        "owner": setup.owner,
        "language": setup.language,
        "tag_prefix": setup.tag_prefix,
        "requirement": requirement or ".",
        "install": "pip install -e ." if requirement is None else f"pip install '{requirement}'",
        "lang_option": " --lang da" if setup.danish else "",
        "words": _WORDS["da" if setup.danish else "en"],
        "hook_repo": hook[0] if hook else "",
        "hook_rev": hook[1] if hook else "",
        "round": setup.round,
        "value": setup.value,
        "text": setup.text,
        "rationale": setup.rationale,
        "answer": setup.answer,
        "submitted": setup.submitted.isoformat(),
        "approved": setup.approved.isoformat(),
        "repository": setup.repository,
        "answer_ways": ANSWER_WAYS,
    }
    return _environment().get_template(template).render(context)


def setup_files(setup: Setup) -> dict[str, str]:
    """Every set-up file of a registry, by its path in the registry."""
    lang = "da" if setup.danish else "en"
    templates = {
        "README.md": f"README.{lang}.md.j2",
        "CONTRIBUTING.md": f"CONTRIBUTING.{lang}.md.j2",
        ".github/workflows/check.yml": "check.yml.j2",
        ".github/workflows/release.yml": "release.yml.j2",
        ".github/workflows/intake.yml": "intake.yml.j2",
        ".github/workflows/pages.yml": "pages.yml.j2",
        ".github/dependabot.yml": "dependabot.yml.j2",
        ".github/pull_request_template.md": f"pull_request_template.{lang}.md.j2",
        f".github/ISSUE_TEMPLATE/{'forslag' if setup.danish else 'proposal'}.yml": (
            "forslag.yml.j2" if setup.danish else "proposal.yml.j2"
        ),
        ".pre-commit-config.yaml": "pre-commit-config.yaml.j2",
    }
    files = {path: render_setup_file(name, setup) for path, name in templates.items()}
    registry = models.Registry(
        name=setup.name, owner=setup.owner, language=setup.language, editors=[*setup.editors]
    )
    files[CODEOWNERS_FILE] = render_codeowners(registry)
    files["docs/rules.md"] = rules_markdown()
    return files


def _write_setup(staging: Path, setup: Setup) -> None:
    for path, text in setup_files(setup).items():
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


# --- init ---------------------------------------------------------------------------------


def init_registry(
    target: Path,
    *,
    name: str,
    owner: str,
    language: str = "da",
    example: bool = False,
    editors: tuple[str, ...] = (),
    requirement: str | None = None,
    today: dt.date | None = None,
) -> Path:
    """Create a registry at `target` (absent or an empty folder); returns its path.

    The registry is built in a temporary folder beside `target` and moved into place
    only when its commits exist, so a failure leaves nothing behind. `example` makes
    KL's 11 first-draft values and a fictional round instead of an empty registry.
    """
    requirement = requirement or default_requirement()
    hook_source(requirement)  # a usage error before anything is made
    for login in editors:
        check_login(login)
    target = target.absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} already exists and is not an empty folder")
    if not target.parent.is_dir():
        raise UsageError(f"{target.parent} does not exist")
    today = today or clock.today()
    setup = generic_setup(
        name, owner, language, today=today, editors=editors, requirement=requirement
    )
    registry_yaml = _registry_yaml(setup)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.init-"))
    try:
        if example:
            _build_example(staging, requirement)
        else:
            _build_empty(staging, setup, registry_yaml)
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


#: The optional fields of a new registry.yaml, commented out: what letters link to and
#: whom they name (`valreg letter`).
REGISTRY_OPTIONS = """\
# Optional: the web addresses the round letters link to (valreg letter), and the editors'
# contact they name. Remove the "# " to use them.
# site: https://example.org/values/        # where `valreg site` is published
# repository: https://github.com/org/repo  # where proposals come as pull requests
# branch: main                             # the branch pull requests go to (default main)
# contact:                                 # an office and a functional mailbox, never a person
#   office: The secretariat
#   email: post@example.org
"""


def _registry_yaml(setup: Setup) -> str:
    """registry.yaml of a new registry; a name or owner it could not hold is a usage error."""
    for option, text in (("--name", setup.name), ("--owner", setup.owner)):
        if not text.strip() or not text.isprintable():
            raise UsageError(f"{option} must be one line of printable text")
    content = dump_yaml(
        {
            "name": setup.name,
            "owner": setup.owner,
            "language": setup.language,
            "tag_prefix": setup.tag_prefix,
            "versioning": "calendar",
            "editors": list(setup.editors),
        }
    )
    content += REGISTRY_OPTIONS
    parsed = parse_file(REGISTRY_FILE, content.encode("utf-8"))
    if parsed.diagnostics:
        first = parsed.diagnostics[0]
        raise UsageError(f"the registry would not be valid: {first.code} {first.message}")
    return content


def _commit(staging: Path, message: str) -> None:
    try:
        _git.commit_all(staging, message)
    except GitError as exc:
        raise Refused(
            f"could not commit: {exc.stderr}; set git's user.name and user.email "
            "(git config --global user.name …) and run valreg init again"
        ) from None


def _example_setup(staging: Path, requirement: str) -> Setup:
    """The example's set-up: its registry.yaml, and examples from its fictional round."""
    registry: models.Registry | None = parse_file(
        REGISTRY_FILE, (staging / REGISTRY_FILE).read_bytes()
    ).model
    if registry is None:
        raise Refused("the example's registry.yaml is invalid; reinstall valreg")
    return Setup(
        registry.name,
        registry.owner,
        registry.language,
        editors=tuple(registry.editors),
        tag_prefix=registry.tag_prefix,
        requirement=requirement,
        round="eksempel-1",
        value="danner-og-uddanner",
        text="Vi vil dagtilbud og folkeskoler, der både danner, uddanner og udvikler",
        rationale="Udvikling hører med.",
        answer="Vi vil bruge kerneværdierne i vores børne- og ungepolitik.",
        submitted=dt.date(2019, 9, 16),
        approved=dt.date(2019, 9, 9),
        repository=str(registry.repository) if registry.repository else None,
    )


def _build_example(staging: Path, requirement: str) -> None:
    _git.init_repository(staging)
    for stage, message in EXAMPLE_STAGES:
        shutil.copytree(EXAMPLE / stage, staging, dirs_exist_ok=True)
        if stage == "base":
            write_schemas(staging / "registry/schema")
            _write_setup(staging, _example_setup(staging, requirement))
        if stage == "round":
            municipalities = staging / MUNICIPALITIES_FILE
            content = municipalities.read_bytes()
            for code, login in EXAMPLE_LOGINS.items():
                content = with_logins(content, code, [login])
            municipalities.write_bytes(content)
        _commit(staging, message)
        if stage == "base":
            _git.create_tag(
                staging,
                "values/2019.1",
                "HEAD",
                "Udgave 2019.1: 11 værdier\nFørste udgave.\n",
                sign=False,
            )


def _build_empty(staging: Path, setup: Setup, registry_yaml: str) -> None:
    (staging / "registry").mkdir()
    (staging / REGISTRY_FILE).write_text(registry_yaml, encoding="utf-8")
    (staging / MUNICIPALITIES_FILE).write_text(_MUNICIPALITIES, encoding="utf-8")
    write_schemas(staging / "registry/schema")
    for folder in ("values", "proposals", "registry/rounds", "registry/releases"):
        (staging / folder).mkdir(parents=True, exist_ok=True)
        (staging / folder / ".gitkeep").write_text("", encoding="utf-8")
    _write_setup(staging, setup)
    _git.init_repository(staging)
    _commit(staging, f"Create the registry '{setup.name}'")
