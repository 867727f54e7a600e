"""A workbook's package, read as little as the reading needs and never trusted further than its limits.

The ZIP directory's sizes are checked before any part is opened (all parts together, and each part's ratio of
unpacked to packed size), and the ZIP reader stops at a part's declared size, so nothing unpacks to more than
was checked. Every XML part is parsed through defusedxml's expat reader, streaming, with document type
declarations refused: no entity of any kind, in any part, whatever its encoding or wherever it stands in the
part, and nothing fetched. The parts the import does not read are parsed too, to the same rule. A handler
sees elements by their local names and may stop the parse at a limit by raising; nothing builds a tree.
"""

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from xml.sax import SAXException
from xml.sax.handler import ContentHandler, feature_namespaces

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

from .limits import MAX_PART_RATIO, MAX_UNPACKED_BYTES, MAX_XML_DEPTH, RATIO_FLOOR_BYTES
from .rows import FileRefused

CHUNK_BYTES = 64 * 1024
RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{max(size // 1024, 1):,} KB"


class Stop(Exception):  # noqa: N818 - not an error: the handler has what it wanted
    """Raised by a handler that needs no more of its part."""


class Handler(ContentHandler):
    """Elements by local name (`start`, `end`) and their attributes by local name; the text of the element
    being collected (`collect()` in `start`, `text()` in `end`). Nesting deeper than MAX_XML_DEPTH is damage."""

    def __init__(self) -> None:
        super().__init__()
        self.path: list[str] = []
        self._collecting = False
        self._text: list[str] = []

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: object) -> None:  # noqa: N802
        self.path.append(name[1])
        if len(self.path) > MAX_XML_DEPTH:
            raise SAXException("nested too deeply")
        self.start(name[1], {key[1]: value for key, value in attrs.items()})  # type: ignore[attr-defined]

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:  # noqa: N802
        self.end(name[1])
        self.path.pop()

    def characters(self, content: str) -> None:
        if self._collecting:
            self._text.append(content)

    def collect(self) -> None:
        self._collecting, self._text = True, []

    def text(self) -> str:
        self._collecting = False
        return "".join(self._text)

    def start(self, local: str, attributes: dict[str, str]) -> None:
        pass

    def end(self, local: str) -> None:
        pass


class Package:
    """The workbook's ZIP archive. Refusals name the file (`name`)."""

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise self.damaged() from exc
        self.infos = {info.filename: info for info in self.zip.infolist() if not info.is_dir()}

    def damaged(self) -> FileRefused:
        return FileRefused([f"{self.name} cannot be read as an Excel workbook: it is damaged"])

    def check_sizes(self) -> None:
        """From the archive's directory alone: its parts, unpacked, and how far each part is compressed."""
        total = sum(info.file_size for info in self.infos.values())
        if total > MAX_UNPACKED_BYTES:
            raise FileRefused(
                [
                    f"{self.name} is too large to read: it unpacks to {megabytes(total)}; "
                    f"the limit is {megabytes(MAX_UNPACKED_BYTES)}"
                ]
            )
        for info in self.infos.values():
            packed = max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_PART_RATIO * packed:
                raise FileRefused(
                    [
                        f"{self.name} cannot be accepted: its part {info.filename} would unpack from "
                        f"{megabytes(packed)} to {megabytes(info.file_size)}, {info.file_size // packed:,} times "
                        f"its size; the limit is {MAX_PART_RATIO} times (it looks like a ZIP bomb)"
                    ]
                )

    def has(self, part: str) -> bool:
        return part in self.infos

    def chunks(self, part: str, handler: Handler, *, unread: bool = False) -> Iterator[None]:
        """Parse `part` with `handler`, a chunk at a time, pausing after each (a reader takes what the handler
        has gathered). A handler's FileRefused goes through; Stop ends the parse quietly. A part the import
        does not read (`unread`) is refused for entities only: if it is not XML at all, nothing reads it."""
        parser = DefusedExpatParser(forbid_dtd=True)
        parser.setFeature(feature_namespaces, True)
        parser.setContentHandler(handler)
        try:
            with self.zip.open(self.infos[part]) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    parser.feed(chunk)
                    yield
                parser.close()
        except Stop:
            return
        except DefusedXmlException as exc:
            raise FileRefused(
                [f"{self.name} cannot be accepted: its part {part} declares XML entities or a document type"]
            ) from exc
        except SAXException as exc:
            if not unread:
                raise self.damaged() from exc
        except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
            raise self.damaged() from exc

    def parse(self, part: str, handler: Handler, *, unread: bool = False) -> None:
        for _ in self.chunks(part, handler, unread=unread):
            pass

    def check_other_parts(self, read: set[str]) -> None:
        """Every XML part the import does not read, parsed to the same rule (no document type, no entities):
        any part whose declared type is XML, or that has no declared type; only declared binary parts (images,
        printer settings, VML drawings) are left unparsed. One that is not well-formed is left alone."""
        types = _ContentTypes()
        self.parse("[Content_Types].xml", types)
        for part in self.infos:
            if part in read or part == "[Content_Types].xml":
                continue
            declared = types.overrides.get(part.lower()) or types.defaults.get(posixpath.splitext(part)[1][1:].lower())
            if declared is None or "xml" in declared:
                self.parse(part, Handler(), unread=True)

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """The relationships of `part`: id → (type, the target part's name)."""
        folder, file = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{file}.rels")
        if not self.has(rels):
            return {}
        handler = _Relationships()
        self.parse(rels, handler)
        return {
            key: (kind, target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target)))
            for key, (kind, target) in handler.found.items()
        }


class _ContentTypes(Handler):
    def __init__(self) -> None:
        super().__init__()
        self.defaults: dict[str, str] = {}
        self.overrides: dict[str, str] = {}

    def start(self, local: str, attributes: dict[str, str]) -> None:
        kind = attributes.get("ContentType", "").lower()
        if local == "Default":
            self.defaults[attributes.get("Extension", "").lower()] = kind
        elif local == "Override":
            self.overrides[attributes.get("PartName", "").lstrip("/").lower()] = kind


class _Relationships(Handler):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, tuple[str, str]] = {}

    def start(self, local: str, attributes: dict[str, str]) -> None:
        if local == "Relationship" and attributes.get("TargetMode") != "External":
            self.found[attributes.get("Id", "")] = (attributes.get("Type", ""), attributes.get("Target", ""))
