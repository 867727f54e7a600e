"""Evidence files are judged by their contents, never by their names.

`check_document` accepts only the allow-list (PDF; Word, Excel and PowerPoint in their OOXML formats;
OpenDocument text, spreadsheet and presentation; CSV; PNG; JPEG) and refuses everything else with a
message that says why: old binary Office and password-protected Office files (both OLE2 compound files),
macro-enabled Office files, HTML, SVG and scripts under another name, programs, archives, empty and
oversized files, damaged ZIPs and ZIP bombs. A ZIP is never extracted: only its central directory and two
small, size-capped members (`[Content_Types].xml`, `mimetype`) are read.

A name is used only to make the message helpful ("report.pdf is not a PDF: its contents are an HTML
page") and to refuse a name that claims one allowed type for the contents of another. Standard library only.
"""

from .check import check_document, size_text
from .kinds import ALLOWED, Detected
from .names import clean_filename, download_filename, names_listed

__all__ = ["ALLOWED", "Detected", "check_document", "clean_filename", "download_filename", "names_listed", "size_text"]
