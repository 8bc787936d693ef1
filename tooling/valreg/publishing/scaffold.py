"""`valreg init`: a new, empty registry as a git repository with one commit."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from valreg import _git
from valreg.errors import GitError, Refused, UsageError
from valreg.publishing.schema import write_schemas
from valreg.registry.yamlio import dump_yaml

_README = """\
# {name}

A registry of values kept with [valreg](https://pypi.org/project/valreg/):
every value is a YAML file under `values/`, proposals for a consultation round
go under `proposals/<round>/`, and `valreg check` validates everything.

    valreg check        # validate every file
    valreg info         # what the registry holds

Editors are listed in `registry/registry.yaml`; the parties that may submit
proposals in `registry/municipalities.yaml`. JSON Schemas for editors' tooling
are in `registry/schema/`.
"""

_MUNICIPALITIES = """\
# The parties that take part in consultation rounds, one entry each:
# - code: "101"
#   name: København
#   region: Region Hovedstaden
#   logins: [kk-boern]      # optional: who may open pull requests for it
[]
"""


EXAMPLE = Path(__file__).parent / "example"
#: The example's history: each folder is copied over the last and committed.
EXAMPLE_STAGES = (
    ("base", "KL's first draft, release 2019.1 (real data)"),
    ("edit", "Fictional editorial edit of value data-og-viden after release 2019.1"),
    ("round", "Fictional consultation round eksempel-1 with proposals"),
)


def init_registry(
    target: Path, *, name: str, owner: str, language: str = "da", example: bool = False
) -> Path:
    """Create a registry at `target` (absent or an empty folder); returns its path.

    The registry is built in a temporary folder beside `target` and moved into place
    only when its commits exist, so a failure leaves nothing behind. `example` makes
    KL's 11 first-draft values and a fictional round instead of an empty registry.
    """
    target = target.absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} already exists and is not an empty folder")
    if not target.parent.is_dir():
        raise UsageError(f"{target.parent} does not exist")
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.init-"))
    try:
        if example:
            _build_example(staging)
        else:
            _build_empty(staging, name=name, owner=owner, language=language)
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _commit(staging: Path, message: str) -> None:
    try:
        _git.commit_all(staging, message)
    except GitError as exc:
        raise Refused(
            f"could not commit: {exc.stderr}; set git's user.name and user.email "
            "(git config --global user.name …) and run valreg init again"
        ) from None


def _build_example(staging: Path) -> None:
    _git.init_repository(staging)
    for stage, message in EXAMPLE_STAGES:
        shutil.copytree(EXAMPLE / stage, staging, dirs_exist_ok=True)
        if stage == "base":
            write_schemas(staging / "registry/schema")
            name = "Kommunale kerneværdier (eksempel)"
            (staging / "README.md").write_text(_README.format(name=name), encoding="utf-8")
        _commit(staging, message)
        if stage == "base":
            _git.create_tag(
                staging,
                "values/2019.1",
                "HEAD",
                "Udgave 2019.1: 11 værdier\nFørste udgave.\n",
                sign=False,
            )


def _build_empty(staging: Path, *, name: str, owner: str, language: str) -> None:
    registry = {
        "name": name,
        "owner": owner,
        "language": language,
        "tag_prefix": "values/",
        "versioning": "calendar",
        "editors": [],
    }
    (staging / "registry").mkdir()
    (staging / "registry/registry.yaml").write_text(dump_yaml(registry), encoding="utf-8")
    (staging / "registry/municipalities.yaml").write_text(_MUNICIPALITIES, encoding="utf-8")
    write_schemas(staging / "registry/schema")
    for folder in ("values", "proposals", "registry/rounds", "registry/releases"):
        (staging / folder).mkdir(parents=True, exist_ok=True)
        (staging / folder / ".gitkeep").write_text("", encoding="utf-8")
    (staging / "README.md").write_text(_README.format(name=name), encoding="utf-8")
    _git.init_repository(staging)
    _commit(staging, f"Create the registry '{name}'")
