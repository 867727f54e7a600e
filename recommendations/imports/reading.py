"""Reading an uploaded plan: bytes → rows of cells, each cell named as a spreadsheet names it.

The file is judged by its contents first (recommendations/uploads: old binary Office, password-protected
and macro-enabled files are refused there, with their reasons); only an Excel workbook (XLSX, `xlsxfile`) or
a CSV file (`csvfile`) goes on. Text is decoded strictly before it is judged, so a file that is not UTF-8 is
told so. A workbook is read from its `Recommendations` and `Actions` sheets, a CSV file from its `Type`
column, both with the headers of recommendations/exports.py (docs/SPREADSHEET.md). A file that cannot be
read as a whole (over a limit of `limits`, formulas, merged cells, no header we know) raises FileRefused with
every reason; what is wrong with single cells is left to the planning, which reports it by row and column.
The reading needs no database.
"""

import codecs

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from recommendations.uploads import check_document, clean_filename
from recommendations.uploads.kinds import CSV, OLE2_MAGIC, XLSX, article
from recommendations.uploads.sniff import HEAD_BYTES, describe_binary

from . import mapping
from .csvfile import decode_text, read_csv
from .limits import MAX_BYTES, MAX_LISTED, MAX_ROWS
from .rows import (
    ACTION,
    DATE_HEADERS,
    RECOMMENDATION,
    SERIAL_RANGE,
    Cell,
    FileRefused,
    Problem,
    ReadFile,
    Row,
    reference_key,
)
from .shapes import Table, plan_rows
from .xlsxfile import read_xlsx

__all__ = [
    "ACTION",
    "DATE_HEADERS",
    "MAX_BYTES",
    "MAX_LISTED",
    "MAX_ROWS",
    "RECOMMENDATION",
    "SERIAL_RANGE",
    "Cell",
    "FileRefused",
    "Problem",
    "ReadFile",
    "Row",
    "read_csv",
    "read_plan",
    "read_xlsx",
    "reference_key",
]

_SIGNATURES = (OLE2_MAGIC, b"PK\x03\x04", b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def _is_text(head: bytes) -> bool:
    """Whether the file is to be decoded as text before it is judged: no signature of a binary format we know,
    and no NUL byte unless it starts with a UTF-16 byte-order mark."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return not head.startswith(_SIGNATURES) and describe_binary(head) is None and b"\x00" not in head


def _kind_of(data: bytes, name: str) -> str:
    """ "xlsx" or "csv", judged by the contents (uploads.check_document); FileRefused for anything else."""
    display = name or "The selected file"
    if not data:
        raise FileRefused([f"The selected file is empty: {name} has nothing in it" if name else "The file is empty"])
    if len(data) > MAX_BYTES:
        raise FileRefused(
            [f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files"]
        )
    judged = decode_text(data, display).encode("utf-8") if _is_text(data[:HEAD_BYTES]) else data
    try:
        detected = check_document(SimpleUploadedFile(name or "plan", judged))
    except ValidationError as exc:
        raise FileRefused(list(exc.messages)) from exc
    if detected == XLSX:
        return "xlsx"
    if detected == CSV:
        return "csv"
    raise FileRefused(
        [
            f"{display} is {article(detected.label)}. "
            "The selected file must be an Excel spreadsheet (.xlsx) or a CSV file"
        ]
    )


def read_table(*, data: bytes, filename: str, sheet: str | None = None) -> ReadFile | Table:
    """The export's layout as rows (ReadFile), or a council's own plan as a table of headings and rows (on
    `sheet`, or the first sheet with anything in it); FileRefused if it cannot be read."""
    filename = clean_filename(filename)
    if _kind_of(data, filename) == "xlsx":
        return read_xlsx(data, filename=filename, sheet=sheet)
    return read_csv(data, filename=filename)


def read_plan(
    *,
    data: bytes,
    filename: str,
    sheet: str | None = None,
    columns: dict[int, str] | None = None,
    split_bullets: bool = False,
) -> ReadFile:
    """The rows of an uploaded plan (XLSX or CSV, judged by its contents); FileRefused if it cannot be read. A
    council's own plan is read through `columns` (column index → field, mapping.FIELDS), or the guess."""
    found = read_table(data=data, filename=filename, sheet=sheet)
    if isinstance(found, ReadFile):
        return found
    return read_mapped(found, columns=columns, split_bullets=split_bullets)


def read_mapped(table: Table, *, columns: dict[int, str] | None, split_bullets: bool = False) -> ReadFile:
    """A council's own plan through a mapping of its columns (None: the guess, mapping.guess)."""
    guessed = columns is None
    if columns is None:
        columns = mapping.guess(table.headings, table.samples(20))
    read = plan_rows(table, columns, split_bullets=split_bullets)
    read.table, read.mapping, read.guessed, read.split_bullets = table, dict(columns), guessed, split_bullets
    return read
