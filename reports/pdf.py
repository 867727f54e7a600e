"""The report as an accessible PDF: WeasyPrint, A4, tagged (PDF/UA-1), with its title, author and language.

WeasyPrint fetches what a document refers to through a URL fetcher. Ours serves only the project's own
static files, under a base address that exists nowhere (`BASE_URL`), and refuses everything else: the
network, local files, data the narrative might name. A refused fetch leaves the resource out of the PDF.
"""

import hashlib
import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import HTML, Document
from weasyprint import __version__ as weasyprint_version
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import pdf_tags

BASE_URL = "https://report.council-improve.invalid/"
STATIC_PREFIX = f"{BASE_URL}static/"
PDF_VARIANT = "pdf/ua-1"
# What the PDF template fetches: a change to any of them changes every PDF (reports/report_pdf.html, the
# stylesheet's @font-face rules).
ASSETS = (
    "css/report-print.css",
    "build/fonts/SourceSans3-Regular.ttf",
    "build/fonts/SourceSans3-It.ttf",
    "build/fonts/SourceSans3-Semibold.ttf",
    "build/fonts/SourceSans3-Bold.ttf",
)


class StaticFilesOnly(URLFetcher):
    """Serves `BASE_URL/static/<path>` from the project's static files; refuses every other address."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if not url.startswith(STATIC_PREFIX):
            raise ValueError(f"The report may not fetch {url[:100]}")
        path = PurePosixPath(unquote(urlsplit(url).path)).relative_to("/static")
        if ".." in path.parts:
            raise ValueError(f"The report may not fetch {url[:100]}")
        found = finders.find(str(path))
        if not found:
            raise ValueError(f"No static file {path}")
        with open(found, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(str(path))[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def lay_out(document: str) -> Document:
    """A whole HTML document (reports/report_pdf.html) laid out in pages, not yet written: its pages' boxes
    are what the layout checks read (tests/reports/pdf_checks.py)."""
    return HTML(string=document, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).render(pdf_variant=PDF_VARIANT)


def render_pdf(document: str) -> bytes:
    """A whole HTML document (reports/report_pdf.html) as PDF bytes, its tags mended (reports/pdf_tags.py)."""
    return lay_out(document).write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False, finisher=pdf_tags.finish)


def pdf_document(*, content_html: str, title: str, author: str, draft: bool) -> str:
    """The standalone document the PDF is made from: the report's content with the print stylesheet."""
    return render_to_string(
        "reports/report_pdf.html",
        {
            "content_html": mark_safe(content_html),  # noqa: S308 - our own template's output
            "title": title,
            "author": author,
            "draft": draft,
            "base": BASE_URL,
        },
    )


def renderer_fingerprint() -> str:
    """SHA-256 of what turns a document into a PDF besides the document itself: the stylesheet, the fonts
    and the renderer's version. A stored draft PDF made with another is out of date."""
    digest = hashlib.sha256(f"weasyprint {weasyprint_version} {PDF_VARIANT}".encode())
    for asset in ASSETS:
        found = finders.find(asset)
        digest.update(f"\n{asset}\n".encode())
        if found:
            with open(found, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()
