"""The progress report to committee: the whole plan as at a moment, for Cabinet or Scrutiny.

From a closed update round it is as at the moment the round closed, titled with the period the round covers
("Progress to 31 January 2027, as signed off by 14 February 2027"); from a date, as at the end of that day
in Europe/London ("Progress as at 28 September 2020"). Every value is the position then, through
`selectors.with_position` (DESIGN.md §2 "As at a date D"): never today's stored position for a past moment.

For each item, beside its position:
- direction of travel: its RAG now against its RAG when the previous round closed (for a date, the latest
  round closed by then), Red < Amber < Green: "Better", "Same", "Worse"; "New" where it was not in the plan
  (or not yet assessed) then; "No earlier round" where there is none; always in words;
- the narrative of this period: for a round, the update recorded for the item when it closed (signed off);
  for a date, the update signed off by then and submitted after the previous round closed (or in the three
  months before the date, where no round has closed), the one submitted last. Otherwise the words "No update
  received for this period": the last narrative is never shown as if it were new.

The queries do not grow with the plan: the items (two), their positions at the previous round (two), the
moves of their due dates (one) and the narratives (one).
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from recommendations import charts, selectors
from recommendations.models import (
    Action,
    Council,
    DueDateChange,
    ProgressUpdate,
    Rag,
    Recommendation,
    RoundItem,
    UpdateRound,
)
from recommendations.vocabulary import RAG_KEYS, RAG_LABELS, STATUS_KEYS, STATUS_LABELS, months_before, rag_key

NO_UPDATE = "No update received for this period"
# In a round's report, why an item has no narrative of this period when it is not for want of an update.
WAITING_AT_CLOSE = "Update received, waiting for sign-off when the round closed"
NOT_IN_ROUND = "Not asked for in this round"
NO_EARLIER_ROUND = "No earlier round"
BETTER, SAME, WORSE, NEW, NOT_ASSESSED_NOW = "Better", "Same", "Worse", "New", "Not assessed"
RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
LOOK_BACK_MONTHS = 3  # for a date with no earlier round: the narratives of the three months before it
INSTANT = dt.timedelta(microseconds=1)


# --- the moment -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Moment:
    """What the report is as at: the first instant that no longer counts (`cutoff`), the day its positions
    are of, the round it is of (if any), the round it is compared with, and where its period starts."""

    council: Council
    cutoff: dt.datetime
    day: dt.date
    update_round: UpdateRound | None
    previous_round: UpdateRound | None
    since: dt.datetime  # narratives submitted from here (exclusive where it is a round's close) to the cutoff

    @property
    def title(self) -> str:
        if self.update_round is not None:
            closed = date_format(timezone.localdate(self.update_round.closed_at), "j F Y")
            return f"{self.update_round.title}, as signed off by {closed}"
        return f"Progress as at {date_format(self.day, 'j F Y')}"

    @property
    def as_at_words(self) -> str:
        """ "As at the end of 28 September 2020", or "As at 14 February 2027, 15:30, when the round closed"."""
        if self.update_round is not None:
            closed = timezone.localtime(self.update_round.closed_at)
            return f"As at {date_format(closed, 'j F Y, H:i')}, when the round closed"
        return f"As at the end of {date_format(self.day, 'j F Y')}"

    @property
    def round_words(self) -> str:
        if self.update_round is None:
            return "Not of an update round"
        r = self.update_round
        return (
            f"Round: {r.title} (opened {date_format(timezone.localdate(r.opened_at), 'j F Y')}, "
            f"updates due {date_format(r.due_date, 'j F Y')})"
        )

    @property
    def period_words(self) -> str:
        """Which narratives the report shows, in words."""
        if self.update_round is not None:
            return "in this round, as recorded for each item when the round closed"
        if self.previous_round is not None:
            closed = date_format(timezone.localtime(self.previous_round.closed_at), "j F Y, H:i")
            return f"since {self.previous_round.title} closed on {closed}"
        return f"in the {LOOK_BACK_MONTHS} months from {date_format(timezone.localdate(self.since), 'j F Y')}"

    @property
    def comparison_words(self) -> str:
        if self.previous_round is None:
            return f"{NO_EARLIER_ROUND}: direction of travel cannot be shown."
        closed = date_format(timezone.localtime(self.previous_round.closed_at), "j F Y, H:i")
        return (
            "Direction of travel compares each RAG rating with its rating when "
            f"{self.previous_round.title} closed on {closed}."
        )

    def position(self) -> dict[str, object]:
        """The keyword for `with_position`: today's is read as stored; any other moment from the history."""
        if self.update_round is None:
            return {"as_at": self.day}
        return {"moment": self.cutoff}


def _previous_round(council: Council, *, before: dt.datetime, besides: UpdateRound | None = None) -> UpdateRound | None:
    rounds = UpdateRound.objects.filter(council=council, closed_at__isnull=False, closed_at__lt=before)
    if besides is not None:
        rounds = rounds.exclude(pk=besides.pk)
    return rounds.order_by("-closed_at", "-pk").first()


def moment_of_round(update_round: UpdateRound) -> Moment:
    """As at the moment a closed round closed (what was signed off at that instant counts)."""
    if update_round.closed_at is None:
        raise ValueError("A round's report is of a closed round")
    cutoff = update_round.closed_at + INSTANT
    previous = _previous_round(update_round.council, before=update_round.closed_at, besides=update_round)
    return Moment(
        council=update_round.council,
        cutoff=cutoff,
        day=timezone.localdate(update_round.closed_at),
        update_round=update_round,
        previous_round=previous,
        since=previous.closed_at + INSTANT if previous else update_round.opened_at,
    )


def moment_of_day(council: Council, day: dt.date) -> Moment:
    """As at the end of `day` (Europe/London)."""
    cutoff = selectors.end_of_day(day)
    previous = _previous_round(council, before=cutoff)
    if previous is not None:
        since = previous.closed_at + INSTANT
    else:
        since = dt.datetime.combine(
            months_before(day, LOOK_BACK_MONTHS), dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE)
        )
    return Moment(council=council, cutoff=cutoff, day=day, update_round=None, previous_round=previous, since=since)


# --- the lines ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    previous: dt.date | None
    new: dt.date | None
    reason: str
    moved_on: dt.date


@dataclass
class Line:
    """One recommendation or action as the report shows it."""

    item: Recommendation | Action  # with its position annotations (the XLSX reads the export's columns off it)
    is_action: bool
    reference: str
    title: str
    owner: str
    baseline: dt.date | None
    due: dt.date | None
    moves: list[Move]
    status: str
    rag: str
    rag_reason: str
    overdue: bool
    direction: str
    percent: int | None
    narrative: str
    narrative_on: dt.date | None
    no_narrative: str = NO_UPDATE  # what is said where there is no narrative of this period

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, "Not started")

    @property
    def rag_label(self) -> str:
        return RAG_LABELS.get(self.rag, "Not assessed")

    @property
    def narrative_or_none(self) -> str:
        return self.narrative or self.no_narrative


@dataclass
class Block:
    recommendation: Line
    actions: list[Line] = field(default_factory=list)


@dataclass
class Group:
    engagement: str
    theme: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.theme} ({self.engagement})"


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    recommendations: int
    actions: int


@dataclass
class CommitteeReport:
    council: str
    moment: Moment
    generated_at: dt.datetime
    groups: list[Group]
    statuses: list[Count]
    rags: list[Count]
    overdue: Count
    with_narrative: Count
    total: Count
    charts: list[tuple[str, SafeString]] = field(default_factory=list)  # (title, SVG)

    @property
    def title(self) -> str:
        return self.moment.title

    @property
    def produced_words(self) -> str:
        return f"Produced on {date_format(timezone.localtime(self.generated_at), 'j F Y, H:i')}"

    @property
    def provenance(self) -> str:
        """What every page says: the moment, the round and when it was produced."""
        return f"{self.moment.as_at_words}. {self.moment.round_words}. {self.produced_words}."

    @property
    def overdue_and_updated(self) -> list[Count]:
        return [self.overdue, self.with_narrative]

    @property
    def recommendations(self) -> list[Line]:
        return [block.recommendation for group in self.groups for block in group.blocks]

    @property
    def actions(self) -> list[Line]:
        return [line for group in self.groups for block in group.blocks for line in block.actions]

    def filename(self, extension: str) -> str:
        """`st-helens-progress-report-2020-09-28.pdf`, or `…-round-12.pdf` for a round's."""
        if self.moment.update_round is not None:
            return f"{self.moment.council.slug}-progress-report-round-{self.moment.update_round.pk}.{extension}"
        return f"{self.moment.council.slug}-progress-report-{self.moment.day.isoformat()}.{extension}"


def direction(now: str, then: str | None, *, earlier_round: bool) -> str:
    """The direction of travel, in words: `then` is the RAG at the previous round's close (None where the
    item was not in the plan then; "" where it was not assessed)."""
    if not earlier_round:
        return NO_EARLIER_ROUND
    if then is None or (now and not then):
        return NEW
    if not now:
        return NOT_ASSESSED_NOW
    step = RAG_ORDER[now] - RAG_ORDER[then]
    return BETTER if step > 0 else WORSE if step < 0 else SAME


def _items(council: Council, moment: Moment) -> tuple[list[Recommendation], list[Action]]:
    def positioned(queryset: QuerySet) -> QuerySet:
        return selectors.with_position_text(
            selectors.with_position(queryset, **moment.position()),
            **moment.position(),
            position_rag_reason="rag_reason",
            position_assurance_rag="assurance_rag",
            position_assurance_reason="assurance_reason",
        )

    recommendations = positioned(
        Recommendation.objects.filter(engagement__council=council).select_related("engagement")
    ).order_by("engagement__first_onsite_day", "engagement_id", "position", "reference", "pk")
    actions = positioned(
        Action.objects.filter(recommendation__engagement__council=council).select_related(
            "recommendation", "recommendation__engagement"
        )
    ).order_by("recommendation_id", "position", "reference", "pk")
    return list(recommendations), list(actions)


def _rags_then(council: Council, previous: UpdateRound) -> dict[tuple[bool, int], str]:
    """Each item's RAG at the moment `previous` closed, keyed (is an action, id)."""
    then = previous.closed_at + INSTANT
    rags: dict[tuple[bool, int], str] = {}
    for model, is_action, scope in (
        (Recommendation, False, Q(engagement__council=council)),
        (Action, True, Q(recommendation__engagement__council=council)),
    ):
        queryset = selectors.with_position(model.objects.filter(scope), moment=then)
        rags.update({(is_action, pk): rag for pk, rag in queryset.values_list("pk", "position_rag")})
    return rags


def _moves(council: Council, moment: Moment) -> dict[tuple[bool, int], list[Move]]:
    """The moves of each item's due date made by the moment, in order."""
    moves: dict[tuple[bool, int], list[Move]] = {}
    changes = DueDateChange.objects.filter(
        Q(recommendation__engagement__council=council) | Q(action__recommendation__engagement__council=council),
        changed_at__lt=moment.cutoff,
    ).order_by("changed_at", "pk")
    for change in changes:
        key = (change.action_id is not None, change.action_id or change.recommendation_id)
        moves.setdefault(key, []).append(  # type: ignore[arg-type]
            Move(change.previous_due_date, change.new_due_date, change.reason, timezone.localdate(change.changed_at))
        )
    return moves


def _narratives(
    council: Council, moment: Moment
) -> tuple[dict[tuple[bool, int], ProgressUpdate], dict[tuple[bool, int], str] | None]:
    """The update whose narrative is this period's, for each item that has one (see the module's note); and,
    for a round's report, what each other item of the round had instead (an update still waiting for sign-off
    when it closed, or nothing), where a date's report has None. Keyed by (is an action, id); an item the
    round did not ask about is in neither."""
    found: dict[tuple[bool, int], ProgressUpdate] = {}
    if moment.update_round is not None:
        absences: dict[tuple[bool, int], str] = {}
        for row in RoundItem.objects.filter(round=moment.update_round).select_related("update"):
            key = (row.action_id is not None, row.action_id or row.recommendation_id)
            if row.outcome == RoundItem.Outcome.UPDATED and row.update is not None:
                found[key] = row.update  # type: ignore[index]
            else:
                absences[key] = WAITING_AT_CLOSE if row.outcome == RoundItem.Outcome.WAITING else NO_UPDATE  # type: ignore[index]
        return found, absences
    updates = (
        ProgressUpdate.objects.approved(before=moment.cutoff)
        .filter(
            Q(recommendation__engagement__council=council) | Q(action__recommendation__engagement__council=council),
            submitted_at__gte=moment.since,
            submitted_at__lt=moment.cutoff,
        )
        .order_by("submitted_at", "pk")  # the last submitted wins (the ordering rule)
    )
    for update in updates:
        found[(update.action_id is not None, update.action_id or update.recommendation_id)] = update  # type: ignore[index]
    return found, None


def _line(item: Recommendation | Action, *, is_action: bool, context: dict) -> Line:
    key = (is_action, item.pk)
    rag = item.position_rag or ""
    reason = item.position_assurance_reason if item.position_assurance_rag else item.position_rag_reason
    update = context["narratives"].get(key)
    return Line(
        item=item,
        is_action=is_action,
        reference=item.reference,
        title=item.description if is_action else (item.heading or item.text),  # type: ignore[union-attr]
        owner=item.position_owner_name or item.owner_name or "No owner",
        baseline=item.baseline_due_date,
        due=item.position_due_date,
        moves=context["moves"].get(key, []),
        status=item.position_status,
        rag=rag,
        rag_reason=reason if rag else "",
        overdue=bool(item.is_overdue),
        direction=direction(rag, context["then"].get(key), earlier_round=context["earlier"]),
        percent=item.position_percent_complete if is_action else None,
        narrative=update.narrative.strip() if update else "",
        narrative_on=timezone.localdate(update.approved_at) if update and update.approved_at else None,
        no_narrative=NO_UPDATE
        if context["absences"] is None or key in context["narratives"]
        else context["absences"].get(key, NOT_IN_ROUND),
    )


def committee_report(council: Council, moment: Moment, *, generated_at: dt.datetime | None = None) -> CommitteeReport:
    """Everything the progress report shows, as at `moment`."""
    recommendations, actions = _items(council, moment)
    narratives, absences = _narratives(council, moment)
    context = {
        "moves": _moves(council, moment),
        "narratives": narratives,
        "absences": absences,
        "then": _rags_then(council, moment.previous_round) if moment.previous_round else {},
        "earlier": moment.previous_round is not None,
    }
    actions_of: dict[int, list[Line]] = {}
    for action in actions:
        actions_of.setdefault(action.recommendation_id, []).append(_line(action, is_action=True, context=context))
    groups: dict[tuple[int, str], Group] = {}
    for recommendation in recommendations:
        theme = recommendation.position_theme_name or "No theme"
        group = groups.setdefault(
            (recommendation.engagement_id, theme), Group(engagement=recommendation.engagement.title, theme=theme)
        )
        group.blocks.append(
            Block(_line(recommendation, is_action=False, context=context), actions_of.get(recommendation.pk, []))
        )
    report = CommitteeReport(
        council=council.name,
        moment=moment,
        generated_at=generated_at or timezone.now(),
        groups=list(groups.values()),
        statuses=[],
        rags=[],
        overdue=Count("", "", 0, 0),
        with_narrative=Count("", "", 0, 0),
        total=Count("", "", 0, 0),
    )
    recs, acts = report.recommendations, report.actions
    rec_status, act_status = Counter(line.status for line in recs), Counter(line.status for line in acts)
    rec_rag, act_rag = Counter(rag_key(line.rag) for line in recs), Counter(rag_key(line.rag) for line in acts)
    report.statuses = [Count(key, label, rec_status[key], act_status[key]) for key, label in STATUS_KEYS]
    report.rags = [Count(key, label, rec_rag[key], act_rag[key]) for key, label in RAG_KEYS]
    report.overdue = Count("overdue", "Overdue", sum(line.overdue for line in recs), sum(line.overdue for line in acts))
    report.with_narrative = Count(
        "narrative",
        "With an update this period",
        sum(bool(line.narrative) for line in recs),
        sum(bool(line.narrative) for line in acts),
    )
    report.total = Count("total", "All", len(recs), len(acts))
    report.charts = [_chart(report, "recommendations"), _chart(report, "actions")]
    return report


def _chart(report: CommitteeReport, what: str) -> tuple[str, SafeString]:
    """The dashboard's bar chart of RAG ratings (recommendations/charts.py), its numbers also in the table."""
    counts = [(count.key, count.label, getattr(count, what)) for count in report.rags]
    words = ", ".join(f"{label} {number}" for _key, label, number in counts)
    when = report.moment.as_at_words
    title = f"{what.capitalize()} by RAG rating, {when[0].lower()}{when[1:]}"
    return title, charts.bars(
        chart_id=f"committee-chart-{what}",
        title=title,
        description=f"{getattr(report.total, what)} {what}: {words}.",
        rows=[(label, number, charts.RAG_COLOURS[key]) for key, label, number in counts],
    )
