"""Reads compiled once a process (selectors/statements.py): the rows are the ORM's for any values, and on
PostgreSQL the statement is prepared once a connection and prepared again on a new one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.models import Council, Theme
from recommendations.selectors.statements import Statement

from ..factories import EngagementFactory

pytestmark = pytest.mark.django_db


def _themes(council_id: int, name: str):  # noqa: ANN202 - a QuerySet of values
    return (
        Theme.objects.filter(engagement__council_id=council_id)
        .exclude(name=name)
        .order_by("position", "pk")
        .values_list("name", "position")
    )


THEMES = Statement(_themes, council_id=int, name=str)


def test_the_rows_are_the_orms_for_any_values(council: Council, other_council: Council) -> None:
    for each, names in ((council, ["Leadership", "Finance", "People's voice"]), (other_council, ["Place", "Homes"])):
        engagement = EngagementFactory(council=each)
        for position, name in enumerate(names):
            Theme.objects.create(engagement=engagement, name=name, position=position)
    for each in (council, other_council):
        for excluded in ("Finance", "Homes", "it's; DROP TABLE x", ""):
            expected = [tuple(row) for row in _themes(each.pk, excluded)]
            assert THEMES.rows(council_id=each.pk, name=excluded) == expected
    assert THEMES.rows(council_id=council.pk, name="Finance") == [("Leadership", 0), ("People's voice", 2)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
@pytest.mark.django_db(transaction=True)  # the connection is closed and opened again
def test_postgresql_prepares_it_once_a_connection(council: Council) -> None:
    engagement = EngagementFactory(council=council)
    Theme.objects.create(engagement=engagement, name="Leadership", position=0)
    statement = Statement(_themes, council_id=int, name=str)

    def prepared() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = %s", [statement.name])
            return cursor.fetchone()[0] == 1

    assert not prepared()
    for _ in range(3):
        with CaptureQueriesContext(connection) as context:
            assert statement.rows(council_id=council.pk, name="") == [("Leadership", 0)]
        # One query a call: the EXECUTE (preparing is part of the connection's set-up, like its settings).
        assert [query["sql"].split("(")[0] for query in context.captured_queries] == [f"EXECUTE {statement.name}"]
        assert prepared()
    connection.close()  # a new connection knows nothing of the old one's statements: it prepares again
    assert statement.rows(council_id=council.pk, name="Leadership") == []
    assert prepared()


def _engagements_with_kind(council_id: int):  # noqa: ANN202 - a QuerySet of models
    from django.db.models import Count

    return (
        EngagementFactory._meta.model.objects.filter(council_id=council_id)
        .select_related("kind", "council")
        .annotate(theme_count=Count("themes"))
        .order_by("pk")
    )


ENGAGEMENTS = Statement(_engagements_with_kind, council_id=int)


def test_instances_are_the_querysets_models_with_their_related_models_and_annotations(
    council: Council, other_council: Council
) -> None:
    first, second = EngagementFactory(council=council), EngagementFactory(council=council)
    EngagementFactory(council=other_council)
    Theme.objects.create(engagement=first, name="Leadership", position=0)
    Theme.objects.create(engagement=first, name="Finance", position=1)
    expected = list(_engagements_with_kind(council.pk))
    with CaptureQueriesContext(connection) as context:
        found = ENGAGEMENTS.instances(council_id=council.pk)
        seen = [(e.pk, e.title, e.first_onsite_day, e.kind.name, e.council.slug, e.theme_count) for e in found]
    assert len(context.captured_queries) == 1  # the related models came with the rows
    assert seen == [(e.pk, e.title, e.first_onsite_day, e.kind.name, e.council.slug, e.theme_count) for e in expected]
    assert [e.pk for e in found] == [first.pk, second.pk]
    assert found[0].theme_count == 2 and not found[0]._state.adding
