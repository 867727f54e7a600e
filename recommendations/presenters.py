"""Turn records into what templates show, so templates hold no logic."""

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from html import escape as _escape  # django.utils.html.escape's own, without its checks for lazy text
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.middleware.csrf import get_token
from django.template.defaultfilters import filesizeformat, truncatewords
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString

from .models import (
    Action,
    Council,
    Directorate,
    DueDateChange,
    Evidence,
    Item,
    ProgressUpdate,
    Rag,
    Recommendation,
    Status,
    Theme,
    User,
)
from .selectors.progress import TimelineUpdate, columns_of, person_columns, person_name
from .selectors.statements import Statement
from .templatetags.components import summary_row_html, tag_html
from .templatetags.plan import attention_tags, overdue_tag, rag_tag, status_tag
from .vocabulary import ACTION_FIELDS, RECOMMENDATION_FIELDS, interval_words

# The fields whose changes people ask about, in the order the history lists them: those a lead sets (the
# vocabulary's lists) and, for an action, % complete. That one is not an item field a lead edits (it moves with
# status and RAG, through a progress update) but the action's row records it, so its history shows it too.
HISTORY_FIELDS = {
    Recommendation: list(RECOMMENDATION_FIELDS),
    Action: [*ACTION_FIELDS, "percent_complete"],
}
RELATED = {"owner": User, "theme": Theme, "lead_directorate": Directorate}


U = TypeVar("U", ProgressUpdate, TimelineUpdate)


@dataclass
class HistoryEntry:
    heading: str  # "Changed 3 February 2022, 09:05 by Jo Lead"
    changes: list[str]  # "Due date: 1 March 2022 → 1 June 2022"; at creation, each value set: "Due date: 1 March 2022"


@functools.cache
def _history_fields(model: type[Item]) -> list[tuple[str, str, str, dict[object, str]]]:
    """Each field the history lists: (name, attribute read on a record, label, the words of its choices). Built
    once a process."""
    fields = []
    for name in HISTORY_FIELDS[model]:
        field = model._meta.get_field(name)
        label = str(field.verbose_name)
        attribute = name if name in RELATED else field.attname
        fields.append((name, attribute, label[0].upper() + label[1:], dict(field.choices or [])))
    return fields


def _history_rows(*, model: type[Item], item: int) -> QuerySet:
    """An item's history records, oldest first: when, by whom (a user's name's columns), and each field the
    history lists (a relation: its id, then the columns of what it names, NULL where that has been removed)."""
    named = person_columns("history_user")  # what each relation names, read by its key (`columns_of`)
    columns = ["history_date", *named]
    for name, attribute, _, _ in _history_fields(model):
        if name == "owner":
            names = person_columns("owner")
        elif name in RELATED:
            names = columns_of(RELATED[name], name, ("name",))
        else:
            columns.append(attribute)
            continue
        named |= names
        columns += [f"{name}_id", *names]
    history = model.history.model._default_manager.filter(id=item).order_by("history_date", "history_id")
    return history.annotate(**named).values_list(*columns)


# The history's read is the same SQL for every item of a kind (statements.py: compiled once a process).
_HISTORY = {model: Statement(functools.partial(_history_rows, model=model), item=int) for model in HISTORY_FIELDS}


def change_history(item: Item, *, before: dt.datetime | None = None) -> list[HistoryEntry]:
    """Every recorded change to an item (made before `before`, where given), newest first: who, when, and
    each field's before → after.

    One query, compiled once a process: the history rows' values, with the names of the user, theme and
    directorate each names (none where it names one since removed); no record is built as a model."""
    model = Recommendation if isinstance(item, Recommendation) else Action
    fields = _history_fields(model)
    rows = _HISTORY[model].records(item=item.pk)
    if before is not None:
        rows = [row for row in rows if row[0] < before]
    write_date = long_dates()
    zone = timezone.get_current_timezone()

    # Each field's place in a row: where its compared value is, and where what it names starts and ends.
    places = []
    position = 4
    for name, _, label, choices in fields:
        width = 4 if name == "owner" else 2 if name in RELATED else 1
        places.append((name, label, choices, position, width))
        position += width

    def show(row: tuple[Any, ...], name: str, choices: dict[object, str], position: int, width: int) -> str:
        value = row[position]
        if width > 1:  # a relation: its id, then what it names
            if value is None:
                return "none"
            named = person_name(*row[position + 1 : position + 4]) if width == 4 else row[position + 1]
            return "someone or something since removed" if named is None else named
        if value is None or value == "":
            return "none"
        if isinstance(value, dt.date):
            return write_date(value)
        return choices.get(value, str(value))

    entries = []
    previous = None
    for row in rows:
        changes = []
        for name, label, choices, position, width in places:
            after = row[position]
            if previous is None:
                if after is not None and after != "":
                    changes.append(f"{label}: {show(row, name, choices, position, width)}")
            elif previous[position] != after:
                was, now = show(previous, name, choices, position, width), show(row, name, choices, position, width)
                changes.append(f"{label}: {was} → {now}")
        if changes or previous is None:
            when = row[0].astimezone(zone)
            who = person_name(*row[1:4])
            who = "The system" if who is None else who
            what = "Created" if previous is None else "Changed"
            entries.append(HistoryEntry(f"{what} {write_date(when)}, {when:%H:%M} by {who}", changes))
        previous = row
    return entries[::-1]


def history_html(entries: list[HistoryEntry]) -> SafeString:
    """The entries of recommendations/includes/history.html drawn in Python, character for character as its loop
    draws them (a test compares them): a five-year action has fifty, each with its changes."""
    drawn = []
    for entry in entries:
        changes = ""
        if entry.changes:
            items = "".join(f"<li>{_escape(change)}</li>" for change in entry.changes)
            changes = f'\n        <ul class="govuk-list govuk-body-s">\n          {items}\n        </ul>\n      '
        drawn.append(
            f'\n      <h3 class="govuk-heading-s govuk-!-margin-bottom-1">{_escape(entry.heading)}</h3>\n'
            f"      {changes}\n    "
        )
    return SafeString("".join(drawn))


_SMALL_PARAGRAPH = '<p class="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0">'


def _row(key: str, slot: str, row_id: str = "") -> str:
    return summary_row_html({"key": key, "slot": SafeString(slot), "id": row_id})


def item_summary_rows(
    item: Item, *, council: Council, as_at: dt.date | None, date_moves: list[DueDateChange]
) -> SafeString:
    """The rows of the item's summary list in recommendations/includes/item_summary.html (what needs attention,
    status, RAG, theme, owner, directorate, lead member, dates with the due date's moves, % complete, closure),
    drawn in Python character for character as the template's own rows (a test compares them): a dozen rows
    each cost a template's tags and filters."""
    write_date = long_dates()
    value = functools.partial(getattr, item)
    rows = []
    if item.is_overdue_green or item.is_stale:
        green = (
            "\n          <li>It is overdue but rated Green (on track): the rating may need to change.</li>\n        "
            if item.is_overdue_green
            else ""
        )
        stale = ""
        if item.is_stale:
            last = item.last_approved_at
            since = (
                f"\n              No update has been signed off since {write_date(last)},\n            "
                if last
                else "\n              No update has been signed off yet,\n            "
            )
            expects = _escape(interval_words(council.update_interval_months))
            stale = (
                f"\n          <li>\n            {since}\n            longer than the council expects ({expects})."
                "\n          </li>\n        "
            )
        attention = (
            f'\n      <p class="govuk-body">{attention_tags(item)}</p>\n'
            f'      <ul class="govuk-list govuk-list--bullet">\n        {green}\n        {stale}\n      </ul>\n    '
        )
        rows.append(f"\n    {_row('Needs attention', attention, 'attention')}\n  ")
    else:
        rows.append("")
    rows.append(_row("Status", status_tag(item.position_status)))
    theme = item.position_theme_name
    rows.append(f"\n    {_row('Theme', _escape(theme))}\n  " if theme else "")
    rows.append(_row("Owner", _escape(str(item.position_owner_name or item.owner_name or "Not assigned"))))
    directorate = item.position_lead_directorate_name
    rows.append(f"\n    {_row('Lead directorate', _escape(directorate))}\n  " if directorate else "")
    member = value("lead_member", "")
    rows.append(f"\n    {_row('Lead member', _escape(member))}\n  " if member else "")
    start = value("start_date", None)
    rows.append(f"\n    {_row('Start date', write_date(start))}\n  " if start else "")
    due, timescale, baseline = item.position_due_date, value("timescale", ""), item.baseline_due_date
    timescale_html = (
        f"\n      {_SMALL_PARAGRAPH}Timescale in the plan: {_escape(timescale)}</p>\n    " if timescale else ""
    )
    baseline_html = (
        f"\n      {_SMALL_PARAGRAPH}\n        First set for {write_date(baseline)}.\n      </p>\n    "
        if baseline and baseline != due
        else ""
    )
    moves_html = ""
    if date_moves:
        moves = []
        for move in date_moves:
            by = f" by {_escape(str(move.changed_by))}" if move.changed_by else ""
            moved = f"{write_date(move.previous_due_date) or 'no date'} to {write_date(move.new_due_date) or 'no date'}"
            moves.append(
                f"\n          <li>\n            {write_date(move.changed_at)}: moved from {moved}{by}."
                f" Reason: {_lines(move.reason)}\n          </li>\n        "
            )
        moves_html = f'\n      <ul class="govuk-list govuk-body-s">\n        {"".join(moves)}\n      </ul>\n    '
    due_slot = (
        f"\n    {write_date(due) or 'Not set'}\n    {overdue_tag(item, as_at)}\n    {timescale_html}"
        f"\n    {baseline_html}\n    {moves_html}\n  "
    )
    rows.append(_row("Due", due_slot))
    complete = value("position_percent_complete", None)
    rows.append(f"\n    {_row('Complete', f'{complete}%')}\n  " if complete is not None else "")
    closure = value("closure_basis", "")
    rows.append(f"\n    {_row('Closed because', _escape(closure))}\n  " if closure else "")
    rag = _row("RAG", rag_tag(item.position_rag))
    [attention_row, status, theme_row, *rest] = rows
    return SafeString(f"\n  {attention_row}\n  {status}\n  {rag}\n  {theme_row}\n  " + "\n  ".join(rest) + "\n")


def update_origin(update: ProgressUpdate) -> str:
    """Where an approved update came from, in words: "Sam Carter's update, submitted 12 January 2022",
    "Jo Lead's direct change on 3 February 2022", "the import by Jo Lead on 3 February 2022"."""
    when = date_format(timezone.localtime(update.submitted_at or update.approved_at), "j F Y")
    if update.source == ProgressUpdate.Source.LEAD:
        return f"{update.author}'s direct change on {when}"
    if update.source == ProgressUpdate.Source.IMPORT:
        return f"the import by {update.author} on {when}"
    return f"{update.author}'s update, submitted {when}"


def mark_late_approvals(updates: list[U]) -> list[U]:
    """Mark each approved update signed off after a later one was (`approved_after_later_change`): by the
    ordering rule it is history and did not move the position. The list is an item's updates (as models, or as
    `selectors.TimelineUpdate`)."""
    approved = sorted(
        (update for update in updates if update.review_state == ProgressUpdate.ReviewState.APPROVED),
        key=lambda update: update.position_key,
    )
    # In the ordering rule's order, newest last: an update is late where one after it was approved before it,
    # i.e. where the earliest approval among those after it is earlier than its own (one pass, not a pair loop).
    late: set[int] = set()
    earliest_after = None
    for update in reversed(approved):
        if earliest_after is not None and earliest_after < update.approved_at:
            late.add(id(update))
        if earliest_after is None or update.approved_at < earliest_after:
            earliest_after = update.approved_at
    for update in updates:
        update.approved_after_later_change = id(update) in late
    return updates


def long_dates() -> Callable[[dt.datetime | dt.date | None], str]:
    """A writer of dates as the pages write them ("3 February 2022", the `date:"j F Y"` filter), a moment taken
    in the service's time zone, "" for none: the zone and the month names looked up once, for the lists that
    show a date a row."""
    zone = timezone.get_current_timezone()
    months = {number: str(name) for number, name in MONTHS.items()}

    def write(moment: dt.datetime | dt.date | None) -> str:
        if moment is None:
            return ""
        if isinstance(moment, dt.datetime):
            moment = moment.astimezone(zone)
        return f"{moment.day} {months[moment.month]} {moment.year}"

    return write


State = ProgressUpdate.ReviewState
_TITLES = {
    # a card's heading: its words and the moment it gives
    State.APPROVED: ("Approved ", "approved_at"),
    State.SUBMITTED: ("Waiting for sign-off: submitted ", "submitted_at"),
    State.RETURNED: ("Returned ", "reviewed_at"),
    State.SUPERSEDED: ("Superseded: started ", "created_at"),
    State.DRAFT: ("Draft, started ", "created_at"),
}
_HIDDEN = '<span class="govuk-visually-hidden"> this update</span>'
# The words of a card's values, as the models' `get_…_display` give them, looked up once a process.
_STATE_WORDS = {value: str(label) for value, label in State.choices}
_SOURCE_WORDS = {value: str(label).lower() for value, label in ProgressUpdate.Source.choices}
_RAG_WORDS = {value: str(label) for value, label in Rag.choices}
_LATE = (
    "it was signed off after a later change had been approved, so it is part of the history but did not change "
    "the position."
)


def _card_actions(update: TimelineUpdate, *, request: Any, slug: str, can_manage: bool) -> str:
    """What the viewer can do with an update (HTML): a lead reviews another's waiting one; its author withdraws
    it while it waits, or changes or deletes it while it is a draft or returned."""
    mine = update.author_id == request.user.pk
    if can_manage and update.review_state == State.SUBMITTED and not mine:
        url = escape(reverse("review_detail", args=[slug, update.pk]))
        links = f'<li class="govuk-summary-card__action"><a class="govuk-link" href="{url}">Review{_HIDDEN}</a></li>'
    elif mine and update.review_state == State.SUBMITTED:
        url, token = escape(reverse("update_withdraw", args=[slug, update.pk])), escape(get_token(request))
        links = (
            f'<li class="govuk-summary-card__action"><form method="post" action="{url}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f'<button type="submit" class="app-link-button">Withdraw{_HIDDEN}</button></form></li>'
        )
    elif mine and update.review_state in (State.DRAFT, State.RETURNED):
        change = escape(reverse("update_edit", args=[slug, update.pk]))
        delete = escape(reverse("update_delete", args=[slug, update.pk]))
        links = (
            f'<li class="govuk-summary-card__action"><a class="govuk-link" href="{change}">Change{_HIDDEN}</a></li>'
            f'<li class="govuk-summary-card__action"><a class="govuk-link" href="{delete}">Delete{_HIDDEN}</a></li>'
        )
    else:
        return ""
    return f'<ul class="govuk-summary-card__actions">{links}</ul>'


def _card_state(update: TimelineUpdate, write_date: Callable[[dt.datetime | None], str]) -> str:
    """Where an update stands (HTML), unless it is simply part of the record: waiting, returned, a draft,
    superseded, or approved after a later change (history that did not move the position)."""
    if update.review_state == State.APPROVED:
        if not update.approved_after_later_change:
            return ""
        late = tag_html("Approved after a later change", "grey")
        when = write_date(update.submitted_at)
        return f'<p class="govuk-body">{late}</p><p class="govuk-body-s">Submitted {when}, {_LATE}</p>'
    colour = "grey" if update.review_state == State.SUPERSEDED else "yellow"
    words = _STATE_WORDS.get(update.review_state, update.review_state)
    return f'<p class="govuk-body">{tag_html(words, colour)}</p>'


def _lines(text: str) -> str:
    """Text typed on several lines as the `linebreaksbr` filter shows it: escaped, each line break a <br>."""
    return _escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def _card_text(update: TimelineUpdate) -> str:
    """The assessment's words (HTML): the lead's differing rating, the reasons, the narrative, a returned or
    superseded update's comment."""
    parts = []
    if update.assurance_rag:
        reason = f": {_lines(update.assurance_reason)}" if update.assurance_reason else "."
        owner_rag, reviewer = _escape(_RAG_WORDS.get(update.rag, update.rag)), _escape(str(update.reviewer_name))
        lead_rag = _escape(_RAG_WORDS.get(update.assurance_rag, update.assurance_rag))
        parts.append(
            f'<p class="govuk-body-s">The owner rated it {owner_rag}; {reviewer} rated it {lead_rag}{reason}</p>'
        )
    if update.rag_reason:
        parts.append(f'<p class="govuk-body">{_lines(update.rag_reason)}</p>')
    if update.narrative:
        parts.append(f'<p class="govuk-body">{_lines(update.narrative)}</p>')
    if update.review_state == State.RETURNED:
        comment, reviewer = _lines(update.review_comment), _escape(str(update.reviewer_name))
        parts.append(f'<div class="govuk-inset-text">{reviewer} returned it: {comment}</div>')
    elif update.review_state == State.SUPERSEDED:
        parts.append(f'<div class="govuk-inset-text">{_lines(update.review_comment)}</div>')
    return "".join(parts)


def evidence_items_html(evidence: list[Evidence], *, council_slug: str) -> SafeString:
    """recommendations/includes/evidence_items.html drawn in Python, character for character (a test compares
    them): each piece's title (a document's as its download link with its file's name and size, a link's as the
    link), its reference, and whether it is internal."""
    pieces = []
    for piece in evidence:
        title = _escape(piece.title)
        if piece.kind == Evidence.Kind.DOCUMENT:
            url = _escape(reverse("evidence_download", args=[council_slug, piece.pk]))
            size = _escape(filesizeformat(piece.size))
            shown = (
                f'\n        <a class="govuk-link" href="{url}">{title}</a>\n'
                f"        ({_escape(piece.original_filename)}, {size})\n      "
            )
        elif piece.url:
            shown = f'\n        <a class="govuk-link" href="{_escape(piece.url)}">{title}</a>\n      '
        else:
            shown = f"\n        {title}\n      "
        reference = f"– {_escape(piece.reference)}" if piece.reference else ""
        internal = f"\n        {tag_html('Internal', 'grey')}\n      " if piece.internal else ""
        pieces.append(f"\n    <li>\n      {shown}\n      {reference}\n      {internal}\n    </li>\n  ")
    return SafeString(f'\n<ul class="govuk-list">\n  {"".join(pieces)}\n</ul>\n')


def timeline_cards(updates: list[TimelineUpdate], *, request: Any, council: Council, can_manage: bool) -> SafeString:
    """Each update of an item's timeline (`selectors.timeline_for`, with its people's names, marked by
    `mark_late_approvals`) as its GOV.UK summary card, drawn in one pass: a five-year record has sixty, and a
    template would work out every branch, tag and date of each one again. Every value from a record is escaped
    here. The cards are one piece of HTML, each on its own line as a template's loop over them placed them
    (recommendations/includes/timeline.html shows it); empty where there is none."""
    write_date = long_dates()
    tags: dict[tuple[str, str], str] = {}  # status and RAG tags: a page shows the same few on every card
    cards = []
    for update in updates:
        words, moment = _TITLES.get(update.review_state, _TITLES[State.DRAFT])
        status, rag = ("status", update.status), ("rag", update.effective_rag)
        if status not in tags:
            tags[status] = status_tag(update.status)
        if rag not in tags:
            tags[rag] = rag_tag(update.effective_rag)
        source = "" if update.source == ProgressUpdate.Source.OWNER else f" ({_SOURCE_WORDS.get(update.source)})"
        evidence = update.evidence_shown
        if evidence:
            pieces = evidence_items_html(evidence, council_slug=council.slug)
            evidence_html = f'<h4 class="govuk-heading-s">Evidence</h4>{pieces}'
        else:
            evidence_html = ""
        actions = _card_actions(update, request=request, slug=council.slug, can_manage=can_manage)
        cards.append(
            f'\n  <div class="govuk-summary-card" id="update-{update.pk}">'
            f'<div class="govuk-summary-card__title-wrapper"><h3 class="govuk-summary-card__title">'
            f"{words}{write_date(getattr(update, moment))}</h3>{actions}</div>"
            f'<div class="govuk-summary-card__content">{_card_state(update, write_date)}'
            f'<p class="govuk-body"><span class="app-tag-list">{tags[status]} {tags[rag]}</span></p>'
            f"{_card_text(update)}"
            f'<p class="govuk-body-s">By {_escape(update.author_name)}{_escape(source)}.</p>'
            f"{evidence_html}</div></div>\n"
        )
    return SafeString("".join(cards))


_MARKER_PK = 2_147_483_647


def _urls_by_pk(name: str, council_slug: str) -> Callable[[int], str]:
    """The council's URLs of `name` for any id: reversed once for a list's rows, each row's id put in its place
    (what `reverse` gives for that id)."""
    before, _, after = reverse(name, args=[council_slug, _MARKER_PK]).rpartition(str(_MARKER_PK))
    return lambda pk: f"{before}{pk}{after}"


def action_rows(
    actions: list[Action], *, council_slug: str, as_at: dt.date | None, as_at_query: str, can_change: bool
) -> SafeString:
    """The body rows of recommendations/includes/actions_table.html (its loop's markup, character for character:
    tests/recommendations/test_presenters.py compares them) for actions read `with_position`: reference,
    description, owner, status, RAG, due date with its tags, and with `can_change` a Change link. Drawn in one
    pass, as a template's tags and filters a cell cost more than the rest of the page's table."""
    rows = []
    detail_url, edit_url = _urls_by_pk("action_detail", council_slug), _urls_by_pk("action_edit", council_slug)
    months = {number: str(name).title() for number, name in MONTHS_3.items()}  # the `date:"M"` filter's words
    for action in actions:
        reference = _escape(str(action.reference))
        detail = _escape(detail_url(action.pk) + as_at_query)
        description = _escape(truncatewords(action.description, 16))
        owner = _escape(str(action.position_owner_name or action.owner_name or "Not assigned"))
        due = action.position_due_date
        due_words = f"{due.day} {months[due.month]} {due.year}" if due else "Not set"  # date:"j M Y"
        timescale = (
            f'<span class="govuk-body-s govuk-!-display-block">{_escape(action.timescale)}</span>'
            if action.timescale
            else ""
        )
        change = ""
        if can_change:
            edit = _escape(edit_url(action.pk))
            change = (
                f'\n            <td class="govuk-table__cell">\n              <a class="govuk-link" href="{edit}">'
                f'Change<span class="govuk-visually-hidden"> action {reference}</span></a>'
                "\n            </td>\n          "
            )
        cell = '<td class="govuk-table__cell">'
        rows.append(
            f'\n        <tr class="govuk-table__row">\n          {cell}{reference}</td>\n'
            f'          {cell}\n            <a class="govuk-link" href="{detail}">{description}</a>'
            f"\n          </td>\n          {cell}{owner}</td>\n"
            f"          {cell}{status_tag(action.position_status)}</td>\n"
            f"          {cell}{rag_tag(action.position_rag)}</td>\n"
            f"          {cell}\n            {due_words}\n            {overdue_tag(action, as_at)}"
            f"\n            {attention_tags(action)}\n            {timescale}\n          </td>\n          {change}\n"
            f"        </tr>\n      "
        )
    return SafeString("".join(rows))


@dataclass
class ReviewChange:
    """One value a waiting update changes: as the item stands now (`before`) and as approving it would set it,
    shown as they are everywhere (status and RAG as tags with words, % complete as a percentage)."""

    label: str
    before: str
    after: str
    changed: bool


def _review_change(label: str, before: object, after: object, show: Callable[[Any], str]) -> ReviewChange:
    return ReviewChange(label, show(before), show(after), changed=before != after)


@dataclass
class WaitingReview:
    """A line of the review queue: the update, its item, and what approving it changes."""

    update: ProgressUpdate
    item: Item
    kind: str  # "Recommendation" or "Action"
    changes: list[ReviewChange]
    moves_nothing: bool  # a later update already sets the position: approving only adds it to the history

    @property
    def submitted(self) -> str:
        """When it was submitted, GOV.UK style: "3 Nov 2026, 9:05am"."""
        local = timezone.localtime(self.update.submitted_at)
        hour = f"{local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"
        return f"{local.day} {date_format(local, 'M Y')}, {hour}"


def waiting_review(update: ProgressUpdate) -> WaitingReview:
    """What the queue shows of an update from `selectors.reviews_waiting`: status, RAG and (an action's) %
    complete before → after. "Before" is the item's position now, from the update that sets it by the ordering
    rule (`services.position_update_before` is the same comparison, one update at a time)."""
    item = update.item
    changes = [
        _review_change("Status", update.before_status or Status.NOT_STARTED, update.status, status_tag),
        _review_change("RAG", update.before_rag or "", update.rag, rag_tag),
    ]
    if update.action_id is not None and update.percent_complete is not None:
        changes.append(_review_change("Complete", item.percent_complete, update.percent_complete, "{}%".format))
    later = update.before_pk is not None and (
        (update.before_submitted_at, update.before_pk) > (update.submitted_at, update.pk)
    )
    return WaitingReview(
        update=update,
        item=item,
        kind="Recommendation" if update.recommendation_id else "Action",
        changes=changes,
        moves_nothing=later,
    )
