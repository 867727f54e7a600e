"""What a lead is warned of before a report is published: figures that don't add up, narrative that
contradicts the data as at the report's date, and the sections the LGA's shape expects left empty. Each
warning says where it is fixed.

Narrative is checked sentence by sentence. A sentence that names a recommendation by reference ("R7",
"recommendation 7") with a completion word (narrative.COMPLETION_WORDS) while that recommendation was not
Complete or Closed as at the date contradicts its position (positions come from the selectors, as the
report's own do). A sentence that names a sum a flagged figure holds ("£17.12m") repeats a figure that does
not add up; one that names a sum only reported after the date, or an award won after it, quotes what was
not yet known.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.urls import reverse
from django.utils.formats import date_format

from recommendations import selectors
from recommendations.models import Recommendation
from recommendations.models.choices import FINISHED_STATUSES
from recommendations.vocabulary import STATUS_LABELS

from .content import ReportContent, challenge_of
from .figures import FigureLine, figure_lines
from .models import Achievement, Finding, KeyFigure, NextStep, SummaryReport
from .narrative import COMPLETION_WORDS

NARRATIVE_LABELS = {
    "executive_summary": "executive summary",
    "introduction": "introduction",
    "themes_lead_in": "feedback by theme lead-in",
    "next_steps_lead_in": "next steps lead-in",
}

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘(]?[A-Z0-9£])|\n\s*\n|\n\s*[-*+]\s+|\n\s*\d+[.)]\s+")
_REFERENCE = re.compile(
    r"\bR\s?(\d+[a-z]?)\b"
    r"|\b[Rr]ecommendations?\s+((?:R\s?)?\d+[a-z]?\b(?:\s*(?:,\s*and|,|and|&)\s*(?:R\s?)?\d+[a-z]?\b)*)"
)
_COMPLETION = re.compile(r"\b(?:" + "|".join(COMPLETION_WORDS) + r")\b", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(?:not|yet to be|never|no longer|has ?n[o’']t|have ?n[o’']t|is ?n[o’']t|are ?n[o’']t)\b", re.I
)
_MONEY = re.compile(
    r"£\s?(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<decimals>\d+))?\s?(?P<scale>bn|billion|m|million|k)?(?![\w])",
    re.IGNORECASE,
)
_SCALES = {"": 1, "k": 1_000, "m": 1_000_000, "million": 1_000_000, "bn": 1_000_000_000, "billion": 1_000_000_000}


@dataclass(frozen=True)
class ReportWarning:
    kind: str  # "figure", "contradiction", "flagged-value", "not-yet-reported", "not-yet-won", "empty"
    message: str
    fix_url: str
    fix_label: str


def sentences(text: str) -> list[str]:
    """The text's sentences (and list items), Markdown marks left out."""
    plain = re.sub(r"[*_#>`]+", "", text)
    return [" ".join(part.split()) for part in _SENTENCE_END.split(plain) if part and part.strip()]


def _key(reference: str) -> str:
    """A reference as sentences and plans both write it: "R7", "r 7", "7" are one."""
    return re.sub(r"^r", "", re.sub(r"[^a-z0-9]", "", reference.lower()))


def references(sentence: str) -> list[str]:
    """The recommendations a sentence names, as keys ("7"), in order, each once: "R7", "R7's",
    "recommendation 7", "recommendations 7 and 8" (a lower-case "r7" is not a reference)."""
    found: dict[str, None] = {}
    for match in _REFERENCE.finditer(sentence):
        for number in re.findall(r"\d+[a-z]?", match.group(1) or match.group(2)):
            found[_key(number)] = None
    return list(found)


def claims_completion(sentence: str) -> bool:
    return bool(_COMPLETION.search(sentence)) and not _NEGATION.search(sentence)


def contradictions(text: str, positions: dict[str, str]) -> list[tuple[str, str, str]]:
    """(sentence, reference key, status) for each sentence of `text` that claims a recommendation finished
    while its status (in `positions`, by reference key) is not Complete or Closed."""
    found = []
    for sentence in sentences(text):
        if not claims_completion(sentence):
            continue
        for key in references(sentence):
            status = positions.get(key)
            if status is not None and status not in FINISHED_STATUSES:
                found.append((sentence, key, status))
    return found


def sums(text: str) -> list[tuple[str, Decimal, Decimal]]:
    """(as written, value, half the last place written) for each sum of money in `text`: "£17.12m" is
    17,120,000 give or take 5,000."""
    found = []
    for match in _MONEY.finditer(text):
        decimals = match.group("decimals") or ""
        try:
            value = Decimal(match.group("number").replace(",", "") + (f".{decimals}" if decimals else ""))
        except InvalidOperation:
            continue
        scale = Decimal(_SCALES[(match.group("scale") or "").lower()])
        tolerance = Decimal(5) * Decimal(10) ** (-len(decimals) - 1) * scale
        found.append((match.group(0).strip(), value * scale, tolerance))
    return found


def named_figures(text: str, figures: list[FigureLine]) -> list[tuple[str, str, FigureLine]]:
    """(sentence, the sum as written, figure) for each sum in `text` that is one of `figures`' values."""
    found = []
    for sentence in sentences(text):
        for written, value, tolerance in sums(sentence):
            for figure in figures:
                pounds = figure.unit == KeyFigure.Unit.POUNDS and figure.value is not None
                if pounds and abs(figure.value - value) <= tolerance:
                    found.append((sentence, written, figure))
    return found


def _positions(report: SummaryReport, content: ReportContent) -> dict[str, str]:
    """Each recommendation's status as at the report's date, by reference key: the report's own first, then
    the rest of its challenge's."""
    engagement = report.session.engagement if report.session else report.engagement
    others = selectors.with_position(
        Recommendation.objects.filter(engagement_id__in={engagement.pk, challenge_of(engagement).pk}),
        as_at=content.as_at,
    ).values_list("reference", "position_status")
    positions = {_key(reference): status for reference, status in others}
    positions.update({_key(item.reference): item.status for item in content.items})
    return positions


def _narratives(report: SummaryReport, slug: str) -> list[tuple[str, str, str, str]]:
    """(what it is, its text, where it is fixed, the link's words) for every piece of narrative the report
    prints: the lead's sections, then the session's findings and next steps."""
    edit = reverse("report_edit", args=[slug, report.pk])
    pieces = [
        (f"The {label}", getattr(report, name), f"{edit}#id_{name}", f"Edit the {label}")
        for name, label in NARRATIVE_LABELS.items()
    ]
    if report.session is not None:
        session_edit = reverse("session_edit", args=[slug, report.session.pk])
        for number, text in enumerate(
            Finding.objects.filter(session=report.session).order_by("position", "pk").values_list("text", flat=True),
            start=1,
        ):
            pieces.append((f"Finding {number}", text, f"{session_edit}#finding-{number}", f"Edit finding {number}"))
        for number, text in enumerate(
            NextStep.objects.filter(session=report.session).order_by("position", "pk").values_list("text", flat=True),
            start=1,
        ):
            pieces.append(
                (f"Next step {number}", text, f"{session_edit}#next-step-{number}", f"Edit next step {number}")
            )
    return pieces


def _later_figures(report: SummaryReport, as_at: dt.date) -> list[FigureLine]:
    return figure_lines(KeyFigure.objects.filter(council=report.council_id, reported_on__gt=as_at).order_by("pk"))


def report_warnings(report: SummaryReport, content: ReportContent) -> list[ReportWarning]:
    """Everything unresolved in the report as it stands, each with where it is fixed."""
    slug = report.council.slug
    detail = reverse("report_detail", args=[slug, report.pk])
    day = date_format(content.as_at, "j F Y")
    warnings = [
        ReportWarning(
            "figure",
            f"{figure.label} ({figure.period or 'no period'}) does not add up. {figure.check}",
            f"{detail}#financial-position",
            "See it in the financial position (key figures are corrected by the platform's administrators)",
        )
        for figure in content.figures
        if figure.disagrees
    ]
    positions = _positions(report, content)
    flagged = [figure for figure in content.figures if figure.disagrees]
    later = _later_figures(report, content.as_at)
    later_awards = list(
        Achievement.objects.filter(council=report.council_id, awarded_on__gt=content.as_at).order_by("awarded_on", "pk")
    )
    for what, text, fix_url, fix_label in _narratives(report, slug):
        folded = " ".join(text.split()).casefold()
        for award in later_awards:
            if award.title.casefold() in folded:
                warnings.append(
                    ReportWarning(
                        "not-yet-won",
                        f"{what} names the {award.title}, won or announced on "
                        f"{date_format(award.awarded_on, 'j F Y')}, after the report's date ({day}).",
                        fix_url,
                        fix_label,
                    )
                )
        for sentence, key, status in contradictions(text, positions):
            reference = next((i.reference for i in content.items if _key(i.reference) == key), f"R{key}")
            warnings.append(
                ReportWarning(
                    "contradiction",
                    f"{what} says “{sentence}”, but {reference} was {STATUS_LABELS[status]} as at {day}.",
                    fix_url,
                    fix_label,
                )
            )
        for sentence, written, figure in named_figures(text, flagged):
            warnings.append(
                ReportWarning(
                    "flagged-value",
                    f"{what} names {written} (“{sentence}”), the {figure.label.lower()} that does not add up: "
                    f"its formula gives {figure.computed or 'no figure'}.",
                    fix_url,
                    fix_label,
                )
            )
        for sentence, written, figure in named_figures(text, later):
            when = date_format(figure.reported_on, "j F Y")
            warnings.append(
                ReportWarning(
                    "not-yet-reported",
                    f"{what} names {written} (“{sentence}”), the {figure.label.lower()} reported on {when}, after "
                    f"the report's date ({day}).",
                    fix_url,
                    fix_label,
                )
            )
    warnings.extend(_empty_sections(report, slug))
    return warnings


def _empty_sections(report: SummaryReport, slug: str) -> list[ReportWarning]:
    edit = reverse("report_edit", args=[slug, report.pk])
    empty = []
    if not report.executive_summary.strip():
        empty.append(
            ReportWarning(
                "empty",
                "The executive summary has no narrative: the LGA's reports open with the peers' overall view.",
                f"{edit}#id_executive_summary",
                "Write the executive summary",
            )
        )
    session = report.session
    if session is None:
        return empty
    session_edit = reverse("session_edit", args=[slug, session.pk])
    expected = [
        (not session.scope.strip(), "The summary of the approach has no scope", "id_scope", "Add the scope"),
        (
            not session.support_offer.strip(),
            "The next steps have no support offer from the LGA",
            "id_support_offer",
            "Add the support offer",
        ),
        (
            not session.principal_adviser.strip(),
            "The next steps name no principal adviser as the council's contact",
            "id_principal_adviser",
            "Add the principal adviser",
        ),
        (
            session.next_check_in is None,
            "The next steps give no date for the next check-in",
            "id_next_check_in_0",
            "Add the next check-in",
        ),
    ]
    for missing, message, anchor, label in expected:
        if missing:
            empty.append(ReportWarning("empty", f"{message}.", f"{session_edit}#{anchor}", label))
    return empty
