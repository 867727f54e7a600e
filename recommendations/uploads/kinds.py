"""The allow-list: what an evidence file may be, and the Office and OpenDocument types that say so."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Detected:
    """What a file is, by its contents: its MIME type, its extension (with the dot) and a label for people."""

    content_type: str
    extension: str
    label: str
    aliases: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.aliases)


ALLOWED_TYPES = "a PDF, Word, Excel, PowerPoint, OpenDocument, CSV, PNG or JPEG file"

PDF = Detected("application/pdf", ".pdf", "PDF")
DOCX = Detected("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word document")
XLSX = Detected("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel spreadsheet")
PPTX = Detected(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", "PowerPoint presentation"
)
ODT = Detected("application/vnd.oasis.opendocument.text", ".odt", "OpenDocument text document")
ODS = Detected("application/vnd.oasis.opendocument.spreadsheet", ".ods", "OpenDocument spreadsheet")
ODP = Detected("application/vnd.oasis.opendocument.presentation", ".odp", "OpenDocument presentation")
CSV = Detected("text/csv", ".csv", "CSV file")
PNG = Detected("image/png", ".png", "PNG image")
JPEG = Detected("image/jpeg", ".jpg", "JPEG image", aliases=(".jpeg", ".jpe", ".jfif"))

ALLOWED: tuple[Detected, ...] = (PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV, PNG, JPEG)
BY_EXTENSION: dict[str, Detected] = {extension: kind for kind in ALLOWED for extension in kind.extensions}

OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
# Other Office packages, refused with a word on what they are.
OOXML_OTHER = {
    "wordprocessingml.template.main": "a Word template",
    "spreadsheetml.template.main": "an Excel template",
    "presentationml.template.main": "a PowerPoint template",
    "presentationml.slideshow.main": "a PowerPoint show",
    "ms-excel.sheet.binary": "an Excel binary workbook",
}
ODF_MIMETYPES = {ODT.content_type: ODT, ODS.content_type: ODS, ODP.content_type: ODP}

# What people know the old binary Office files as, by the stream that names them.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE2_APPS = (
    ("WordDocument", "an old Word 97-2003 document", ".docx"),
    ("Workbook", "an old Excel 97-2003 spreadsheet", ".xlsx"),
    ("Book", "an old Excel 5.0/95 spreadsheet", ".xlsx"),
    ("PowerPoint Document", "an old PowerPoint 97-2003 presentation", ".pptx"),
)


def article(label: str) -> str:
    """'an Excel spreadsheet', 'a PDF'."""
    return f"{'an' if label[0] in 'AEIOU' else 'a'} {label}"
