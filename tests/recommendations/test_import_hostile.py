"""Hostile workbooks and CSV files are refused before they cost anything, with a message that names the limit:
on what they declare (the archive's sizes, a sheet's dimension, the header row's width) before any row is
read, and on what they hold while they stream when they lie. Each is also read in a child process with its
address space capped, which must end with the refusal, not a MemoryError. Many problems stay a small page."""

import codecs
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from recommendations import spreadsheet
from recommendations.imports import FileRefused, csvfile, limits, read_plan, workbook
from recommendations.imports.package import Package
from recommendations.models import Engagement, PendingImport, User

from ..conftest import client_for
from ..factories import EngagementFactory
from . import hostile_files as hostile
from .test_import_reading import RECOMMENDATION_ROW, csv_text, workbook_bytes

ROOT = Path(__file__).resolve().parents[2]
SHEET_ROWS = "The sheet ‘Recommendations’ declares 200,000 rows; the limit is 10,000, blank ones included"
ENTITIES = "plan.xlsx cannot be accepted: its part xl/worksheets/{} declares XML entities or a document type"
NOT_UTF8 = "plan.csv is not UTF-8. Save it as CSV UTF-8 and upload it again"

HOSTILE = {
    "sparse workbook": ("plan.xlsx", hostile.sparse_workbook(), [SHEET_ROWS]),
    "workbook at XFD1048576": (
        "plan.xlsx",
        hostile.sparse_workbook("XFD1048576"),
        [
            "The sheet ‘Recommendations’ declares 1,048,576 rows; the limit is 10,000, blank ones included",
            "The sheet ‘Recommendations’ declares 16,384 columns; the limit is 200",
        ],
    ),
    "zip bomb of a sheet": (
        "plan.xlsx",
        hostile.sheet_bomb(),
        ["plan.xlsx cannot be accepted: its part xl/worksheets/sheet1.xml would unpack from", "the limit is 100 times"],
    ),
    "entities after 5,000 bytes of comment": (
        "plan.xlsx",
        hostile.entities_after_padding(),
        [ENTITIES.format("sheet1.xml")],
    ),
    "entities in UTF-16 without a BOM": ("plan.xlsx", hostile.entities_in_utf16(), [ENTITIES.format("sheet1.xml")]),
    "external entity in a .bin part": (
        "plan.xlsx",
        hostile.external_entity_elsewhere(),
        [ENTITIES.format("sheet1.bin")],
    ),
    "20,000-column CSV": ("plan.csv", hostile.csv_of_width(20_000), ["The file has 20,000 columns; the limit is 200"]),
    "10,000 unheaded columns": ("plan.csv", hostile.csv_unheaded(), ["Row 2 has 10,000 columns; the limit is 200"]),
    "invalid UTF-8": ("plan.csv", hostile.csv_not_utf8(), [NOT_UTF8]),
}


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(FileRefused) as caught:
        read_plan(data=data, filename=name)
    return "\n".join(caught.value.messages)


@pytest.mark.parametrize(("name", "data", "expected"), HOSTILE.values(), ids=HOSTILE.keys())
def test_each_hostile_file_is_refused_with_its_message(name: str, data: bytes, expected: list[str]) -> None:
    assert len(data) < 64 * 1024 or name.endswith(".csv")  # small, as an attacker's would be
    message = refusal(data, name)
    for part in expected:
        assert part in message


@pytest.fixture
def no_rows_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading any row of a sheet, or the body of a CSV file, fails the test."""

    def fail(*args: object, **kwargs: object) -> Iterator[Any]:
        raise AssertionError("rows were read")

    monkeypatch.setattr(workbook, "sheet_rows", fail)
    monkeypatch.setattr(csvfile, "_read_body", fail)


@pytest.mark.parametrize(
    "case",
    [
        "sparse workbook",
        "workbook at XFD1048576",
        "zip bomb of a sheet",
        "entities after 5,000 bytes of comment",
        "entities in UTF-16 without a BOM",
        "external entity in a .bin part",
        "20,000-column CSV",
        "invalid UTF-8",
    ],
)
@pytest.mark.usefixtures("no_rows_read")
def test_a_declared_size_or_the_bytes_themselves_are_refused_before_any_row_is_read(case: str) -> None:
    name, data, expected = HOSTILE[case]
    assert expected[0] in refusal(data, name)


def test_a_zip_bomb_is_refused_from_the_archive_directory_before_any_part_is_opened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("a part was opened")

    monkeypatch.setattr(Package, "chunks", fail)
    assert "would unpack from" in refusal(hostile.sheet_bomb(), "plan.xlsx")


def test_the_archive_unpacked_size_is_a_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("recommendations.imports.package.MAX_UNPACKED_BYTES", 1024)
    message = refusal(workbook_bytes([["CPC", "R1", "", "Text"]]), "plan.xlsx")
    assert message.startswith("plan.xlsx is too large to read: it unpacks to")
    assert message.endswith("the limit is 1 KB")


@pytest.fixture
def rows_counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The row numbers the sheets yield, as they are read."""
    seen: list[int] = []
    real = workbook.sheet_rows

    def counting(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for number, cells in real(*args, **kwargs):
            seen.append(number)
            yield number, cells

    monkeypatch.setattr(workbook, "sheet_rows", counting)
    return seen


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            hostile.text_cell("A1", "Reference") + hostile.text_cell("Z200000", "x"),
            "The sheet ‘Recommendations’ has rows beyond row 10,000; the limit is 10,000 rows, blank ones included",
        ),
        (
            hostile.text_cell("A1", "Reference") + hostile.text_cell("XFD2", "x"),
            "The sheet ‘Recommendations’ has cells beyond column GR; the limit is 200 columns",
        ),
        (
            '<row r="1">' + "<c/>" * 300 + "</row>",  # cells without references: counted, not trusted
            "The sheet ‘Recommendations’ has cells beyond column GR; the limit is 200 columns",
        ),
    ],
    ids=["a row far down", "a cell far right", "a row of 300 cells"],
)
@pytest.mark.parametrize("dimension", [None, "A1:B2"], ids=["no dimension", "a dimension that lies"])
def test_a_sheet_that_lies_about_its_size_is_stopped_at_the_limit_while_it_streams(
    rows_counted: list[int], cells: str, expected: str, dimension: str | None
) -> None:
    data = hostile.xlsx(hostile.sheet_xml(cells, dimension=dimension).encode())
    assert expected in refusal(data, "plan.xlsx")
    assert rows_counted in ([], [1])  # stopped at the row or cell past the limit, not after it


def test_a_workbook_with_too_many_cells_is_stopped_at_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "MAX_CELLS", 50)
    rows = "".join(f'<row r="{n}">' + "<c/>" * 10 + "</row>" for n in range(1, 11))
    message = refusal(hostile.xlsx(hostile.sheet_xml(rows).encode()), "plan.xlsx")
    assert message.startswith("plan.xlsx has more than 50 cells, blank ones with formatting included")


# --- encodings -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + csv_text(RECOMMENDATION_ROW).encode("cp1252"),  # claims UTF-8, is Windows-1252
        csv_text(RECOMMENDATION_ROW).encode("cp1252") + b"\x9d",  # not UTF-8, and 0x9D is not Windows-1252
        csv_text(RECOMMENDATION_ROW).encode("latin-1") + "\u0081".encode("latin-1"),
    ],
    ids=["UTF-8 BOM, then Windows-1252", "Windows-1252 with 0x9D", "Latin-1 with 0x81"],
)
def test_a_csv_file_that_is_not_utf8_or_windows_1252_is_refused_plainly(data: bytes) -> None:
    assert refusal(data, "plan.csv") == NOT_UTF8


def test_valid_windows_1252_is_still_read() -> None:
    data = csv_text([*RECOMMENDATION_ROW[:2], ("Text", "“Quoted” – €5 café")]).encode("cp1252")
    assert read_plan(data=data, filename="plan.csv").rows[0].cells["Text"].value == "“Quoted” – €5 café"


# --- in a process with little memory -------------------------------------------------------------------

# Python, Django and the reader take about 105 MB of address space before reading anything, and reading a
# 5,000-row workbook peaks well inside 256 MB; the old reader needed over 1 GB for the sparse workbook alone.
ADDRESS_SPACE = 256 * 1024 * 1024
# One child caps its address space, imports Django once, and forks a grandchild for each file: every file is
# read in a process just like a fresh one (capped, Django set up, nothing read yet) without paying Python's
# and Django's start for each. A grandchild's stdout and stderr go to files beside the one it reads.
CHILD = """
import os, resource, sys, traceback
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # before anything is imported or read
import django
django.setup()
from recommendations.imports import FileRefused, read_plan

def read(path, name):
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        read = read_plan(data=data, filename=name)
    except FileRefused as refused:
        print("\\n".join(refused.messages))
        return 3
    print(f"{len(read.rows)} rows read")
    return 0

for path, name in zip(sys.argv[2::2], sys.argv[3::2]):
    pid = os.fork()
    if pid == 0:
        for fd, suffix in ((1, ".stdout"), (2, ".stderr")):
            os.dup2(os.open(path + suffix, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
        try:
            code = read(path, name)
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    with open(path + ".code", "w") as handle:
        handle.write(str(os.waitstatus_to_exitcode(status)))
"""


def tidy_plan() -> bytes:
    return workbook_bytes([["CPC", f"R{n}", "Heading", "Text " * 50] for n in range(limits.MAX_ROWS)])


@pytest.fixture(scope="module")
def read_in_child(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess]:
    """Each hostile file, and a tidy plan at the row limit, read through the reading layer (no database: a
    child cannot see a test's transaction) in a process whose address space is capped before Django is
    imported; per case, its exit code and what it printed."""
    folder = tmp_path_factory.mktemp("capped")
    cases = {
        "tidy plan": ("plan.xlsx", tidy_plan()),
        **{case: (name, data) for case, (name, data, _) in HOSTILE.items()},
    }
    arguments = []
    for number, (name, data) in enumerate(cases.values()):
        path = folder / f"{number}-{name}"
        path.write_bytes(data)
        arguments += [str(path), name]
    child = subprocess.run(  # noqa: S603 - our own interpreter, our own script
        [sys.executable, "-c", CHILD, str(ADDRESS_SPACE), *arguments],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "councilimprove.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (child.returncode, child.stderr) == (0, "")
    results = {}
    for case, path in zip(cases, arguments[::2], strict=True):
        results[case] = subprocess.CompletedProcess(
            args=[path],
            returncode=int(Path(path + ".code").read_text()),
            stdout=Path(path + ".stdout").read_text(),
            stderr=Path(path + ".stderr").read_text(),
        )
    return results


def test_a_tidy_plan_at_the_row_limit_is_read_within_the_address_space(
    read_in_child: dict[str, subprocess.CompletedProcess],
) -> None:
    child = read_in_child["tidy plan"]
    assert (child.returncode, child.stdout.strip(), child.stderr) == (0, "5000 rows read", "")


@pytest.mark.parametrize("case", HOSTILE.keys())
def test_each_hostile_file_is_refused_within_the_address_space(
    read_in_child: dict[str, subprocess.CompletedProcess], case: str
) -> None:
    child = read_in_child[case]
    assert "MemoryError" not in child.stderr
    assert child.returncode == 3, child.stderr
    for part in HOSTILE[case][2]:
        assert part in child.stdout


# --- the page and the command ----------------------------------------------------------------------------

IMPORT = "/councils/borsetshire/import/"


@pytest.fixture
def engagement(council: Any) -> Engagement:
    return EngagementFactory(council=council, title="Corporate Peer Challenge 2019")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case", ["sparse workbook", "zip bomb of a sheet", "entities in UTF-16 without a BOM", "20,000-column CSV"]
)
def test_a_hostile_file_is_refused_in_the_error_summary_of_the_import_page(
    lead: User, engagement: Engagement, case: str
) -> None:
    name, data, expected = HOSTILE[case]
    response = client_for(lead).post(IMPORT, {"engagement": engagement.pk, "file": SimpleUploadedFile(name, data)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Import an action plan" in body
    summary = body.split('class="govuk-error-summary"', 1)[1].split("</div>", 1)[0]
    assert expected[0] in summary
    assert not PendingImport.objects.exists()


def many_problems() -> bytes:
    """5,000 rows, none of them of a type the import knows: 5,000 problems, and nothing to add or change."""
    header = "Type,Reference,Text"
    rows = (f"thing,R{n},Text" for n in range(limits.MAX_ROWS))
    return ("\r\n".join([header, *rows]) + "\r\n").encode()


@pytest.mark.django_db
def test_five_thousand_problems_make_a_small_page_that_lists_the_first_hundred(
    lead: User, engagement: Engagement
) -> None:
    response = client_for(lead).post(
        IMPORT, {"engagement": engagement.pk, "file": SimpleUploadedFile("plan.csv", many_problems())}
    )
    body = response.content.decode()
    total = len(response.context["plan"].problems)
    assert total == 5_001  # and "The file has no recommendations or actions in it"
    assert len(response.content) < 200 * 1024
    assert body.count('<tr class="govuk-table__row" id="problem-') == 100
    assert f"The file has {total:,} problems" in body
    assert f"and {total - 100:,} more problems" in body  # in the error summary
    assert f"And {total - 100:,} more problems, not listed here" in body


@pytest.mark.django_db
def test_a_file_of_10000_unheaded_columns_makes_a_small_page(lead: User, engagement: Engagement) -> None:
    upload = SimpleUploadedFile("plan.csv", hostile.csv_unheaded())
    response = client_for(lead).post(IMPORT, {"engagement": engagement.pk, "file": upload})
    assert len(response.content) < 200 * 1024
    assert "Row 2 has 10,000 columns; the limit is 200" in response.content.decode()


@pytest.mark.django_db
def test_a_wide_block_of_unheaded_values_is_one_problem_a_column(lead: User, engagement: Engagement) -> None:
    rows = "".join(f"recommendation,R{n},Text" + ",x" * 150 + "\r\n" for n in range(200))
    response = client_for(lead).post(
        IMPORT,
        {
            "engagement": engagement.pk,
            "file": SimpleUploadedFile("plan.csv", f"Type,Reference,Text\r\n{rows}".encode()),
        },
    )
    problems = response.context["plan"].problems
    assert len(problems) == 150
    assert (problems[0].where, problems[0].message) == (
        "Cell D2",
        "holds a value in a column with no heading (and 199 more cells of column D)",
    )


@pytest.mark.django_db
def test_the_command_refuses_a_hostile_file_and_prints_at_most_a_hundred_problems(
    engagement: Engagement, tmp_path: Path
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(hostile.sparse_workbook())
    with pytest.raises(CommandError, match=SHEET_ROWS):
        call_command("import_action_plan", "borsetshire", str(engagement.pk), str(path), stdout=StringIO())
    path = tmp_path / "plan.csv"
    path.write_bytes(many_problems())
    err = StringIO()
    with pytest.raises(CommandError, match=r"5,001 problem\(s\)"):
        call_command("import_action_plan", "borsetshire", str(engagement.pk), str(path), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 101
    assert lines[-1].startswith("Problem: and ") and lines[-1].endswith(" more problems")


def test_the_export_headers_fit_the_column_limit() -> None:
    assert len(spreadsheet.CSV_HEADERS) <= limits.MAX_COLUMNS


def test_a_part_the_import_does_not_read_is_refused_for_entities_but_not_for_being_something_else() -> None:
    data = workbook_bytes([["CPC", "R1", "", "Text"]])
    with_image = hostile_extra(data, "xl/media/picture.jpeg", b"\xff\xd8\xff\xe0 not XML at all")
    assert len(read_plan(data=with_image, filename="plan.xlsx").rows) == 1
    laughs = f'<?xml version="1.0"?>{hostile.BILLION_LAUGHS}<x>&i;</x>'.encode()
    with_entities = hostile_extra(data, "docProps/custom.dat", laughs)
    assert refusal(with_entities, "plan.xlsx") == (
        "plan.xlsx cannot be accepted: its part docProps/custom.dat declares XML entities or a document type"
    )


def hostile_extra(data: bytes, part: str, content: bytes) -> bytes:
    """The workbook with one more part, of no declared type."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            copy.writestr(info, original.read(info))
        copy.writestr(part, content)
    return buffer.getvalue()
