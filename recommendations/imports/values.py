"""Cell values as the plan holds them: text, dates and whole numbers, read the way UK spreadsheets write them.

Each reader returns the value or raises CellError with a message that reads after the cell's name
("Cell Actions!H4 ‘31/02/2020’ is not a real date")."""

import calendar
import datetime as dt
import re
from typing import Any

from openpyxl.utils.datetime import from_excel

from recommendations import spreadsheet

from .rows import SERIAL_RANGE

NOT_YET = {"ongoing", "tbc", "tba", "to be confirmed", "to be agreed", "tbd"}
MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.casefold(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9

_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[ \-]+([a-z]+)\.?,?[ \-]+(\d{2}|\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?[ \-]+(\d{4})$")


class CellError(ValueError):
    pass


class NotYetDated(Exception):
    """'Ongoing', 'TBC': no date yet. The date is left empty, with a warning."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _quoted(value: Any) -> str:
    text = str(value).strip()
    return f"‘{text[:60]}…’" if len(text) > 60 else f"‘{text}’"


def text(value: Any) -> str:
    """Text as the plan stores it: one leading apostrophe removed (spreadsheet.unescape_text), line endings as
    line feeds, outer spaces trimmed. A number is its digits; a date in a text column is an error (Excel
    turns "1.10" or "3/4" into dates unless the column is formatted as text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date):
        shown = value.strftime("%d/%m/%Y")
        raise CellError(f"holds a date ({shown}) where text is expected. Format the column as text and type it again")
    if isinstance(value, float):
        return f"{value:g}" if value.is_integer() else repr(value)
    value = spreadsheet.unescape_text(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return value.strip()


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _made(year: int, month: int, day: int, shown: str) -> dt.date:
    try:
        made = dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(f"{shown} is not a real date") from exc
    if not 1990 <= made.year <= 2100:
        raise CellError(f"{shown} is not a date the plan can hold: the year must be between 1990 and 2100")
    return made


def date(value: Any) -> dt.date | None:
    """A date from a date cell, an Excel serial number, d/m/yyyy, d/m/yy, yyyy-mm-dd, "15 Jan 2019" or
    "March 2020" (the last day of the month). None for an empty cell; NotYetDated for "Ongoing" or "TBC"."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return _made(value.year, value.month, value.day, _quoted(value.date().isoformat()))
    if isinstance(value, dt.date):
        return _made(value.year, value.month, value.day, _quoted(value.isoformat()))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value, _quoted(f"{value:g}"))
    raw = spreadsheet.unescape_text(str(value)).strip()
    if not raw:
        return None
    shown = _quoted(raw)
    words = " ".join(raw.split()).casefold()
    if words in NOT_YET:
        raise NotYetDated(raw)
    if re.fullmatch(r"\d+(\.0+)?", words):
        return _serial(float(words), shown)
    if match := _NUMERIC.match(words):
        day, month, year = match.groups()
        return _made(_year(year), int(month), int(day), shown)
    if match := _ISO.match(words):
        year, month, day = match.groups()
        return _made(int(year), int(month), int(day), shown)
    if (match := _WORDS.match(words)) and match.group(2) in MONTHS:
        day, month, year = match.groups()
        return _made(_year(year), MONTHS[month], int(day), shown)
    if (match := _MONTH_YEAR.match(words)) and match.group(1) in MONTHS:
        month, year = MONTHS[match.group(1)], int(match.group(2))
        return _made(year, month, calendar.monthrange(year, month)[1], shown)  # the month's last day
    raise CellError(f"{shown} is not a date. Write it as a date, like 31/03/2021")


def _serial(number: float, shown: str) -> dt.date:
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        raise CellError(f"{shown} is not a date. Write it as a date, like 31/03/2021")
    return from_excel(int(number)).date()  # a fraction is a time of day: the date is what counts


def percent(value: Any) -> int | None:
    """A whole number from 0 to 100 ("40", 40, "40%"); None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    shown = _quoted(value if not isinstance(value, float) else f"{value:g}")
    if isinstance(value, bool):
        raise CellError(f"{shown} is not a percentage. Write a whole number from 0 to 100")
    if isinstance(value, int | float):
        number = float(value)
    else:
        words = spreadsheet.unescape_text(str(value)).strip().removesuffix("%").strip()
        try:
            number = float(words)
        except ValueError as exc:
            raise CellError(f"{shown} is not a percentage. Write a whole number from 0 to 100") from exc
    if not number.is_integer() or not 0 <= number <= 100:
        raise CellError(f"{shown} is not a whole number from 0 to 100")
    return int(number)
