"""The latest row of a related table as at a moment, joined once to each item's row: the approved update that
sets its position, and the history record in force.

Of an item's updates approved before the cut-off, the one submitted last (ties by id) sets its position
(the ordering rule, POSITION_ORDER); of its history records dated before the cut-off, the latest (ties by
history id) holds its owner, theme, directorate and % complete. Rather than a correlated subquery per
column per row, the query joins that one row to each item, read through an index that fits (the partial
index (item, submitted_at DESC, id DESC) WHERE approved, `update_rec_position_idx` and
`update_action_position_idx`; the history's index on the item's id):

- PostgreSQL: `LEFT JOIN LATERAL (SELECT … ORDER BY … LIMIT 1) ON TRUE`;
- SQLite (no LATERAL): `LEFT JOIN table ON pk = (SELECT pk … ORDER BY … LIMIT 1)`, the index giving the
  primary key and the primary key the row.

Every column of that row is then a plain column of the join (`update_column`, `record_column`), and the
names it points at come through ordinary joins of it (`record_join`).
"""

import datetime as dt
import functools
from typing import Any

from django.db.models import Field, IntegerField, Model, QuerySet
from django.db.models.expressions import Col
from django.db.models.sql.constants import LOUTER

from recommendations.models import DueDateChange, ProgressUpdate, Recommendation


class _Join:
    """What a Query needs of a member of its alias_map: an outer join that stays one when relabelled."""

    join_type = LOUTER
    nullable = True
    filtered_relation = None
    join_field = None
    table_alias: str
    table_name: str
    parent_alias: str

    def relabeled_clone(self, change_map: dict[str, str]) -> "_Join":
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.table_alias = change_map.get(self.table_alias, self.table_alias)
        clone.parent_alias = change_map.get(self.parent_alias, self.parent_alias)
        return clone  # table_name stays: it is the join's own key in the query's table_map

    def promote(self) -> "_Join":
        return self

    def demote(self) -> "_Join":
        return self  # an item with no such row keeps its own


class LatestRowJoin(_Join):
    """LEFT JOIN the latest row of `table` whose `key` is the parent's `parent_column`, among those meeting
    `conditions` ((column, operator, value), the values passed as parameters), latest by `order` (or, `first`,
    the earliest)."""

    def __init__(
        self,
        *,
        name: str,
        parent_alias: str,
        table: str,
        key: str,
        parent_column: str,
        conditions: list[tuple[str, str, Any]],
        order: tuple[str, ...],
        pk: str,
        first: bool = False,
    ) -> None:
        self.table_alias = self.table_name = name
        self.parent_alias = parent_alias
        self.table, self.key, self.parent_column = table, key, parent_column
        self.conditions, self.order, self.pk = conditions, order, pk
        self.direction = "ASC" if first else "DESC"  # `first`: the earliest row by `order`, not the latest

    def _latest(self, compiler: Any, connection: Any, *, columns: str) -> tuple[str, list[Any]]:
        qn = connection.ops.quote_name
        row = qn("latest")
        parent = compiler.quote_name_unless_alias(self.parent_alias)
        where = [f"{row}.{qn(self.key)} = {parent}.{qn(self.parent_column)}"]
        where += [f"{row}.{qn(column)} {operator} %s" for column, operator, _ in self.conditions]
        order = ", ".join(f"{row}.{qn(column)} {self.direction}" for column in self.order)
        # Names quoted by the backend, values passed as parameters.
        sql = f"SELECT {columns} FROM {qn(self.table)} {row} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT 1"  # noqa: S608
        adapt = connection.ops.adapt_datetimefield_value  # SQLite compares its text, in UTC
        return sql, [adapt(value) if isinstance(value, dt.datetime) else value for _, _, value in self.conditions]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        qn = connection.ops.quote_name
        latest, params = self._latest(compiler, connection, columns=f"{qn('latest')}.{qn(self.pk)}")
        alias = compiler.quote_name_unless_alias(self.table_alias)  # as the columns that read it quote it
        return f"LEFT OUTER JOIN {qn(self.table)} {alias} ON {alias}.{qn(self.pk)} = ({latest})", params

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        latest, params = self._latest(compiler, connection, columns=f"{connection.ops.quote_name('latest')}.*")
        alias = compiler.quote_name_unless_alias(self.table_alias)
        return f"LEFT OUTER JOIN LATERAL ({latest}) {alias} ON TRUE", params


class RowJoin(_Join):
    """LEFT JOIN `table` on its primary key = the parent's `parent_column` (what a joined row points at)."""

    def __init__(self, *, name: str, parent_alias: str, table: str, parent_column: str) -> None:
        self.table_alias = self.table_name = name
        self.parent_alias = parent_alias
        self.table, self.parent_column = table, parent_column

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        qn = connection.ops.quote_name
        alias = compiler.quote_name_unless_alias(self.table_alias)
        parent = compiler.quote_name_unless_alias(self.parent_alias)
        return f"LEFT OUTER JOIN {qn(self.table)} {alias} ON {alias}.{qn('id')} = {parent}.{qn(self.parent_column)}", []

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        """A lateral read by the primary key, which the planner cannot turn into a hash of the whole table for
        each row (it did, for the themes of a past date's record: a table that grows with every council's)."""
        qn = connection.ops.quote_name
        alias = compiler.quote_name_unless_alias(self.table_alias)
        parent = compiler.quote_name_unless_alias(self.parent_alias)
        row = qn("named")
        key = f"{row}.{qn('id')} = {parent}.{qn(self.parent_column)}"
        named = f"SELECT {row}.* FROM {qn(self.table)} {row} WHERE {key} LIMIT 1"  # noqa: S608 - names, quoted
        return f"LEFT OUTER JOIN LATERAL ({named}) {alias} ON TRUE", []


def _add(queryset: QuerySet, name: str, make: Any) -> QuerySet:
    """The queryset (a clone) with the join `name` added once, however often asked; `make(parent_alias)`."""
    queryset = queryset.all()
    query = queryset.query
    if name not in query.table_map:
        parent = query.get_initial_alias()
        query.alias_map[name] = make(parent)
        query.alias_refcount[name] = 1
        query.table_map[name] = [name]
    return queryset


def _alias(query: Any, name: str) -> str:
    """The alias the join `name` has in `query` now (a subquery's aliases are renamed)."""
    return query.table_map[name][0]


# --- the approved update that sets the position -------------------------------------------------------


def _update_name(cutoff: dt.datetime) -> str:
    return f"position_at_{int(cutoff.timestamp())}"


def _join_items_row(queryset: QuerySet, name: str, model: type[Model], **how: Any) -> QuerySet:
    """The queryset (of recommendations or actions) with one row of `model` joined to each item by the item's
    link to it (`LatestRowJoin`, `how` its conditions, order and direction)."""
    link = "recommendation_id" if queryset.model is Recommendation else "action_id"
    return _add(
        queryset,
        name,
        lambda parent: LatestRowJoin(
            name=name, parent_alias=parent, table=model._meta.db_table, key=link, parent_column="id", pk="id", **how
        ),
    )


def join_latest_approved(queryset: QuerySet, *, cutoff: dt.datetime) -> QuerySet:
    """The queryset with each item's position update as at `cutoff` joined."""
    # Submitted by then too: an update is approved after it is submitted (the constraint
    # update_approved_after_submitted), so this keeps the same rows and lets the index start at the cut-off
    # rather than step over every update submitted since.
    approved = ("review_state", "=", ProgressUpdate.ReviewState.APPROVED)
    conditions = [approved, ("approved_at", "<", cutoff), ("submitted_at", "<", cutoff)]
    return _join_items_row(
        queryset, _update_name(cutoff), ProgressUpdate, conditions=conditions, order=("submitted_at", "id")
    )


def update_column(cutoff: dt.datetime, name: str) -> Col:
    """A column of the position update as at `cutoff` (NULL where there is none), for annotations; the
    queryset must have it joined (`join_latest_approved`)."""
    field: Field = ProgressUpdate._meta.get_field(name)
    return Col(_update_name(cutoff), field)


# --- the due date in force -------------------------------------------------------------------------------


def _move_name(cutoff: dt.datetime) -> str:
    return f"moved_after_{int(cutoff.timestamp())}"


def join_first_later_move(queryset: QuerySet, *, cutoff: dt.datetime) -> QuerySet:
    """The queryset with each item's first move of its due date made at or after `cutoff` joined (none where its
    date has not moved since): the date that move replaced was the one in force at the cut-off. One probe of the
    (item, changed_at) index a row."""
    later = [("changed_at", ">=", cutoff)]
    return _join_items_row(
        queryset, _move_name(cutoff), DueDateChange, conditions=later, order=("changed_at", "id"), first=True
    )


def move_column(cutoff: dt.datetime, name: str) -> Col:
    """A column of the first later move joined by `join_first_later_move` (NULL where there is none)."""
    return Col(_move_name(cutoff), DueDateChange._meta.get_field(name))


# --- the history record in force ------------------------------------------------------------------------


@functools.cache
def _history_of(model: type[Model]) -> type[Model]:
    """The model's history model, looked up once a process: django-simple-history's `model.history` makes a new
    manager class (inspecting every queryset method) each time it is read."""
    return model.history.model  # type: ignore[attr-defined]


def _record_name(model: type[Model], cutoff: dt.datetime) -> str:
    return f"record_{model._meta.model_name}_{int(cutoff.timestamp())}"


def join_record(queryset: QuerySet, *, model: type[Model], parent_column: str, cutoff: dt.datetime) -> QuerySet:
    """The queryset with the latest history record of `model` dated before `cutoff` joined, that of the item
    whose id is the row's `parent_column` ("id": the row's own; "recommendation_id": an action's
    recommendation's)."""
    history = _history_of(model)
    name = _record_name(model, cutoff)
    return _add(
        queryset,
        name,
        lambda parent: LatestRowJoin(
            name=name,
            parent_alias=parent,
            table=history._meta.db_table,
            key="id",
            parent_column=parent_column,
            conditions=[("history_date", "<", cutoff)],
            order=("history_date", "history_id"),
            pk="history_id",
        ),
    )


def record_column(model: type[Model], cutoff: dt.datetime, name: str) -> Col:
    """A column of the history record of `model` joined by `join_record` (NULL where there is none)."""
    field = _history_of(model)._meta.get_field(name)
    output = IntegerField() if field.is_relation else field
    return Col(_record_name(model, cutoff), field, output)


def record_join(queryset: QuerySet, *, model: type[Model], cutoff: dt.datetime, relation: str) -> QuerySet:
    """The queryset with what the joined record's `relation` (owner, theme, lead_directorate) names joined:
    nothing where the record names nothing or what it named has since been deleted."""
    field = _history_of(model)._meta.get_field(relation)
    record = _record_name(model, cutoff)
    name = f"{record}_{relation}"
    queryset = queryset.all()
    query = queryset.query
    if name not in query.table_map:
        query.alias_map[name] = RowJoin(
            name=name,
            parent_alias=_alias(query, record),
            table=field.related_model._meta.db_table,
            parent_column=field.column,
        )
        query.alias_refcount[name] = 1
        query.table_map[name] = [name]
    return queryset


def related_column(model: type[Model], cutoff: dt.datetime, relation: str, name: str) -> Col:
    """A column of what the joined record's `relation` names (`record_join`)."""
    field = _history_of(model)._meta.get_field(relation)
    return Col(f"{_record_name(model, cutoff)}_{relation}", field.related_model._meta.get_field(name))
