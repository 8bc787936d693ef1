"""Documentation that is generated from the code stays current."""

from __future__ import annotations

from conftest import REPO
from valreg.diagnostics import rules_markdown


def test_rules_table_is_current() -> None:
    committed = (REPO / "docs/rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), (
        "docs/rules.md is stale; regenerate it with "
        "`python -c 'import valreg.diagnostics as d; print(d.rules_markdown(), end=\"\")' "
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
