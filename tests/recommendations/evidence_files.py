"""Small, real files for upload tests: built here with zipfile and struct, never taken from disk."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
POWERPOINT_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
EXCEL_MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
POWERPOINT_MACRO_MAIN = "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"
WORD_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
MAIN_PART = {
    WORD_MAIN: "word/document.xml",
    WORD_MACRO_MAIN: "word/document.xml",
    WORD_TEMPLATE_MAIN: "word/document.xml",
    EXCEL_MAIN: "xl/workbook.xml",
    EXCEL_MACRO_MAIN: "xl/workbook.xml",
    POWERPOINT_MAIN: "ppt/presentation.xml",
    POWERPOINT_MACRO_MAIN: "ppt/presentation.xml",
}

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + struct.pack(">I", 13)
    + b"IHDR"
    + struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    + struct.pack(">I", zlib.crc32(b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)))
    + struct.pack(">I", 0)
    + b"IEND"
    + struct.pack(">I", zlib.crc32(b"IEND"))
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def ooxml(main: str, *, extra: dict[str, bytes] | None = None, extra_types: str = "") -> bytes:
    """An Office Open XML package whose [Content_Types].xml declares `main` for its main part."""
    part = MAIN_PART[main]
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{main}"/>{extra_types}</Types>'
    )
    members = {
        "[Content_Types].xml": types.encode(),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'officeDocument" Target="' + part.encode() + b'"/></Relationships>'
        ),
        part: b'<?xml version="1.0" encoding="UTF-8"?><document>Progress on the action plan</document>',
        **(extra or {}),
    }
    return zip_of(members)


def zip_of(members: dict[str, bytes], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for index, (name, data) in enumerate(members.items()):
            compress = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            package.writestr(name, data, compress_type=compress)
    return buffer.getvalue()


def odf(mimetype: str = "application/vnd.oasis.opendocument.text", *, extra: dict[str, bytes] | None = None) -> bytes:
    """An OpenDocument package: `mimetype` first and stored, then its content."""
    return zip_of(
        {
            "mimetype": mimetype.encode("ascii"),
            "content.xml": b'<?xml version="1.0"?><office:document-content/>',
            "META-INF/manifest.xml": b'<?xml version="1.0"?><manifest:manifest/>',
            **(extra or {}),
        },
        stored_first=True,
    )


def ole2(*streams: str) -> bytes:
    """An OLE2 compound file (old binary Office; also the wrapper of a password-protected OOXML file):
    a 512-byte header and one directory sector naming `streams` under the root entry."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x1A:0x1C] = struct.pack("<H", 3)  # major version 3: 512-byte sectors
    header[0x1C:0x1E] = struct.pack("<H", 0xFFFE)
    header[0x1E:0x20] = struct.pack("<H", 9)
    header[0x30:0x34] = struct.pack("<I", 0)  # the directory starts at sector 0
    entries = bytearray()
    for name, kind in (("Root Entry", 5), *((stream, 2) for stream in streams)):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        entry[: len(encoded)] = encoded
        entry[64:66] = struct.pack("<H", len(encoded))
        entry[66] = kind
        entries += entry
    entries += bytes(-len(entries) % 512)
    return bytes(header) + bytes(entries) + b"\0" * 512


def patch_central_directory(data: bytes, index: int, offset: int, fmt: str, value: int) -> bytes:
    """Rewrite one field of the `index`th central directory entry (to forge what a hostile ZIP declares)."""
    position = -1
    for _ in range(index + 1):
        position = data.index(b"PK\x01\x02", position + 1)
    patched = bytearray(data)
    struct.pack_into(fmt, patched, position + offset, value)
    return bytes(patched)


def document(
    *, council: object, by: object, name: str = "minutes.pdf", content: bytes = PDF, title: str = "", **kwargs: object
) -> object:
    """A stored document as the progress form makes one: staged, then evidence (unattached: the caller attaches
    it, or the clean-up removes it a day later)."""
    from recommendations import services

    staged = services.upload_stage(council=council, uploaded=upload(name, content), title=title, by=by, **kwargs)
    return services.evidence_from_staged(staged=staged, by=by)
