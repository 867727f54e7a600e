"""A timescale as a plan writes it ("December 2023", "Q3 2023/24", "July 2023 and ongoing") and the due date
it gives, if any: the one rule the import, its dry run and the command follow (docs/SPREADSHEET.md,
"Timescales"). The words are kept on the item as written; the date is derived where the words name one.

- a date (a date cell, 31/12/2023, 2023-12-31, "31 December 2023") → that day;
- a month: "December 2023", "Dec 2023", "Dec-23", "Dec 23" (a month name followed by a two-digit number is a
  month and a year; a number before the month is a day) → the month's last day; so is a date cell whose
  number format shows no day (`mmm-yy`, `mmmm yyyy`): Excel made a date of "December 2023";
- "End of March 2024", "By March 2024", "By end of March 2024" → as the month (or date) after them;
- a quarter of the UK financial year, "Q3 2023/24" → its last day (Q1 ends 30 June, Q2 30 September, Q3
  31 December, Q4 31 March of the later year);
- a financial year, "2023/24" or "2023-24" → 31 March 2024;
- "w/c 4 March 2024" (week commencing) → the Friday of that week;
- "X and ongoing", "X onwards" → as X, the words kept;
- seasons ("Spring 2024"), "Ongoing", "TBC", "Complete", and anything else → no date, the words kept.

`derive` never raises: what it cannot read is said in `Derived.note`.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format

MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.casefold(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9

SEASONS = ("spring", "summer", "autumn", "fall", "winter")
# Words that name no date, said so in the dry run ("no date: the words are kept").
NO_DATE_WORDS = {
    "ongoing",
    "on going",
    "continuous",
    "tbc",
    "tba",
    "tbd",
    "to be confirmed",
    "to be agreed",
    "to be decided",
    "complete",
    "completed",
    "done",
    "delivered",
    "closed",
    "business as usual",
    "bau",
    "n/a",
    "na",
    "not applicable",
}

_QUARTER_END = {1: (0, 6, 30), 2: (0, 9, 30), 3: (0, 12, 31), 4: (1, 3, 31)}  # (years after the FY's first, m, d)

_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{2}:\d{2}(?::\d{2})?)?$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[ \-]+([a-z]+)\.?,?[ \-]+(\d{4}|\d{2})$")
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?[ \-]+(\d{1,2})(?:st|nd|rd|th)?,[ \-]*(\d{4})$")  # "March 4, 2024"
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?[ \-/]+'?(\d{4}|\d{2})$")
_FINANCIAL_YEAR = re.compile(r"^(?:fy|financial year)?\s*(\d{4})\s*[/\-]\s*(\d{2}|\d{4})$")
_QUARTER = re.compile(r"^q([1-4])\s*(?:of\s*)?(?:fy\s*)?(\d{4})\s*[/\-]\s*(\d{2}|\d{4})$")
_WEEK = re.compile(r"^(?:w/c|wc|w\.c\.|week commencing|week beginning|w/b)\s*(.+)$")
_ONGOING = re.compile(r"^(.+?)\s*(?:,|;|-|–)?\s*(?:and|&|then)?\s*(?:ongoing|onwards|on-going|on going|thereafter)$")
_END_OF = re.compile(r"^(?:by\s+)?(?:the\s+)?(?:end\s+of|end|by)\s+(.+)$")


@dataclass(frozen=True)
class Derived:
    """What a timescale gives: the due date (None for none), the words to keep ("" where the cell was a plain
    date), and how the date was read, as the dry run says it ("December 2023 → 31 December 2023")."""

    due: dt.date | None
    words: str
    note: str


def shows_day(number_format: str) -> bool:
    """Whether a date cell's number format shows the day of the month: `d/m/yyyy` does, `mmm-yy` does not.
    Quoted text, escaped characters and [colour] or [$-locale] sections are not the format's own letters."""
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format or "").casefold()
    return "d" in code or not code.strip() or code.strip() == "general"


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        made = dt.date(year, month, day)
    except ValueError:
        return None
    return made if 1990 <= made.year <= 2100 else None


def _month_end(year: int, month: int) -> dt.date | None:
    if not 1 <= month <= 12 or not 1990 <= year <= 2100:
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _later_year(first: int, second: str) -> bool:
    """Whether "2023/24" names two years in a row (the second's last digits follow the first's)."""
    if len(second) == 4:
        return int(second) == first + 1
    return int(second) == (first + 1) % 100


def shown(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _plain(words: str) -> dt.date | None:
    """A date or a month, the words already lower-cased and spaced once."""
    if match := _NUMERIC.match(words):
        day, month, year = match.groups()
        return _day(_year(year), int(month), int(day))
    if match := _ISO.match(words):
        year, month, day = match.groups()
        return _day(int(year), int(month), int(day))
    if (match := _DAY_MONTH_YEAR.match(words)) and match[2] in MONTHS:
        return _day(_year(match[3]), MONTHS[match[2]], int(match[1]))
    if (match := _MONTH_DAY_YEAR.match(words)) and match[1] in MONTHS:
        return _day(int(match[3]), MONTHS[match[1]], int(match[2]))
    if (match := _MONTH_YEAR.match(words)) and match[1] in MONTHS:
        return _month_end(_year(match[2]), MONTHS[match[1]])
    if match := _QUARTER.match(words):
        quarter, first, second = int(match[1]), int(match[2]), match[3]
        if not _later_year(first, second):
            return None
        later, month, day = _QUARTER_END[quarter]
        return _day(first + later, month, day)
    if match := _FINANCIAL_YEAR.match(words):
        first, second = int(match[1]), match[2]
        return _day(first + 1, 3, 31) if _later_year(first, second) else None
    if match := _WEEK.match(words):
        monday = _plain(match[1])
        if monday is None or not (_NUMERIC.match(match[1]) or _ISO.match(match[1]) or _DAY_MONTH_YEAR.match(match[1])):
            return None
        return monday + dt.timedelta(days=4 - monday.weekday()) if monday.weekday() < 5 else monday
    if match := _END_OF.match(words):
        return _plain(match[1])
    return None


def _words_of(value: Any) -> str:
    return " ".join(str(value).replace("\u00a0", " ").split())


def derive(value: Any, *, number_format: str = "") -> Derived:
    """The due date a timescale cell gives, the words to keep, and how it was read. `value` is the cell as the
    file holds it (a date, a number, text); `number_format` a date cell's number format, where there is one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Derived(None, "", "")
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        if not 1990 <= day.year <= 2100:
            return Derived(None, "", f"{shown(day)} is not a date the plan can hold")
        if shows_day(number_format):
            return Derived(day, "", "")
        words = date_format(day, "F Y")
        end = _month_end(day.year, day.month)
        return Derived(end, words, f"{words} → {shown(end)} (the month’s last day)")
    text = _words_of(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Derived(None, text, f"‘{text}’ names no date: no due date, the words are kept")
    if text.startswith("'"):
        text = text[1:].strip()
    words = text.casefold().rstrip(".")
    if (
        words in NO_DATE_WORDS
        or words.split(" ")[0] in SEASONS
        or (len(words.split(" ")) > 1 and words.split(" ")[-1] in SEASONS)
    ):
        return Derived(None, text, f"‘{text}’ names no date: no due date, the words are kept")
    ongoing = _ONGOING.match(words)
    due = _plain(ongoing[1] if ongoing else words)
    if due is None:
        return Derived(None, text, f"‘{text}’ names no date: no due date, the words are kept")
    if (_NUMERIC.match(words) or _ISO.match(words) or _DAY_MONTH_YEAR.match(words)) and not ongoing:
        return Derived(due, "", "")  # a plain date: nothing to keep beside it
    return Derived(due, text, f"{text} → {shown(due)}")


def looks_like_a_date(value: Any) -> bool:
    """Whether text is written as a day's date (31/02/2024, 2024-02-31) though it may name no real day: such a
    cell in a date column is a mistake to correct, not a timescale to keep."""
    words = _words_of(value).casefold()
    return bool(_NUMERIC.match(words) or _ISO.match(words))
