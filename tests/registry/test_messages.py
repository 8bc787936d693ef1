"""Messages a civil servant can act on (issue 22), read through the real `valreg check`,
in Danish (`--lang da`) and in English: YAML syntax errors explained on the line to change,
typographic quotes and non-breaking spaces named, "did you mean …?", P502's advice, and a
person's name where an office belongs."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_valreg

PATH = "proposals/2019-9/147-frederiksberg.yaml"
HEAD = "round: 2019-9\nmunicipality: 147\nsubmitted: 2019-09-20\n"
CHANGE = 'changes:\n  - id: "1"\n'


def check(registry: Path, text: str, lang: str = "da", path: str = PATH) -> list[str]:
    """The diagnostic lines `valreg check` prints for one new file."""
    target = registry / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    result = run_valreg("check", "--lang", lang, path, cwd=registry)
    assert "Traceback" not in result.stderr
    return result.stdout.splitlines()[:-1]


# --- YAML syntax errors: in the message language, on the line to change ------------------

SYNTAX = [
    (
        # libyaml stops on line 8; the colon without a space is on line 7
        CHANGE + '    kind: amend\n    text:"Vi vil noget (fiktivt)"\n    value: lokalmiljoeet\n',
        f"{PATH}:7:10: fejl Y101 der mangler et mellemrum efter ':'; YAML skal have et "
        'mellemrum mellem feltnavnet og værdien: text: "Vi vil noget (fiktivt)"',
    ),
    (
        CHANGE + "    kind remove\n    value: lokalmiljoeet\n",
        f"{PATH}:6:9: fejl Y101 der mangler ':' efter feltnavnet 'kind': kind: remove",
    ),
    (
        # the quote opened on line 7 is closed only by the quote of '"2"' on line 9
        CHANGE + '    kind: comment\n    text: "Vi vil noget (fiktivt)\n    rationale: Fiktiv.\n'
        '  - id: "2"\n    kind: remove\n    value: lokalmiljoeet\n',
        f'{PATH}:7:11: fejl Y101 anførselstegnet ", som teksten begynder med, bliver ikke '
        'afsluttet på linjen; afslut teksten med "',
    ),
    (
        CHANGE + "    - kind: remove\n    value: lokalmiljoeet\n",
        f"{PATH}:6:5: fejl Y101 en '-' begynder her et nyt punkt midt i en gruppe af felter; "
        "slet '-' (i en liste af ændringer har kun det første felt i hver ændring en '-')",
    ),
    (
        CHANGE + "    kind: remove\n      value: lokalmiljoeet\n",
        f"{PATH}:7:7: fejl Y101 'value' er rykket længere ind (6 mellemrum) end 'kind' på linje "
        "6 (4); felter på samme niveau begynder i samme kolonne",
    ),
    (
        CHANGE + "    kind: comment\n    text: Vi vil: noget (fiktivt)\n",
        f"{PATH}:7:11: fejl Y101 teksten indeholder ': ' (kolon og mellemrum), som YAML læser "
        'som et nyt felt; sæt anførselstegn om teksten: text: "Vi vil: noget (fiktivt)"',
    ),
    (
        CHANGE + "  -\tkind: remove\n",
        f"{PATH}:6:4: fejl Y110 en tabulator, hvor YAML skal have mellemrum; erstat "
        "tabulatoren med mellemrum",
    ),
]


@pytest.mark.parametrize(("body", "wanted"), SYNTAX)
def test_syntax_errors_in_danish_on_the_line_to_change(
    registry: Path, body: str, wanted: str
) -> None:
    assert check(registry, HEAD + body) == [wanted]


def test_syntax_errors_in_english_keep_libyaml_as_a_detail(registry: Path) -> None:
    (line,) = check(registry, HEAD + CHANGE + "    kind remove\n", lang="en")
    assert line == (
        f"{PATH}:6:9: error Y101 missing ':' after the field name 'kind': kind: remove "
        "[libyaml: while scanning a simple key, could not find expected ':']"
    )


# --- typographic quotes and odd spaces ------------------------------------------------------


def test_typographic_quotes_that_break_the_yaml(registry: Path) -> None:
    body = CHANGE + "    kind: comment\n    text: “Vi vil: noget (fiktivt)”\n"
    assert check(registry, HEAD + body) == [
        f"{PATH}:7:11: fejl Y116 teksten står i typografiske anførselstegn (“ …), nok fra Word; "
        "YAML læser dem ikke som anførselstegn, så teksten ødelægger filen. Brug lige "
        'anførselstegn (" eller \'): text: "Vi vil: noget (fiktivt)"'
    ]
    (english,) = check(registry, HEAD + body, lang="en")
    assert english.startswith(f"{PATH}:7:11: error Y116 the text is in typographic quotes (“ …)")


def test_typographic_quotes_that_cut_a_text_short(registry: Path) -> None:
    body = CHANGE + "    kind: comment\n    text: “Som i værdi #1 (fiktivt)”\n"
    (line,) = check(registry, HEAD + body)
    assert line.startswith(
        f"{PATH}:7:11: fejl Y116 teksten begynder med et typografisk anførselstegn (“), som "
        "YAML ikke læser som et anførselstegn, så teksten slutter ved ' #'"
    )


def test_a_text_wrapped_in_typographic_quotes_is_a_warning(registry: Path) -> None:
    body = CHANGE + "    kind: comment\n    text: „Vi vil noget (fiktivt)“\n"
    target = registry / PATH
    target.write_text(HEAD + body, encoding="utf-8")
    result = run_valreg("check", "--lang", "da", PATH, cwd=registry)
    assert result.returncode == 0  # a warning
    assert result.stdout.splitlines()[0] == (
        f"{PATH}:7:11: advarsel Y117 teksten står i typografiske anførselstegn („ … “), som "
        "bliver en del af teksten; var de ment som anførselstegn om teksten, så slet dem "
        '(eller brug lige anførselstegn ")'
    )
    # Quoted on purpose: no warning.
    target.write_text(HEAD + body.replace("„Vi vil noget (fiktivt)“", '"„Citat“"'), "utf-8")
    assert run_valreg("check", PATH, cwd=registry).stdout.endswith("no problems\n")


def test_typographic_quotes_in_a_version(registry: Path) -> None:
    assert check(registry, HEAD + "base: ”2019.1”\n") == [
        f"{PATH}:4:7: fejl S210 'base' er skrevet med typografiske anførselstegn (”), nok fra "
        'Word; skriv det med lige anførselstegn: base: "2019.1"'
    ]
    (english,) = check(registry, HEAD + "base: ”2019.1”\n", lang="en")
    assert english == (
        f"{PATH}:4:7: error S210 'base' is written with typographic quotes (”), probably from "
        'Word; write it with straight quotes: base: "2019.1"'
    )


def test_a_non_breaking_space_is_named(registry: Path) -> None:
    assert check(registry, HEAD + CHANGE + "    kind:\u00a0remove\n") == [
        f"{PATH}:6:10: fejl Y118 mellemrummet efter ':' er et hårdt mellemrum (U+00A0), ofte "
        "kopieret fra Word eller en hjemmeside; YAML læser det ikke som et mellemrum. Slet "
        "det, og skriv et almindeligt mellemrum, hvor der skal være et"
    ]
    assert check(registry, HEAD.replace("2019-09-20", "2019-09-20\u00a0")) == [
        f"{PATH}:3:12: fejl S211 'submitted' indeholder et hårdt mellemrum (U+00A0), som ikke "
        "kan ses, men gør værdien forkert (ofte kopieret fra Word eller en hjemmeside); slet "
        'det: submitted: "2019-09-20"'
    ]
    (english,) = check(registry, HEAD + CHANGE + "   \u00a0kind: remove\n", lang="en")
    assert english.startswith(
        f"{PATH}:6:4: error Y118 the indentation of this line holds a non-breaking space (U+00A0)"
    )


# --- did you mean ---------------------------------------------------------------------------


def test_a_misspelled_field_gets_the_field_meant(registry: Path) -> None:
    body = CHANGE + "    kind: remove\n    value: lokalmiljoeet\n    begrundelse: Fiktiv.\n"
    assert check(registry, HEAD + body) == [
        f"{PATH}:8:5: fejl S202 ukendt felt 'begrundelse'; mente I 'rationale'?"
    ]
    body = body.replace("begrundelse", "rationle")
    assert check(registry, HEAD + body, lang="en") == [
        f"{PATH}:8:5: error S202 unknown field 'rationle'; did you mean 'rationale'?"
    ]
    # nothing close: the fields allowed there, as before
    (far,) = check(registry, HEAD + body.replace("rationle", "xyz"), lang="en")
    assert far.endswith("unknown field 'xyz'; allowed here: id, rationale, kind, value")


def test_a_misspelled_round_folder_gets_the_round_meant(registry: Path) -> None:
    text = HEAD.replace("2019-9", "2019-09")
    path = "proposals/2019-09/147-frederiksberg.yaml"
    assert check(registry, text, path=path) == [
        f"{path}:1:8: fejl P503 runden '2019-09' (mappen proposals/2019-09/) findes ikke; mente "
        "I '2019-9'? Læg filen i proposals/2019-9/, og skriv round: 2019-9"
    ]


def test_a_misspelled_municipality_code_gets_the_one_the_file_name_says(registry: Path) -> None:
    path = "proposals/2019-9/416-odense.yaml"
    assert check(registry, HEAD.replace("147", "416"), path=path, lang="en") == [
        f"{path}:2:15: error P504 municipality 416 is not in registry/municipalities.yaml; did "
        "you mean 461 (Odense)?"
    ]


@pytest.mark.parametrize(
    ("command", "wanted"),
    [
        (["status", "2019-09"], "round '2019-09' does not exist; did you mean '2019-9'?"),
        (["review", "2019-09"], "round '2019-09' does not exist; did you mean '2019-9'?"),
        (["status", "nope"], "round 'nope' does not exist; rounds: 2019-1 (closed), 2019-2"),
    ],
)
def test_a_misspelled_round_on_the_command_line(
    registry: Path, command: list[str], wanted: str
) -> None:
    result = run_valreg(*command, cwd=registry)
    assert result.returncode == 2
    assert wanted in result.stderr


def test_propose_names_the_round_and_municipality_meant(registry: Path) -> None:
    epoch = {"SOURCE_DATE_EPOCH": "1568592000"}  # 2019-09-16, round 2019-9 is open
    result = run_valreg("propose", "--municipality", "Odnese", cwd=registry, env=epoch)
    assert result.returncode == 2
    assert "did you mean 461 (Odense)?" in result.stderr
    result = run_valreg(
        "propose", "--municipality", "461", "--round", "2019-09", cwd=registry, env=epoch
    )
    assert result.returncode == 2
    assert "round '2019-09' does not exist; did you mean '2019-9'?" in result.stderr


# --- P502 advises only rounds that exist ------------------------------------------------------


def test_p502_never_advises_a_round_that_does_not_exist(registry: Path) -> None:
    # round: names no round, in an existing round's folder: set round: to the folder
    assert check(registry, HEAD.replace("round: 2019-9", "round: 2019-8")) == [
        f"{PATH}:1:8: fejl P502 runden '2019-8' passer ikke med mappen '2019-9'; der er ingen "
        "runde '2019-8'; skriv round: 2019-9"
    ]
    # the folder is no round either: P502 says so, and P503 names the rounds there are
    path = "proposals/2020-1/147-frederiksberg.yaml"
    lines = check(registry, HEAD.replace("round: 2019-9", "round: 2019-8"), path=path)
    assert lines == [
        f"{path}:1:8: fejl P502 runden '2019-8' passer ikke med mappen '2020-1'; og ingen af dem "
        "er en runde (se nedenfor)",
        f"{path}:1:8: fejl P503 runden '2020-1' (mappen proposals/2020-1/) findes ikke; runder: "
        "2019-1, 2019-2, 2019-9",
    ]
    # round: names a round, the folder is none: move the file there, nothing else
    lines = check(registry, HEAD, path=path, lang="en")
    assert lines == [
        f"{path}:1:8: error P502 round '2019-9' differs from the folder '2020-1'; the folder is "
        "not a round; move the file to proposals/2019-9/",
        f"{path}:1:8: error P503 round '2020-1' (the folder proposals/2020-1/) does not exist; "
        "did you mean '2019-9'? Put the file in proposals/2019-9/ and set round: 2019-9",
    ]


# --- a person's name where an office belongs --------------------------------------------------


def test_a_person_in_submitted_by_is_a_warning(registry: Path) -> None:
    (registry / PATH).write_text(HEAD + "submitted_by: Jens Ive (fiktiv)\n", encoding="utf-8")
    result = run_valreg("check", "--lang", "da", PATH, cwd=registry)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == (
        f"{PATH}:4:15: advarsel P516 'Jens Ive' ligner et personnavn; skriv i stedet "
        "forvaltningen eller udvalget (fx Børne- og Ungeforvaltningen eller Børne- og "
        "Ungeudvalget): det, der offentliggøres, henviser ikke til personer"
    )
    assert run_valreg("check", "--strict", PATH, cwd=registry).returncode == 1


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Jens Ive", "Jens Ive"),
        ("Anne Marie Holm", "Anne Marie Holm"),
        ("Anne-Marie Holm", "Anne-Marie Holm"),
        ("Skoleafdelingen v/ Jens Ive", "Jens Ive"),
        ("Skoleafdelingen, Jens Ive", "Jens Ive"),
        ("Børne- og Ungeudvalget", None),
        ("Børne- og Ungeforvaltningen (fiktivt)", None),
        ("Skoleafdelingen", None),
        ("Odense Kommune", None),
        ("Odense Byråd", None),
        ("Byrådet", None),
        ("Center for Dagtilbud", None),
        ("Dagtilbudsafdelingen Syd", None),
        ("Team Skole", None),
        ("Børn og Unge", None),
        ("Direktionen", None),
        ("Skolesekretariatet", None),
        ("Region Syddanmark", None),
        ("Pædagogisk Udviklingsenhed", None),
        ("Børne- og Ungeadministrationen", None),
        ("KL", None),
    ],
)
def test_what_reads_as_a_person(text: str, person: str | None) -> None:
    from valreg.registry.rules import named_person

    assert named_person(text) == person
