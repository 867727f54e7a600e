"""What a Peer Support Summary Report says, in the order of DESIGN.md §3, as at its date.

The data sections are the position at the end of the report's date (the session's day, or the engagement's
last day on site), through `selectors.with_position`: an update approved later never appears, and each
recommendation is counted under the theme it had on that day. The narrative sections are the lead's Markdown,
sanitised (reports/narrative.py). Evidence marked internal is never in a report: a report is for anyone who
may read the council's reports, advisers included.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from recommendations import charts, selectors
from recommendations.models import Engagement, Evidence, ProgressUpdate, Recommendation
from recommendations.models.choices import Status
from recommendations.vocabulary import NOT_ASSESSED, RAG_KEYS, RAG_LABELS, STATUS_KEYS, rag_key

from . import figures as key_figures
from . import narrative
from .figures import FigureLine, figure_lines
from .models import Achievement, Finding, KeyFigure, NextStep, PanelSession, Quote, SummaryReport
from .presenters import ThemeFindings, findings_by_theme


@dataclass(frozen=True)
class Tally:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class ThemeRow:
    theme: str
    counts: list[int]  # in STATUS_KEYS order
    total: int


@dataclass(frozen=True)
class EvidenceLine:
    key: int
    title: str
    kind: str
    dated: dt.date | None
    reference: str
    url: str


@dataclass(frozen=True)
class ReportItem:
    reference: str
    heading: str
    text: str
    theme: str  # as at the report's date
    status: str
    rag: str
    narrative: str
    updated_on: dt.date | None
    evidence: list[EvidenceLine]
    assurance: str = ""  # where the lead rated it differently from the owner: "The improvement lead rated it …"


@dataclass(frozen=True)
class PeerLine:
    name: str
    role: str
    organisation: str


@dataclass(frozen=True)
class QuoteLine:
    who: str
    role: str
    said_on: dt.date
    text: str
    occasion: str = ""


@dataclass(frozen=True)
class AchievementLine:
    title: str
    awarded_by: str
    awarded_on: dt.date
    description: str


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class Approach:
    """The summary of the approach: when, how, what, whom the peers met, and the peer team."""

    dates: str
    mode: str
    scope: str
    met: str


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


@dataclass
class ReportContent:
    council: str
    title: str
    subject: str  # the session or engagement, in words
    date: dt.date  # the session's day, or the engagement's
    as_at: dt.date
    kind: str = ""  # the type of review: "Recovery and renewal panel"
    dates_on_site: str = ""
    executive_summary: SafeString = SafeString("")
    progress_words: list[str] = field(default_factory=list)  # the executive summary's sentences on progress
    approach: Approach | None = None
    previous_next_steps: list[str] = field(default_factory=list)
    previous_session: str = ""  # the session those next steps are of, in words
    support_offer: str = ""
    adviser: Contact | None = None
    next_check_in: dt.date | None = None
    introduction: SafeString = SafeString("")
    themes_lead_in: SafeString = SafeString("")
    next_steps_lead_in: SafeString = SafeString("")
    statuses: list[Tally] = field(default_factory=list)
    rags: list[Tally] = field(default_factory=list)
    themes: list[ThemeRow] = field(default_factory=list)
    items: list[ReportItem] = field(default_factory=list)
    findings: list[ThemeFindings] = field(default_factory=list)
    achievements: list[AchievementLine] = field(default_factory=list)
    figures: list[FigureLine] = field(default_factory=list)
    quotes: list[QuoteLine] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    peers: list[PeerLine] = field(default_factory=list)
    evidence: list[EvidenceLine] = field(default_factory=list)
    chart: SafeString = SafeString("")
    sections: list[tuple[str, str]] = field(default_factory=list)  # (anchor, heading) for the contents

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def tallies(self) -> list[tuple[Tally, Tally]]:
        """(status, RAG) side by side, a row each."""
        return list(zip(self.statuses, self.rags, strict=True))

    @property
    def status_labels(self) -> list[str]:
        return [label for _key, label in STATUS_KEYS]

    @property
    def has_next_steps(self) -> bool:
        return bool(
            self.next_steps_lead_in or self.next_steps or self.support_offer or self.adviser or self.next_check_in
        )


def largest_remainder(counts: list[int]) -> list[int]:
    """Whole percentages of `counts` that sum to 100 (or all 0 when there is nothing to count): each share
    rounded down, then the points left over given to the largest remainders, the earlier on a tie."""
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    exact = [count * 100 / total for count in counts]
    shares = [int(value) for value in exact]
    by_remainder = sorted(range(len(counts)), key=lambda index: (-(exact[index] - shares[index]), index))
    for index in by_remainder[: 100 - sum(shares)]:
        shares[index] += 1
    return shares


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def progress_in_words(items: list[ReportItem], as_at: dt.date) -> list[str]:
    """The progress as at the date in words, then as RAG percentages of those assessed (whole numbers by
    largest remainder, so they sum to 100), with those not yet assessed stated separately:
    "As at 16 March 2021, of the 8 recommendations, 3 were complete or closed, 5 in progress and 0 not
    started.", "Of the 7 assessed: 86 per cent green and 14 per cent amber.", "1 recommendation had
    not yet been assessed." Empty when there are no recommendations."""
    if not items:
        return []
    statuses = Counter(item.status for item in items)
    finished = statuses[Status.COMPLETE] + statuses[Status.CLOSED]
    sentences = [
        f"As at {date_format(as_at, 'j F Y')}, of the {_count(len(items), 'recommendation')}, {finished} "
        f"{'was' if finished == 1 else 'were'} complete or closed, {statuses[Status.IN_PROGRESS]} in progress and "
        f"{statuses[Status.NOT_STARTED]} not started."
    ]
    rags = Counter(rag_key(item.rag) for item in items)
    rated = [(label.split()[0].lower(), rags[key]) for key, label in RAG_KEYS if key != NOT_ASSESSED]
    assessed = sum(count for _label, count in rated)
    if assessed:
        shares = largest_remainder([count for _label, count in rated])
        words = [f"{share} per cent {label}" for (label, count), share in zip(rated, shares, strict=True) if count]
        sentences.append(f"Of the {assessed} assessed: {_and(words)}.")
    if rags[NOT_ASSESSED]:
        sentences.append(f"{_count(rags[NOT_ASSESSED], 'recommendation')} had not yet been assessed.")
    return sentences


def subject_date(report: SummaryReport) -> dt.date:
    """The report's own day: its session's, else its engagement's last day on site (or first, or today where
    the engagement has none yet)."""
    if report.session is not None:
        return report.session.held_on
    engagement = report.engagement
    return engagement.last_onsite_day or engagement.first_onsite_day or timezone.localdate()


def report_date(report: SummaryReport) -> dt.date:
    """The day the report's data is as at: its own day, or today while that is still to come (a draft can be
    read before the session; it is published only once the day has passed, see report_publish)."""
    return min(subject_date(report), timezone.localdate())


def challenge_of(engagement: Engagement) -> Engagement:
    """The challenge a return visit belongs to (its recommendations are the ones reviewed)."""
    return engagement.parent if engagement.parent_id else engagement


def _recommendations(report: SummaryReport, as_at: dt.date) -> QuerySet[Recommendation]:
    """The recommendations the report is about: those the session discussed, else those of the challenge
    the session's or report's engagement belongs to, as they stood at the end of `as_at`."""
    if report.session is not None:
        chosen = Recommendation.objects.filter(sessions=report.session)
        engagement = report.session.engagement
    else:
        chosen = Recommendation.objects.none()
        engagement = report.engagement
    if not chosen.exists():
        engagement_ids = {engagement.pk, challenge_of(engagement).pk}
        chosen = Recommendation.objects.filter(engagement_id__in=engagement_ids)
    chosen = chosen.filter(engagement__council=report.council)
    return selectors.with_position_text(
        selectors.with_position(chosen.select_related("engagement"), as_at=as_at),
        as_at=as_at,
        position_narrative="narrative",
        position_assurance_rag="assurance_rag",
        position_assurance_reason="assurance_reason",
    ).order_by("engagement__first_onsite_day", "position", "reference", "pk")


def assurance_line(recommendation: Recommendation) -> str:
    """The lead's word where they rated the update that sets the position differently from its owner:
    "The improvement lead rated it Amber: the savings are not yet agreed." Empty otherwise."""
    rag = recommendation.position_assurance_rag
    if not rag:
        return ""
    return f"The improvement lead rated it {RAG_LABELS.get(rag, rag)}: {recommendation.position_assurance_reason}"


def _evidence_line(evidence: Evidence) -> EvidenceLine:
    return EvidenceLine(
        key=evidence.pk,
        title=evidence.title,
        kind=evidence.get_kind_display(),
        dated=evidence.dated,
        reference=evidence.reference,
        url=evidence.url,
    )


def _evidence_by_recommendation(recommendations: list[Recommendation], as_at: dt.date) -> dict[int, list[EvidenceLine]]:
    """The evidence on updates approved by the end of `as_at` (a recommendation's and its actions'), not
    internal, each once, in the order it was approved."""
    ids = [recommendation.pk for recommendation in recommendations]
    updates = (
        ProgressUpdate.objects.filter(
            Q(recommendation_id__in=ids) | Q(action__recommendation_id__in=ids),
            review_state=ProgressUpdate.ReviewState.APPROVED,
            approved_at__lt=selectors.end_of_day(as_at),
        )
        .select_related("action")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.filter(internal=False).order_by("title", "pk"))
        )
        .order_by("approved_at", "pk")
    )
    found: dict[int, dict[int, EvidenceLine]] = defaultdict(dict)
    for update in updates:
        owner = update.recommendation_id or update.action.recommendation_id
        for evidence in update.evidence.all():
            found[owner].setdefault(evidence.pk, _evidence_line(evidence))
    return {owner: list(lines.values()) for owner, lines in found.items()}


def _findings(session: PanelSession | None) -> list[ThemeFindings]:
    if session is None:
        return []
    return findings_by_theme(Finding.objects.filter(session=session).order_by("position", "pk"))


def _peers(report: SummaryReport) -> list[PeerLine]:
    if report.session is not None:
        peers = report.session.peers.all()
        if not peers.exists():
            peers = report.session.engagement.peers.all()
    else:
        peers = report.engagement.peers.all()
    return [PeerLine(peer.name, peer.get_role_display(), peer.organisation) for peer in peers.order_by("role", "name")]


def _figures(report: SummaryReport, as_at: dt.date) -> list[FigureLine]:
    """The key figures known at the end of `as_at` (each key's latest reported by then), checked."""
    known = key_figures.as_at(
        list(KeyFigure.objects.filter(council=report.council, reported_on__lte=as_at).order_by("position", "pk")),
        as_at,
    )
    return figure_lines(known)


def report_content(report: SummaryReport) -> ReportContent:
    """Everything the report shows, as at its date."""
    as_at = report_date(report)
    recommendations = list(_recommendations(report, as_at))
    evidence = _evidence_by_recommendation(recommendations, as_at)
    items = [
        ReportItem(
            reference=r.reference,
            heading=r.heading,
            text=r.text,
            theme=r.position_theme_name or "",
            status=r.position_status,
            rag=r.position_rag,
            narrative=r.position_narrative,
            updated_on=timezone.localdate(r.position_updated_at) if r.position_updated_at else None,
            evidence=evidence.get(r.pk, []),
            assurance=assurance_line(r),
        )
        for r in recommendations
    ]
    statuses = Counter(item.status for item in items)
    rags = Counter(rag_key(item.rag) for item in items)
    themes: dict[str, list[ReportItem]] = {}
    for item in items:
        themes.setdefault(item.theme or "No theme", []).append(item)
    session = report.session
    subject = str(session) if session else str(report.engagement)
    council = report.council
    engagement = session.engagement if session else report.engagement
    previous, previous_steps = _previous_next_steps(session)
    content = ReportContent(
        council=council.name,
        title=report.title,
        subject=subject,
        date=session.held_on if session else as_at,
        as_at=as_at,
        kind=engagement.kind.name,
        dates_on_site=_dates(session.held_on, session.held_on)
        if session
        else _dates(engagement.first_onsite_day, engagement.last_onsite_day),
        executive_summary=narrative.render(report.executive_summary),
        approach=_approach(report, engagement),
        previous_session=str(previous) if previous else "",
        previous_next_steps=previous_steps,
        support_offer=session.support_offer if session else "",
        adviser=Contact(session.principal_adviser, session.principal_adviser_email)
        if session and session.principal_adviser
        else None,
        next_check_in=session.next_check_in if session else None,
        introduction=narrative.render(report.introduction),
        themes_lead_in=narrative.render(report.themes_lead_in),
        next_steps_lead_in=narrative.render(report.next_steps_lead_in),
        statuses=[Tally(key, label, statuses[key]) for key, label in STATUS_KEYS],
        rags=[Tally(key, label, rags[key]) for key, label in RAG_KEYS],
        themes=[
            ThemeRow(theme, [Counter(i.status for i in in_theme)[key] for key, _ in STATUS_KEYS], len(in_theme))
            for theme, in_theme in themes.items()
        ],
        items=items,
        findings=_findings(session),
        achievements=[
            AchievementLine(a.title, a.awarded_by, a.awarded_on, a.description)
            for a in Achievement.objects.filter(council=council, awarded_on__lte=as_at).order_by("awarded_on", "title")
        ],
        figures=_figures(report, as_at),
        quotes=[
            QuoteLine(q.who, q.role, q.said_on, q.text, q.occasion)
            for q in Quote.objects.filter(council=council, said_on__lte=as_at).order_by("said_on", "pk")
        ],
        next_steps=list(
            NextStep.objects.filter(session=session).order_by("position", "pk").values_list("text", flat=True)
        )
        if session
        else [],
        peers=_peers(report),
        evidence=list({line.key: line for lines in evidence.values() for line in lines}.values()),
    )
    day = date_format(as_at, "j F Y")
    words = ", ".join(f"{tally.label} {tally.count}" for tally in content.rags)
    content.chart = charts.bars(
        chart_id="report-chart-rags",
        title=f"Recommendations by RAG rating as at {day}",
        description=f"{content.total} recommendations: {words}.",
        rows=[(tally.label, tally.count, charts.RAG_COLOURS[tally.key]) for tally in content.rags],
    )
    content.progress_words = progress_in_words(items, as_at)
    content.sections = sections(content)
    return content


SECTIONS = [
    # (anchor, heading, whether the report has anything to say under it): DESIGN.md §3's order.
    ("executive-summary", "Executive summary", lambda c: bool(c.executive_summary or c.progress_words)),
    ("approach", "Summary of the approach", lambda c: c.approach is not None),
    ("at-a-glance", "Progress at a glance", lambda c: bool(c.items)),
    ("key-themes", "Feedback by theme", lambda c: bool(c.findings or c.themes_lead_in)),
    ("recommendations", "Progress against each recommendation", lambda c: bool(c.items)),
    (
        "previous-next-steps",
        "Progress against the previous session's next steps",
        lambda c: bool(c.previous_next_steps),
    ),
    ("achievements", "Achievements", lambda c: bool(c.achievements)),
    ("financial-position", "Financial position", lambda c: bool(c.figures)),
    ("next-steps", "Next steps", lambda c: c.has_next_steps),
    ("council-response", "The council's response", lambda c: bool(c.quotes)),
    ("appendix-evidence", "Appendix A: evidence index", lambda c: bool(c.evidence)),
    ("appendix-recommendations", "Appendix B: the recommendations in full", lambda c: bool(c.items)),
]


def sections(content: ReportContent) -> list[tuple[str, str]]:
    """(anchor, heading) of the sections the report has something under, in order: an empty section is left
    out, never printed as a bare heading. Appendices are lettered in the order they appear."""
    present = [(anchor, heading) for anchor, heading, has in SECTIONS if has(content)]
    letters = iter("ABCDEFGH")
    return [
        (
            anchor,
            f"Appendix {next(letters)}: {heading.split(': ', 1)[1]}" if anchor.startswith("appendix-") else heading,
        )
        for anchor, heading in present
    ]


def _dates(first: dt.date | None, last: dt.date | None) -> str:
    """ "28 September 2020", or "15 to 18 January 2019"; empty where there is none."""
    if first is None:
        return ""
    if last is None or last == first:
        return date_format(first, "j F Y")
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} to {date_format(last, 'j F Y')}"
    return f"{date_format(first, 'j F Y')} to {date_format(last, 'j F Y')}"


def _approach(report: SummaryReport, engagement: Engagement) -> Approach | None:
    session = report.session
    if session is None:
        return Approach(
            dates=_dates(engagement.first_onsite_day, engagement.last_onsite_day),
            mode=engagement.get_mode_display(),
            scope="",
            met="",
        )
    return Approach(
        dates=date_format(session.held_on, "j F Y"),
        mode=session.get_mode_display(),
        scope=session.scope,
        met=session.met,
    )


def _previous_next_steps(session: PanelSession | None) -> tuple[PanelSession | None, list[str]]:
    """The next steps of the session held last before this one on the same challenge (its engagement's or a
    return visit of the same parent), and that session."""
    if session is None:
        return None, []
    root = challenge_of(session.engagement)
    previous = (
        PanelSession.objects.filter(Q(engagement=root) | Q(engagement__parent=root), held_on__lt=session.held_on)
        .select_related("engagement")
        .order_by("-held_on", "-pk")
        .first()
    )
    if previous is None:
        return None, []
    steps = list(NextStep.objects.filter(session=previous).order_by("position", "pk").values_list("text", flat=True))
    return previous, steps
