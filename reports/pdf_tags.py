"""Workarounds for WeasyPrint's PDF tags, in one place so they are easy to drop once upstream fixes them.

WeasyPrint 70 writes a tagged PDF (PDF/UA-1) but, read against the Matterhorn Protocol's machine-checkable
conditions, leaves out what the HTML says (its issues #2508, #1836, #2903):

- no `/TH` carries a `/Scope`, although the HTML's `<th>` has `scope`;
- a link annotation's `/Contents` is its target ("#introduction"), not words a reader can use;
- a chart's `/Figure` has its `<title>` as `/Alt`, without the numbers its `<desc>` gives;
- running headers, footers and page numbers are marked content of structure elements left out of the tree,
  not artifacts (docs/adr/011-pdf-page-furniture-as-artifacts.md);
- the structure tree has no `/IDTree`, so the `/ID` a `/TH` has, which a cell's `/Headers` names, resolves
  to nothing;
- the tree is built page by page, so a table crossing a page becomes one `/Table` per page, each after the
  first opening with the repeated header row; and a caption taken out of the flow (a visually hidden one) sits
  in `/Table` elements of its own, nested in the table's (docs/adr/013-pdf-one-table-per-table.md).

`finish` is WeasyPrint's documented `finisher` hook: it runs once the structure tree is built, before the
PDF is written, and mends those six from the laid-out boxes and the page streams.
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
    tables: dict[object, list[boxes.TableBox]] = {}  # each HTML table's boxes, a page each, in page order
    for page in document.pages:
        head_rows: set[int] = set()
        for box in _boxes(page._page_box):
            if isinstance(box, boxes.TableBox):
                tables.setdefault(box.element, []).append(box)
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
    _unnest_tables(pdf)
    for parts in tables.values():
        if len(parts) > 1:
            _one_table(pdf, parts)
    _furniture_as_artifacts(pdf)  # after _one_table: the repeated header rows it leaves out become artifacts
    _id_tree(pdf)
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


def _struct(pdf: pydyf.PDF, box: boxes.Box) -> pydyf.Dictionary | None:
    """The structure element WeasyPrint made for a table's cell, row, row group or table box on one page: a
    cell's is its `mark`; the others' are found upwards from their first cell's."""
    if isinstance(box, boxes.TableCellBox):
        return getattr(box, "mark", None)
    for child in box.children:
        if isinstance(child, boxes.TableRowGroupBox | boxes.TableRowBox | boxes.TableCellBox):
            element = _struct(pdf, child)
            if element is not None:
                return _object(pdf, element["P"])  # type: ignore[return-value]
    return None


def _role(pdf: pydyf.PDF, kid: object) -> str | None:
    """The structure type (`/S`) of the element a kid names, if it names one."""
    element = _object(pdf, kid)
    return element.get("S") if isinstance(element, pydyf.Dictionary) else None


def _unnest_tables(pdf: pydyf.PDF) -> None:
    """A /Table directly in a /Table gives its kids to the outer one, its caption first. WeasyPrint makes such
    a /Table of each anonymous table box it wraps round a caption out of the flow (a visually hidden one,
    `position: absolute`), and puts it after the header rows; a table in a table's cell sits in a /TD, never
    directly in a /Table."""

    def kids(table: pydyf.Dictionary) -> list[object]:
        found = []
        for kid in table["K"]:
            element = _object(pdf, kid)
            if _role(pdf, kid) == "/Table":
                found += kids(element)
                element["K"] = pydyf.Array()
            else:
                found.append(kid)
        return found

    for table in [item for item in pdf.objects if isinstance(item, pydyf.Dictionary) and item.get("S") == "/Table"]:
        if any(_role(pdf, kid) == "/Table" for kid in table["K"]):
            found = kids(table)  # its caption first, as PDF wants it (first or last), not after the header rows
            captions = [kid for kid in found if _role(pdf, kid) == "/Caption"]
            table["K"] = pydyf.Array([*captions, *(kid for kid in found if kid not in captions)])
            for kid in table["K"]:
                if isinstance(element := _object(pdf, kid), pydyf.Dictionary):
                    element["P"] = table.reference


def _one_table(pdf: pydyf.PDF, parts: list[boxes.TableBox]) -> None:
    """One /Table for a table laid out on several pages (`parts`, a page each): each later part's rows join
    the first part's row groups (its body rows the first's /TBody), the row groups a later page repeats (the
    header, the footer) are left out of the tree (so they become artifacts), the cells that named a repeated
    header cell name the one it repeats, and the later /Table, with any element it leaves empty, goes."""
    table = _struct(pdf, parts[0])
    if table is None:
        return
    html_of: dict[int, object] = {}  # structure element's object number: its HTML element (groups, rows, cells)
    first_groups: dict[object, boxes.TableRowGroupBox] = {}
    ids: dict[str, pydyf.String] = {}  # a repeated header cell's ID: the ID of the cell it repeats
    for number, part in enumerate(parts):
        later = _struct(pdf, part) if number else None
        for group in part.children:
            element = _struct(pdf, group)
            if element is None:
                continue
            if later is not None and (group.is_header or group.is_footer) and group.element in first_groups:
                later["K"].remove(element.reference)
                for row, first_row in zip(group.children, first_groups[group.element].children, strict=False):
                    for cell, first_cell in zip(row.children, first_row.children, strict=False):
                        repeated, original = getattr(cell, "mark", {}), getattr(first_cell, "mark", {})
                        if "ID" in repeated and "ID" in original:
                            ids[repeated["ID"].string] = original["ID"]
                continue
            first_groups.setdefault(group.element, group)
            html_of[element.number] = group.element
            for row in group.children:
                if (row_element := _struct(pdf, row)) is not None:
                    html_of[row_element.number] = row.element
                for cell in row.children:
                    if getattr(cell, "mark", None) is not None:
                        html_of[cell.mark.number] = cell.element
        if later is not None:
            _merge(pdf, table, later, html_of)
            _detach(pdf, later)
    for part in parts[1:]:
        for box in _boxes(part):
            headers = getattr(box, "mark", {}).get("A", {}).get("Headers")
            if headers:
                box.mark["A"]["Headers"] = pydyf.Array(ids.get(header.string, header) for header in headers)


def _merge(pdf: pydyf.PDF, into: pydyf.Dictionary, later: pydyf.Dictionary, html_of: dict[int, object]) -> None:
    """`later`'s kids join `into`'s: a kid of the same HTML element as one of `into`'s (a row group, a row
    split across the page, a cell) merges into it; any other is moved to the end. `later` is left empty."""
    existing = {}
    for kid in into["K"]:
        element = _object(pdf, kid)
        if isinstance(element, pydyf.Dictionary) and element.number in html_of:
            existing[html_of[element.number]] = element
    for kid in list(later["K"]):
        element = _object(pdf, kid)
        same = existing.get(html_of.get(getattr(element, "number", None)))
        if same is not None and not any(isinstance(grandkid, int) for grandkid in element["K"]):
            _merge(pdf, same, element, html_of)  # marked content numbers are per page: such a kid moves whole
        else:
            into["K"].append(kid)
            if isinstance(element, pydyf.Dictionary):
                element["P"] = into.reference
    later["K"].clear()


def _detach(pdf: pydyf.PDF, element: pydyf.Dictionary) -> None:
    """Take an emptied structure element out of the tree, and each parent it leaves empty (never /Document)."""
    while element.get("S") != "/Document" and (parent := _object(pdf, element.get("P"))) is not None:
        parent["K"].remove(element.reference)
        if parent["K"]:
            return
        element = parent


def _in_tree(pdf: pydyf.PDF, root: pydyf.Dictionary) -> dict[int, pydyf.Dictionary]:
    """The structure elements reachable from the root, by object number, in the tree's order."""
    in_tree, stack = {}, list(reversed(root["K"]))
    while stack:
        element = _object(pdf, stack.pop())
        if isinstance(element, pydyf.Dictionary) and element.number not in in_tree:
            in_tree[element.number] = element
            stack.extend(reversed([kid for kid in element.get("K", ()) if isinstance(kid, bytes)]))
    return in_tree


def _id_tree(pdf: pydyf.PDF) -> None:
    """The structure tree's /IDTree, which PDF requires where elements have an /ID (ISO 32000-1, 14.7.2) and
    WeasyPrint leaves out: without it, no reader can resolve the header cells a cell's /Headers names."""
    root = _object(pdf, pdf.catalog.get("StructTreeRoot"))
    if root is None:
        return
    ids = sorted(
        (element["ID"].string, element.reference)
        for element in _in_tree(pdf, root).values()
        if isinstance(element.get("ID"), pydyf.String)
    )
    if ids:
        names = pydyf.Dictionary(
            {"Names": pydyf.Array(item for pair in ids for item in (pydyf.String(pair[0]), pair[1]))}
        )
        pdf.add_object(names)
        root["IDTree"] = names.reference


def _furniture_as_artifacts(pdf: pydyf.PDF) -> None:
    """Page furniture becomes /Pagination artifacts: every marked content whose structure element is not in
    the tree (WeasyPrint leaves the margin boxes' out; `_one_table` a table's repeated header rows) is
    re-marked /Artifact in its page's stream, and its parent-tree entry is emptied."""
    root = _object(pdf, pdf.catalog.get("StructTreeRoot"))
    if root is None:
        return
    in_tree = _in_tree(pdf, root)
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
