"""A deterministic synthetic registry of any size, as a git repository, for benchmarks.

Usage: python benchmarks/generate.py OUT [--values N] [--proposals M] [--releases R]
       [--rounds K] [--seed S] [--sizes large|real]

`--sizes large` (the default) writes files of about 1.3 KB on average: four changes per
proposal with long texts. `--sizes real` writes files the size of real ones: values of
100–250 bytes and proposals of 300–600 bytes (one or two short changes, sometimes an
answer), as in the example round (proposals 355 bytes, values 170 bytes on average).

Everything is fictional and marked so. The same arguments give the same files, commits
and commit ids (seeded random numbers, fixed git identity and dates). The registry checks
clean (`valreg check` finds no errors and no warnings), and covers what the rules look
at: all 98 municipality codes of the real registry, every kind of change, texts with
æøå, several proposal files per municipality and round (`-2`, `-3`), answers to a round
question, and decisions (every decision kind, with the change's sha256).

History: one commit and an annotated tag `values/2019.<r>` per release (between releases
some values are amended), then one commit with the rounds, proposals and decisions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
MUNICIPALITIES = REPO / "registry" / "municipalities.yaml"
EPOCH = dt.datetime(2020, 1, 1, 12, 0, tzinfo=dt.UTC)

SUBJECTS = (
    "børn",
    "unge",
    "forældre",
    "pædagoger",
    "lærere",
    "fællesskaber",
    "lokalmiljøet",
    "dagplejere",
    "skoleledere",
    "sundhedsplejersker",
)
VERBS = ("styrker", "inddrager", "udfordrer", "støtter", "samarbejder med", "løfter", "ser")
GOALS = (
    "læring og trivsel",
    "dannelse",
    "sundhed",
    "overgange mellem dagtilbud og skole",
    "faglighed",
    "tryghed",
    "fællesskab på tværs",
    "ansvar for egen læring",
)
PLACES = ("i hverdagen", "i fritiden", "på tværs af faggrupper", "i nærmiljøet", "hele året")
WHY = (
    "Det giver et bedre afsæt for arbejdet i kommunen.",
    "Formuleringen bliver tydeligere for forældrene.",
    "Sådan arbejder vi allerede i vores dagtilbud og skoler.",
    "Ordet fællesskab bør stå først, fordi det bærer de øvrige værdier.",
    "Det gør værdien lettere at omsætte til praksis for medarbejderne.",
)
KINDS = ("amend", "add", "remove", "merge", "move", "comment")
#: A decision each kind of change can take, in turn (models.ALLOWED_DECISIONS).
DECISIONS = {
    "amend": ("accept", "modify", "reject"),
    "add": ("accept", "modify", "reject"),
    "merge": ("accept", "modify", "reject"),
    "remove": ("accept", "reject"),
    "move": ("accept", "reject"),
    "comment": ("note", "reject"),
}


def _sentence(rng: random.Random, words: int) -> str:
    parts = [
        f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} med fokus på {rng.choice(GOALS)} "
        f"{rng.choice(PLACES)}"
        for _ in range(words)
    ]
    return "Vi vil dagtilbud og folkeskoler, der " + ", og som ".join(parts)


def value_text(rng: random.Random, i: int, edition: int = 0, *, real: bool = False) -> str:
    revised = f", udgave {edition}" if edition else ""
    return f"{_sentence(rng, 1 if real else 2)} (fiktiv værdi {i}{revised})"


def _value_file(i: int, text: str) -> str:
    return f"# Fiktiv værdi til benchmarks\nid: vaerdi-{i}\nnumber: {i}\ntext: {text}\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _change(rng: random.Random, n: int, kind: str, values: int, *, real: bool = False) -> str:
    def vid() -> str:
        return f"vaerdi-{rng.randint(1, values)}"

    text = f"{_sentence(rng, 1 if real else 2)} (fiktivt forslag)"
    if real:
        text = text.removeprefix("Vi vil dagtilbud og folkeskoler, der ")
    head = f'  - id: "{n}"\n    kind: {kind}\n'
    short = kind in ("remove", "move")
    why = f"    rationale: {rng.choice(WHY)}\n" if not real or short or rng.random() < 0.5 else ""
    if kind == "amend":
        return head + f"    value: {vid()}\n    text: {text}\n" + why
    if kind == "add":
        return head + f"    after: {vid()}\n    text: {text}\n" + why
    if kind == "remove":
        return head + f"    value: {vid()}\n" + why
    if kind == "merge":
        first = rng.randint(1, values)
        second = first % values + 1
        return head + f"    values: [vaerdi-{first}, vaerdi-{second}]\n    text: {text}\n" + why
    if kind == "move":
        return head + f"    value: {vid()}\n    after: null\n" + why
    return head + f"    value: {vid()}\n    text: {text}\n"


def _proposal_file(
    rng: random.Random,
    round_id: str,
    municipality: tuple[str, str],
    submitted: dt.date,
    values: int,
    *,
    real: bool = False,
) -> str:
    code, name = municipality
    if real:
        return _real_proposal_file(rng, round_id, code, submitted, values)
    kinds = rng.sample(KINDS, 4)
    changes = "".join(_change(rng, n, kind, values) for n, kind in enumerate(kinds, 1))
    return (
        f"# Fiktivt høringssvar fra {name} til benchmarks\n"
        f"round: {round_id}\n"
        f"municipality: {code}\n"
        f"submitted: {submitted.isoformat()}\n"
        "submitted_by: Børne- og Ungeudvalget\n"
        "approved_by:\n"
        "  body: udvalg\n"
        f"  date: {submitted.isoformat()}\n"
        f"changes:\n{changes}"
        "answers:\n"
        "  - question: q1\n"
        f"    text: {_sentence(rng, 1)} (fiktivt svar)\n"
    )


def _real_proposal_file(
    rng: random.Random, round_id: str, code: str, submitted: dt.date, values: int
) -> str:
    """A proposal of real size (300–600 bytes): one or two changes, sometimes an answer."""
    kinds = rng.sample(KINDS, rng.choice((1, 1, 2)))
    changes = "".join(_change(rng, n, kind, values, real=True) for n, kind in enumerate(kinds, 1))
    answer = (
        f"answers:\n  - question: q1\n    text: {rng.choice(PLACES).capitalize()} (fiktivt svar)\n"
        if rng.random() < 0.5
        else ""
    )
    approved = f"approved_by:\n  body: udvalg\n  date: {submitted.isoformat()}\n"
    return (
        "# Fiktivt høringssvar til benchmarks\n"
        f"round: {round_id}\nmunicipality: {code}\nsubmitted: {submitted.isoformat()}\n"
        "submitted_by: Børne- og Ungeudvalget\n"
        f"{approved if rng.random() < 0.5 else ''}changes:\n{changes}{answer}"
    )


def _municipalities() -> list[tuple[str, str]]:
    import yaml

    entries: list[dict[str, Any]] = yaml.safe_load(MUNICIPALITIES.read_text(encoding="utf-8"))
    return [(str(m["code"]), str(m["name"])) for m in entries]


def _slug(name: str) -> str:
    from valreg.registry.models import slugify

    return slugify(name)


class _Git:
    """git with a fixed identity and a clock that moves one hour per commit."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tick = 0

    def __call__(self, *args: str, date: bool = False) -> None:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Benchmark",
            "GIT_AUTHOR_EMAIL": "benchmark@example.invalid",
            "GIT_COMMITTER_NAME": "Benchmark",
            "GIT_COMMITTER_EMAIL": "benchmark@example.invalid",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        if date:
            self.tick += 1
            stamp = (EPOCH + dt.timedelta(hours=self.tick)).isoformat()
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = stamp
        subprocess.run(
            ["git", "-C", str(self.root), *args], check=True, capture_output=True, env=env
        )

    def commit(self, message: str) -> None:
        self("add", "--all")
        self("commit", "--quiet", "--no-gpg-sign", "--no-verify", "-m", message, date=True)


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _release(root: Path, version: str, previous: str | None, texts: dict[int, str]) -> str:
    from valreg.registry.models import text_digest
    from valreg.registry.yamlio import dump_yaml

    manifest = {
        "version": version,
        "title": f"Udgave {version} (fiktiv)",
        "status": "draft",
        "date": "2020-01-01",
        "previous": previous,
        "rounds": [],
        "values": [
            {"id": f"vaerdi-{i}", "number": i, "sha256": text_digest(text)}
            for i, text in sorted(texts.items())
        ],
    }
    return dump_yaml(manifest)


def generate(
    root: Path,
    values: int,
    proposals: int,
    *,
    releases: int = 1,
    rounds: int = 0,
    seed: int = 1,
    real: bool = False,
) -> None:
    """Write the registry into `root` (which must not exist) and commit its history; with
    `real`, files of real size (values 100–250 bytes, proposals 300–600 bytes)."""
    from valreg.publishing.schema import write_schemas

    rng = random.Random(seed)
    rounds = rounds or max(1, -(-proposals // 980))
    root.mkdir(parents=True)
    git = _Git(root)
    git("init", "--quiet", "--initial-branch=main")
    _write(
        root,
        "registry/registry.yaml",
        "# Fiktivt register til benchmarks\n"
        "name: Fiktive kerneværdier (benchmark)\nowner: KL\nlanguage: da\n"
        "editors: [kl-redaktion]\n",
    )
    shutil.copyfile(MUNICIPALITIES, root / "registry/municipalities.yaml")
    write_schemas(root / "registry/schema")

    # Releases: every value is in the first; each later one amends about 5 %.
    texts = {i: value_text(rng, i, real=real) for i in range(1, values + 1)}
    for r in range(1, releases + 1):
        if r > 1:
            for i in rng.sample(range(1, values + 1), max(1, values // 20)):
                texts[i] = value_text(rng, i, r, real=real)
        for i, text in texts.items():
            _write(root, f"values/vaerdi-{i}.yaml", _value_file(i, text))
        version, previous = f"2019.{r}", (f"2019.{r - 1}" if r > 1 else None)
        _write(root, f"registry/releases/{version}.yaml", _release(root, version, previous, texts))
        git.commit(f"Udgave {version} (fiktiv)")
        git("tag", "--annotate", "-m", f"Udgave {version} (fiktiv)", f"values/{version}", date=True)

    # Rounds, proposals (round-robin over rounds and municipalities) and decisions.
    municipalities = _municipalities()
    files_per_round = [proposals // rounds + (k < proposals % rounds) for k in range(rounds)]
    for k, count in enumerate(files_per_round, 1):
        _round(
            root,
            rng,
            k,
            count,
            base=f"2019.{releases}",
            values=values,
            municipalities=municipalities,
            real=real,
        )
    git.commit("Fiktive høringsrunder og forslag")


def _round(
    root: Path,
    rng: random.Random,
    number: int,
    count: int,
    *,
    base: str,
    values: int,
    municipalities: list[tuple[str, str]],
    real: bool = False,
) -> None:
    """Round `2020-<number>` with `count` proposals, every tenth of them decided."""
    from valreg.registry.yamlio import dump_yaml

    round_id = f"2020-{number}"
    opens = dt.date(2020, 1, 1) + dt.timedelta(days=number)
    deadline = opens + dt.timedelta(days=60)
    _write(
        root,
        f"registry/rounds/{round_id}/round.yaml",
        f"# Fiktiv runde til benchmarks\nid: {round_id}\ntitle: Fiktiv høringsrunde {number}\n"
        f'base: "{base}"\nopens: {opens.isoformat()}\ndeadline: {deadline.isoformat()}\n'
        "questions:\n  - id: q1\n    text: Hvordan bruger I værdierne i hverdagen?\n",
    )
    decisions: list[dict[str, Any]] = []
    for n in range(count):
        code, name = municipalities[n % len(municipalities)]
        copy = n // len(municipalities)
        stem = f"{int(code)}-{_slug(name)}" + (f"-{copy + 1}" if copy else "")
        rel = f"proposals/{round_id}/{stem}.yaml"
        submitted = opens + dt.timedelta(days=rng.randint(0, 60))
        text = _proposal_file(rng, round_id, (code, name), submitted, values, real=real)
        _write(root, rel, text)
        if n % 10 == 0:  # every tenth proposal is decided, change by change
            decisions += _decisions(rng, f"{round_id}/{stem}", rel, text, deadline)
    if decisions:
        _write(root, f"registry/rounds/{round_id}/decisions.yaml", dump_yaml(decisions))


def _decisions(
    rng: random.Random, proposal: str, rel: str, text: str, deadline: dt.date
) -> list[dict[str, Any]]:
    """A decision on each change of the proposal file `rel`, of a kind the change can take."""
    from valreg.registry.models import change_digest
    from valreg.registry.parse import parse_file

    parsed = parse_file(rel, text.encode("utf-8"))
    assert parsed.model is not None, parsed.diagnostics
    decisions: list[dict[str, Any]] = []
    for change in parsed.model.changes:
        decision = rng.choice(DECISIONS[change.kind])
        entry: dict[str, Any] = {
            "change": f"{proposal}#{change.id}",
            "change_sha256": change_digest(change),
            "decision": decision,
        }
        if decision == "modify":
            entry["text"] = f"{_sentence(rng, 1)} (fiktiv afgørelse)"
        if decision != "accept":
            entry["reason"] = rng.choice(WHY)
        entry["date"] = deadline.isoformat()
        entry["editor"] = "kl-redaktion"
        decisions.append(entry)
    return decisions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to create (must not exist)")
    parser.add_argument("--values", type=int, default=1000)
    parser.add_argument("--proposals", type=int, default=2000)
    parser.add_argument("--releases", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=0, help="default: one per 980 proposals")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--sizes",
        choices=("large", "real"),
        default="large",
        help="file sizes: large (about 1.3 KB) or real (values 100–250 B, proposals 300–600 B)",
    )
    args = parser.parse_args()
    generate(
        args.out,
        args.values,
        args.proposals,
        releases=args.releases,
        rounds=args.rounds,
        seed=args.seed,
        real=args.sizes == "real",
    )


if __name__ == "__main__":
    main()
