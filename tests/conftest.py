"""Shared fixtures: an isolated home and git config, real registries in real git repos."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

TESTS = Path(__file__).parent
DATA = TESTS / "data"
VALID_REGISTRY = DATA / "valid" / "registry"
REPO = TESTS.parent
SEEDS = REPO.parent / "shared" / "seeds"
VALREG = Path(sys.executable).parent / "valreg"


@pytest.fixture(autouse=True, scope="session")
def isolated_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No test sees the developer's $HOME or git configuration (set once, for every scope)."""
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Test Editor\n\temail = editor@example.invalid\n"
        "[init]\n\tdefaultBranch = main\n",
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        for name in (
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "SOURCE_DATE_EPOCH",
            "VALREG_FAULT_STEP",
        ):
            patch.delenv(name, raising=False)
        yield home


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True
    ).stdout


def make_repo(source: Path, target: Path) -> Path:
    """Copy a registry folder into `target` and commit it in a new git repository."""
    shutil.copytree(source, target)
    git(target, "init", "--quiet", "--initial-branch=main")
    git(target, "add", "--all")
    git(target, "commit", "--quiet", "-m", "test registry")
    return target


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """`valreg init --example`: open round eksempel-1, Odense has 461-odense.yaml already."""
    from factories import init_example

    return init_example(tmp_path / "example")


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """The valid test registry as a real git repository."""
    return make_repo(VALID_REGISTRY, tmp_path / "registry")


def run_valreg(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the installed console script, as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(VALREG), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=full_env,
        input=stdin.decode() if stdin is not None else None,
        check=False,
    )


class HtmlPage(HTMLParser):
    """A page's start tags with their attributes, and its text, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(html: str) -> HtmlPage:
    page = HtmlPage()
    page.feed(html)
    page.close()
    return page


def assert_golden(output: str, golden: Path) -> None:
    """`output` equals the golden file; with VALREG_UPDATE_GOLDEN=1 it becomes the golden
    file (read the diff before committing it)."""
    if os.environ.get("VALREG_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(output, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden.relative_to(REPO)}"
    test_file = os.environ.get("PYTEST_CURRENT_TEST", "").partition("::")[0]
    assert output == golden.read_text(encoding="utf-8"), (
        f"{golden.relative_to(REPO)} differs from the output; if the change is intended, "
        f"regenerate the golden files with: VALREG_UPDATE_GOLDEN=1 pytest {test_file}"
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (or $CHROMIUM) under playwright, for the browser tests (`browser`
    has the rest: a local server, watched contexts, the axe scan)."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}; the site is tested in a real browser. "
            "Install it with: apt-get install chromium"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
