"""Evidence files are judged by their contents: every hostile upload gets a refusal that says why, never a 500;
the allowed types are stored under generated names with their checksum."""

import codecs
import hashlib
import inspect
import io
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from recommendations import selectors, services
from recommendations.models import Council, Evidence, StagedUpload, User
from recommendations.uploads import check_document, clean_filename, containers, download_filename

from ..factories import ProgressUpdateFactory, RecommendationFactory
from .evidence_files import (
    EXCEL_MACRO_MAIN,
    EXCEL_MAIN,
    JPEG,
    PDF,
    PNG,
    POWERPOINT_MACRO_MAIN,
    POWERPOINT_MAIN,
    WORD_MACRO_MAIN,
    WORD_MAIN,
    WORD_TEMPLATE_MAIN,
    document,
    odf,
    ole2,
    ooxml,
    patch_central_directory,
    upload,
    zip_of,
)


def refusal(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_document(upload(name, content))
    return caught.value


def message(name: str, content: bytes) -> str:
    return refusal(name, content).messages[0]


def xlsx() -> bytes:
    """A real workbook, as Excel-compatible software writes it."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["Recommendation", "Status"])
    workbook.active.append(["R1", "In progress"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- what is accepted ---------------------------------------------------------------------------------------

ACCEPTED = [
    ("report.pdf", PDF, "application/pdf", ".pdf"),
    (
        "minutes.docx",
        ooxml(WORD_MAIN),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    ("budget.xlsx", ooxml(EXCEL_MAIN), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    ("real.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    (
        "briefing.pptx",
        ooxml(POWERPOINT_MAIN),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
    ),
    ("plan.odt", odf(), "application/vnd.oasis.opendocument.text", ".odt"),
    (
        "plan.ods",
        odf("application/vnd.oasis.opendocument.spreadsheet"),
        "application/vnd.oasis.opendocument.spreadsheet",
        ".ods",
    ),
    (
        "plan.odp",
        odf("application/vnd.oasis.opendocument.presentation"),
        "application/vnd.oasis.opendocument.presentation",
        ".odp",
    ),
    ("actions.csv", b"Reference,Status\r\nR1,In progress\r\n", "text/csv", ".csv"),
    ("bom.csv", codecs.BOM_UTF8 + "Reference,Owner\nR1,Zoë Brontë\n".encode(), "text/csv", ".csv"),
    ("windows.csv", "Item,Cost\nLibrary,£5\u20ac\n".encode("cp1252"), "text/csv", ".csv"),
    ("tabbed.csv", b"a\tb\fc\n", "text/csv", ".csv"),
    ("chart.png", PNG, "image/png", ".png"),
    ("photo.jpg", JPEG, "image/jpeg", ".jpg"),
    ("photo.JPEG", JPEG, "image/jpeg", ".jpg"),
    ("no-extension", PDF, "application/pdf", ".pdf"),
    ("export", b"a,b\n1,2\n", "text/csv", ".csv"),
    ("scan.tmp", PNG, "image/png", ".png"),  # a name that claims no allowed type: the contents decide
]


@pytest.mark.parametrize(("name", "content", "content_type", "extension"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_allowed_files_are_recognised_by_their_contents(
    name: str, content: bytes, content_type: str, extension: str
) -> None:
    uploaded = upload(name, content)
    detected = check_document(uploaded)
    assert (detected.content_type, detected.extension) == (content_type, extension)
    assert uploaded.tell() == 0  # left at the start, ready to be stored


def test_a_file_on_disk_is_checked_too() -> None:
    """Large uploads reach the view as temporary files, not in memory."""
    uploaded = TemporaryUploadedFile("minutes.docx", "application/octet-stream", 0, None)
    uploaded.write(ooxml(WORD_MAIN))
    uploaded.size = uploaded.tell()
    assert check_document(uploaded).extension == ".docx"
    uploaded.close()


# --- wrong type under an allowed name -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("report.pdf", b"Just some notes about the report\n", "report.pdf is not a PDF: its contents are plain text"),
        (
            "report.pdf",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "report.pdf is not a PDF: its contents are an HTML page",
        ),
        (
            "photo.png",
            b"\n  <html><body onload='steal()'></body></html>",
            "photo.png is not a PNG image: its contents are an HTML page",
        ),
        (
            "photo.jpg",
            b"<p>hello</p><img src=x onerror=alert(1)>",
            "photo.jpg is not a JPEG image: its contents are an HTML page",
        ),
        (
            "chart.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "chart.png is not a PNG image: its contents are an SVG image",
        ),
        (
            "chart.svg",
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
            "chart.svg is an SVG image, which is not allowed",
        ),
        (
            "data.csv",
            b"Ref,Note\nR1,<script>alert(1)</script>\n",
            "data.csv is not a CSV file: its contents are an HTML page",
        ),
        ("data.csv", b"<?xml version='1.0'?><rows/>", "data.csv is not a CSV file: its contents are an XML file"),
        (
            "report.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",
            "report.pdf is not a PDF: its contents are a program",
        ),
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00", "setup.exe is a program, which is not allowed"),
        ("report.pdf", b"\x7fELF\x02\x01\x01\x00" + bytes(64), "report.pdf is not a PDF: its contents are a program"),
        ("run.csv", b"#!/bin/sh\nrm -rf /\n", "run.csv is not a CSV file: its contents are a script"),
        ("page.docx", b"<?php system($_GET['c']); ?>", "page.docx is not a Word document: its contents are a script"),
        (
            "letter.docx",
            b"{\\rtf1\\ansi Hello}",
            "letter.docx is not a Word document: its contents are a Rich Text Format",
        ),
        ("mail.pdf", b"MIME-Version: 1.0\nContent-Type: multipart/related\n\n", "its contents are a web archive"),
        (
            "anim.png",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
            "anim.png is not a PNG image: its contents are a GIF image",
        ),
        (
            "photo.jpg",
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00",
            "photo.jpg is not a JPEG image: its contents are an HEIC image",
        ),
        (
            "backup.xlsx",
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
            "backup.xlsx is not an Excel spreadsheet: its contents are a compressed",
        ),
        (
            "data.csv",
            b"a,b\n\x00\x01\x02\x03",
            "data.csv is not a CSV file: its contents are not a type of file we recognise",
        ),
        ("data.csv", "a,b\n1,2\n".encode("utf-16"), "its contents are not a type of file we recognise"),
        ("data.csv", b"a,b\x1b[31m\n", "its contents are not a type of file we recognise"),  # terminal escapes
        ("notes.txt", b"Meeting notes\n", "notes.txt is a text file: the only text files allowed are CSV files"),
        ("random.bin", bytes(range(256)) * 4, "random.bin is not a type of file we recognise"),
    ],
)
def test_a_file_whose_contents_are_not_allowed_is_refused_saying_what_it_is(
    name: str, content: bytes, expected: str
) -> None:
    error = refusal(name, content)
    assert expected in error.messages[0]
    assert error.error_list[0].code == "file_type"


def test_a_name_that_claims_another_allowed_type_is_refused() -> None:
    assert message("photo.jpg", PNG) == (
        "photo.jpg is not a JPEG image: its contents are a PNG image. Rename it to end in .png and upload it again"
    )
    assert message("minutes.xlsx", ooxml(WORD_MAIN)).startswith(
        "minutes.xlsx is not an Excel spreadsheet: its contents are a Word document"
    )
    assert message("report.docx", PDF).startswith("report.docx is not a Word document: its contents are a PDF")


def test_a_refused_type_tells_people_what_is_allowed() -> None:
    assert message("drawing.svg", b"<svg/>").endswith(
        "The selected file must be a PDF, Word, Excel, PowerPoint, OpenDocument, CSV, PNG or JPEG file"
    )


# --- Office files: old, protected, with macros --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "streams", "expected"),
    [
        (
            "minutes.doc",
            ("WordDocument", "1Table"),
            "minutes.doc is an old Word 97-2003 document. Save it as a .docx file",
        ),
        ("budget.xls", ("Workbook",), "budget.xls is an old Excel 97-2003 spreadsheet. Save it as a .xlsx file"),
        (
            "slides.ppt",
            ("PowerPoint Document",),
            "slides.ppt is an old PowerPoint 97-2003 presentation. Save it as a .pptx",
        ),
        ("renamed.docx", ("WordDocument",), "renamed.docx is an old Word 97-2003 document"),
        ("thing.pdf", ("Contents",), "Save it as a .docx, .xlsx or .pptx file and upload it again"),
    ],
)
def test_old_binary_office_files_are_refused_with_what_to_do(
    name: str, streams: tuple[str, ...], expected: str
) -> None:
    error = refusal(name, ole2(*streams))
    assert expected in error.messages[0]
    assert error.error_list[0].code == "old_office"


def test_a_password_protected_office_file_is_refused_as_such() -> None:
    """Encrypted OOXML is an OLE2 wrapper holding EncryptionInfo and EncryptedPackage, whatever its name."""
    error = refusal("salaries.xlsx", ole2("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"))
    assert error.messages == ["salaries.xlsx is password-protected. Remove the password and upload it again"]
    assert error.error_list[0].code == "encrypted"


def test_a_zip_with_encrypted_members_is_refused_as_password_protected() -> None:
    data = patch_central_directory(ooxml(WORD_MAIN), 0, 8, "<H", 0x1)
    assert "is password-protected" in message("minutes.docx", data)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("minutes.docm", ooxml(WORD_MACRO_MAIN, extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})),
        ("minutes.docx", ooxml(WORD_MACRO_MAIN)),  # a macro-enabled type renamed .docx
        ("budget.xlsm", ooxml(EXCEL_MACRO_MAIN, extra={"xl/vbaProject.bin": b"macro"})),
        ("slides.pptm", ooxml(POWERPOINT_MACRO_MAIN)),
        ("sneaky.docx", ooxml(WORD_MAIN, extra={"word/vbaProject.bin": b"Attribute VB_Name"})),
        ("deeper.xlsx", ooxml(EXCEL_MAIN, extra={"xl/media/VBAPROJECT.BIN": b"x"})),
        (
            "declared.docx",
            ooxml(
                WORD_MAIN, extra_types='<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            ),
        ),
        ("macro.odt", odf(extra={"Basic/Standard/Module1.xml": b"<script:module/>"})),
        ("python.ods", odf("application/vnd.oasis.opendocument.spreadsheet", extra={"Scripts/python/run.py": b"1"})),
    ],
)
def test_macro_enabled_office_files_are_refused(name: str, content: bytes) -> None:
    error = refusal(name, content)
    assert error.messages[0].startswith(f"{name} contains macros, which are not allowed")
    assert error.error_list[0].code == "macros"


@pytest.mark.parametrize(
    ("name", "content", "save_as"),
    [
        ("minutes.docm", ooxml(WORD_MACRO_MAIN), ".docx"),
        ("budget.xlsx", ooxml(EXCEL_MAIN, extra={"xl/vbaProject.bin": b"x"}), ".xlsx"),
        ("slides.pptm", ooxml(POWERPOINT_MACRO_MAIN), ".pptx"),
    ],
)
def test_a_macro_refusal_says_what_to_save_it_as(name: str, content: bytes, save_as: str) -> None:
    assert message(name, content) == (
        f"{name} contains macros, which are not allowed. Save it as a {save_as} file and upload it again"
    )


def test_an_opendocument_file_with_an_empty_basic_library_index_is_accepted() -> None:
    content = odf(extra={"Basic/script-lc.xml": b"<library:libraries/>"})
    assert check_document(upload("plan.odt", content)).extension == ".odt"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "letter.docx",
            ooxml(WORD_TEMPLATE_MAIN),
            "letter.docx is not a Word document: its contents are a Word template",
        ),
        (
            "plain.docx",
            zip_of({"word/document.xml": b"<w/>"}),
            "plain.docx is not a Word document: its contents are a ZIP",
        ),
        ("bundle.zip", zip_of({"a.txt": b"a"}), "bundle.zip is a ZIP file, which is not allowed"),
        ("app.pdf", zip_of({"META-INF/MANIFEST.MF": b"Main-Class: x"}), "app.pdf is not a PDF: its contents are a ZIP"),
        (
            "drawing.odt",
            odf("application/vnd.oasis.opendocument.graphics"),
            "its contents are an OpenDocument file of a kind we do not accept",
        ),
    ],
)
def test_other_packages_are_refused(name: str, content: bytes, expected: str) -> None:
    assert expected in message(name, content)


# --- damaged ZIPs and ZIP bombs: read declared sizes, never extract -------------------------------------------


def test_a_corrupt_zip_is_refused_as_damaged() -> None:
    error = refusal("minutes.docx", b"PK\x03\x04" + b"\xff" * 200)
    assert error.messages == ["minutes.docx cannot be accepted: it is damaged"]
    assert error.error_list[0].code == "damaged"


def test_a_truncated_office_file_is_refused_as_damaged() -> None:
    content = ooxml(WORD_MAIN)
    assert "minutes.docx cannot be accepted" in message("minutes.docx", content[: len(content) // 2])


def test_a_zip_declaring_a_huge_unpacked_size_is_refused_unopened() -> None:
    data = patch_central_directory(ooxml(WORD_MAIN), 2, 24, "<I", 0xFFFFFFF0)
    error = refusal("bomb.docx", data)
    assert "it would unpack to an unsafe size" in error.messages[0]
    assert error.error_list[0].code == "damaged"


def test_a_zip_that_compresses_too_well_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(containers, "MAX_ZIP_RATIO", 50)
    content = ooxml(WORD_MAIN, extra={"word/media/zeros.bin": bytes(2 * 1024 * 1024)})
    assert "it would unpack to an unsafe size (a ZIP bomb)" in message("bomb.docx", content)


def test_a_zip_with_too_many_members_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(containers, "MAX_ZIP_ENTRIES", 5)
    content = ooxml(WORD_MAIN, extra={f"word/media/{n}.xml": b"<x/>" for n in range(5)})
    assert "it holds more than 5 files" in message("many.docx", content)


def test_a_zip_whose_members_overlap_is_refused() -> None:
    """The overlapping-files ZIP bomb: several directory entries pointing into the same data."""
    content = ooxml(WORD_MAIN)
    overlapping = patch_central_directory(content, 2, 42, "<I", 0)
    assert "its files overlap" in message("overlap.docx", overlapping)


def test_a_zip_with_the_same_name_twice_is_refused() -> None:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as package:
        warnings.simplefilter("ignore")
        for types in (b"<Types/>", b"<Types/>"):
            package.writestr("[Content_Types].xml", types)
    assert "it holds two files with the same name" in message("twice.docx", buffer.getvalue())


def test_an_xml_bomb_in_the_content_types_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<Types>&b;</Types>"
    )
    content = zip_of({"[Content_Types].xml": bomb, "word/document.xml": b"<w/>"})
    assert "its list of contents declares XML entities" in message("laughs.docx", content)


def test_a_content_types_part_that_claims_a_missing_main_part_is_refused() -> None:
    content = zip_of(
        {
            "[Content_Types].xml": (
                f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                f'<Override PartName="/word/document.xml" ContentType="{WORD_MAIN}"/></Types>'
            ).encode()
        }
    )
    assert message("hollow.docx", content) == "hollow.docx cannot be accepted: it is damaged"


def test_an_oversized_content_types_part_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(containers, "MAX_MEMBER_BYTES", 100)
    assert "its list of contents is far too large" in message("big.docx", ooxml(WORD_MAIN))


def test_an_empty_zip_is_refused() -> None:
    empty = zip_of({})
    assert "its contents are an empty ZIP file" in message("nothing.docx", empty)


# --- size ----------------------------------------------------------------------------------------------------


def test_an_empty_file_is_refused() -> None:
    error = refusal("notes.pdf", b"")
    assert error.messages == ["The selected file is empty: notes.pdf has nothing in it"]
    assert error.error_list[0].code == "empty"


def test_a_file_over_the_limit_is_refused_stating_the_limit(settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    error = refusal("scan.pdf", PDF + bytes(1024 * 1024))
    assert error.messages == ["The selected file must be smaller than 1 MB: scan.pdf is 1.1 MB"]
    assert error.error_list[0].code == "too_large"
    assert check_document(upload("scan.pdf", PDF + bytes(1024 * 1024 - len(PDF)))).extension == ".pdf"


def test_a_limit_that_is_not_whole_megabytes_is_stated_exactly(settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 1536 * 1024
    assert message("scan.pdf", PDF + bytes(2 * 1024 * 1024)).startswith("The selected file must be smaller than 1.5 MB")
    settings.EVIDENCE_MAX_BYTES = 500 * 1024
    assert message("scan.pdf", PDF + bytes(600 * 1024)).startswith("The selected file must be smaller than 500 KB")


def test_the_default_limit_is_20_mb(settings: Any) -> None:
    del settings.EVIDENCE_MAX_BYTES
    error = refusal("video.pdf", b"%PDF-" + bytes(20 * 1024 * 1024))
    assert error.messages[0].startswith("The selected file must be smaller than 20 MB")


# --- names ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\report.pdf", "report.pdf"),
        ('cabinet "final"\r\nreport.pdf', 'cabinet "final" report.pdf'),
        ("Zoë’s résumé – £2m.pdf", "Zoë’s résumé – £2m.pdf"),
        ("invoice\u202efdp.exe.pdf", "invoicefdp.exe.pdf"),  # a right-to-left override disguises extensions
        ("tab\there\x00.pdf", "tab here .pdf"),
        ("   .hidden.pdf  ", "hidden.pdf"),
        ("", ""),
    ],
)
def test_names_are_cleaned_for_display(name: str, shown: str) -> None:
    assert clean_filename(name) == shown


def test_a_long_name_keeps_its_extension() -> None:
    cleaned = clean_filename("a" * 300 + ".pdf")
    assert len(cleaned) == 255
    assert cleaned.endswith("aaa.pdf")


@pytest.mark.parametrize(
    ("original", "extension", "offered"),
    [
        ("minutes.pdf", ".pdf", "minutes.pdf"),
        ("photo.JPEG", ".jpg", "photo.JPEG"),
        ("export", ".csv", "export.csv"),
        ("scan.tmp", ".png", "scan.png"),
        ("", ".pdf", "evidence.pdf"),
        ("report.final version", ".pdf", "report.final version.pdf"),
    ],
)
def test_downloads_are_offered_under_a_name_that_matches_the_contents(
    original: str, extension: str, offered: str
) -> None:
    assert download_filename(original, extension) == offered


def test_a_file_with_no_name_is_called_the_selected_file() -> None:
    assert message("\u202e\u200b", b"<html></html>").startswith(
        "The selected file is an HTML page, which is not allowed"
    )
    assert message("\u202e", b"") == "The selected file is empty"


# --- storing: the service ------------------------------------------------------------------------------------

ODD_NAMES = [
    "../../etc/passwd.pdf",
    'board "papers"\nMarch.pdf',
    "Zoë’s résumé – £2m.pdf",
    "x" * 300 + ".pdf",
    "..\\..\\web.config.pdf",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_names_are_stored_under_a_generated_name_and_shown_safely(
    council: Council, officer: User, name: str
) -> None:
    evidence = services.upload_stage(council=council, uploaded=upload(name, PDF), title="", by=officer)
    assert re.fullmatch(rf"{council.pk}/[0-9a-f]{{32}}\.pdf", evidence.file.name)
    assert evidence.original_filename == clean_filename(Path(name.replace("\\", "/")).name)
    assert len(evidence.original_filename) <= 255
    assert not re.search(r"[\x00-\x1f/\\]", evidence.original_filename)
    assert evidence.title == evidence.original_filename  # a blank title falls back to the file's name


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "content_type", "extension"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_allowed_files_are_staged_then_evidence_with_their_type_size_and_checksum(
    council: Council, officer: User, name: str, content: bytes, content_type: str, extension: str
) -> None:
    staged = services.upload_stage(council=council, uploaded=upload(name, content), title="Cabinet report", by=officer)
    staged.refresh_from_db()
    assert (staged.uploaded_by, staged.council, staged.content_type) == (officer, council, content_type)
    assert (staged.sha256, staged.size) == (hashlib.sha256(content).hexdigest(), len(content))
    assert not Evidence.objects.exists()  # not evidence until an update carries it
    evidence = services.evidence_from_staged(staged=staged, by=officer)
    evidence.refresh_from_db()
    assert evidence.file.name == staged.file.name  # the file stays where it was stored
    assert not StagedUpload.objects.exists()
    assert evidence.kind == Evidence.Kind.DOCUMENT
    assert evidence.content_type == content_type
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.size == len(content)
    assert evidence.file.name.endswith(extension)
    with evidence.file.open("rb") as stored:
        assert stored.read() == content
    assert evidence.added_by == officer
    assert evidence.history.get().history_user == officer


@pytest.mark.django_db
def test_a_large_upload_on_disk_is_stored_with_its_checksum(council: Council, officer: User) -> None:
    """Uploads past Django's memory limit arrive as temporary files, which the storage moves into place."""
    content = PDF + bytes(3 * 1024 * 1024)
    uploaded = TemporaryUploadedFile("survey.pdf", "application/octet-stream", len(content), None)
    uploaded.write(content)
    uploaded.seek(0)
    evidence = services.upload_stage(council=council, uploaded=uploaded, title="Survey", by=officer)
    uploaded.close()  # as Django does after the request: the file was moved, not copied
    assert (evidence.size, evidence.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    with evidence.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.django_db
def test_a_refused_file_stores_nothing(council: Council, officer: User, settings: Any) -> None:
    with pytest.raises(ValidationError):
        services.upload_stage(council=council, uploaded=upload("x.pdf", b"<html></html>"), title="Bad", by=officer)
    assert not Evidence.objects.exists() and not StagedUpload.objects.exists()
    location = Path(settings.STORAGES["evidence"]["OPTIONS"]["location"])
    assert not location.exists() or not any(path.is_file() for path in location.rglob("*"))


@pytest.mark.django_db
def test_evidence_is_created_unattached_and_internal_when_asked(council: Council, lead: User) -> None:
    evidence = document(council=council, by=lead, name="paper.pdf", title=" Draft  paper ", internal=True)
    assert evidence.internal
    assert evidence.title == "Draft paper"
    assert not evidence.updates.exists()


@pytest.mark.django_db
def test_a_title_that_is_too_long_is_refused(council: Council, lead: User) -> None:
    with pytest.raises(ValidationError, match="Title must be 300 characters or fewer"):
        services.upload_stage(council=council, uploaded=upload("a.pdf", PDF), title="t" * 301, by=lead)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["leadership", "adviser", "outsider"])
def test_only_officers_and_leads_of_the_council_add_evidence(council: Council, personas: object, persona: str) -> None:
    user = personas.get(persona)
    with pytest.raises(PermissionDenied):
        services.upload_stage(council=council, uploaded=upload("a.pdf", PDF), title="A", by=user)
    with pytest.raises(PermissionDenied):
        services.evidence_add_link(council=council, title="A", url="https://www.example.gov.uk/", by=user)


# --- links ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_link_is_added(council: Council, officer: User) -> None:
    evidence = services.evidence_add_link(
        council=council, title="Cabinet report", url=" https://www.example.gov.uk/report ", by=officer
    )
    assert (evidence.kind, evidence.url, evidence.file.name) == (
        Evidence.Kind.LINK,
        "https://www.example.gov.uk/report",
        "",
    )
    assert evidence.history.get().history_user == officer


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example.gov.uk/report.pdf",
        "file:///etc/passwd",
        "www.example.gov.uk",
        "not a link",
        "",
        "https://www.example.gov.uk/a\nb",
    ],
)
def test_a_link_that_is_not_http_or_https_is_refused(council: Council, officer: User, url: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.evidence_add_link(council=council, title="Report", url=url, by=officer)
    assert caught.value.messages == ["Enter a link in the correct format, like https://www.example.gov.uk/report"]


@pytest.mark.django_db
def test_a_link_needs_a_title_and_a_short_enough_address(council: Council, officer: User) -> None:
    with pytest.raises(ValidationError, match="Enter a title"):
        services.evidence_add_link(council=council, title="  ", url="https://www.example.gov.uk/", by=officer)
    with pytest.raises(ValidationError, match="Link must be 500 characters or fewer"):
        services.evidence_add_link(
            council=council, title="Long", url="https://www.example.gov.uk/" + "a" * 500, by=officer
        )


# --- attaching, and showing kept uploads again ----------------------------------------------------------------


@pytest.mark.django_db
def test_evidence_is_attached_within_its_council_only(council: Council, other_council: Council, lead: User) -> None:
    evidence = services.evidence_add_link(council=council, title="Report", url="https://example.gov.uk/", by=lead)
    recommendation = RecommendationFactory(engagement__council=council)
    update = ProgressUpdateFactory(recommendation=recommendation, author=lead)
    services.evidence_attach(evidence=evidence, update=update, recommendation=recommendation)
    assert list(update.evidence.all()) == [evidence]
    assert list(recommendation.evidence.all()) == [evidence]
    elsewhere = RecommendationFactory(engagement__council=other_council)
    with pytest.raises(PermissionDenied):
        services.evidence_attach(evidence=evidence, recommendation=elsewhere)


@pytest.mark.django_db
def test_a_form_shows_again_only_its_own_drafts_evidence_and_the_users_own_staged_uploads(
    council: Council, officer: User, lead: User
) -> None:
    loose = document(council=council, by=officer, name="a.pdf")
    attached = document(council=council, by=officer, name="b.pdf")
    draft = ProgressUpdateFactory(recommendation__engagement__council=council, author=officer)
    services.evidence_attach(evidence=attached, update=draft)
    ids = [str(loose.pk), attached.pk, "abc", "²", "9" * 30, -1]
    assert not selectors.evidence_kept_for(user=officer, council_slug=council.slug, ids=ids).exists()
    assert list(selectors.evidence_kept_for(user=officer, council_slug=council.slug, ids=ids, update=draft)) == [
        attached
    ]
    assert not selectors.evidence_kept_for(user=lead, council_slug=council.slug, ids=ids, update=draft).exists()
    mine = services.upload_stage(council=council, uploaded=upload("c.pdf", PDF), by=officer)
    theirs = services.upload_stage(council=council, uploaded=upload("d.pdf", PDF), by=lead)
    staged_ids = [mine.pk, str(theirs.pk), "abc", "-1"]
    assert list(selectors.staged_uploads_for(user=officer, council_slug=council.slug, ids=staged_ids)) == [mine]
    assert list(selectors.staged_uploads_for(user=lead, council_slug=council.slug, ids=staged_ids)) == [theirs]


@pytest.mark.parametrize(
    ("function", "names"),
    [
        (services.upload_stage, ["council", "uploaded", "title", "by", "internal", "at"]),
        (services.evidence_add_link, ["council", "title", "url", "by", "internal", "at"]),
    ],
)
def test_the_services_take_keyword_arguments_only(function: object, names: list[str]) -> None:
    """Another module calls these by name: their signatures are an interface."""
    parameters = inspect.signature(function).parameters
    assert list(parameters) == names
    assert {parameter.kind for parameter in parameters.values()} == {inspect.Parameter.KEYWORD_ONLY}
    assert (parameters["internal"].default, parameters["at"].default) == (False, None)


def test_simple_uploaded_file_names_are_basenames_already() -> None:
    """Django strips directories from uploaded names; ours is a second line of defence."""
    assert SimpleUploadedFile("../../x.pdf", PDF).name == "x.pdf"
