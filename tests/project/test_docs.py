"""Documentation that is generated from the code stays current."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import REPO, VALREG
from valreg.registry.diagnostics import rules_markdown


def test_rules_table_is_current() -> None:
    committed = (REPO / "docs/rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), (
        "docs/rules.md is stale; regenerate it with "
        "`python -c 'import valreg.registry.diagnostics as d; print(d.rules_markdown(), end=\"\")' "
        "> docs/rules.md`"
    )


def test_readme_starts_with_the_two_setup_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = readme.split("```")
    assert "valreg check" in blocks[1] and "valreg info" in blocks[1]
    assert "pytest" in blocks[3]
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    test_command = blocks[3].strip().splitlines()[-1]
    assert test_command in ci


def test_the_readme_walkthrough_runs(tmp_path: Path) -> None:
    """Every command of the README's round walkthrough, verbatim, succeeds in order."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("valreg init /tmp/eksempel --example")
    script = readme[start : readme.index("```", start)].replace(
        "/tmp/eksempel", str(tmp_path / "e")
    )
    env = {**os.environ, "PATH": f"{VALREG.parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "2019.2: ok (tag values/2019.2)" in result.stdout
