"""Workarounds for WeasyPrint's PDF tags, in one place so they are easy to drop once upstream fixes them.

WeasyPrint 70 writes a tagged PDF (PDF/UA-1) but, read against the Matterhorn Protocol's machine-checkable
conditions, leaves out what the HTML says (its issues #2508, #1836, #2903):

- no `/TH` carries a `/Scope`, although the HTML's `<th>` has `scope`;
- a link annotation's `/Contents` is its target ("#introduction"), not words a reader can use;
- a chart's `/Figure` has its `<title>` as `/Alt`, without the numbers its `<desc>` gives;
- running headers, footers and page numbers are marked content of structure elements left out of the tree,
  not artifacts (docs/adr/011-pdf-page-furniture-as-artifacts.md).

`finish` is WeasyPrint's documented `finisher` hook: it runs once the structure tree is built, before the
PDF is written, and mends those four from the laid-out boxes and the page streams.
tests/reports/test_pdf_tags.py checks the result and runs the same checks on WeasyPrint's own output,
expecting them to fail: when that canary passes, upstream has fixed a point and its workaround here can go.
"""

from collections.abc import Iterator

import pydyf
from weasyprint import Document
from weasyprint.formatting_structure import boxes

SVG = "{http://www.w3.org/2000/svg}"
SCOPES = {"col": "/Column", "colgroup": "/Column", "row": "/Row", "rowgroup": "/Row"}


def _boxes(box: boxes.Box) -> Iterator[boxes.Box]:
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _boxes(child)


def _words(element: object) -> str:
    return " ".join("".join(element.itertext()).split())  # type: ignore[attr-defined]


def _scope(cell: boxes.TableCellBox, in_head: bool) -> str:
    """The header cell's scope as the HTML gives it; without one, a header row's cells head their columns
    and any other heads both its row and its column."""
    scope = cell.element.attrib.get("scope", "").lower()
    return SCOPES.get(scope, "/Column" if in_head else "/Both")


def _link_words(box: boxes.Box) -> str:
    """What a link says, for its annotation: its own words, and where an external one leads."""
    words = _words(box.element) or box.element.attrib.get("href", "")
    href = box.element.attrib.get("href", "")
    if href.startswith("mailto:"):
        return f"E-mail {words}"
    if href.startswith("#"):
        return f"Go to {words}"
    return f"Web address {href}" if words == href else f"{words} ({href})"


def _chart_alt(svg: object) -> tuple[str, str] | None:
    """An SVG chart's title (what WeasyPrint gives as `/Alt`) and its title with its description."""
    title = svg.find(f"{SVG}title")  # type: ignore[attr-defined]
    desc = svg.find(f"{SVG}desc")  # type: ignore[attr-defined]
    if title is None or not title.text:
        return None
    if desc is None or not (desc.text or "").strip():
        return title.text, title.text
    return title.text, f"{title.text.rstrip('.')}: {' '.join(desc.text.split())}"


def finish(document: Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint's finisher: mend the structure tree and annotations before the PDF is written."""
    alts = {}
    for page in document.pages:
        head_rows: set[int] = set()
        for box in _boxes(page._page_box):
            if isinstance(box, boxes.TableRowGroupBox) and (box.is_header or box.element_tag == "thead"):
                head_rows.update(id(row) for row in box.children)
            if isinstance(box, boxes.TableRowBox):
                for cell in box.children:
                    mark = getattr(cell, "mark", None)
                    if cell.element_tag == "th" and mark is not None:
                        mark["A"]["Scope"] = _scope(cell, id(box) in head_rows)
            annotation = getattr(box, "link_annotation", None)
            if annotation is not None and box.element is not None:
                annotation["Contents"] = pydyf.String(_link_words(box))
            if box.element is not None and box.element.tag == f"{SVG}svg" and (alt := _chart_alt(box.element)):
                alts[alt[0]] = alt[1]
    _furniture_as_artifacts(pdf)
    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and item.get("S") == "/Figure":
            alt = item.get("Alt")
            if isinstance(alt, pydyf.String) and alt.string in alts:
                item["Alt"] = pydyf.String(alts[alt.string])


def _object(pdf: pydyf.PDF, reference: object) -> object:
    """The object a reference (b"12 0 R") names, or None for anything else."""
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return pdf.objects[int(reference.split()[0])]
    return None


def _furniture_as_artifacts(pdf: pydyf.PDF) -> None:
    """Page furniture becomes /Pagination artifacts: every marked content whose structure element is not in
    the tree (WeasyPrint leaves the margin boxes' out) is re-marked /Artifact in its page's stream, and its
    parent-tree entry is emptied."""
    root = _object(pdf, pdf.catalog.get("StructTreeRoot"))
    if root is None:
        return
    in_tree, stack = set(), list(root["K"])
    while stack:
        element = _object(pdf, stack.pop())
        if isinstance(element, pydyf.Dictionary) and element.number not in in_tree:
            in_tree.add(element.number)
            stack.extend(kid for kid in element.get("K", ()) if isinstance(kid, bytes))
    numbers = _object(pdf, root["ParentTree"])["Nums"]
    for page_number, page_reference in enumerate(pdf.page_references):
        index = numbers.index(page_number, 0, 2 * len(pdf.page_references))
        marks = numbers[index + 1]
        outside = {mcid for mcid, reference in enumerate(marks) if _object(pdf, reference).number not in in_tree}
        if not outside:
            continue
        stream = _object(pdf, _object(pdf, page_reference)["Contents"]).stream
        for position, token in enumerate(stream[1:-1], start=1):
            if isinstance(token, pydyf.Dictionary) and token.get("MCID") in outside and stream[position + 1] == b"BDC":
                stream[position - 1] = "/Artifact"
                stream[position] = pydyf.Dictionary({"Type": "/Pagination"})
        for mcid in outside:
            marks[mcid] = b"null"
