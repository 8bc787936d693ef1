"""CONTRIBUTING.md stays true: its template is a valid proposal, its rule codes exist, and
the README and the templates point to it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import REPO, git, run_valreg
from factories import REPO_SETUP
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


GUIDES = (
    "CONTRIBUTING.md",
    ".github/pull_request_template.md",
    ".github/ISSUE_TEMPLATE/forslag.yml",
)


def test_the_guides_are_the_rendered_templates() -> None:
    """CONTRIBUTING.md and the GitHub templates are `valreg init`'s, rendered for this
    registry, so a change to the template reaches the guide people read
    (VALREG_UPDATE_GOLDEN=1 writes them)."""
    import datetime as dt
    import os

    from valreg.publishing.scaffold import Setup, setup_files

    setup = Setup(
        **REPO_SETUP,
        submitted=dt.date(2019, 10, 25),
        approved=dt.date(2019, 10, 9),
    )
    files = setup_files(setup)
    for path in GUIDES:
        if os.environ.get("VALREG_UPDATE_GOLDEN"):
            (REPO / path).write_text(files[path], encoding="utf-8")
        assert (REPO / path).read_text(encoding="utf-8") == files[path], path


#: A code span that quotes what `check --lang da` or `check-pr --lang da` prints.
_QUOTE = re.compile(r"`((?:[^`]*?: )?(?:fejl|advarsel|afvist) [^`]*|[^`]*kontrolleret: [^`]*)`")


def _quotes() -> list[str]:
    prose = re.sub(r"```.*?```", "", CONTRIBUTING, flags=re.DOTALL)
    return _QUOTE.findall(prose)


def _pattern(quote: str) -> re.Pattern[str]:
    """A quote as a pattern for a whole printed line: `…` stands for what varies."""
    quote = re.sub(r"^\S+:\d+:\d+: ", "", quote)  # the guide's example path and position
    parts = [re.sub(r"(\\ )+", " +", re.escape(p)) for p in quote.split("…")]
    return re.compile("^(?:.*: )?" + ".+?".join(parts) + "$")


def _write(root: Path, path: str, text: str) -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")


def _printed(root: Path) -> list[str]:
    """What the tools print in Danish for the mistakes the guide explains, in a copy of
    the example with a login for Odense and a decided change."""
    from factories import init_example

    init_example(root)
    logins = root / "registry/municipalities.yaml"
    logins.write_text(
        logins.read_text(encoding="utf-8").replace(
            "  name: Odense\n  region: Region Syddanmark\n",
            "  name: Odense\n  region: Region Syddanmark\n  logins: [odense-boern]\n",
        ),
        encoding="utf-8",
    )
    decided = run_valreg(
        "decide", "eksempel-1/461-odense#1", "accept", "--editor", "kl-redaktion", cwd=root
    )
    assert decided.returncode == 0, decided.stderr
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "Odense's login and a decision")
    git(root, "checkout", "--quiet", "-b", "pr")
    head = "round: eksempel-1\nmunicipality: 461\nsubmitted: 2019-09-16\n"
    change = 'changes:\n  - id: "1"\n    kind: amend\n    value: dannelse\n    text: Fiktiv\n'
    folder = "proposals/eksempel-1"
    _write(root, f"{folder}/461-odense-2.yaml", head + change.replace("Fiktiv", '"Fiktiv'))
    _write(root, f"{folder}/461-odense-3.yaml", head + change.replace('"1"', "1"))
    _write(root, f"{folder}/461-odense-4.yaml", head + change)
    _write(root, f"{folder}/461-odense-5.yaml", head + "submitted_by: post@odense.dk 66 13 13 72\n")
    _write(root, f"{folder}/461-odense-6.yaml", head.replace("09-16", "12-16"))
    _write(root, f"{folder}/999-ingen.yaml", head.replace("461", "999"))
    _write(root, f"{folder}/101-koebenhavn-2.yaml", head)
    _write(root, "proposals/ingen-runde/461-odense.yaml", head)
    _write(root, "values/x.yaml", "id: x\n")
    edited = root / f"{folder}/461-odense.yaml"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(re.sub(r"(?m)^    text: .*$", "    text: Rettet (fiktiv)", text, count=1))
    git(root, "rm", "--quiet", f"{folder}/860-hjoerring.yaml")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "A pull request with every mistake")
    env = {"SOURCE_DATE_EPOCH": "1568592000"}  # 2019-09-16
    printed = run_valreg("check", "--lang", "da", cwd=root).stdout.splitlines()
    for actor in ("odense-boern", "snyder"):
        printed += run_valreg(
            "check-pr", "--base", "main", "--actor", actor, "--lang", "da", cwd=root, env=env
        ).stdout.splitlines()
    # The round closed: a new file is refused.
    round_file = root / "registry/rounds/eksempel-1/round.yaml"
    round_file.write_text(round_file.read_text(encoding="utf-8") + "closed: true\n")
    git(root, "commit", "--quiet", "-am", "Close the round")
    git(root, "checkout", "--quiet", "-b", "late")
    _write(root, f"{folder}/461-odense-7.yaml", head)
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "After the round closed")
    printed += run_valreg(
        "check-pr", "--base", "pr", "--actor", "odense-boern", "--lang", "da", cwd=root, env=env
    ).stdout.splitlines()
    return printed


def test_it_quotes_what_the_checks_print_in_danish(tmp_path: Path) -> None:
    """Every message the guide quotes is a line that `check --lang da` or `check-pr
    --lang da` prints (with … for what varies), and every code it explains is quoted."""
    quotes = _quotes()
    assert len(quotes) >= 18, quotes
    printed = _printed(tmp_path / "example")
    missing = [q for q in quotes if not any(_pattern(q).search(line) for line in printed)]
    assert not missing, "\n".join(["not printed:", *missing, "printed:", *printed])
    table = re.findall(r"^\| ([YSFVPDR]\d{3}) \|", CONTRIBUTING, re.MULTILINE)
    quoted = {code for q in quotes for code in re.findall(r"\b[YSFVPDR]\d{3}\b", q)}
    assert set(table) <= quoted, set(table) - quoted


def test_it_explains_the_git_words_and_agrees_with_the_about_page(tmp_path: Path) -> None:
    """Each git word is explained where it is first used; the ways to answer are the
    site's (`publishing.guide.ANSWER_WAYS`), in the same order."""
    from valreg.publishing.guide import ANSWER_WAYS

    for word, explained in (
        ("repositorium", "en mappe med alle registrets filer"),
        ("pull request", "en anmodning om at få"),
        ("fork", "jeres egen *kopi*"),
        ("commit", "betyder at gemme en ændring"),
        ("gren", "en adskilt række ændringer"),
        ("YAML", "hver linje er et *felt*"),
        ("sti", "dens plads i mapperne"),
        ("issue", "er en sag på GitHub"),
        ("resumé", "hvordan værdierne"),
    ):
        found = re.search(rf"\b{word}\b", CONTRIBUTING)
        assert found is not None, word
        assert explained in CONTRIBUTING[max(0, found.start() - 200) : found.end() + 300], word
    lead = CONTRIBUTING.split("\n## ")[0]
    ways = re.findall(r"^\d\. \*\*(.+?)\.\*\* ", lead, re.MULTILINE)
    assert ways == [w.title for w in ANSWER_WAYS]
    from factories import site

    about = (site(REPO, tmp_path / "site") / "om.html").read_text(encoding="utf-8")
    listed = about.split('<ol class="ways">')[1].split("</ol>")[0]
    assert re.findall(r"<li><strong>(.+?)\.</strong>", listed) == ways
    assert "Der er fem måder" in about and "på fem måder" in CONTRIBUTING
