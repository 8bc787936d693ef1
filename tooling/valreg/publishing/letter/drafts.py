"""What `valreg round open` writes beside a new round.yaml, in Danish: a draft of the
letter (letter.md) for the editors to rewrite, and the README of the round's proposal
folder (what the round is, how to answer).

The draft follows the structure of KL's letter of 2019 (seeds/2019-kl-brev-10-vaerdier.txt):
the addressees, why, what is sent out, the questions, the deadline and how to answer,
"sendes ligeledes til borgmestrene til orientering", signatures by role. Where only the
editors can say something (why, who signs), the draft has a note in brackets
("[Redaktionen: …]") and no invented text; the registry's own data goes in as
placeholders, so that it stays right when the round changes.
"""

from __future__ import annotations

from valreg.danish import danish_date
from valreg.publishing.letter.build import DRAFT_NOTE, letter_path, markdown_text
from valreg.registry import models
from valreg.registry.snapshot import Snapshot


def readme_path(round_id: str) -> str:
    return f"proposals/{round_id}/README.md"


def draft_letter(registry: models.Registry, round_: models.Round) -> str:
    """letter.md for a new round: the seed letter's structure, the registry's data as
    placeholders, notes where the editors must write."""
    blocks = [
        "Til {{ modtager }}",
        "**Formand for det udvalg, der har ansvar for området**  \n"
        "**Direktør for den forvaltning, der har ansvar for området**",
        "## {{ titel }}",
        f"{DRAFT_NOTE} skriv her, hvorfor {{{{ afsender }}}} sender dette i høring, og hvad "
        "svarene skal bruges til.]",
    ]
    if round_.base is not None:
        blocks += [
            "{{ afsender }} sender hermed udkastet til værdierne i høring hos kommunerne. "
            "Det lyder:",
            "{{ værdier }}",
            "Vi beder jer drøfte værdierne i det udvalg, der har ansvar for området, og sende "
            "os jeres bemærkninger: forslag til en ny tekst til en værdi, til nye værdier, til "
            "værdier, der bør udgå, lægges sammen eller flyttes, og kommentarer.",
        ]
    if round_.questions:
        lead = "Vi beder jer også drøfte" if round_.base is not None else "Vi beder jer drøfte"
        blocks += [f"{lead} disse spørgsmål:", "{{ spørgsmål }}"]
    blocks += [
        "### Sådan svarer I",
        "Send jeres høringssvar senest den {{ frist }}.",
        _how_to_answer(registry),
        "Skriv ikke navne, e-mailadresser eller telefonnumre på personer i høringssvaret: "
        "høringssvarene bliver offentliggjort.",
        "*Dette brev sendes ligeledes til borgmestrene til orientering.*",
        "Med venlig hilsen",
        f"Formand  \n{DRAFT_NOTE} udvalgets navn; underskrifter med titel, ikke navn]",
    ]
    return "\n\n".join(blocks) + "\n"


def _how_to_answer(registry: models.Registry) -> str:
    ways = []
    if registry.site is not None:
        ways.append("- Udfyld høringssvaret i formularen på høringens side: {{ svarside }}")
    if registry.repository is not None:
        ways.append(
            "- Send høringssvaret som en fil med en pull request i høringens mappe: "
            "{{ repository }} (mappen forklarer hvordan)"
        )
    if registry.contact is not None:
        ways.append("- Send høringssvaret pr. e-mail til {{ kontakt }}")
    else:
        ways.append(
            f"- Send høringssvaret pr. e-mail til {{{{ afsender }}}} {DRAFT_NOTE} adressen]"
        )
    return "I kan svare på en af disse måder:\n\n" + "\n".join(ways)


def draft_readme(registry: models.Registry, round_: models.Round) -> str:
    """proposals/<round>/README.md: what the round is and how to answer, for GitHub's
    folder view (and so that the folder exists for "Add file")."""
    title = markdown_text(round_.title)
    lines = [
        f"# Høringssvar: {title}",
        "",
        f"Denne mappe samler kommunernes høringssvar i høringsrunde {round_.id}, «{title}». "
        f"Fristen er den {danish_date(round_.deadline)} (svar senest den dag).",
        "",
    ]
    if round_.base is not None:
        lines += [
            f"Høringen gælder udgave {round_.base} af værdierne "
            f"(`registry/releases/{round_.base}.yaml`).",
            "",
        ]
    if round_.questions:
        lines += ["Runden stiller disse spørgsmål:", ""]
        lines += [f"- {q.id}: *{markdown_text(q.text)}*" for q in round_.questions]
        lines.append("")
    lines += [
        "## Sådan svarer I",
        "",
        "Et høringssvar er en lille tekstfil (YAML) i denne mappe med kommunens forslag og "
        "svar. Filen hedder kommunekoden og kommunens navn, fx `461-odense.yaml`; en kommune "
        "kan sende flere filer (`461-odense-2.yaml`).",
        "",
        f"1. Lav filen med `valreg propose --municipality <kode> --round {round_.id}`. Den er "
        'gyldig, som den står ("ingen bemærkninger"), og forklarer på dansk, hvordan I '
        "skriver forslag og svar.",
        "2. Læg den i denne mappe på GitHub med «Add file» og opret en pull request. "
        "Registrets kontrol kører automatisk og siger præcist, hvad der eventuelt skal rettes.",
        f"3. Eller send svaret til {markdown_text(registry.owner)} på den adresse, der står i "
        "høringsbrevet; redaktionen lægger det ind for jer.",
        "",
        "Skriv ikke navne, e-mailadresser eller telefonnumre på personer: svarene bliver "
        "offentliggjort.",
        "",
        "Denne fil er skrevet af `valreg round open`.",
    ]
    return "\n".join(lines) + "\n"


def round_documents(snapshot: Snapshot, round_: models.Round) -> dict[str, str]:
    """The files `valreg round open` writes beside round.yaml, by path."""
    registry = snapshot.registry
    assert registry is not None  # round open refuses a registry without one
    return {
        letter_path(round_.id): draft_letter(registry, round_),
        readme_path(round_.id): draft_readme(registry, round_),
    }
