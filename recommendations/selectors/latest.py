"""The approved update that sets each item's position as at a moment, joined once to the item's row.

Of an item's updates approved before the cut-off, the one submitted last (ties by id) sets its position
(the ordering rule, POSITION_ORDER). Rather than a correlated subquery per column per row, the query joins
that one update to each row, read through the partial index (item, submitted_at DESC, id DESC) WHERE
approved (`update_rec_position_idx`, `update_action_position_idx`):

- PostgreSQL: `LEFT JOIN LATERAL (SELECT … ORDER BY submitted_at DESC, id DESC LIMIT 1) ON TRUE`;
- SQLite (no LATERAL): `LEFT JOIN progressupdate ON id = (SELECT id … ORDER BY … LIMIT 1)`, the same index
  giving the id and the primary key the row.

Every column of the update is then a plain column of the join (`update_column`), so the status, the RAG,
the moment and the texts cost one index descent per row, whatever the number of columns read.
"""

import datetime as dt
from typing import Any

from django.db.models import Field, QuerySet
from django.db.models.expressions import Col
from django.db.models.sql.constants import LOUTER

from recommendations.models import ProgressUpdate, Recommendation


class LatestApprovedJoin:
    """A LEFT JOIN of each item's position update as at `cutoff` (a member of a Query's alias_map)."""

    join_type = LOUTER
    nullable = True
    filtered_relation = None
    join_field = None

    def __init__(
        self, *, table_alias: str, parent_alias: str, link: str, cutoff: dt.datetime, table_name: str = ""
    ) -> None:
        self.table_alias = table_alias
        self.table_name = table_name or table_alias  # its own entry in the query's table_map, kept when relabelled
        self.parent_alias = parent_alias
        self.link = link  # the update's column naming the item: recommendation_id or action_id
        self.cutoff = cutoff

    def _latest(self, compiler: Any, connection: Any, *, columns: str) -> tuple[str, list[Any]]:
        qn = connection.ops.quote_name
        table = qn(ProgressUpdate._meta.db_table)
        parent = compiler.quote_name_unless_alias(self.parent_alias)
        # Names quoted by the backend, values passed as parameters.
        sql = (
            f"SELECT {columns} FROM {table} {qn('latest')} "  # noqa: S608
            f"WHERE {qn('latest')}.{qn(self.link)} = {parent}.{qn('id')} "
            f"AND {qn('latest')}.{qn('review_state')} = %s AND {qn('latest')}.{qn('approved_at')} < %s "
            f"ORDER BY {qn('latest')}.{qn('submitted_at')} DESC, {qn('latest')}.{qn('id')} DESC LIMIT 1"
        )
        return sql, [ProgressUpdate.ReviewState.APPROVED, connection.ops.adapt_datetimefield_value(self.cutoff)]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        qn = connection.ops.quote_name
        latest, params = self._latest(compiler, connection, columns=f"{qn('latest')}.{qn('id')}")
        alias = compiler.quote_name_unless_alias(self.table_alias)  # as the columns that read it quote it
        table = qn(ProgressUpdate._meta.db_table)
        return f"LEFT OUTER JOIN {table} {alias} ON {alias}.{qn('id')} = ({latest})", params

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        qn = connection.ops.quote_name
        latest, params = self._latest(compiler, connection, columns=f"{qn('latest')}.*")
        alias = compiler.quote_name_unless_alias(self.table_alias)
        return f"LEFT OUTER JOIN LATERAL ({latest}) {alias} ON TRUE", params

    def relabeled_clone(self, change_map: dict[str, str]) -> "LatestApprovedJoin":
        return LatestApprovedJoin(
            table_alias=change_map.get(self.table_alias, self.table_alias),
            parent_alias=change_map.get(self.parent_alias, self.parent_alias),
            link=self.link,
            cutoff=self.cutoff,
            table_name=self.table_name,
        )

    def promote(self) -> "LatestApprovedJoin":
        return self  # always an outer join

    def demote(self) -> "LatestApprovedJoin":
        return self  # an item with no approved update keeps its row


def _alias_for(cutoff: dt.datetime) -> str:
    return f"position_at_{int(cutoff.timestamp())}"


def join_latest_approved(queryset: QuerySet, *, cutoff: dt.datetime) -> QuerySet:
    """The queryset with each item's position update as at `cutoff` joined (once, however often asked)."""
    queryset = queryset.all()
    query = queryset.query
    alias = _alias_for(cutoff)
    if alias not in query.alias_map:
        parent = query.get_initial_alias()
        link = "recommendation_id" if queryset.model is Recommendation else "action_id"
        query.alias_map[alias] = LatestApprovedJoin(table_alias=alias, parent_alias=parent, link=link, cutoff=cutoff)
        query.alias_refcount[alias] = 1
        query.table_map[alias] = [alias]
    return queryset


def update_column(cutoff: dt.datetime, name: str) -> Col:
    """A column of the position update as at `cutoff` (NULL where there is none), for annotations; the
    queryset must have it joined (`join_latest_approved`)."""
    field: Field = ProgressUpdate._meta.get_field(name)
    return Col(_alias_for(cutoff), field)
