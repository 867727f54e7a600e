"""Status and RAG as GOV.UK tags: always the words, with colour only as a second cue."""

import datetime as dt
import re

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from recommendations.models import Rag, RoundItem, Status
from recommendations.templatetags.components import tag_html
from recommendations.vocabulary import interval_words, overdue_words

register = template.Library()

STATUS_CLASSES = {
    Status.NOT_STARTED: "grey",
    Status.IN_PROGRESS: "blue",
    Status.COMPLETE: "green",
    Status.CLOSED: "teal",
}
RAG_CLASSES = {Rag.GREEN: "green", Rag.AMBER: "orange", Rag.RED: "red"}
# Each value's words, looked up once a process (the tables and item pages draw a tag a row).
_STATUS_WORDS, _RAG_WORDS = dict(Status.choices), dict(Rag.choices)


@register.simple_tag
def status_tag(value: str) -> SafeString:
    return tag_html(_STATUS_WORDS.get(value, "Not started"), STATUS_CLASSES.get(value, "grey"))


@register.simple_tag
def rag_tag(value: str) -> SafeString:
    if value not in _RAG_WORDS:
        return tag_html("Not assessed", "grey")
    return tag_html(_RAG_WORDS[value], RAG_CLASSES[value])


ROUND_STATES = {
    # whether an item's update is in for an update round: (while it is open, as recorded at closing, colour)
    RoundItem.Outcome.UPDATED: ("Updated and signed off", "Updated and signed off", "green"),
    RoundItem.Outcome.WAITING: ("Waiting for sign-off", "Updated, waiting for sign-off", "blue"),
    RoundItem.Outcome.MISSING: ("No update yet", "No update received", "grey"),
}


@register.simple_tag
def round_state_tag(state: str, recorded: bool = False) -> SafeString:
    """Whether an item's update is in for an update round, in words: while it is open, or as closing recorded it."""
    open_words, recorded_words, colour = ROUND_STATES[state]
    return tag_html(recorded_words if recorded else open_words, colour)


@register.simple_tag
def overdue_tag(item: object, as_at: dt.date | None = None) -> SafeString:
    """How overdue an item (`with_position` at `as_at`, today where None) is: "1 year 4 months overdue"."""
    if not getattr(item, "is_overdue", False):
        return SafeString("")
    words = overdue_words(item.position_due_date, as_at or timezone.localdate())
    return tag_html(words[0].upper() + words[1:], "red")


def attention_words(item: object) -> list[tuple[str, str]]:
    """What stands out about an item (`with_attention_flags`), as (tag colour, words): rated Green while overdue,
    and no update approved within the council's interval ("No update since 5 Mar 2026", or "No update yet")."""
    flags = []
    if getattr(item, "is_overdue_green", False):
        flags.append(("orange", "Rated Green but overdue"))
    if getattr(item, "is_stale", False):
        last = getattr(item, "last_approved_at", None)
        since = f"No update since {date_format(timezone.localtime(last), 'j M Y')}" if last else "No update yet"
        flags.append(("yellow", since))
    return flags


@register.simple_tag
def attention_tags(item: object) -> SafeString:
    """The tags of `attention_words`, each a GOV.UK tag with its words."""
    return SafeString(" ".join(tag_html(words, colour) for colour, words in attention_words(item)))


@register.simple_tag
def number_link(number: object, context: str = "") -> SafeString:
    """A dashboard number as a link to the table that lists what it counts; `context` is read out with it, so that
    the link's name says what it opens ("8 recommendations in progress", not "8")."""
    hidden = format_html('<span class="govuk-visually-hidden"> {}</span>', context) if context else ""
    return format_html('<a class="govuk-link" href="{}">{}{}</a>', number.url, number.value, hidden)


@register.simple_tag
def count_link(number: object, noun: str, context: str = "") -> SafeString:
    """A number and its noun as one link ("8 recommendations"), `noun` given as "recommendation,recommendations";
    `context`, read out after it, says which ("overdue")."""
    singular, plural = noun.split(",")
    hidden = format_html('<span class="govuk-visually-hidden"> {}</span>', context) if context else ""
    words = singular if number.value == 1 else plural
    return format_html('<a class="govuk-link" href="{}">{} {}{}</a>', number.url, number.value, words, hidden)


@register.filter
def interval(months: int) -> str:
    """A council's update interval in words: "3 months", "1 year"."""
    return interval_words(months)


@register.filter
def days(value: int) -> str:
    """A number of days in words: '1 day', '12 days'."""
    value = abs(value)
    return f"{value} day" if value == 1 else f"{value} days"


URL_PARTS = re.compile(r"(?<=[^/]/)(?=[^/])|(?=[?&#])")  # after a single "/", before "?", "&" and "#"


@register.filter
def url_breaks(url: str) -> SafeString:
    """A web address, escaped, with a line-break opportunity (`<wbr>`) after each "/" of its path and before
    each "?", "&" and "#", its scheme and host kept together (`app-url__host`): a long address then wraps at
    its parts ("https://www.example.gov.uk/council/" | "budgets/"), not after "https://" or mid-word.
    WeasyPrint draws `<wbr>` as a zero-width space; the link's target is the address as it is."""
    scheme, separator, rest = str(url).partition("://")
    if not separator:
        scheme, rest = "", scheme
    host, slash, path = rest.partition("/")
    return format_html(
        '<span class="app-url__host">{}</span>{}',
        f"{scheme}{separator}{host}{slash}",
        SafeString("".join(f"<wbr>{escape(part)}" for part in URL_PARTS.split(path) if part)),
    )
