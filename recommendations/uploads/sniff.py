"""Reading an upload, and what its first bytes say it is."""

import codecs
import re
from collections.abc import Iterator
from typing import IO

from django.core.files.uploadedfile import UploadedFile

HEAD_BYTES = 8192
CHUNK_BYTES = 64 * 1024


def rewound(uploaded: UploadedFile) -> IO[bytes]:
    handle = getattr(uploaded, "file", None) or uploaded
    handle.seek(0)
    return handle  # type: ignore[return-value]


def size_of(uploaded: UploadedFile) -> int:
    if uploaded.size is not None:
        return int(uploaded.size)
    handle = rewound(uploaded)
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(0)
    return size


def chunks(uploaded: UploadedFile) -> Iterator[bytes]:
    handle = rewound(uploaded)
    while chunk := handle.read(CHUNK_BYTES):
        yield chunk
    handle.seek(0)


_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<object", b"<embed")
_WEAK_HTML_MARKERS = (b"<meta", b"<style", b"<form", b"<img", b"<a ", b"<div", b"<title", b"<base", b"<link", b"<p>")


def describe_binary(head: bytes) -> str | None:
    """A refused binary format, named for people (None: not one we know)."""
    has_nul = b"\x00" in head[:512]
    if head.startswith((b"\x7fELF", b"\x00asm")) or head[:4] in {
        b"\xca\xfe\xba\xbe",
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
    }:
        return "a program"
    if head.startswith(b"MZ") and has_nul:
        return "a program"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "a GIF image"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "a WebP image"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "a TIFF image"
    if head.startswith(b"BM") and has_nul:
        return "a BMP image"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "an HEIC image" if brand in {b"heic", b"heix", b"heif", b"mif1", b"msf1", b"avif"} else "a video"
    if head.startswith((b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\xfd7zXZ\x00")) or (
        head.startswith(b"BZh") and has_nul
    ):
        return "a compressed archive"
    if head.startswith(b"PK\x05\x06"):
        return "an empty ZIP file"
    if head.startswith((b"ID3", b"OggS", b"fLaC")) or (head.startswith(b"RIFF") and head[8:12] in {b"WAVE", b"AVI "}):
        return "a sound or video file"
    return None


def describe_text(head: bytes) -> str | None:
    """A refused text format (markup, scripts, documents other than CSV), named for people."""
    text = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if text.startswith(b"{\\rtf"):
        return "a Rich Text Format document"
    if text.startswith(b"%!ps"):
        return "a PostScript file"
    if text.startswith(b"#!") or text.startswith((b"<?php", b"<%", b"@echo off")):
        return "a script"
    if text.startswith(b"mime-version:") or b"\nmime-version:" in text[:2048]:
        return "a web archive or email (MIME)"
    lowered = head.lower()
    if b"<svg" in lowered:
        return "an SVG image"
    if any(marker in lowered for marker in _HTML_MARKERS) or (
        text.startswith(b"<") and any(marker in lowered for marker in _WEAK_HTML_MARKERS)
    ):
        return "an HTML page"
    if text.startswith(b"<?xml"):
        return "an XML file"
    return None


def is_text(uploaded: UploadedFile) -> bool:
    """Decodes as UTF-8 (with or without a byte-order mark) or as Windows-1252, with no control characters
    other than tab, line breaks and form feed."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for chunk in chunks(uploaded):
                if not _printable(decoder.decode(chunk)):
                    return False
            if not _printable(decoder.decode(b"", final=True)):
                return False
        except UnicodeDecodeError:
            continue
        return True
    return False


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _printable(text: str) -> bool:
    return _CONTROL.search(text) is None
