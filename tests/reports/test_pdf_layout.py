"""The report PDF looks published: its own typeface, embedded, whatever fonts the machine has; no page number
on the cover; headings kept with what follows, the provenance line with what it vouches for; small tables
whole; long tables with their header row on each page; cells apart. Checked on both St Helens reports, and on
a document made to break each rule, so that the checks are seen to fail."""

import json
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from recommendations.templatetags.plan import url_breaks
from reports import pdf

from . import pdf_checks

pytestmark = pytest.mark.django_db  # the St Helens demo is made, read and rolled back once for the module

ROOT = Path(__file__).resolve().parents[2]
FONT = "SourceSans3"


@pytest.fixture(scope="module")
def laid_out(st_helens: dict[str, str]) -> dict[str, object]:
    return {title: pdf.lay_out(document) for title, document in st_helens.items()}


@pytest.mark.parametrize("check", pdf_checks.LAYOUT_CHECKS, ids=lambda check: check.__name__)
def test_both_st_helens_reports_pass_the_layout_checks(laid_out: dict[str, object], check: object) -> None:
    problems = [f"{title}: {problem}" for title, document in laid_out.items() for problem in check(document)]
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def laid_out_drafts(st_helens_editions: dict[str, dict[str, str]]) -> dict[str, object]:
    return {title: pdf.lay_out(document) for title, document in st_helens_editions["draft"].items()}


@pytest.mark.parametrize("check", pdf_checks.LAYOUT_CHECKS, ids=lambda check: check.__name__)
def test_both_st_helens_drafts_pass_the_layout_checks(laid_out_drafts: dict[str, object], check: object) -> None:
    """A draft's cover and provenance line are longer than the published version's."""
    problems = [
        f"{title} (draft): {problem}" for title, document in laid_out_drafts.items() for problem in check(document)
    ]
    assert not problems, "\n".join(problems)


BROKEN = """<!DOCTYPE html><html lang="en-GB"><head><title>Broken</title><style>
@page { size: A6; margin: 15mm 10mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); } }
h2 { break-after: auto; } td, th { padding: 0; } table { font-size: 8pt; }
</style></head><body>
<p style="height: 95mm; margin: 0">Filler that leaves a heading at the foot of the page.</p>
<h2>A stranded heading</h2>
<p>Its paragraph, over the page.</p>
<p style="height: 85mm; margin: 0">Filler.</p>
<table><caption>Six rows</caption><thead><tr><th>Name</th><th>Words</th></tr></thead><tbody>
<tr><td>one</td><td>1</td></tr><tr><td>two</td><td>2</td></tr><tr><td>three</td><td>3</td></tr>
<tr><td>four</td><td>4</td></tr><tr><td>five</td><td>5</td></tr><tr><td>six</td><td>6</td></tr></tbody></table>
<table style="width: 30mm"><caption>Touching</caption><tbody>
<tr><td>Cheshirecatsmile</td><td>Marchharesteaparty</td></tr></tbody></table>
</body></html>"""


def test_the_layout_checks_fail_on_a_document_that_breaks_them() -> None:
    """The checks are seen to fail, each naming what broke its rule, on a document made to break them."""
    document = pdf.lay_out(BROKEN)
    assert pdf_checks.pages_ending_with_a_heading(document) == [
        "page 1 ends with the heading <h2> 'A stranded heading'"
    ]
    assert pdf_checks.small_tables_split(document)[0].startswith("table 'Six rows' (6 rows) is split across pages")
    assert pdf_checks.page_numbers_on_the_cover(document) == ["the cover has running text 'Page 1 of 3'"]
    assert any(
        "'Cheshirecatsmile' and 'Marchharesteaparty'" in problem for problem in pdf_checks.cells_too_close(document)
    )

    alone = pdf.lay_out(
        '<html lang="en-GB"><title>Alone</title><style>@page { size: A6 }</style><p style="height: 120mm">Filler</p>'
        '<footer class="app-report__provenance"><p>Generated on 6 December 2026.</p></footer>'
    )
    assert pdf_checks.pages_holding_only_the_provenance(alone) == ["page 2 holds only the provenance line"]

    address = "https://www.sthelens.gov.uk/council/council-finance-performance/council-budgets/"
    evidence = (
        f'<html lang="en-GB"><title>URL</title><link rel="stylesheet" href="{pdf.STATIC_PREFIX}css/report-print.css">'
        "<p>Budget Strategy 2021-2022, (report to Cabinet, 7 October 2020) (link, 7 October 2020), "
        f'<a href="{address}">{{}}</a>'
    )
    assert pdf_checks.addresses_broken_after_the_scheme(pdf.lay_out(evidence.format(address))) == [
        "page 1: a line ends with 'https://'"
    ]
    assert pdf_checks.addresses_broken_after_the_scheme(pdf.lay_out(evidence.format(url_breaks(address)))) == []

    rows = "".join(f"<tr><td>Row {number}</td></tr>" for number in range(40))
    long = pdf.lay_out(
        f'<html lang="en-GB"><title>Long</title><table><caption>Forty rows</caption>'
        f'<thead style="display: table-row-group"><tr><th>Name</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    assert pdf_checks.long_tables_without_their_header(long) == ["table 'Forty rows' has no header row on page 2"]


def test_the_report_embeds_its_own_typeface_and_no_other(st_helens: dict[str, str]) -> None:
    for title, document in st_helens.items():
        reader = PdfReader(BytesIO(pdf.render_pdf(document)))
        fonts = {
            str(font.get_object()["/BaseFont"])
            for page in reader.pages
            for font in page["/Resources"].get("/Font", {}).values()
        }
        assert fonts and all(FONT in font.replace("-", "") for font in fonts), f"{title}: {fonts}"


POSITIONS = """
import json, sys
import django
django.setup()
from recommendations.templatetags.plan import url_breaks
from reports import pdf
from tests.reports import pdf_checks
document = pdf.lay_out(open(sys.argv[1], encoding="utf-8").read())
print(json.dumps(pdf_checks.text_positions(document)))
"""

NO_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


def _positions(path: Path, **env: str) -> list:
    result = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", POSITIONS, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "councilimprove.settings", **env},
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_machine_without_fonts_renders_the_report_the_same(st_helens: dict[str, str], tmp_path: Path) -> None:
    """With FONTCONFIG_FILE naming a configuration with no font directories, the report has the same pages
    and every word stands where it does on a machine with fonts: only the shipped typeface is used."""
    title, document = next(iter(st_helens.items()))
    source = tmp_path / "report.html"
    source.write_text(document, encoding="utf-8")
    no_fonts = tmp_path / "fonts.conf"
    no_fonts.write_text(NO_FONTS.format(cache=tmp_path / "cache"), encoding="utf-8")

    usual = _positions(source)
    bare = _positions(source, FONTCONFIG_FILE=str(no_fonts))
    assert len(bare) == len(usual) > 1, title
    for number, (expected, found) in enumerate(zip(usual, bare, strict=True), start=1):
        assert found == expected, f"{title}: page {number} differs without the machine's fonts"


def test_a_report_whose_table_crosses_a_page_passes_the_layout_checks(long_table_report: str) -> None:
    """Its recommendations in full cross a page, with their header row on each."""
    document = pdf.lay_out(long_table_report)
    pages = {
        number
        for number, page in enumerate(document.pages, start=1)
        for box, _ in pdf_checks.walk(page._page_box)
        if getattr(box, "element_tag", None) == "table"
        and "The recommendations in full" in pdf_checks.text(box.element)
    }
    assert len(pages) == 2, pages
    assert pdf_checks.layout_problems(document) == []
