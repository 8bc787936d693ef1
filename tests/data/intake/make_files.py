"""Makes the fictional received answers in this folder that are not plain text.

Run from the repository root: `.venv/bin/python tests/data/intake/make_files.py`. The
Word files are made with python-docx (MIT), the e-mails with Python's `email` package;
`make_msg.js` makes the Outlook message. Everything in them is FICTIONAL: no municipality
wrote it, and the people, phone numbers and addresses are made up.
"""

from __future__ import annotations

import datetime as dt
import io
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import docx

HERE = Path(__file__).parent
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def word(paragraphs: list[str], table: list[tuple[str, str]] | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=0, cols=2)
        for left, right in table:
            cells = grid.add_row().cells
            cells[0].text, cells[1].text = left, right
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


ODENSE_LETTER = [
    "Høringssvar fra Odense Kommune (FIKTIVT EKSEMPEL)",
    "Odense Kommune takker for muligheden for at give bemærkninger til første bud på "
    "kommunale kerneværdier. Svaret er behandlet i Børn- og Ungeudvalget.",
    "Værdi 2",
    "Vi foreslår, at det fremgår, at børnene også skal høres, når der træffes beslutninger "
    "om deres hverdag.",
    "Ad spørgsmål 1",
    "Vi vil bruge kerneværdierne som ramme, når vi reviderer vores børne- og ungepolitik i 2020.",
    "Vi ser frem til det videre arbejde.",
]


def odense_mail() -> bytes:
    mail = EmailMessage()
    mail["From"] = "Lise Fiktiv Jensen <lfj@odense.dk>"
    mail["To"] = "hoering@kl.dk"
    mail["Subject"] = "Høringssvar: kommunale kerneværdier (fiktivt eksempel)"
    moment = dt.datetime(2019, 9, 26, 14, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    mail["Date"] = format_datetime(moment)
    mail.set_content(
        "Kære KL\n\nHermed Odense Kommunes høringssvar, se vedhæftede.\n\n"
        "Med venlig hilsen\n\nLise Fiktiv Jensen\nChefkonsulent\nBørn- og Ungeforvaltningen\n"
        "Direkte: 65 51 99 99\nlfj@odense.dk\n"
    )
    mail.add_attachment(
        word(ODENSE_LETTER),
        maintype="application",
        subtype=DOCX.split("/")[1],
        filename="Høringssvar Odense.docx",
    )
    mail.add_attachment(
        b"%PDF-1.4 fictional", maintype="application", subtype="pdf", filename="bilag.pdf"
    )
    return bytes(mail)


def esbjerg_mail() -> bytes:
    mail = EmailMessage()
    mail["From"] = '"Esbjerg Kommune, Børn & Kultur" <boernogkultur@esbjerg.dk>'
    mail["To"] = "hoering@kl.dk"
    mail["Subject"] = "Svar på høring"
    moment = dt.datetime(2019, 9, 29, 23, 30, tzinfo=dt.UTC)  # 30 Sept in Denmark
    mail["Date"] = format_datetime(moment)
    mail.set_content(
        "Til KL\n\n"
        "Esbjerg Kommune har ingen bemærkninger til værdierne ud over dette: pkt. 4 om "
        "lokalmiljøet bør også nævne foreningslivet.\n\n"
        "Svar på spørgsmål 1: Vi bruger dem i dialogen med skolebestyrelserne.\n\n"
        "Venlig hilsen\n"
        "Peter Fiktiv Madsen\n"
        "Afdelingsleder, Skole og Dagtilbud\n"
        "Esbjerg Kommune\n"
        "Torvegade 74, 6700 Esbjerg\n"
        "Mobil +45 20 30 40 50\n"
        "E-mail: pfm@esbjerg.dk\n"
    )
    return bytes(mail)


def main() -> None:
    (HERE / "odense-mail-med-word.eml").write_bytes(odense_mail())
    (HERE / "esbjerg-underskrift.eml").write_bytes(esbjerg_mail())
    (HERE / "herning-svar.docx").write_bytes(
        word(
            [
                "Herning Kommune – høringssvar (FIKTIVT EKSEMPEL)",
                "Herning Kommune bakker op om sættet.",
            ],
            table=[
                ("Værdi 1", "Vi foreslår »udvikler« i stedet for »uddanner«."),
                ("Spørgsmål 1", "Vi vil drøfte dem i alle skolebestyrelser."),
            ],
        )
    )


if __name__ == "__main__":
    main()
