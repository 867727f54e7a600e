"""The plan's vocabulary and its small rules, in one place for every layer: the words for status and RAG, "not
assessed", what "due soon" and "moved" mean, the date rule for an action, and the fields a lead edits."""

import datetime as dt

from recommendations.models.choices import Rag, Status

NOT_ASSESSED = "not_assessed"  # a RAG key for an item nobody has rated yet (no RAG is stored)
STATUS_KEYS = [(status.value, status.label) for status in Status]
RAG_KEYS = [(rag.value, rag.label) for rag in Rag] + [(NOT_ASSESSED, "Not assessed")]

# As the spreadsheet writes them: "In progress", "Closed (business as usual)"; "Green" (empty when not assessed).
STATUS_LABELS = {status.value: status.label for status in Status}
RAG_LABELS = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}

DUE_SOON = "next_30_days"
DUE_SOON_DAYS = 30

# What stands out (the tables' `flag` filter): overdue but rated Green; open with no update signed off for longer
# than the council's update interval.
GREEN_OVERDUE, STALE = "green_overdue", "stale"

# The fields a lead sets on the plan's items through its forms, in the order pages show them (services refuse
# any other; the forms pass on these; the item's history lists their changes).
RECOMMENDATION_FIELDS = (
    "reference",
    "heading",
    "text",
    "kind",
    "theme",
    "lead_directorate",
    "owner",
    "lead_member",
    "due_date",
    "closure_basis",
)
ACTION_FIELDS = ("reference", "description", "owner", "start_date", "due_date")

DUE_BEFORE_START = "The due date must be the same as or after the start date"


def rag_key(rag: str) -> str:
    """The key an item's RAG is counted under: its RAG, or NOT_ASSESSED."""
    return rag or NOT_ASSESSED


def due_before_start(start: dt.date | None, due: dt.date | None) -> bool:
    """The action date rule (also a check constraint): a due date, where both are set, is not before the start."""
    return bool(start and due and due < start)


# --- how long: overdue in years, months and days, and the council's update interval -------------------


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (later, for a negative number), or the last day of that
    month where it is shorter (31 May less 3 months is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 - months
    if index < 12:  # before the year 1: the first day there is
        return dt.date.min
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (following - dt.timedelta(days=1)).day))


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def time_between(start: dt.date, end: dt.date) -> str:
    """How long from `start` to `end` (a later day) in calendar years, months and days, the two largest units
    that matter: "1 year 4 months" (days left out once it is a year), "3 months 2 days", "1 month", "20 days"."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    while months > 0 and months_before(start, -months) > end:  # never past `end`
        months -= 1
    days = (end - months_before(start, -months)).days  # the days after the last whole month
    years, months = divmod(months, 12)
    if years:
        return " ".join([_plural(years, "year"), *([_plural(months, "month")] if months else [])])
    if months:
        return " ".join([_plural(months, "month"), *([_plural(days, "day")] if days else [])])
    return _plural(days, "day")


def overdue_words(due: dt.date | None, as_at: dt.date) -> str:
    """How overdue an item due on `due` is at the end of `as_at`, in words: "1 year 4 months overdue"; empty
    when it is not overdue then (no due date, or due on or after the day)."""
    if due is None or due >= as_at:
        return ""
    return f"{time_between(due, as_at)} overdue"


def due_words(due: dt.date, day: dt.date) -> str:
    """How a round's due date stands on `day`, in words: "12 days left", "1 month 3 days left", "due today",
    "3 days overdue"."""
    if due == day:
        return "due today"
    if due > day:
        return f"{time_between(day, due)} left"
    return f"{time_between(due, day)} overdue"


def interval_words(months: int) -> str:
    """A council's update interval in words: "3 months", "1 year", "18 months"."""
    return _plural(months // 12, "year") if months % 12 == 0 and months >= 12 else _plural(months, "month")
