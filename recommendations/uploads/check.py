"""The check: an upload is judged by its contents against the allow-list; a refusal says why, naming the file."""

import math
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from . import containers
from .kinds import (
    ALLOWED_TYPES,
    BY_EXTENSION,
    CSV,
    JPEG,
    ODF_MIMETYPES,
    OLE2_APPS,
    OLE2_MAGIC,
    OOXML_MAIN,
    OOXML_OTHER,
    PDF,
    PNG,
    Detected,
    article,
)
from .names import clean_filename
from .sniff import HEAD_BYTES, describe_binary, describe_text, is_text, rewound, size_of

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def size_text(size: int, *, up: bool = False) -> str:
    """5 GB, 20 MB, 1.5 MB, 500 KB; rounded up (`up`) for a file's size, so one just over a limit never reads as
    equal."""
    for unit, label in ((1024**3, "GB"), (1024**2, "MB"), (1024, "KB")):
        if size >= unit:
            tenths = math.ceil(size * 10 / unit) if up else round(size * 10 / unit)
            return f"{tenths / 10:.1f}".removesuffix(".0") + f" {label}"
    return f"{size} bytes"


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _claimed(name: str) -> Detected | None:
    return BY_EXTENSION.get(PurePosixPath(name).suffix.lower())


def _not_allowed(name: str, contents: str, *, code: str = "file_type") -> ValidationError:
    """`contents` reads after "its contents are": "an HTML page"."""
    claimed = _claimed(name)
    if claimed is not None:
        return _refuse(f"{name} is not {article(claimed.label)}: its contents are {contents}", code)
    return _refuse(f"{name} is {contents}, which is not allowed. The selected file must be {ALLOWED_TYPES}", code)


def _agree(name: str, detected: Detected) -> Detected:
    """A name that claims one allowed type for the contents of another is refused: something is wrong with it."""
    claimed = _claimed(name)
    if claimed is not None and claimed != detected:
        raise _refuse(
            f"{name} is not {article(claimed.label)}: its contents are {article(detected.label)}. "
            f"Rename it to end in {detected.extension} and upload it again",
            "file_type",
        )
    return detected


def _judge_ole2(uploaded: UploadedFile, name: str) -> ValidationError:
    streams = containers.ole2_streams(uploaded)
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        return _refuse(f"{name} is password-protected. Remove the password and upload it again", "encrypted")
    for stream, what, extension in OLE2_APPS:
        if stream in streams:
            return _refuse(f"{name} is {what}. Save it as a {extension} file and upload it again", "old_office")
    return _refuse(
        f"{name} is an old-format Office file. Save it as a .docx, .xlsx or .pptx file and upload it again",
        "old_office",
    )


ODF_LIBRARY_INDEXES = {"script-lc.xml", "dialog-lc.xml", "script-lb.xml", "dialog-lb.xml"}
SAVE_AS = {".docx": ("ms-word", "wordprocessingml"), ".xlsx": ("ms-excel", "spreadsheetml")}
SAVE_AS[".pptx"] = ("ms-powerpoint", "presentationml")


def _judge_zip(uploaded: UploadedFile, name: str, size: int) -> Detected:
    package = containers.inspect_zip(rewound(uploaded), size)
    uploaded.seek(0)
    if package.damaged:
        raise _refuse(f"{name} cannot be accepted: {package.damaged}", "damaged")
    if package.encrypted:
        raise _refuse(f"{name} is password-protected. Remove the password and upload it again", "encrypted")
    members = [member.lower() for member in package.names]
    declared = set(package.content_types.values())
    macros = any(member.rsplit("/", 1)[-1] == "vbaproject.bin" for member in members) or any(
        "macroenabled" in content_type or "vbaproject" in content_type for content_type in declared
    )
    if package.odf_mimetype is not None:
        return _judge_odf(name, package.odf_mimetype, members, macros=macros)
    if package.content_types:
        return _judge_ooxml(name, package.content_types, members, macros=macros)
    if macros:
        raise _refuse(f"{name} contains macros, which are not allowed", "macros")
    raise _not_allowed(name, "a ZIP file")


def _judge_odf(name: str, mimetype: str, members: list[str], *, macros: bool) -> Detected:
    """OpenDocument: a ZIP whose first member, `mimetype`, names the kind. Basic and script macros live in
    `Basic/` (beside the library indexes, which an empty document may carry) and `Scripts/`."""
    detected = ODF_MIMETYPES.get(mimetype)
    if detected is None:
        raise _not_allowed(name, "an OpenDocument file of a kind we do not accept")
    if macros or any(
        member.startswith("scripts/")
        or (
            member.startswith("basic/")
            and not member.endswith("/")
            and member.rsplit("/", 1)[-1] not in ODF_LIBRARY_INDEXES
        )
        for member in members
    ):
        raise _refuse(f"{name} contains macros, which are not allowed", "macros")
    return _agree(name, detected)


def _judge_ooxml(name: str, content_types: dict[str, str], members: list[str], *, macros: bool) -> Detected:
    """Office Open XML: `[Content_Types].xml` declares the main part's type, and that part must be there."""
    declared = set(content_types.values())
    if macros:
        main = [content_type for content_type in declared if content_type.endswith(".main+xml")]
        formats = [
            extension
            for extension, marks in SAVE_AS.items()
            if any(mark in content_type for mark in marks for content_type in main)
        ]
        save_as = formats[0] if len(formats) == 1 else ".docx, .xlsx or .pptx"
        raise _refuse(
            f"{name} contains macros, which are not allowed. Save it as a {save_as} file and upload it again", "macros"
        )
    mains = {OOXML_MAIN[content_type] for content_type in declared if content_type in OOXML_MAIN}
    parts = set(members)
    present = {
        OOXML_MAIN[content_type]
        for part, content_type in content_types.items()
        if content_type in OOXML_MAIN and part in parts
    }
    if len(mains) == 1 and present == mains:
        return _agree(name, mains.pop())
    for marker, what in OOXML_OTHER.items():
        if any(marker in content_type for content_type in declared):
            raise _not_allowed(name, what)
    if mains:  # two main parts, or one that is not there
        raise _refuse(f"{name} cannot be accepted: it is damaged", "damaged")
    raise _not_allowed(name, "an Office file of a kind we do not accept")


def check_document(uploaded: UploadedFile) -> Detected:
    """What the uploaded file is, judged by its contents against the allow-list; a ValidationError that says
    why (naming the file) when it is refused. The file is left at its start."""
    named = clean_filename(getattr(uploaded, "name", ""))
    name = named or "The selected file"
    limit = int(getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))
    size = size_of(uploaded)
    if size == 0:
        raise _refuse(
            f"The selected file is empty: {named} has nothing in it" if named else "The selected file is empty", "empty"
        )
    if size > limit:
        whose = f"{named} is" if named else "it is"
        raise _refuse(
            f"The selected file must be smaller than {size_text(limit)}: {whose} {size_text(size, up=True)}",
            "too_large",
        )
    handle = rewound(uploaded)
    head = handle.read(HEAD_BYTES)
    handle.seek(0)

    if head.startswith(b"%PDF-"):
        return _agree(name, PDF)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _agree(name, PNG)
    if head.startswith(b"\xff\xd8\xff"):
        return _agree(name, JPEG)
    if head.startswith(OLE2_MAGIC):
        raise _judge_ole2(uploaded, name)
    if head.startswith(b"PK\x03\x04"):
        return _judge_zip(uploaded, name, size)

    binary = describe_binary(head)
    if binary is not None:
        raise _not_allowed(name, binary)
    markup = None if b"\x00" in head else describe_text(head)
    if markup is not None:
        raise _not_allowed(name, markup)
    if b"\x00" in head or not is_text(uploaded):
        raise _not_allowed(name, "not a type of file we recognise")
    if PurePosixPath(named).suffix.lower() in {"", ".csv"}:
        return CSV
    claimed = _claimed(name)
    if claimed is not None:
        raise _not_allowed(name, "plain text")
    raise _refuse(
        f"{name} is a text file: the only text files allowed are CSV files. If it is a CSV file, rename it to end "
        "in .csv and upload it again",
        "file_type",
    )
