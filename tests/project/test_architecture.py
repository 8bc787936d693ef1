"""The package's cut holds (docs/architecture.md): the import-linter contracts, no import
circle, every layer says what it owns, one module per command, short functions, and a
`valreg --help` that imports no library."""

from __future__ import annotations

import ast
import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from conftest import REPO

PACKAGE = REPO / "tooling" / "valreg"
LAYERS = ("registry", "workflow", "versions", "publishing", "cli")
BIN = Path(sys.executable).parent
MAX_FUNCTION_LINES = 80


def lint_imports(pythonpath: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "lint-imports"), "--config", str(REPO / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env={"PYTHONPATH": str(pythonpath), "PATH": str(BIN)},
    )


def test_the_import_contracts_are_kept() -> None:
    result = lint_imports(REPO / "tooling")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("registry/models.py", "from valreg.workflow import state as _upward"),
        ("workflow/state.py", "def _later() -> None:\n    from valreg.publishing import html\n"),
        ("clock.py", "from valreg.registry import models as _base_upward"),
        ("versions/release.py", "import subprocess as _second_door"),
    ],
    ids=["upward", "upward-inside-a-function", "base-importing-a-layer", "second-door-to-git"],
)
def test_a_broken_contract_fails(tmp_path: Path, module: str, line: str) -> None:
    copy = tmp_path / "tooling" / "valreg"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = lint_imports(tmp_path / "tooling")
    assert result.returncode == 1, result.stdout
    assert "BROKEN" in result.stdout


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_circle_anywhere() -> None:
    assert _cycles(grimp.build_graph("valreg")) == []


def test_the_cycle_finder_finds_a_circle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "circular"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("from circular import b\n", encoding="utf-8")
    (package / "b.py").write_text("def f() -> None:\n    from circular import a\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _cycles(grimp.build_graph("circular")) == [["circular.a", "circular.b"]]


@pytest.mark.parametrize("layer", LAYERS)
def test_every_layer_says_what_it_owns_and_may_import(layer: str) -> None:
    module = importlib.import_module(f"valreg.{layer}")
    assert module.__doc__ is not None
    assert len(module.__doc__.split()) >= 40, "one paragraph: what it owns, what it may import"
    assert "import" in module.__doc__


def test_one_module_per_command() -> None:
    from valreg.cli.parser import COMMANDS

    modules = {p.stem for p in (PACKAGE / "cli").glob("*.py")} - {"__init__", "parser"}
    assert modules == set(COMMANDS)
    for name in COMMANDS:
        command = importlib.import_module(f"valreg.cli.{name}")
        assert callable(command.register) and callable(command.run), name
        assert command.__doc__, name


def test_no_function_is_longer_than_80_lines() -> None:
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} ({length})")
    assert long == []


def test_help_imports_no_library() -> None:
    """`valreg --help` builds every command's parser and imports nothing heavy (the figure
    for its speed is in benchmarks/README.md)."""
    probe = (
        "import sys\n"
        "from valreg.cli import build_parser\n"
        "build_parser().format_help()\n"
        "heavy = ('pydantic', 'yaml', 'ruamel', 'jinja2', 'docx', 'rich', 'sqlite3')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith(heavy)}))\n"
        "print(sorted(m for m in sys.modules if m.startswith('valreg.') "
        "and not m.startswith(('valreg.cli', 'valreg.errors'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n[]\n"
