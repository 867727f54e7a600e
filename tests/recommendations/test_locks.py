"""Two writers adding the same reference at once take turns: a lead adding a recommendation while an import
adds it too waits for the import, then is told the reference is taken (never a 500 from the database's
unique constraint). Row locks are PostgreSQL's: SQLite writes one transaction at a time anyway."""

import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from recommendations import imports, services
from recommendations.imports import applying
from recommendations.models import Engagement, Recommendation, User

from ..factories import EngagementFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_a_lead_adding_a_reference_that_an_import_is_adding_waits_and_is_told_it_is_taken(
    reference_data: None, council: object, lead: User
) -> None:
    engagement: Engagement = EngagementFactory(council=council)
    locked, release = threading.Event(), threading.Event()
    write = applying._apply  # the real one, which the patch below wraps

    def write_then_hold(plan: object, **kwargs: object) -> object:
        """The import's own writing, then a pause before its transaction commits."""
        result = write(plan, **kwargs)
        locked.set()
        release.wait(10)
        return result

    def import_adding_r1() -> None:
        try:
            imports.import_apply(
                engagement=engagement,
                data=b"Type,Reference,Text\r\nrecommendation,R1,Imported.\r\n",
                filename="p.csv",
                by=lead,
            )
        finally:
            connections.close_all()

    importer = threading.Thread(target=import_adding_r1)
    with mock.patch.object(applying, "_apply", side_effect=write_then_hold):
        importer.start()
        assert locked.wait(10)  # the import has written R1 and holds its locks
    outcome: list[object] = []

    def lead_adds_r1() -> None:
        try:
            services.recommendation_add(engagement=engagement, by=lead, reference="R1", text="Typed by the lead.")
            outcome.append("added")
        except ValidationError as error:
            outcome.append(error.message_dict)
        finally:
            connections.close_all()

    adder = threading.Thread(target=lead_adds_r1)
    adder.start()
    adder.join(0.5)
    assert adder.is_alive()  # waiting for the import's lock
    release.set()
    importer.join(10)
    adder.join(10)

    assert outcome == [{"reference": ["Reference R1 is already used in this engagement"]}]
    assert list(Recommendation.objects.filter(engagement=engagement).values_list("text", flat=True)) == ["Imported."]
