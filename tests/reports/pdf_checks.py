"""Checks of a report PDF: its layout (WeasyPrint's `Document.pages`, read box by box) and its tags (the
written PDF, read with pypdf). Each returns the problems it found, each naming the element that broke the
rule, so a failing test says where to look.

Shared by tests/reports/test_pdf_layout.py and test_pdf_tags.py, which run them on the St Helens reports and,
to show they can fail, on a document made to break each rule or on WeasyPrint's own output.
"""

import re
from collections.abc import Iterator
from io import BytesIO

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
from weasyprint import HTML, Document
from weasyprint.formatting_structure import boxes

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SMALL_TABLE_ROWS = 10  # a table of this many body rows or fewer is never split across pages
GUTTER_PX = 2 * 96 / 25.4  # 2 mm in CSS pixels, WeasyPrint's unit: the least space between two cells' text


def walk(box: boxes.Box, ancestors: tuple[boxes.Box, ...] = ()) -> Iterator[tuple[boxes.Box, tuple[boxes.Box, ...]]]:
    """Every box under `box` (itself included), depth first in document order, with its ancestors."""
    yield box, ancestors
    for child in getattr(box, "children", ()) or ():
        yield from walk(child, (*ancestors, box))


def text(element: object) -> str:
    """An element's words, squeezed to one line and cut short, to name it in a problem."""
    words = " ".join("".join(element.itertext()).split())  # type: ignore[attr-defined]
    return words if len(words) <= 60 else words[:57] + "..."


def _content_texts(page_box: boxes.PageBox) -> list[tuple[boxes.TextBox, tuple[boxes.Box, ...]]]:
    """The page's text in its flow (running headers and footers left out)."""
    return [
        (box, ancestors)
        for box, ancestors in walk(page_box)
        if isinstance(box, boxes.TextBox)
        and box.text.strip()
        and not any(isinstance(ancestor, boxes.MarginBox) for ancestor in ancestors)
    ]


def _margin_text(page_box: boxes.PageBox) -> str:
    return " ".join(
        box.text.strip()
        for box, ancestors in walk(page_box)
        if isinstance(box, boxes.TextBox) and any(isinstance(ancestor, boxes.MarginBox) for ancestor in ancestors)
    ).strip()


def _caption(table: object) -> str:
    caption = next(iter(table.iter("caption")), None)  # type: ignore[attr-defined]
    return f"table '{text(caption)}'" if caption is not None else f"table starting '{text(table)}'"


def pages_ending_with_a_heading(document: Document) -> list[str]:
    """A heading is never the last thing on a page (the document's last page aside)."""
    problems = []
    for number, page in enumerate(document.pages[:-1], start=1):
        texts = _content_texts(page._page_box)
        if not texts:
            continue
        _last, ancestors = texts[-1]
        heading = next((box for box in ancestors if box.element_tag in HEADINGS), None)
        if heading is not None:
            problems.append(f"page {number} ends with the heading <{heading.element_tag}> '{text(heading.element)}'")
    return problems


def small_tables_split(document: Document) -> list[str]:
    """A table of SMALL_TABLE_ROWS body rows or fewer lies on one page."""
    pages_of: dict[object, set[int]] = {}
    for number, page in enumerate(document.pages, start=1):
        for box, _ancestors in walk(page._page_box):
            if isinstance(box, boxes.TableBox):
                pages_of.setdefault(box.element, set()).add(number)
    problems = []
    for table, numbers in pages_of.items():
        rows = [row for body in table.iter("tbody") for row in body.iter("tr")]  # type: ignore[attr-defined]
        if len(numbers) > 1 and len(rows) <= SMALL_TABLE_ROWS:
            problems.append(f"{_caption(table)} ({len(rows)} rows) is split across pages {sorted(numbers)}")
    return problems


def long_tables_without_their_header(document: Document) -> list[str]:
    """A table split across pages repeats its header row on every page it is on."""
    problems, seen = [], set()
    for number, page in enumerate(document.pages, start=1):
        for box, _ancestors in walk(page._page_box):
            if not isinstance(box, boxes.TableBox) or box.element.find("thead") is None:
                continue
            if box.element in seen and not any(
                isinstance(group, boxes.TableRowGroupBox) and group.is_header for group in box.children
            ):
                problems.append(f"{_caption(box.element)} has no header row on page {number}")
            seen.add(box.element)
    return problems


def page_numbers_on_the_cover(document: Document) -> list[str]:
    """The cover has no running header, footer or page number; every other page has its page number."""
    problems = []
    for number, page in enumerate(document.pages, start=1):
        margin = _margin_text(page._page_box)
        if number == 1 and margin:
            problems.append(f"the cover has running text '{margin}'")
        elif number > 1 and f"Page {number} of {len(document.pages)}" not in margin:
            problems.append(f"page {number} has no page number (its margins read '{margin}')")
    return problems


def cells_too_close(document: Document) -> list[str]:
    """No two cells of a row overlap or touch: their text is at least GUTTER_PX apart, and within its cell."""
    problems = []
    for number, page in enumerate(document.pages, start=1):
        for box, ancestors in walk(page._page_box):
            if not isinstance(box, boxes.TableRowBox):
                continue
            table = next(ancestor.element for ancestor in reversed(ancestors) if isinstance(ancestor, boxes.TableBox))
            extents = []
            cells = [
                cell
                for cell in box.children
                if isinstance(cell, boxes.TableCellBox) and cell.element_tag in ("td", "th")
            ]
            for cell in sorted(cells, key=lambda cell: cell.position_x):
                texts = [
                    text_box
                    for text_box, _ in walk(cell)
                    if isinstance(text_box, boxes.TextBox) and text_box.text.strip()
                ]
                if not texts:
                    continue
                left = min(text_box.position_x for text_box in texts)
                right = max(text_box.position_x + text_box.width for text_box in texts)
                if left < cell.border_box_x() - 0.5 or right > cell.border_box_x() + cell.border_width() + 0.5:
                    problems.append(f"page {number}, {_caption(table)}: '{text(cell.element)}' runs out of its cell")
                extents.append((cell, left, right))
            for (first, _, first_right), (second, second_left, _) in zip(extents, extents[1:], strict=False):
                if second_left - first_right < GUTTER_PX:
                    problems.append(
                        f"page {number}, {_caption(table)}: '{text(first.element)}' and '{text(second.element)}' "
                        f"are {(second_left - first_right) * 25.4 / 96:.1f} mm apart"
                    )
    return problems


def pages_holding_only_the_provenance(document: Document) -> list[str]:
    """The provenance line (it vouches for the report above it) is never alone on a page."""
    problems = []
    for number, page in enumerate(document.pages, start=1):
        texts = _content_texts(page._page_box)
        if texts and all(
            any(
                "app-report__provenance" in (box.element.get("class") or "")
                for box in ancestors
                if box.element is not None
            )
            for _box, ancestors in texts
        ):
            problems.append(f"page {number} holds only the provenance line")
    return problems


def addresses_broken_after_the_scheme(document: Document) -> list[str]:
    """No line ends with a web address's "https://" (or any scheme's "://"), the rest of it on the next line."""
    return [
        f"page {number}: a line ends with '{box.text.strip()[-40:]}'"
        for number, page in enumerate(document.pages, start=1)
        for box, _ancestors in _content_texts(page._page_box)
        if box.text.rstrip().endswith("://")
    ]


LAYOUT_CHECKS = (
    pages_ending_with_a_heading,
    pages_holding_only_the_provenance,
    addresses_broken_after_the_scheme,
    small_tables_split,
    long_tables_without_their_header,
    page_numbers_on_the_cover,
    cells_too_close,
)


def layout_problems(document: Document) -> list[str]:
    return [problem for check in LAYOUT_CHECKS for problem in check(document)]


def text_positions(document: Document) -> list[list[tuple[str, float, float, float]]]:
    """Each page's runs of text with where they stand and how wide they are (to 0.01 px): two renderings
    that agree here look the same."""
    return [
        [
            (box.text, round(box.position_x, 2), round(box.position_y, 2), round(box.width, 2))
            for box, _ in walk(page._page_box)
            if isinstance(box, boxes.TextBox)
        ]
        for page in document.pages
    ]


# Tags: read from the written PDF (pypdf), against the Matterhorn Protocol's machine-checkable conditions
# and our stricter ones. reports/pdf_tags.py mends what WeasyPrint leaves out.

SCOPES = {"/Column", "/Row", "/Both"}


def _struct_elements(reader: PdfReader) -> Iterator[tuple[DictionaryObject, int | None]]:
    """Every structure element, depth first, with the number of the page it is on (if it says)."""
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, start=1)}
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if isinstance(node, ArrayObject):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, DictionaryObject):
            continue
        if node.get("/Type") == "/StructElem" or "/S" in node:
            page = node.get("/Pg")
            yield node, pages.get(page.idnum) if isinstance(page, IndirectObject) else None
        kids = node.get("/K")
        if kids is not None:
            stack.extend(reversed(kids) if isinstance(kids, ArrayObject) else [kids])


def _attributes(element: DictionaryObject) -> list[DictionaryObject]:
    attributes = element.get("/A")
    if attributes is None:
        return []
    attributes = attributes.get_object()
    items = attributes if isinstance(attributes, ArrayObject) else [attributes]
    return [item.get_object() for item in items if isinstance(item.get_object(), DictionaryObject)]


def headers_without_scope(document: bytes) -> list[str]:
    """Every /TH says what it heads: /Scope Column, Row or Both (stricter than Matterhorn 15-003)."""
    problems = []
    for element, page in _struct_elements(PdfReader(BytesIO(document))):
        if element.get("/S") == "/TH":
            scopes = [attributes.get("/Scope") for attributes in _attributes(element)]
            if not any(scope in SCOPES for scope in scopes):
                problems.append(f"the /TH {element.get('/ID', '(no ID)')} on page {page} has no /Scope")
    return problems


def links_without_words(document: bytes) -> list[str]:
    """Every link annotation has /Contents a reader can use: words, not its destination's id."""
    problems = []
    for number, page in enumerate(PdfReader(BytesIO(document)).pages, start=1):
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            contents = str(annotation.get("/Contents", "")).strip()
            target = str(annotation.get("/Dest", "")) or str(annotation.get("/A", {}).get("/URI", ""))
            if not contents or contents == target or contents == target.lstrip("#") or " " not in contents:
                problems.append(f"the link to '{target}' on page {number} reads '{contents}'")
    return problems


def figures_without_numbers(document: bytes) -> list[str]:
    """Every /Figure has an /Alt that gives, after its title, what it shows with its numbers."""
    problems = []
    for element, page in _struct_elements(PdfReader(BytesIO(document))):
        if element.get("/S") == "/Figure":
            alt = str(element.get("/Alt", ""))
            if not re.search(r":.*\d", alt):
                problems.append(f"the /Figure on page {page} has /Alt '{alt}', without its numbers")
    return problems


TAG_CHECKS = (headers_without_scope, links_without_words, figures_without_numbers)


def content_outside_the_tree(document: bytes) -> list[str]:
    """Every marked content the parent tree names belongs to an element of the structure tree: page
    furniture is an artifact, not content of an element left out of the tree (Matterhorn 01-001, 18-001)."""
    reader = PdfReader(BytesIO(document))
    in_tree = {id(element) for element, _page in _struct_elements(reader)}
    numbers = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"].get_object()["/Nums"]
    problems = []
    for number, page in enumerate(reader.pages, start=1):
        key = page.get("/StructParents")
        marks = numbers[list(numbers[::2]).index(key) * 2 + 1].get_object() if key is not None else []
        for mcid, mark in enumerate(marks):
            element = mark.get_object() if mark is not None else None
            if isinstance(element, DictionaryObject) and id(element) not in in_tree:
                problems.append(
                    f"page {number}: marked content {mcid} belongs to a {element.get('/S')} outside the tree"
                )
    return problems


def _names(tree: DictionaryObject) -> dict[str, object]:
    """A name tree's keys and values, its /Kids followed."""
    names, stack = {}, [tree]
    while stack:
        node = stack.pop().get_object()
        pairs = node.get("/Names", [])
        names.update({str(pairs[index]): pairs[index + 1].get_object() for index in range(0, len(pairs), 2)})
        stack.extend(node.get("/Kids", []))
    return names


def ids_outside_the_id_tree(document: bytes) -> list[str]:
    """Every structure element's /ID is found in the structure tree's /IDTree and names that element (ISO
    32000-1, 14.7.2): otherwise a cell's /Headers name header cells no reader can find."""
    reader = PdfReader(BytesIO(document))
    tree = reader.trailer["/Root"]["/StructTreeRoot"].get_object().get("/IDTree")
    names = _names(tree) if tree is not None else {}
    return [
        f"the {element['/S']} {element['/ID']} on page {page} is not in the /IDTree"
        for element, page in _struct_elements(reader)
        if "/ID" in element and names.get(str(element["/ID"])) is not element
    ]


TAG_CHECKS = (*TAG_CHECKS, content_outside_the_tree, ids_outside_the_id_tree)


def _kids(element: DictionaryObject) -> list[DictionaryObject]:
    """A structure element's kids that are structure elements (not marked content or annotations)."""
    kids = element.get("/K")
    kids = [kid.get_object() for kid in (kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else [])]
    return [kid for kid in kids if isinstance(kid, DictionaryObject) and "/S" in kid]


def _rows(table: DictionaryObject, pages: dict[int, int]) -> tuple[int, int, list[int], bool]:
    """A /Table's rows (its /TR, those of a table inside it left out), how many of them are header rows (under
    /THead), the pages its rows are on, and whether its kids are what a /Table holds: row groups or rows, and
    a /Caption only first or last."""
    kids = [kid["/S"] for kid in _kids(table)]
    sound = set(kids) <= {"/TR", "/THead", "/TBody", "/TFoot", "/Caption"} and "/Caption" not in kids[1:-1]
    rows, head, on, stack = 0, 0, set(), [(kid, False) for kid in _kids(table)]
    while stack:
        element, in_head = stack.pop()
        if element["/S"] == "/TR":
            rows, head = rows + 1, head + in_head
            page = element.get("/Pg")
            on.add(pages.get(page.idnum) if isinstance(page, IndirectObject) else None)
        elif element["/S"] != "/Table":
            stack.extend((kid, in_head or element["/S"] == "/THead") for kid in _kids(element))
    return rows, head, sorted(page for page in on if page is not None), sound


def tables_split_in_the_tree(document: bytes, html: str) -> list[str]:
    """Each table of the document is one /Table in the tags, with the document's rows and a caption first or
    last: not one /Table a page (WeasyPrint 70 builds its tree page by page, and each later part opens with the
    repeated header row), nor one that keeps a repeated header row as a row of its own, nor /Table elements
    nested in it (WeasyPrint's anonymous boxes round a visually hidden caption)."""
    reader = PdfReader(BytesIO(document))
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, start=1)}
    found = [_rows(element, pages) for element, _page in _struct_elements(reader) if element.get("/S") == "/Table"]
    found = [part for part in found if part[0]]  # nested /Table elements (no rows of their own) are named below
    nested = sum(1 for element, _ in _struct_elements(reader) if element.get("/S") == "/Table") - len(found)
    problems = [f"{nested} /Table elements in the tags hold no rows (nested in a table's /Table)"] if nested else []
    for table in HTML(string=html).etree_element.iter("table"):
        expected = sum(1 for _row in table.iter("tr"))
        if not found:
            problems.append(f"{_caption(table)} has no /Table in the tags")
            continue
        parts = [found.pop(0)]
        rows = parts[0][0]
        while rows < expected and found and found[0][2][:1] > parts[-1][2][-1:]:  # a /Table on a later page
            parts.append(found.pop(0))
            rows += parts[-1][0] - parts[-1][1]  # a later part's header rows repeat the first part's
        on = sorted({page for part in parts for page in part[2]})
        if len(parts) > 1:
            problems.append(f"{_caption(table)} is {len(parts)} /Table elements in the tags, one a page of {on}")
        elif rows != expected:
            problems.append(f"{_caption(table)} has {expected} rows, its /Table (pages {on}) {rows}")
        if not all(part[3] for part in parts):
            problems.append(f"{_caption(table)}: its /Table holds more than rows, or its /Caption mid-table")
    problems += [f"a /Table on pages {part[2]} is no table of the document" for part in found]
    return problems


def cells_naming_headers_elsewhere(document: bytes) -> list[str]:
    """Every /Headers of a cell names the /ID of a /TH in the cell's own /Table (Matterhorn 15-005): a cell of a
    table's later page names its header row where the table has it, not a repeat left out of the tree."""
    problems = []
    for table, page in _struct_elements(PdfReader(BytesIO(document))):
        if table.get("/S") != "/Table":
            continue
        cells, stack = [], _kids(table)
        while stack:
            element = stack.pop()
            if element["/S"] in ("/TH", "/TD"):
                cells.append(element)
            if element["/S"] != "/Table":
                stack.extend(_kids(element))
        ids = {str(cell["/ID"]) for cell in cells if cell["/S"] == "/TH" and "/ID" in cell}
        for cell in cells:
            for attributes in _attributes(cell):
                missing = [str(header) for header in attributes.get("/Headers", []) if str(header) not in ids]
                if missing:
                    problems.append(f"a {cell['/S']} of the /Table on page {page} names headers {missing} not in it")
    return problems
