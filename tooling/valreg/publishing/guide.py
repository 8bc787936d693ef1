"""What the guides tell a municipality, said once: the ways to send a høringssvar.

CONTRIBUTING.md (`valreg init`'s template) and the site's about page both list these, in
this order and with these titles, so the two cannot disagree on how many ways there are.
The words follow docs/da-ordliste.md.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AnswerWay:
    """One way to send a høringssvar: a short title and one plain sentence (no markup)."""

    key: str
    title: str
    text: str


ANSWER_WAYS: tuple[AnswerWay, ...] = (
    AnswerWay(
        "form",
        "I svarformularen på registrets side",
        "I udfylder høringssvaret i en formular på registrets side (ved høringsrunden: Svar i "
        "formularen). Siden kontrollerer svaret og laver filen, som I sender til redaktionen "
        "pr. e-mail eller som en pull request på GitHub. Intet bliver sendt, før I selv "
        "sender det.",
    ),
    AnswerWay(
        "github",
        "På GitHub i browseren",
        "I skriver høringssvaret som en fil på GitHub og sender den som en pull request "
        "(en anmodning om at få filen lagt ind i registret). Det kræver kun en bruger på "
        "GitHub, ingen programmer.",
    ),
    AnswerWay(
        "command",
        "Fra kommandolinjen",
        "Er I vant til git, skriver kommandoen valreg propose en udfyldt fil med vejledning "
        "på dansk, som I sender som en pull request.",
    ),
    AnswerWay(
        "email",
        "Pr. e-mail",
        "I sender høringssvaret til redaktionen som almindelig tekst eller et Word-dokument, "
        "og redaktionen lægger det ind i registret for jer med kommandoen valreg intake.",
    ),
    AnswerWay(
        "issue",
        "I formularen på GitHub",
        "I udfylder formularen Høringssvar fra en kommune under Issues på GitHub. Står jeres "
        "bruger i registret, bliver høringssvaret af sig selv til en pull request; ellers "
        "lægger redaktionen det ind for jer.",
    ),
)
