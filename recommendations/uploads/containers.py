"""ZIP packages and OLE2 compound files, inspected without extracting anything.

Declared sizes are read, and trusted no further than that: the two members read (`[Content_Types].xml`,
`mimetype`) are read with a cap, and XML that declares a document type is refused.
"""

import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat

from django.core.files.uploadedfile import UploadedFile

from .sniff import chunks

# ZIP limits: far beyond any real document, well short of a bomb. Declared sizes are read, never trusted
# further than that: the two members we do read are read with a cap.
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_ZIP_RATIO = 1000  # deflate cannot do better than about 1032:1, which only a run of one byte reaches
MAX_MEMBER_BYTES = 1024 * 1024  # [Content_Types].xml
RATIO_FLOOR_BYTES = 1024 * 1024  # small members may compress well; the ratio check starts here


@dataclass
class Zip:
    names: list[str]
    content_types: dict[str, str]  # part name (lower case, no leading slash) or "*.ext" default -> content type
    odf_mimetype: str | None
    encrypted: bool
    damaged: str | None = None  # why the package cannot be trusted


class _XMLRefused(Exception):
    """The XML declares a document type or entities: no package needs them, and they are how XML bombs work."""


def _content_types(data: bytes) -> dict[str, str]:
    """`[Content_Types].xml`: part name or default extension -> content type. Parsed by expat with document
    type declarations refused (no entities, so no entity expansion and no external fetch)."""
    found: dict[str, str] = {}
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_: object) -> None:
        raise _XMLRefused

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        content_type = attributes.get("ContentType", "").strip().lower()
        if local == "Override" and "PartName" in attributes:
            found[attributes["PartName"].strip().lstrip("/").lower()] = content_type
        elif local == "Default" and "Extension" in attributes:
            found["*." + attributes["Extension"].strip().lower()] = content_type

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.StartElementHandler = start
    parser.Parse(data, True)
    return found


def _read_capped(package: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes | None:
    """A member's bytes, or None if it holds more than `cap` (whatever its header declares)."""
    with package.open(info) as member:
        data = member.read(cap + 1)
    return None if len(data) > cap else data


def inspect_zip(handle: IO[bytes], size: int) -> Zip:
    """Read the central directory and the two small members that say what the package is. Never extracts."""
    try:
        with zipfile.ZipFile(handle) as package:
            infos = package.infolist()
            if not infos:
                return Zip([], {}, None, False, damaged="it is an empty ZIP file")
            if len(infos) > MAX_ZIP_ENTRIES:
                return Zip([], {}, None, False, damaged=f"it holds more than {MAX_ZIP_ENTRIES:,} files")
            names = [info.filename for info in infos]
            if len({name.lower() for name in names}) != len(names):
                return Zip(names, {}, None, False, damaged="it holds two files with the same name")
            unpacked = sum(info.file_size for info in infos)
            if unpacked > MAX_ZIP_UNPACKED_BYTES or any(
                info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1)
                for info in infos
            ):
                return Zip(names, {}, None, False, damaged="it would unpack to an unsafe size (a ZIP bomb)")
            previous_end = 0
            for info in sorted(infos, key=lambda info: info.header_offset):
                if info.header_offset < previous_end:
                    return Zip(names, {}, None, False, damaged="its files overlap (a ZIP bomb)")
                encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
                stored_name = info.orig_filename.encode(encoding, errors="replace")
                previous_end = info.header_offset + 30 + len(stored_name) + info.compress_size
                if previous_end > size:
                    return Zip(names, {}, None, False, damaged="it is cut short")
            encrypted = any(info.flag_bits & 0x1 for info in infos)
            if encrypted:
                return Zip(names, {}, None, True)

            odf_mimetype = None
            first = min(infos, key=lambda info: info.header_offset)
            if first.filename == "mimetype":
                data = _read_capped(package, first, 200)
                odf_mimetype = data.decode("ascii").strip() if data is not None else None

            content_types: dict[str, str] = {}
            manifest = next((info for info in infos if info.filename == "[Content_Types].xml"), None)
            if manifest is not None:
                data = _read_capped(package, manifest, MAX_MEMBER_BYTES)
                if data is None:
                    return Zip(names, {}, None, False, damaged="its list of contents is far too large")
                content_types = _content_types(data)
            return Zip(names, content_types, odf_mimetype, False)
    except _XMLRefused:
        return Zip([], {}, None, False, damaged="its list of contents declares XML entities")
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        expat.ExpatError,
        OSError,
        EOFError,
        ValueError,
        KeyError,
        IndexError,
        NotImplementedError,
        RuntimeError,
        UnicodeDecodeError,
        struct.error,
        zlib.error,
    ):
        return Zip([], {}, None, False, damaged="it is damaged")


def ole2_streams(uploaded: UploadedFile) -> set[str]:
    """The names in an OLE2 compound file's directory. Directory entries are 128 bytes, aligned to 128 bytes
    from the start of the file (the header is 512 bytes, sectors 512 or 4096): each starts with its name in
    UTF-16, then the name's length in bytes (with the terminator) at 64 and its type at 66."""
    names: set[str] = set()
    pending = b""
    for chunk in chunks(uploaded):
        data = pending + chunk
        usable = len(data) - len(data) % 128
        for start in range(0, usable, 128):
            entry = data[start : start + 128]
            length = int.from_bytes(entry[64:66], "little")
            if (
                2 <= length <= 64
                and length % 2 == 0
                and entry[66] in (1, 2, 5)
                and entry[length - 2 : length] == b"\0\0"
            ):
                names.add(entry[: length - 2].decode("utf-16-le", errors="replace"))
        pending = data[usable:]
        if len(names) > 10_000:
            break
    return names
