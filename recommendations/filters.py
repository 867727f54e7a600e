"""The filters of the recommendations and actions tables, and of the export (the same parameters).

Parameters (GET): `engagement`, `theme` and `directorate` (an id, or `null` for none), `status`, `rag`,
`owner`, `overdue`, `due` (`next_30_days`: due within 30 days of the as-at date and not finished), `moved`
(the due date in force differs from the first one set), `disagreement` (the lead's assurance RAG differs from
the owner's), `flag` (`green_overdue`: overdue but rated Green; `stale`: open, with no update signed off for
longer than the council's update interval) and the as-at date, typed in GOV.UK's date boxes (`as_at_day`,
`as_at_month`, `as_at_year`) or given whole as `?as_at=YYYY-MM-DD` (how the dashboard links here). The as-at date
chooses the base rows: the selector returns the items that existed at the end of that day with their position then;
every other filter then applies to that position (theme, lead directorate and owner included: those the item had on
that day). An as-at date that is not a real date (or is in the future) is an error on the form, and the rows are as at
today: never a 500.
"""

import copy
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

import django_filters
from django import forms
from django.db.models import BooleanField, Count, Expression, F, Func, IntegerField, QuerySet, Subquery, Value, Window
from django.db.models import DateField as DateColumn
from django.http import QueryDict

from councilimprove import forms as govuk
from councilimprove.forms import DateField, GovUKFormMixin
from recommendations import selectors
from recommendations.models import (
    Action,
    Council,
    Directorate,
    Engagement,
    Membership,
    Rag,
    Recommendation,
    Status,
    Theme,
    User,
)
from recommendations.selectors.items import plan_rows
from recommendations.selectors.position import (
    due_soon_until,
    end_of_day,
    quiet_since,
    rag_sign_off_at,
)
from recommendations.selectors.statements import Statement
from recommendations.vocabulary import DUE_SOON, GREEN_OVERDUE, NOT_ASSESSED, STALE, interval_words

if TYPE_CHECKING:
    from recommendations.tables import PlanTable

RAG_CHOICES = [*Rag.choices, (NOT_ASSESSED, "Not assessed")]
OVERDUE_CHOICES = [("yes", "Overdue"), ("no", "Not overdue")]
DUE_CHOICES = [(DUE_SOON, "In the next 30 days")]
MOVED_CHOICES = [("yes", "Moved from the first due date"), ("no", "Never moved")]
DISAGREEMENT_CHOICES = [("yes", "Lead's RAG differs from the owner's")]
ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")


class FilterForm(GovUKFormMixin, forms.Form):
    """The filter form: GOV.UK classes, error classes and the error summary's list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] += " govuk-!-width-full"


def _field_copy(field: forms.Field) -> forms.Field:
    """A copy of a filter form's field for one form, as `Field.__deepcopy__` makes it (its own widget and widget
    attributes, error messages and validators), but sharing its fixed choices rather than copying them deeply; a
    field of several boxes (the date) is copied deeply."""
    if isinstance(field.widget, forms.MultiWidget):
        return copy.deepcopy(field)
    result = copy.copy(field)
    result.widget = copy.copy(field.widget)
    result.widget.attrs = field.widget.attrs.copy()
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    choices = getattr(field, "_choices", None)
    if isinstance(choices, django_filters.fields.ChoiceIterator):  # it reads its field's empty and null labels
        result._choices = result.widget.choices = django_filters.fields.ChoiceIterator(result, choices.choices)
    return result


class FieldsCopiedCheaply(dict):
    """A form class's `base_fields`, which each form copies (`Form.__init__` deep-copies them) by `_field_copy`."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {name: _field_copy(field) for name, field in self.items()}


class DateInput(govuk.DateInput):
    """GOV.UK's day, month and year boxes that also read a whole ISO date (`?as_at=2021-03-31`).

    Named DateInput on purpose: its widget_type stays "date", which the field template and the error
    summary recognise."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        parts = [f"{name}_{part}" for part, _ in self.parts]
        if name in data and not any(part in data for part in parts):
            whole = str(data.get(name) or "").strip()
            match = ISO_DATE.fullmatch(whole)
            return [match["day"], match["month"], match["year"]] if match else whole
        return super().value_from_datadict(data, files, name)

    def decompress(self, value: dt.date | str | None) -> list[Any]:
        if isinstance(value, str):  # a whole date that was not one: the boxes start empty
            return [None, None, None]
        return super().decompress(value)


class AsAtField(DateField):
    widget = DateInput

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, str):
            if not value:
                return None
            raise forms.ValidationError(f"{self.name[0].upper()}{self.name[1:]} must be a real date", code="invalid")
        return super().to_python(value)

    def validate(self, value: dt.date | None) -> None:
        super().validate(value)
        if value is not None and value > selectors.local_today():
            raise forms.ValidationError(
                f"{self.name[0].upper()}{self.name[1:]} must be today or in the past", code="future"
            )


class AsAtFilter(django_filters.Filter):
    """Chooses the base rows (see PlanFilterSet.qs); filtering by it again would change nothing."""

    field_class = AsAtField

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        return qs


class ThemeChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: Theme) -> str:
        return f"{obj.name} ({obj.engagement.title})"


class IdFilter(django_filters.ChoiceFilter):
    """A choice of one of the council's engagements, themes, owners or directorates by id (the choices are set
    for each request: `PlanFilterSet.__init__`), matched against `field_name` (for theme, directorate and owner
    an id annotation of `selectors.with_position`: the item's as at the date); `null` chooses items with none."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        if value == self.null_value:
            return qs.filter(**{f"{self.field_name}__isnull": True})
        return qs.filter(**{self.field_name: int(value)})


def _choose(what: str) -> dict[str, str]:
    return {"invalid_choice": f"Choose {what} from the list"}


class ActionHistoryOwners(Expression):
    """The ids of the owners the history records of the council's actions name, as a SELECT of one column.

    The actions' history holds a record for every change (every update signed off writes the position), so a
    council's actions have thousands of records naming a handful of owners. On PostgreSQL the distinct owners of
    each recommendation's actions are found by skipping through the index on (recommendation_id, owner_id)
    (migration 0017): one probe for each owner, not a read of every record (a skip scan, written as a recursive
    CTE with one step an owner). Elsewhere, the owner of every record."""

    def __init__(self, council_id: Any) -> None:
        super().__init__(output_field=IntegerField())
        self.council_id = Value(council_id)

    def get_source_expressions(self) -> list[Any]:
        return [self.council_id]

    def set_source_expressions(self, expressions: list[Any]) -> None:
        (self.council_id,) = expressions

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        council, params = compiler.compile(self.council_id)
        history, recommendation, engagement = _tables()
        return (
            f"SELECT h.owner_id FROM {history} h JOIN {recommendation} r ON r.id = h.recommendation_id "  # noqa: S608 - names of tables, values as parameters
            f"JOIN {engagement} e ON e.id = r.engagement_id WHERE e.council_id = {council} AND h.owner_id IS NOT NULL",
            params,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        council, params = compiler.compile(self.council_id)
        history, recommendation, engagement = _tables()
        step = f"SELECT h.owner_id FROM {history} h WHERE h.recommendation_id = r.id AND h.owner_id"  # noqa: S608
        owners = (
            f"SELECT o.owner_id FROM {recommendation} r JOIN {engagement} e ON e.id = r.engagement_id "  # noqa: S608
            "CROSS JOIN LATERAL (WITH RECURSIVE s(owner_id) AS ("
            f"({step} IS NOT NULL ORDER BY h.owner_id LIMIT 1) UNION ALL "
            f"SELECT ({step} > s.owner_id ORDER BY h.owner_id LIMIT 1) FROM s WHERE s.owner_id IS NOT NULL"
            f") SELECT s.owner_id FROM s WHERE s.owner_id IS NOT NULL) o WHERE e.council_id = {council}"
        )
        return owners, params


def _tables() -> tuple[str, str, str]:
    return Action.history.model._meta.db_table, Recommendation._meta.db_table, Engagement._meta.db_table


class AmongIds(Func):
    """Whether `column` is one of the ids `ids` (a queryset of one column) and `also` (a SELECT of one column)
    give: on PostgreSQL `= ANY(ARRAY(…))`, the ids read once (an InitPlan) and then looked up by the primary key's
    index, however many ids the planner expects; elsewhere `IN (…)`."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, ids: QuerySet, also: Expression) -> None:
        super().__init__(F(column), Subquery(ids), also)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        (column, column_params), (ids, ids_params), (also, also_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        params = [*column_params, *ids_params, *column_params, *also_params]
        return f"({column} IN {ids} OR {column} IN ({also}))", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        (column, column_params), (ids, ids_params), (also, also_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        return f"{column} = ANY(ARRAY({ids} UNION ({also})))", [*column_params, *ids_params, *also_params]


def owners_in(council_id: int) -> QuerySet[User]:
    """Everyone who owns or owned a recommendation or an action in the council (leavers included; an owner need
    not be a member), so that the owners of a past date can be chosen.

    The owners' ids are read once from the council's items and the recommendations' history (one UNION), then
    the users by their primary key (`AmongIds`): not a test of every user against each source, which read all
    the users (and grows with every council's); the actions' history, far the largest, by its own index
    (`ActionHistoryOwners`)."""
    sources = [
        Recommendation.objects.filter(engagement__council_id=council_id),
        Action.objects.filter(recommendation__engagement__council_id=council_id),
        Recommendation.history.model.objects.filter(engagement__council_id=council_id),
    ]
    first, *others = [source.filter(owner__isnull=False).order_by().values("owner_id") for source in sources]
    owners = AmongIds("pk", first.union(*others), also=ActionHistoryOwners(council_id))
    return User.objects.filter(owners).order_by("first_name", "last_name", "email")


CHOICE_KINDS = ("engagement", "theme", "owner", "directorate")


def _choice_rows(council_id: int) -> QuerySet:
    """The choices of every kind (`CHOICE_KINDS`) as one UNION ALL of values: (kind, id, three parts of the
    label, then the keys each kind is sorted by), sorted by kind and those keys."""
    blank, no_day = Value(""), Value(None, output_field=DateColumn())

    def rows(queryset: QuerySet, kind: int, *columns: Any) -> QuerySet:
        names = ("a", "b", "c", "day", "e", "f", "g", "h")
        return (
            queryset.order_by()
            .annotate(choice_kind=Value(kind), **dict(zip(names, columns, strict=True)))
            .values_list("choice_kind", "pk", *names)
        )

    engagements = Engagement.objects.filter(council_id=council_id)
    themes = Theme.objects.filter(engagement__council_id=council_id)
    owners = owners_in(council_id)
    directorates = Directorate.objects.filter(council_id=council_id)
    title, theme_name, engagement_title = F("title"), F("name"), F("engagement__title")
    return (
        rows(engagements, 0, title, blank, blank, F("first_onsite_day"), title, Value(0), blank, blank)
        .union(
            rows(
                themes,
                1,
                theme_name,
                engagement_title,
                blank,
                F("engagement__first_onsite_day"),
                engagement_title,
                F("position"),
                theme_name,
                blank,
            ),
            rows(
                owners,
                2,
                F("first_name"),
                F("last_name"),
                F("email"),
                no_day,
                F("first_name"),
                Value(0),
                F("last_name"),
                F("email"),
            ),
            rows(directorates, 3, F("name"), blank, blank, no_day, F("name"), Value(0), blank, blank),
            all=True,
        )
        .order_by("choice_kind", "day", "e", "f", "g", "h", "pk")
    )


_CHOICES = Statement(_choice_rows, council_id=int)  # one statement for every council (selectors/statements.py)


def filter_choices(council: Council) -> dict[str, list[tuple[int, str]]]:
    """The council's engagements, themes, owners (`owners_in`) and directorates as the filters offer them, each
    (id, label) in the order shown: engagements by their first day on site, themes by engagement then their
    place, owners by name, directorates by name. One statement for all four, compiled once a process, reading
    values (no model built, no cursor held open)."""
    found = _CHOICES.rows(council_id=council.pk)
    choices: dict[str, list[tuple[int, str]]] = {kind: [] for kind in CHOICE_KINDS}
    for kind, pk, a, b, c, *_keys in found:
        if kind == 1:
            label = f"{a} ({b})"
        elif kind == 2:
            label = f"{a} {b}".strip() or c  # as User.__str__
        else:
            label = a
        choices[CHOICE_KINDS[kind]].append((pk, label))
    return choices


def flag_choices(interval_months: int) -> list[tuple[str, str]]:
    """What the "needs attention" filter offers: overdue but rated Green, and no update signed off for longer
    than the council's update interval."""
    return [
        (GREEN_OVERDUE, "Overdue but rated Green"),
        (STALE, f"No update for over {interval_words(interval_months)}"),
    ]


class Moments(NamedTuple):
    """What a position as at a day needs (`selectors.position_at`, `attention_flags_at`): the day, the first
    instant not counted, the start of the quiet time that flags an item as stale, the last day counted as due
    soon, and whether the position is today's (stored on each item)."""

    day: dt.date
    cutoff: dt.datetime
    since: dt.datetime
    soon: dt.date
    stored: bool


def moments(day: dt.date, interval_months: int) -> Moments:
    return Moments(
        day, end_of_day(day), quiet_since(day, interval_months), due_soon_until(day), day >= selectors.local_today()
    )


ID_FILTERS = {
    "engagement": "engagement",
    "theme": "position_theme_id",
    "owner": "position_owner_id",
    "directorate": "position_lead_directorate_id",
}


def filtered(queryset: QuerySet, name: str, value: Any, *, at: Moments, engagement_path: str) -> QuerySet:
    """The rows (`selectors.position_at` at `at`) the filter `name` keeps for `value` (the form's cleaned value):
    the one rule of each filter, for the filter set's queryset and for the tables' statements."""
    if name in ID_FILTERS:
        path = engagement_path if name == "engagement" else ID_FILTERS[name]
        return queryset.filter(**{f"{path}__isnull": True}) if value == "null" else queryset.filter(**{path: value})
    if name == "status":
        return queryset.filter(position_status=value)
    if name == "rag":
        return queryset.filter(position_rag="" if value == NOT_ASSESSED else value)
    if name == "overdue":
        return queryset.filter(is_overdue=value == "yes")
    if name == "due":
        return queryset.filter(selectors.due_soon(at.day, at.soon))
    if name == "moved":
        moved = selectors.moved()
        return queryset.filter(moved) if value == "yes" else queryset.exclude(moved)
    if name == "disagreement":
        return rag_sign_off_at(queryset, cutoff=at.cutoff, stored=at.stored).filter(rag_disagreement=True)
    if name == "flag":
        return queryset.filter(is_overdue_green=True) if value == GREEN_OVERDUE else queryset.filter(is_stale=True)
    raise ValueError(f"No filter {name!r}")


class PlanFilterSet(django_filters.FilterSet):
    """What the two tables share. Subclasses name the model, the selector and the paths to the
    recommendation's engagement, theme and lead directorate."""

    engagement = IdFilter(
        label="Engagement",
        choices=[],
        empty_label="All engagements",
        error_messages=_choose("an engagement"),
    )
    theme = IdFilter(
        label="Theme",
        field_name="position_theme_id",
        choices=[],
        empty_label="All themes",
        null_label="No theme",
        error_messages=_choose("a theme"),
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        field_name="position_status",
        choices=Status.choices,
        empty_label="Any status",
        error_messages=_choose("a status"),
    )
    rag = django_filters.ChoiceFilter(
        label="RAG rating",
        choices=RAG_CHOICES,
        method="filter_rag",
        empty_label="Any RAG rating",
        error_messages=_choose("a RAG rating"),
    )
    owner = IdFilter(
        label="Owner",
        field_name="position_owner_id",
        choices=[],
        empty_label="Anyone",
        error_messages=_choose("an owner"),
    )
    directorate = IdFilter(
        label="Lead directorate",
        field_name="position_lead_directorate_id",
        choices=[],
        empty_label="All directorates",
        null_label="No lead directorate",
        error_messages=_choose("a directorate"),
    )
    overdue = django_filters.ChoiceFilter(
        label="Overdue",
        choices=OVERDUE_CHOICES,
        method="filter_overdue",
        empty_label="Overdue or not",
        error_messages=_choose("overdue or not overdue"),
    )
    due = django_filters.ChoiceFilter(
        label="Due",
        choices=DUE_CHOICES,
        method="filter_due",
        empty_label="Any time",
        error_messages=_choose("when it is due"),
    )
    moved = django_filters.ChoiceFilter(
        label="Due date moved",
        choices=MOVED_CHOICES,
        method="filter_moved",
        empty_label="Moved or not",
        error_messages=_choose("moved or never moved"),
    )
    disagreement = django_filters.ChoiceFilter(
        label="RAG sign-off",
        choices=DISAGREEMENT_CHOICES,
        method="filter_disagreement",
        empty_label="Any",
        error_messages=_choose("a RAG sign-off"),
    )
    flag = django_filters.ChoiceFilter(
        label="Needs attention",
        choices=[],  # named with the council's update interval in __init__
        method="filter_flag",
        empty_label="Any",
        error_messages=_choose("what needs attention"),
    )
    as_at = AsAtFilter(
        label="As at",
        name="as at date",
        help_text="The position at the end of this day. Leave it empty for today. For example, 31 3 2021",
    )

    class Meta:
        model = Recommendation
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: QueryDict | None = None, *, user: User, membership: Membership, **kwargs: Any) -> None:
        """As django-filter's, but the filters are copied for the set only where it filters a queryset (`filters`),
        and its form's class is built once a process (`form`); the council's choices are given to each form."""
        self.user = user
        self.membership = membership
        self.is_bound = True
        self.data = data if data is not None else QueryDict()
        self.queryset = self._meta.model._default_manager.all()
        self.request = kwargs.pop("request", None)
        self.form_prefix = kwargs.pop("prefix", None)
        if kwargs:
            raise TypeError(f"Unexpected arguments: {', '.join(kwargs)}")
        council = membership.council
        self.choices = {
            **filter_choices(council),
            "flag": flag_choices(council.update_interval_months),
        }

    @functools.cached_property
    def filters(self) -> dict[str, django_filters.Filter]:  # type: ignore[override]
        """The filters, copied for this set (`qs` filters with them), with the council's choices."""
        filters = copy.deepcopy(self.base_filters)
        for name, filter_ in filters.items():
            filter_.model = self._meta.model
            filter_.parent = self
            if name in self.choices:
                filter_.extra["choices"] = self.choices[name]
        filters["engagement"].field_name = self.engagement_path
        return filters

    @classmethod
    def get_form_class(cls) -> type[forms.Form]:  # type: ignore[override]
        """The filter form's class, built once a process for each filter set (django-filter builds one for each
        request, and each form then deep-copies its fields): its fields copy cheaply (`FieldsCopiedCheaply`)."""
        if "_form_class" not in cls.__dict__:
            fields = {name: copy.deepcopy(filter_).field for name, filter_ in cls.base_filters.items()}
            for field in fields.values():
                if type(field.widget) is forms.Select:  # drawn straight from its choices (councilimprove/forms.py)
                    field.widget.__class__ = govuk.Select
            form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            form_class.base_fields = FieldsCopiedCheaply(form_class.base_fields)
            cls._form_class = form_class
        return cls._form_class

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            form = self.get_form_class()(self.data, prefix=self.form_prefix)
            for name, choices in self.choices.items():
                form.fields[name].choices = choices
            self._form = form
        return self._form

    engagement_path = "engagement"  # the rows' engagement (an action's: its recommendation's)
    plan_order: tuple[str, ...] = ()  # the plan's order of the rows (every table's first, and the export's)

    # --- the base rows, as at the chosen date ---

    @property
    def as_at_date(self) -> dt.date:
        """The date the rows are as at: the valid one asked for, else today."""
        self.form.is_valid()
        return self.form.cleaned_data.get("as_at") or selectors.local_today()

    @property
    def moments(self) -> Moments:
        """The moments of the rows' position (`as_at_date`'s)."""
        if not hasattr(self, "_moments"):
            self._moments = moments(self.as_at_date, self.membership.council.update_interval_months)
        return self._moments

    def base_queryset(self, *, as_at: dt.date) -> QuerySet:
        raise NotImplementedError

    @property
    def qs(self) -> QuerySet:
        if not hasattr(self, "_qs"):
            self._qs = self.filter_queryset(self.base_queryset(as_at=self.as_at_date))
        return self._qs

    # --- filters on the position (one rule each: `filtered`) ---

    def _filtered(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return filtered(queryset, name, value, at=self.moments, engagement_path=self.engagement_path)

    filter_rag = filter_overdue = filter_due = filter_moved = filter_disagreement = filter_flag = _filtered

    # --- the tables' rows: a statement compiled once a process for each shape ---

    def page_reader(self, table_class: "type[PlanTable]") -> Callable[[str, int, int], list[Any]]:
        """What reads a page of the table's rows: `read(sort, offset, limit)` gives the rows (`table_class`'s
        values, with `rows_in_all`, the number of rows the filters keep) sorted by the column alias `sort`
        ("-status"; "" for the plan's order). The same rows as `qs` sorted by the table: its statement
        (`_rows_statement`) is built and compiled once a process for each shape of the request (which filters
        are set, with which of their fixed choices, today or a past date, the sort), and run with its values
        (the council, the ids chosen, the moments)."""
        self.form.is_valid()
        shape, values = [], dict.fromkeys(ID_FILTERS, 0)
        for name, value in self.form.cleaned_data.items():
            if name == "as_at" or value in django_filters.constants.EMPTY_VALUES:
                continue
            if name in ID_FILTERS and value != "null":
                shape.append((name, "id"))
                values[name] = int(value)
            else:
                shape.append((name, value))
        at = self.moments
        values.update(council=self.membership.council_id, day=at.day, cutoff=at.cutoff, since=at.since, soon=at.soon)

        def read(sort: str, offset: int, limit: int) -> list[Any]:
            if not shape and not sort and not at.stored and limit <= _PAGE_IDS:
                # A past date in the plan's order, nothing filtered: which rows the page shows, and how many there
                # are, need no position, so the page's rows are chosen first and only they are positioned (each
                # position is several joined reads), not every row of the plan.
                return _page_then_positions(type(self), table_class, offset=offset, limit=limit, **values)
            statement = _rows_statement(type(self), table_class, tuple(shape), sort, at.stored)
            return statement.read(offset=offset, limit=limit, **values)

        return read

    @classmethod
    def plan_rows(cls, *, council_id: int, at: Moments) -> QuerySet:
        """The council's items with their position at `at`, in the plan's order."""
        raise NotImplementedError


class _RowsStatement:
    """A table's page of rows for one shape (`PlanFilterSet.page_reader`): a `Statement`, and its rows read as
    records with the statement's column names (and `pk`)."""

    def __init__(self, statement: Statement) -> None:
        self.statement = statement
        self._record: type | None = None

    def read(self, **values: Any) -> list[Any]:
        """The rows for `values` (a paged statement's `offset` and `limit` among them)."""
        rows = self.statement.records(**values)
        if self._record is None:
            self._record = _record_class(self.statement.names())
        make = self._record._make
        return [make(row) for row in rows]


@functools.cache
def _record_class(names: tuple[str, ...]) -> type:
    base = NamedTuple("Row", [(name, Any) for name in names])  # type: ignore[misc]
    return type("Row", (base,), {"__slots__": (), "pk": property(lambda row: row.id)})


@functools.lru_cache(maxsize=512)  # compiled SQL (no data): a bound on the shapes a process keeps
def _rows_statement(
    filterset_class: type[PlanFilterSet], table_class: "type[PlanTable]", shape: tuple, sort: str, stored: bool
) -> _RowsStatement:
    """The statement of a table's page of rows for one shape (`PlanFilterSet.page_reader`)."""

    def build(*, council: int, day: dt.date, cutoff: dt.datetime, since: dt.datetime, soon: dt.date, **ids: int):
        at = Moments(day, cutoff, since, soon, stored)
        queryset = filterset_class.plan_rows(council_id=council, at=at)
        for name, value in shape:
            chosen = ids[name] if value == "id" else value
            queryset = filtered(queryset, name, chosen, at=at, engagement_path=filterset_class.engagement_path)
        return table_class.rows_of(queryset, sort=sort)

    return _RowsStatement(
        Statement(
            build,
            paged=True,
            council=int,
            day=dt.date,
            cutoff=dt.datetime,
            since=dt.datetime,
            soon=dt.date,
            **dict.fromkeys(ID_FILTERS, int),
        )
    )


_PAGE_IDS = 25  # the most rows a page shows (tables.PER_PAGE): `_page_then_positions` reads up to this many
_IDS = tuple(f"id{number}" for number in range(_PAGE_IDS))
_NO_ID = 0  # no row has it: the place of an id a short page does not fill


@functools.cache
def _page_ids_statement(filterset_class: type[PlanFilterSet]) -> Statement:
    """The ids of a page of the council's items that existed by the cut-off, in the plan's order, each with how
    many there are in all: what the page shows, read without working out any position."""

    model, council_path = filterset_class._meta.model, f"{filterset_class.engagement_path}__council_id"

    def build(*, council: int, cutoff: dt.datetime) -> QuerySet:
        items = model.objects.filter(**{council_path: council}, created_at__lt=cutoff)
        counted = items.annotate(rows_in_all=Window(Count("pk"))).order_by(*filterset_class.plan_order)
        return counted.values_list("pk", "rows_in_all")

    return Statement(build, paged=True, council=int, cutoff=dt.datetime)


@functools.cache
def _positions_statement(filterset_class: type[PlanFilterSet], table_class: "type[PlanTable]") -> _RowsStatement:
    """The rows of the items whose ids are given (`_IDS`), with their position as at a past day, in the plan's
    order: the table's values for a page already chosen (`_page_then_positions`)."""

    def build(*, council: int, day: dt.date, cutoff: dt.datetime, since: dt.datetime, soon: dt.date, **ids: int):
        at = Moments(day, cutoff, since, soon, False)
        queryset = filterset_class.plan_rows(council_id=council, at=at).filter(pk__in=[ids[name] for name in _IDS])
        return table_class.rows_of(queryset)

    kinds = dict.fromkeys(_IDS, int)
    return _RowsStatement(
        Statement(build, council=int, day=dt.date, cutoff=dt.datetime, since=dt.datetime, soon=dt.date, **kinds)
    )


def _page_then_positions(
    filterset_class: type[PlanFilterSet], table_class: "type[PlanTable]", *, offset: int, limit: int, **values: Any
) -> list[Any]:
    """A page of a past date's table in the plan's order, nothing filtered: the page's ids and the count first
    (`_page_ids_statement`), then the positions of those rows alone (`_positions_statement`), each row with the
    count of all rows. The same rows as the table's one statement gives; two reads, each compiled once a process."""
    page = _page_ids_statement(filterset_class).rows(
        council=values["council"], cutoff=values["cutoff"], offset=offset, limit=limit
    )
    if not page:
        return []
    ids = [pk for pk, _count in page] + [_NO_ID] * (_PAGE_IDS - len(page))
    rows = _positions_statement(filterset_class, table_class).read(**values, **dict(zip(_IDS, ids, strict=True)))
    in_all = page[0][1]
    return [row._replace(rows_in_all=in_all) for row in rows]


RECOMMENDATION_ORDER = ("engagement__first_onsite_day", "engagement_id", "position", "reference", "pk")
ACTION_ORDER = (
    "recommendation__engagement__first_onsite_day",
    "recommendation__engagement_id",
    "recommendation__position",
    "recommendation__reference",
    "position",
    "reference",
    "pk",
)


class RecommendationFilterSet(PlanFilterSet):
    plan_order = RECOMMENDATION_ORDER

    class Meta(PlanFilterSet.Meta):
        model = Recommendation

    def base_queryset(self, *, as_at: dt.date) -> QuerySet[Recommendation]:
        return selectors.recommendations_for(
            user=self.user, council_slug=self.membership.council.slug, as_at=as_at
        ).order_by(*self.plan_order)

    @classmethod
    def plan_rows(cls, *, council_id: int, at: Moments) -> QuerySet[Recommendation]:
        return plan_rows(Recommendation, council_id=council_id, at=at).order_by(*cls.plan_order)


class ActionFilterSet(PlanFilterSet):
    """Engagement, theme and lead directorate are those of the action's recommendation (as at the date)."""

    engagement_path = "recommendation__engagement"
    plan_order = ACTION_ORDER

    class Meta(PlanFilterSet.Meta):
        model = Action

    def base_queryset(self, *, as_at: dt.date) -> QuerySet[Action]:
        return selectors.actions_for(user=self.user, council_slug=self.membership.council.slug, as_at=as_at).order_by(
            *self.plan_order
        )

    @classmethod
    def plan_rows(cls, *, council_id: int, at: Moments) -> QuerySet[Action]:
        return plan_rows(Action, council_id=council_id, at=at).order_by(*cls.plan_order)


class RowsReadOnce(forms.models.ModelChoiceIterator):
    """A choice box's options from its queryset's rows as read once for the request (Django's own iterator reads
    them again each time the box is drawn): the dashboard counts by the same engagements and themes."""

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "null_label", None) is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:  # the rows already read, or read now and kept
            yield self.choice(obj)

    def __len__(self) -> int:
        return sum(1 for _choice in self)


class DashboardForm(FilterForm):
    """The dashboard's own filters (GET): one engagement, one theme, and the as-at date."""

    engagement = forms.ModelChoiceField(
        label="Engagement",
        queryset=Engagement.objects.none(),
        required=False,
        empty_label="All engagements",
        error_messages=_choose("an engagement"),
    )
    theme = ThemeChoiceField(
        label="Theme",
        queryset=Theme.objects.none(),
        required=False,
        empty_label="All themes",
        error_messages=_choose("a theme"),
    )
    as_at = AsAtField(
        label="As at",
        name="as at date",
        required=False,
        help_text="The position at the end of this day. Leave it empty for today. For example, 28 9 2020",
    )

    def __init__(self, data: QueryDict, *, user: User, membership: Membership) -> None:
        super().__init__(data)
        slug = membership.council.slug
        for name in ("engagement", "theme"):
            self.fields[name].iterator = RowsReadOnce  # before the querysets: setting one makes the box's options
        self.fields["engagement"].queryset = selectors.engagements_for(user=user, council_slug=slug).order_by(
            "first_onsite_day", "title", "pk"
        )
        self.fields["theme"].queryset = (
            Theme.objects.filter(engagement__council=membership.council)
            .select_related("engagement")
            .order_by("engagement__first_onsite_day", "engagement__title", "position", "name", "pk")
        )

    @property
    def engagements(self) -> QuerySet[Engagement]:
        """The council's engagements, as the engagement box offers them (read once for the request)."""
        return self.fields["engagement"].queryset

    @property
    def themes(self) -> QuerySet[Theme]:
        """The council's themes with their engagements, as the theme box offers them (read once)."""
        return self.fields["theme"].queryset

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        engagement, theme = cleaned.get("engagement"), cleaned.get("theme")
        if engagement is not None and theme is not None and theme.engagement_id != engagement.pk:
            self.add_error("theme", "Choose a theme of the engagement you chose, or all themes")
        return cleaned


class AsAtForm(FilterForm):
    """`?as_at=YYYY-MM-DD` on an item's page (or the day, month and year boxes), read as the tables read it."""

    as_at = AsAtField(label="As at", name="as at date", required=False)


def past_date_asked(query: QueryDict) -> dt.date | None:
    """The past date a page was asked to show (`as_at`), or None: none asked, today, or one that is not a real
    date or is in the future (ignored: the page shows today)."""
    form = AsAtForm(query)
    day = form.cleaned_data.get("as_at") if form.is_valid() else None
    return day if day is not None and day < selectors.local_today() else None
