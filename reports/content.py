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
from recommendations.vocabulary import RAG_KEYS, RAG_LABELS, STATUS_KEYS, rag_key

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


@dataclass
class ReportContent:
    council: str
    title: str
    subject: str  # the session or engagement, in words
    date: dt.date  # the session's day, or the engagement's
    as_at: dt.date
    introduction: SafeString
    themes_lead_in: SafeString
    next_steps_lead_in: SafeString
    statuses: list[Tally]
    rags: list[Tally]
    themes: list[ThemeRow]
    items: list[ReportItem]
    findings: list[ThemeFindings]
    achievements: list[AchievementLine]
    figures: list[FigureLine]
    quotes: list[QuoteLine]
    next_steps: list[str]
    peers: list[PeerLine]
    evidence: list[EvidenceLine]
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


def _root(engagement: Engagement) -> Engagement:
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
        engagement_ids = {engagement.pk, _root(engagement).pk}
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
    content = ReportContent(
        council=council.name,
        title=report.title,
        subject=subject,
        date=session.held_on if session else as_at,
        as_at=as_at,
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
    content.sections = [
        ("introduction", "Introduction"),
        ("at-a-glance", "Progress at a glance"),
        ("recommendations", "Progress against each recommendation"),
        ("key-themes", "Key themes"),
        ("achievements", "Achievements"),
        ("financial-position", "Financial position"),
        ("comments", "Comments"),
        ("next-steps", "Next steps"),
        ("appendix-peer-team", "Appendix A: the peer team"),
        ("appendix-evidence", "Appendix B: evidence index"),
        ("appendix-recommendations", "Appendix C: the recommendations in full"),
    ]
    return content
