"""CONTRIBUTING.md stays true: its template is a valid proposal, its rule codes exist, and
the README and the templates point to it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import REPO, git, run_valreg
from valreg.registry.diagnostics import RULES

CONTRIBUTING = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_the_template_is_a_valid_proposal_in_this_registry(tmp_path: Path) -> None:
    start = CONTRIBUTING.index("```yaml\n") + len("```yaml\n")
    template = CONTRIBUTING[start : CONTRIBUTING.index("```", start)]
    copy = tmp_path / "registry"
    for folder in ("registry", "values", "proposals"):
        shutil.copytree(REPO / folder, copy / folder)
    git(copy, "init", "--quiet")
    round_id = re.search(r'^round: "([^"]+)"', template, re.MULTILINE)
    assert round_id is not None
    target = copy / "proposals" / round_id[1] / "461-odense.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template, encoding="utf-8")
    result = run_valreg("check", "--no-cache", str(target.relative_to(copy)), cwd=copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith("no problems\n"), result.stdout


def test_every_rule_code_it_explains_exists() -> None:
    codes = set(re.findall(r"\b[YSFVPDR]\d{3}\b", CONTRIBUTING))
    assert codes >= {"Y101", "S204", "P504", "P505", "P506", "P508", "P509", "P510", "D602"}
    assert codes <= set(RULES), codes - set(RULES)


def test_readme_and_templates_point_to_it() -> None:
    assert "[CONTRIBUTING.md](CONTRIBUTING.md)" in (REPO / "README.md").read_text(encoding="utf-8")
    for template in (".github/pull_request_template.md", ".github/ISSUE_TEMPLATE/forslag.yml"):
        assert "CONTRIBUTING.md" in (REPO / template).read_text(encoding="utf-8"), template
