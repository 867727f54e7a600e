"""The recommendations and actions tables: django-tables2 rendered with GOV.UK markup
(templates/django_tables2/govuk.html: caption, sortable headers with aria-sort, GOV.UK pagination).

The rows come from the filter sets (recommendations/filters.py): each carries every value as at the chosen
date (`selectors.with_position`: status, RAG, due date, overdue, % complete, owner, theme and lead
directorate with their names), and sorting on those annotations happens in the database, so a page costs
the same number of queries however big the plan. As at a past date, each row links to its item's page as
at the same date."""

import copy
import datetime as dt
import functools
from collections.abc import Callable, Iterator, Sequence
from operator import attrgetter
from typing import Any, NamedTuple

import django_tables2 as tables
from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Case, Count, Expression, F, IntegerField, QuerySet, Value, When, Window
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape, escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from django_tables2.data import TableData, TableListData, TableQuerysetData
from django_tables2.rows import BoundRows
from django_tables2.templatetags.django_tables2 import table_page_range
from django_tables2.utils import Accessor, AttributeDict, signature

from councilimprove import escaping
from recommendations.models import Action, Rag, Recommendation, Status, UpdateRound
from recommendations.templatetags.components import tag_html
from recommendations.templatetags.plan import attention_tags, overdue_tag, rag_tag, round_state_tag, status_tag

PER_PAGE = 25
STATUS_ORDER = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.COMPLETE, Status.CLOSED]
RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, ""]  # worst first; not assessed last


def _rank(field: str, values: list[str]) -> Case:
    return Case(
        *(When(**{field: value}, then=Value(rank)) for rank, value in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def _icon(direction: str, path: str) -> str:
    return (
        f'<svg class="govuk-pagination__icon govuk-pagination__icon--{direction}" xmlns="http://www.w3.org/2000/svg" '
        'height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">'
        f' <path d="{path}"> </path> </svg>'
    )


# GOV.UK pagination's arrows (includes/components/pagination.html).
_PREVIOUS_ICON = _icon(
    "prev",
    "m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293"
    "-1.414-1.414z",
)
_NEXT_ICON = _icon(
    "next",
    "m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062"
    "-6.7246-6.7266z",
)


class _CellPlan(NamedTuple):
    """How one column's cells are drawn, worked out once a table (`GovUKTable.body_rows`)."""

    opening: str  # the cell's opening tag with its attributes
    value: Callable[[Any], Any]  # the record's value (the column's accessor)
    empty_values: tuple[Any, ...]
    default: Any
    draw: Callable[[Any, Any], Any] | None  # (value, record) to render_<name>, or None to show the value itself


@functools.lru_cache(maxsize=256)  # a pure function of the path: worked out once a process for each column
def _resolver(path: str) -> Callable[[Any], Any]:
    """The value at `path` ("recommendation__reference") as django-tables2 reads it: by attributes, else (a
    dictionary's key, a method to call) by its Accessor; None where the path breaks."""
    get, accessor = attrgetter(path.replace(Accessor.SEPARATOR, ".")), Accessor(path)

    def value(record: Any) -> Any:
        try:
            found = get(record)
        except Exception:  # noqa: BLE001 - not attributes all the way: the Accessor's own rules
            found = value
        if found is value or callable(found):
            try:
                return accessor.resolve(record)
            except Exception:  # noqa: BLE001 - django-tables2 shows a value it cannot reach as empty, too
                return None
        return found

    return value


@functools.cache
def _arguments(function: Callable[..., Any]) -> tuple[str, ...] | None:
    """The arguments a table's render_<name> takes (None: it takes any), as django-tables2 reads them; once a
    process for each method."""
    names, catch_all = signature(function)
    return None if catch_all else tuple(name for name in names if name != "self")


_escape = escaping.escape  # the rows escape every cell


_conditional_escape = escaping.conditional_escape


def _attributes_html(attrs: AttributeDict) -> str:
    """`attrs.as_html()`: for attributes that are all text (a column's cells have the same on every request), worked
    out once a process for each set of them."""
    items = tuple(attrs.items())
    if type(attrs) is AttributeDict and all(type(value) is str for _name, value in items):
        return _plain_attributes_html(items)
    return attrs.as_html()


@functools.lru_cache(maxsize=512)
def _plain_attributes_html(items: tuple[tuple[str, str], ...]) -> str:
    return AttributeDict(items).as_html()


def _header(*classes: str) -> dict[str, dict[str, str]]:
    return {
        "th": {"class": " ".join(["govuk-table__header", *classes]), "scope": "col"},
        "td": {"class": " ".join(["govuk-table__cell", *(c.replace("header", "cell") for c in classes)])},
    }


NUMERIC = _header("govuk-table__header--numeric")
WIDE_ONLY = _header("app-table__wide-only")  # a column that helps but is not needed to read a row: it drops on a phone


class GovUKTable(tables.Table):
    """A table in GOV.UK markup. Its caption is required: every table says what it holds.

    `caption` may use `{count}` (the number of rows, all pages) and `{items}` (`item_names`, singular or
    plural to match): "{count} {items} as at 31 March 2021" gives "1 recommendation as at 31 March 2021".
    """

    item_names = ("row", "rows")

    class Meta:
        template_name = "django_tables2/govuk.html"
        attrs = {
            "class": "govuk-table",
            "thead": {"class": "govuk-table__head"},
            "tbody": {"class": "govuk-table__body"},
            "th": {"class": "govuk-table__header", "scope": "col"},
            "td": {"class": "govuk-table__cell"},
        }
        row_attrs = {"class": "govuk-table__row"}
        empty_text = "There is nothing to show."

    def __init__(self, data: Any, *, caption: str, **kwargs: Any) -> None:
        if not caption:
            raise ValueError("A GOV.UK table needs a caption")
        super().__init__(data, **kwargs)
        self.caption = caption

    @property
    def count(self) -> int:
        """Rows on every page (one count query, cached with the paginator's)."""
        return len(self.data)

    @property
    def caption_text(self) -> str:
        count = self.count
        items = self.item_names[0 if count == 1 else 1]
        return self.caption.replace("{count}", f"{count:,}").replace("{items}", items)

    def _cell_plans(self) -> list[_CellPlan]:
        model = getattr(self.data, "model", None)
        plans = []
        for bound in self.columns:
            column = bound.column
            accessor = bound.accessor  # an Accessor
            if type(column).render is not tables.Column.render or bound.link or accessor.startswith("_"):
                raise TypeError(f"Column {bound.name!r}: body_rows draws plain columns only")
            if model is not None and getattr(accessor.get_field(model), "choices", None):
                raise TypeError(f"Column {bound.name!r}: body_rows does not show choices' labels")
            plans.append(
                _CellPlan(
                    opening=f"<td {_attributes_html(bound.attrs['td'])}>",
                    value=_resolver(str(accessor)),
                    empty_values=tuple(column.empty_values),
                    default=bound.default,
                    draw=self._drawer(getattr(self, f"render_{bound.name}", None)),
                )
            )
        return plans

    def _drawer(self, render: Callable[..., Any] | None) -> Callable[[Any, Any], Any] | None:
        """`render_<name>` called with what it asks for of value, record and table (none of them: it cannot
        be given what it asks, and the cell shows None, as django-tables2's would)."""
        if render is None:
            return None
        arguments = _arguments(render.__func__)
        if arguments is None:
            return lambda value, record: render(value=value, record=record, table=self)
        if arguments == ("value",):
            return lambda value, record: render(value=value)
        if arguments == ("record",):
            return lambda value, record: render(record=record)
        if not set(arguments) <= {"value", "record", "table"}:
            return lambda value, record: None
        return lambda value, record: render(
            **{
                name: given
                for name, given in (("value", value), ("record", record), ("table", self))
                if name in arguments
            }
        )

    @staticmethod
    def _cell(plan: _CellPlan, record: Any) -> str:
        value = plan.value(record)
        if value in plan.empty_values:
            content = plan.default
        elif plan.draw is None:
            content = value
        else:
            content = plan.draw(value, record)
        if not isinstance(content, str):
            content = localize(template_localtime(content))
        return f"{plan.opening}{_conditional_escape(content)}</td>"

    def header_cells(self) -> SafeString:
        """The header row's cells, drawn in one pass. A sortable column's header is a link that turns its order
        round, keeps the rest of the query string (the filters) and starts again at page 1, ending in its own
        id so that focus comes back to it (static/js/app.js), and the header says how it is sorted (aria-sort)."""
        request = getattr(self, "request", None)
        query = dict(request.GET) if request is not None else {}
        order_field, page_field = self.prefixed_order_by_field, self.prefixed_page_field
        cells = []
        for column in self.columns:
            th, header = _attributes_html(column.attrs["th"]), conditional_escape(column.header)
            if not column.orderable:
                cells.append(f"<th {th}>{header}</th>")
                continue
            alias = column.order_by_alias
            ordered = column.is_ordered
            descending = ordered and alias.is_descending
            sort = ("descending" if descending else "ascending") if ordered else "none"
            linked = {**query, order_field: alias.next}
            linked.pop(page_field, None)
            href = escape("?" + urlencode(linked, doseq=True))
            arrow = f'<span aria-hidden="true">{"▼" if descending else "▲"}</span>' if ordered else ""
            cells.append(
                f'<th {th} aria-sort="{sort}"><a class="govuk-link" id="sort-{column.name}" '
                f'href="{href}#sort-{column.name}">{header}</a>{arrow}</th>'
            )
        return SafeString("".join(cells))

    def body_rows(self) -> list[tuple[str, SafeString]]:
        """The rows of the page shown, each as its class and its cells' HTML.

        The same cells django-tables2's rows give (the value at the column's accessor; the column's default
        where it is empty; else `render_<name>` given what it asks for; escaped), drawn in one pass: each
        column's cell attributes and its render method's arguments are worked out once, not for every cell.
        Rows alternate `even` and `odd` from the first of the page, as django-tables2's do."""
        plans = self._cell_plans()
        row_class = self.row_attrs.get("class", "")
        records = self.page.object_list.data if hasattr(self, "page") else self.data
        rows = []
        for index, record in enumerate(records):
            parity = "odd" if index % 2 else "even"
            cells = SafeString("".join([self._cell(plan, record) for plan in plans]))
            rows.append((f"{row_class} {parity}".strip(), cells))
        return rows

    def pagination_html(self) -> SafeString:
        """includes/components/pagination.html drawn in Python (the same markup, white space collapsed: a test compares
        them): how many rows are shown of how many, then previous, numbered and next links that keep the rest of
        the query string. Empty where there is one page."""
        page = getattr(self, "page", None)
        if not page or self.paginator.num_pages < 2:
            return SafeString("")
        request = getattr(self, "request", None)
        query = dict(request.GET) if request is not None else {}
        field, items = self.prefixed_page_field, escape(self.item_names[1])

        def link(number: Any) -> str:
            return escape("?" + urlencode({**query, field: number}, doseq=True))

        # Spaced where the template has white space, so that the page lays out the same (its items are inline).
        parts = [
            f'<p class="govuk-body"> Showing <strong>{page.start_index()}</strong> to <strong>{page.end_index()}'
            f"</strong> of <strong>{self.paginator.count}</strong> {items} </p>",
            f'<nav class="govuk-pagination" aria-label="Pages of {items}">',
        ]
        if page.has_previous():
            parts.append(
                '<div class="govuk-pagination__prev"> <a class="govuk-link govuk-pagination__link" '
                f'href="{link(page.previous_page_number())}" rel="prev"> {_PREVIOUS_ICON} <span '
                'class="govuk-pagination__link-title">Previous<span class="govuk-visually-hidden"> page</span></span>'
                " </a> </div>"
            )
        parts.append('<ul class="govuk-pagination__list">')
        for number in table_page_range(page, self.paginator):
            if number == "...":
                parts.append('<li class="govuk-pagination__item govuk-pagination__item--ellipses">⋯</li>')
                continue
            item, aria = ("govuk-pagination__item", "")
            if number == page.number:
                item, aria = ("govuk-pagination__item govuk-pagination__item--current", ' aria-current="page"')
            parts.append(
                f'<li class="{item}"> <a class="govuk-link govuk-pagination__link" href="{link(number)}" '
                f'aria-label="Page {number}"{aria}>{number}</a> </li>'
            )
        parts.append("</ul>")
        if page.has_next():
            parts.append(
                '<div class="govuk-pagination__next"> <a class="govuk-link govuk-pagination__link" '
                f'href="{link(page.next_page_number())}" rel="next"> <span class="govuk-pagination__link-title">'
                f'Next<span class="govuk-visually-hidden"> page</span></span> {_NEXT_ICON} </a> </div>'
            )
        parts.append("</nav>")
        return SafeString(" ".join(parts))

    def configure(self, request: HttpRequest, *, per_page: int = PER_PAGE) -> "GovUKTable":
        """Sort by `?sort=` and show page `?page=` of `per_page` rows (a page past the end shows the last;
        one that is not a number, the first). Unlike RequestConfig, `?per_page=` is not read.

        A queryset's page, and rows read a page at a time (`PageRows`), come with the number of rows in all (a
        window count over the rows the filters keep) in one query; only a page past the end counts them on their
        own, and shows the last page."""
        tables.RequestConfig(request, paginate=False).configure(self)
        asked = request.GET.get(self.prefixed_page_field) or 1
        if isinstance(self.data, PageRows):
            self.data.page((_page_number(asked) - 1) * per_page, per_page)  # the page asked, and the count with it
            records, number = None, 0
        else:
            number, records = self._page_records(asked, per_page)
        try:
            self.paginate(page=asked, per_page=per_page)
        except PageNotAnInteger:
            self.paginate(page=1, per_page=per_page)
        except EmptyPage:
            self.paginate(page=self.paginator.num_pages, per_page=per_page)
        if records is not None and self.page.number == number:
            self.page.object_list = BoundRows(data=TableListData(records), table=self, pinned_data=self.pinned_data)
        return self

    def _page_records(self, asked: Any, per_page: int) -> tuple[int, list[Any] | None]:
        """Page `asked` as a number and its records, read with the count of all rows (which the paginator then
        reads); no records where it is not a page number or lies past the end."""
        try:
            number = int(asked)
        except (TypeError, ValueError):
            return 0, None
        if number < 1 or not isinstance(self.data, TableQuerysetData):
            return number, None
        counted = self.data.data.annotate(rows_in_all=Window(Count("pk")))
        records = list(counted[(number - 1) * per_page : number * per_page])
        if records:
            self.data._length = records[0].rows_in_all
        elif number == 1:
            self.data._length = 0
        else:
            return number, None
        return number, records


def _page_number(asked: Any) -> int:
    """The page `?page=` asks for as the paginator reads it: 1 where it is not a number or less than 1."""
    try:
        return max(int(asked), 1)
    except (TypeError, ValueError):
        return 1


class PageRows(TableData):
    """A table's rows read a page at a time by `read(sort, offset, limit)`, sorted by the column alias `sort`
    ("-status"; "" for the data's own order), each row carrying `rows_in_all` (the number of rows in all). A page
    is read once; the count comes with the first page read (or, past the end, with the first row)."""

    def __init__(self, read: Callable[[str, int, int], list[Any]]) -> None:
        super().__init__(data=[])
        self.read = read
        self.sort = ""
        self._length: int | None = None
        self._pages: dict[tuple[str, int], tuple[list[Any], int]] = {}

    def order_by(self, aliases: Sequence[str]) -> None:
        """As a queryset's rows are sorted by `SortColumn.order`: each column's order replaces the one before."""
        self.sort = aliases[-1] if aliases else ""

    def page(self, offset: int, limit: int) -> list[Any]:
        """`limit` rows from `offset`: read once (the paginator asks for the rows it already has, up to the end)."""
        read = self._pages.get((self.sort, offset))
        if read is not None and (read[1] >= limit or len(read[0]) < read[1]):
            return read[0][:limit]
        rows = self.read(self.sort, offset, limit)
        self._pages[self.sort, offset] = (rows, limit)
        if rows:
            self._length = rows[0].rows_in_all
        elif offset == 0:
            self._length = 0
        return rows

    def __len__(self) -> int:
        if self._length is None:
            self.page(0, 1)
        return self._length or 0

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            start, stop, _step = key.indices(len(self))
            return self.page(start, max(stop - start, 0))
        return self.page(key, 1)[0]

    def __iter__(self) -> Iterator[Any]:
        return iter(self[:])


def _words(text: str, count: int) -> str:
    """`Truncator(text).words(count)` without its lazy object: the first `count` words, with "…" where cut."""
    words = text.split()
    return " ".join(words) if len(words) <= count else " ".join(words[:count]) + "…"


def _link(url: str, text: str) -> SafeString:
    return SafeString(f'<a class="govuk-link" href="{_escape(url)}">{_escape(_words(text, 14))}</a>')


@functools.cache
def _short_months() -> tuple[str, ...]:
    """The months as `date_format(…, "M")` names them ("Jan"), worked out once a process."""
    return ("", *(date_format(dt.date(2000, month, 1), "M") for month in range(1, 13)))


def _short_date(day: dt.date) -> str:
    """`date_format(day, "j M Y")`, "5 Mar 2026", without parsing the format for each cell."""
    return f"{day.day} {_short_months()[day.month]} {day.year}"


@functools.cache
def _position_tags() -> tuple[dict[str, SafeString], dict[str, SafeString]]:
    """The status and RAG tags of every value, drawn once a process (fixed words)."""
    return {value: status_tag(value) for value in Status.values}, {value: rag_tag(value) for value in [*Rag.values, ""]}


OVERDUE_FIRST = Case(When(is_overdue=True, then=Value(0)), default=Value(1), output_field=IntegerField())


class SortColumn(tables.Column):
    """A column sorted in the database by `sort_by` (field paths or expressions), empty values last in
    either direction on every database, then by id, so that pages never overlap. Descending reverses all."""

    def __init__(self, *args: Any, sort_by: Sequence[str | Expression], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sort_by = tuple(sort_by)

    def __deepcopy__(self, memo: dict[int, Any]) -> "SortColumn":
        """A copy for each table (django-tables2 copies its columns for every table made: showing or hiding a
        column changes it) that shares what no table changes: the attributes and the sort keys, database
        expressions that a deep copy would rebuild node by node on every request."""
        return copy.copy(self)

    def order(self, queryset: QuerySet, is_descending: bool) -> tuple[QuerySet, bool]:
        keys = [F(key) if isinstance(key, str) else key for key in self.sort_by]
        ordered = [key.desc(nulls_last=True) if is_descending else key.asc(nulls_last=True) for key in keys]
        return queryset.order_by(*ordered, "-pk" if is_descending else "pk"), True


class PlanTable(GovUKTable):
    """Columns both tables share: the position as at the date, rendered as words (never colour alone)."""

    owner = SortColumn("Owner", accessor="position_owner_name", empty_values=(), sort_by=["position_owner_name"])
    status = SortColumn(
        "Status", accessor="position_status", empty_values=(), sort_by=[_rank("position_status", STATUS_ORDER)]
    )
    rag = SortColumn("RAG", accessor="position_rag", empty_values=(), sort_by=[_rank("position_rag", RAG_ORDER)])
    due = SortColumn("Due date", accessor="position_due_date", empty_values=(), sort_by=["position_due_date"])
    overdue = SortColumn(
        "Needs attention",
        accessor="is_overdue",
        empty_values=(),
        sort_by=[OVERDUE_FIRST, "position_due_date"],
    )

    class Meta(GovUKTable.Meta):
        pass

    # What the cells read of each row (`rows_of`): fields and the position's annotations, and named expressions.
    record_values: tuple[str, ...] = (
        "id",
        "owner_name",
        "timescale",
        "position_owner_name",
        "position_status",
        "position_rag",
        "position_due_date",
        "is_overdue",
        "is_overdue_green",
        "is_stale",
        "last_approved_at",
    )
    record_expressions: dict[str, Expression] = {}

    def __init__(self, data: Any, *, slug: str, as_at: dt.date | None = None, **kwargs: Any) -> None:
        """`data`: the rows as `rows_of` gives them, usually a page at a time (`PageRows`). `as_at`: the past date
        the rows are as at (None for today), kept in the links to the items."""
        super().__init__(data, **kwargs)
        self.slug = slug
        self.as_at_query = f"?as_at={as_at.isoformat()}" if as_at is not None else ""
        self.as_at = as_at

    @classmethod
    def rows_of(cls, queryset: QuerySet, *, sort: str = "") -> QuerySet:
        """The values the cells read of each item of `queryset` (with its position: `selectors.with_position`),
        sorted by the column alias `sort` ("-status"; "" keeps the queryset's order) as the table sorts them, each
        with the number of rows in all (`rows_in_all`, a window count)."""
        if sort:
            queryset, _sorted = cls.base_columns[sort.lstrip("-")].order(queryset, sort.startswith("-"))
        return queryset.annotate(rows_in_all=Window(Count("pk"))).values(
            *cls.record_values, "rows_in_all", **cls.record_expressions
        )

    def item_url(self, name: str, pk: int) -> str:
        """The item's page (as at the table's date): reversed once a table for each URL name, not once a row."""
        prefixes = self.__dict__.setdefault("_url_prefixes", {})
        if name not in prefixes:
            sample = reverse(name, kwargs={"slug": self.slug, "pk": 1})
            prefixes[name] = sample[: -len("1/")] if sample.endswith("/1/") else None
        prefix = prefixes[name]
        if prefix is None:  # a pattern that does not end in the id
            return reverse(name, kwargs={"slug": self.slug, "pk": pk}) + self.as_at_query
        return f"{prefix}{pk}/{self.as_at_query}"

    def render_status(self, value: str) -> SafeString:
        drawn = _position_tags()[0].get(value)
        return status_tag(value) if drawn is None or settings.DEBUG else drawn

    def render_rag(self, value: str) -> SafeString:
        drawn = _position_tags()[1].get(value)
        return rag_tag(value) if drawn is None or settings.DEBUG else drawn

    def render_owner(self, value: Any, record: Any) -> str:
        """The member assigned, or the owner as the plan names them until someone is."""
        return value or getattr(record, "owner_name", "") or "No owner"

    def render_due(self, value: Any, record: Any) -> str:
        """The due date, with the timescale as the plan wrote it beneath ("July 2023 and ongoing")."""
        due = _short_date(value) if value else "Not set"
        timescale = getattr(record, "timescale", "")
        if not timescale:
            return due
        return SafeString(f'{_escape(due)}<br><span class="govuk-body-s">{_escape(timescale)}</span>')

    def render_overdue(self, record: Recommendation | Action) -> SafeString:
        """How overdue it is, and whether it is rated Green while overdue or has had no update for too long."""
        return SafeString(f"{overdue_tag(record, self.as_at)} {attention_tags(record)}")


class RecommendationTable(PlanTable):
    item_names = ("recommendation", "recommendations")
    record_values = (
        *PlanTable.record_values,
        "reference",
        "heading",
        "text",
        "position_theme_name",
        "position_lead_directorate_name",
    )

    reference = SortColumn(
        "Reference", sort_by=["engagement__first_onsite_day", "engagement_id", "position", "reference"]
    )
    heading = SortColumn("Recommendation", empty_values=(), sort_by=["heading", "text"])
    theme = SortColumn(
        "Theme", accessor="position_theme_name", default="Not set", attrs=WIDE_ONLY, sort_by=["position_theme_name"]
    )
    lead_directorate = SortColumn(
        "Lead directorate",
        accessor="position_lead_directorate_name",
        default="Not set",
        attrs=WIDE_ONLY,
        sort_by=["position_lead_directorate_name"],
    )

    class Meta(PlanTable.Meta):
        sequence = ("reference", "heading", "theme", "owner", "lead_directorate", "status", "rag", "due", "overdue")
        empty_text = "No recommendations match these filters."

    def render_heading(self, record: Recommendation) -> SafeString:
        return _link(self.item_url("recommendation_detail", record.pk), record.heading or record.text)  # its summary


RECOMMENDATION_ORDER = [
    "recommendation__engagement__first_onsite_day",
    "recommendation__engagement_id",
    "recommendation__position",
    "recommendation__reference",
]


class ActionTable(PlanTable):
    item_names = ("action", "actions")
    record_values = (
        *PlanTable.record_values,
        "reference",
        "description",
        "recommendation_id",
        "position_theme_name",
        "position_percent_complete",
    )
    record_expressions = {"recommendation_reference": F("recommendation__reference")}

    reference = SortColumn("Reference", sort_by=[*RECOMMENDATION_ORDER, "position", "reference"])
    description = SortColumn("Action", sort_by=["description"])
    recommendation = SortColumn("Recommendation", accessor="recommendation_reference", sort_by=RECOMMENDATION_ORDER)
    theme = SortColumn(
        "Theme", accessor="position_theme_name", default="Not set", attrs=WIDE_ONLY, sort_by=["position_theme_name"]
    )
    percent_complete = SortColumn(
        "Complete", accessor="position_percent_complete", attrs=NUMERIC, sort_by=["position_percent_complete"]
    )

    class Meta(PlanTable.Meta):
        sequence = (
            "reference",
            "description",
            "recommendation",
            "theme",
            "owner",
            "status",
            "rag",
            "due",
            "overdue",
            "percent_complete",
        )
        empty_text = "No actions match these filters."

    def render_description(self, record: Action) -> SafeString:
        return _link(self.item_url("action_detail", record.pk), record.description)

    def render_recommendation(self, record: Action) -> SafeString:
        url = self.item_url("recommendation_detail", record.recommendation_id)
        return SafeString(f'<a class="govuk-link" href="{_escape(url)}">{_escape(record.recommendation_reference)}</a>')

    def render_percent_complete(self, value: int) -> str:
        return f"{value}%"


# --- update rounds ---------------------------------------------------------------------------------------


class RoundTable(GovUKTable):
    """A council's update rounds: the open one first, then the newest. `live` holds the open round's counts
    as they stand (a closed round's are those closing recorded)."""

    item_names = ("round", "rounds")

    title = tables.Column("Round", accessor="pk", orderable=False)
    covers = tables.Column("Asks about", accessor="engagement", empty_values=(), orderable=False, attrs=WIDE_ONLY)
    due_date = tables.Column("Updates due", orderable=False)
    state = tables.Column("State", accessor="closed_at", empty_values=(), orderable=False)
    updated = tables.Column("Items updated", accessor="item_count", orderable=False)

    class Meta(GovUKTable.Meta):
        sequence = ("title", "covers", "due_date", "state", "updated")
        empty_text = "No update round has been opened yet."

    def __init__(self, data: Any, *, live: dict[int, Any], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.live = live

    def render_title(self, record: UpdateRound) -> SafeString:
        return format_html('<a class="govuk-link" href="{}">{}</a>', record.get_absolute_url(), record.title)

    def render_covers(self, record: UpdateRound) -> str:
        return str(record.engagement) if record.engagement else "The council's whole open plan"

    def render_due_date(self, value: dt.date) -> str:
        return date_format(value, "j M Y")

    def render_state(self, record: UpdateRound) -> SafeString:
        if record.is_open:
            return tag_html("Open", "blue")
        closed = date_format(timezone.localtime(record.closed_at), "j M Y")
        return format_html("{} {}", tag_html("Closed", "grey"), closed)

    def render_updated(self, record: UpdateRound) -> str:
        progress = self.live.get(record.pk)
        if progress is not None:
            return f"{progress.updated} of {progress.total}"
        updated = record.updated_count + record.waiting_count
        return f"{updated} of {record.item_count}"


class RoundItemTable(GovUKTable):
    """A round's items with their owner and whether their update is in (as recorded once the round closed).
    While the round is open a lead has a Remove button on each row (a POST form: `csrf_token` is the page's)."""

    item_names = ("item", "items")

    reference = tables.Column("Reference", accessor="item__reference", orderable=False)
    item = tables.Column("Item", accessor="item", orderable=False)
    owner = tables.Column("Owner", accessor="owner_label", orderable=False)
    state = tables.Column("Update", accessor="state", orderable=False)
    remove = tables.Column("Remove", accessor="round_item__pk", orderable=False, visible=False)

    class Meta(GovUKTable.Meta):
        sequence = ("reference", "item", "owner", "state", "remove")
        empty_text = "This round asks about no items."

    def __init__(self, data: Any, *, recorded: bool, remove_url: Any = None, csrf_token: str = "", **kwargs: Any):
        """`remove_url(round_item_pk)`: where a lead removes an item, while the round is open (else None)."""
        super().__init__(data, **kwargs)
        self.recorded, self.remove_url, self.csrf_token = recorded, remove_url, csrf_token
        if remove_url is not None:
            self.columns.show("remove")

    def render_item(self, record: Any) -> SafeString:
        return _link(record.url, record.item.summary)

    def render_state(self, record: Any) -> SafeString:
        tag = round_state_tag(record.state, recorded=self.recorded)
        if self.recorded and record.update is not None:
            url = f"{record.url}#update-{record.update.pk}"
            return format_html('{}<br><a class="govuk-link govuk-body-s" href="{}">The update</a>', tag, url)
        return tag

    def render_remove(self, record: Any) -> SafeString:
        return SafeString(
            render_to_string(
                "recommendations/includes/round_item_remove.html",
                {"url": self.remove_url(record.round_item.pk), "csrf_token": self.csrf_token, "line": record},
            )
        )
