"""Hostile plans for the import, built here (zipfile and hand-written XML), each a few kilobytes: what an
attacker with a lead's account would upload. Each is paired with the refusal the import must give."""

import io
import random
import zipfile

from recommendations import spreadsheet

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def xlsx(sheet: bytes, *, title: str = "Recommendations", sheet_part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The smallest workbook Excel opens: one sheet, `sheet` its XML (bytes, as the part holds them)."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/{sheet_part}" ContentType="{WORKSHEET_TYPE}"/>'
        "</Types>"
    )
    package_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        f'<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    target = sheet_part.removeprefix("xl/")
    workbook_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="{target}"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", types)
        package.writestr("_rels/.rels", package_rels)
        package.writestr("xl/workbook.xml", workbook)
        package.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        package.writestr(sheet_part, sheet)
    return buffer.getvalue()


def sheet_xml(cells: str, *, dimension: str | None = None, prolog: str = "") -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}">{declared}'
        f"<sheetData>{cells}</sheetData></worksheet>"
    )


def text_cell(reference: str, text: str) -> str:
    row = "".join(character for character in reference if character.isdigit())
    return f'<row r="{row}"><c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c></row>'


def sparse_workbook(last: str = "Z200000", *, declared: bool = True) -> bytes:
    """Two inline-string cells, at A1 and `last`: 1.5 KB that the old reader expanded to every cell between."""
    dimension = f"A1:{last}" if declared else None
    return xlsx(sheet_xml(text_cell("A1", "Reference") + text_cell(last, "x"), dimension=dimension).encode())


BILLION_LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8))
    + "]>"
)


def entities_after_padding() -> bytes:
    """An entity bomb after 5,000 bytes of comment: past the old check, which read the first 4 KB."""
    prolog = "<!--" + "x" * 5_000 + "-->" + BILLION_LAUGHS
    return xlsx(sheet_xml(text_cell("A1", "&i;"), dimension="A1", prolog=prolog).encode())


def entities_in_utf16() -> bytes:
    """The same bomb in UTF-16 without a byte-order mark (expat reads it; the old check did not)."""
    xml = sheet_xml(text_cell("A1", "&i;"), dimension="A1", prolog=BILLION_LAUGHS)
    return xlsx(xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le"))


def external_entity_elsewhere() -> bytes:
    """An external entity in a sheet whose part name does not end in .xml (the old check skipped it)."""
    prolog = '<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    sheet = sheet_xml(text_cell("A1", "&secret;"), dimension="A1", prolog=prolog).encode()
    return xlsx(sheet, sheet_part="xl/worksheets/sheet1.bin")


def sheet_bomb(megabytes: int = 5) -> bytes:
    """A sheet part that unpacks to `megabytes` of blank cells, with a little noise so that it compresses about
    250:1: under the 1,000:1 that evidence uploads refuse, over the import's limit. 20 KB; the old reader
    took 8 s and 480 MB over a 5 MB one."""
    noise = random.Random(13)  # noqa: S311 - test data
    rows, size, number = [], 0, 0
    while size < megabytes * 1024 * 1024:
        number += 1
        row = f'<row r="{number}" spans="1:14" x="{noise.randrange(10**6)}">' + "<c/>" * 1_000 + "</row>"
        rows.append(row)
        size += len(row)
    return xlsx(sheet_xml("".join(rows), dimension="A1:N1").encode())


def csv_of_width(columns: int) -> bytes:
    """A header row `columns` wide: 20,000 columns made get_column_letter raise past ZZZ (a 500)."""
    return (",".join(["Type", "Reference", "Text"] + [f"c{n}" for n in range(columns - 3)]) + "\r\n").encode()


def csv_unheaded(columns: int = 10_000, rows: int = 3) -> bytes:
    """Three headed columns, and rows `columns` wide: every unheaded value was a problem on the page."""
    body = "".join("recommendation,R1,Text" + ",x" * (columns - 3) + "\r\n" for _ in range(rows))
    return ("Type,Reference,Text\r\n" + body).encode()


def csv_not_utf8() -> bytes:
    """Neither UTF-8 nor Windows-1252 (0x81 is undefined in it): the old reader guessed and replaced."""
    return ",".join(spreadsheet.CSV_HEADERS).encode() + b"\r\nrecommendation,,R1,,,Caf\xe9 \x81\r\n"
