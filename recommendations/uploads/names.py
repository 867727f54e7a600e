"""Uploaded names are display text only: cleaned for showing, and for the name a download is offered under."""

import unicodedata
from pathlib import PurePosixPath

from .kinds import BY_EXTENSION


def clean_filename(name: str | None, *, limit: int = 255) -> str:
    """The uploaded name as display text: its last path part, no control or invisible formatting characters
    (a right-to-left override can disguise an extension), whitespace collapsed, at most `limit` characters
    with the extension kept. It is never used to name anything on disk."""
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    kept = []
    for character in text:
        category = unicodedata.category(character)
        if category in {"Cc", "Zl", "Zp"}:
            kept.append(" ")
        elif category not in {"Cf", "Cs", "Co", "Cn"}:
            kept.append(character)
    text = " ".join("".join(kept).split()).strip(" .")
    if len(text) > limit:
        suffix = PurePosixPath(text).suffix
        if len(suffix) > 16:
            suffix = ""
        text = text[: limit - len(suffix)].rstrip(" .") + suffix
    return text


def download_filename(original: str, extension: str) -> str:
    """The name a download is offered under: the original name, with the extension of what the file is
    when the name says otherwise (or says nothing)."""
    name = clean_filename(original) or "evidence"
    suffix = PurePosixPath(name).suffix.lower()
    kind = BY_EXTENSION.get(extension.lower())
    if suffix == extension.lower() or (kind is not None and suffix in kind.extensions):
        return name
    stem = name[: -len(suffix)] if suffix and suffix[1:].isalnum() and len(suffix) <= 6 else name
    return clean_filename(f"{stem or 'evidence'}{extension}")


def names_listed(names: list[str]) -> str:
    """a.pdf; a.pdf and b.pdf; a.pdf, b.pdf and c.pdf: for a sentence that names files."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
