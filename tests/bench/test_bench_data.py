"""The benchmark's data generator and its trivial view."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from recommendations.models import Action, Council, Evidence, Membership, ProgressUpdate, Recommendation, User

from ..conftest import client_for

pytestmark = pytest.mark.django_db


def test_bench_data_builds_councils_with_five_years_of_approved_updates() -> None:
    call_command("bench_data", scale=1, councils=2, force=True)
    call_command("bench_data", scale=1, councils=2, force=True)  # again: nothing added

    councils = Council.objects.filter(slug__startswith="bench-")
    assert sorted(councils.values_list("slug", flat=True)) == ["bench-0001", "bench-0002"]
    council = councils.get(slug="bench-0001")
    assert Recommendation.objects.filter(engagement__council=council).count() == 20
    assert Action.objects.filter(recommendation__engagement__council=council).count() == 100
    roles = set(Membership.objects.filter(council=council).values_list("role", flat=True))
    assert {Membership.Role.LEAD, Membership.Role.OFFICER} <= roles
    assert Evidence.objects.filter(council=council, kind=Evidence.Kind.LINK).exists()

    approved = ProgressUpdate.objects.filter(
        review_state="approved", recommendation__engagement__council=council
    ).order_by("approved_at")
    first, last = approved.first().approved_at, approved.last().approved_at
    assert last - first >= dt.timedelta(days=365 * 5 - 62)
    # Monthly: the first recommendation never finishes, so it has an approved update every month.
    assert approved.filter(recommendation__reference="R1").count() == 60
    assert ProgressUpdate.objects.filter(review_state="submitted", action__recommendation__engagement__council=council)

    # The history the services would have written, so that as-at pages read years of it.
    action = Action.objects.get(recommendation__engagement__council=council, reference="1.2")
    records = list(action.history.order_by("history_date", "history_id"))
    assert records[0].history_type == "+" and records[0].percent_complete == 0
    assert len(records) > 12 and records[-1].percent_complete == action.percent_complete
    assert records[-1].version == action.version
    assert (
        Recommendation.history.filter(id__in=Recommendation.objects.filter(engagement__council=council)).count() == 20
    )
    out = StringIO()
    call_command("check_positions", stdout=out)  # exits 1 on drift
    assert "No drift" in out.getvalue()


def test_bench_data_reset_removes_the_bench_councils() -> None:
    call_command("bench_data", scale=1, councils=1, force=True)
    call_command("bench_data", scale=1, councils=1, force=True, reset=True)
    assert Council.objects.filter(slug__startswith="bench-").count() == 1


def test_bench_data_refuses_without_debug_or_force() -> None:
    with pytest.raises(CommandError):
        call_command("bench_data", scale=1, councils=1)


@override_settings(ROOT_URLCONF="bench.urls")
def test_trivial_view_answers_signed_in_and_redirects_anonymous(officer: User) -> None:
    assert client_for(officer).get("/bench/trivial/").status_code == 200
    response = client_for(None).get("/bench/trivial/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_reset_also_removes_the_report_benchmarks_reports_and_return_visits() -> None:
    from bench import report_pdf
    from reports.models import SummaryReport

    call_command("bench_data", scale=1, councils=1, force=True)
    report = report_pdf.build(2)
    assert report.session.engagement.parent is not None
    call_command("bench_data", scale=1, councils=1, force=True, reset=True)
    assert not SummaryReport.objects.exists()
    assert Council.objects.filter(slug="bench-0001").exists()  # made again
