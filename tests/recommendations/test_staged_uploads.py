"""Uploads staged, then kept or removed: the clean-up job (time moved by argument, nothing sleeps), the
council's storage total and its quota."""

import datetime as dt
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from councilimprove.jobs import SCHEDULE
from recommendations import selectors, services, tasks
from recommendations.models import (
    Council,
    Evidence,
    ProgressUpdate,
    Rag,
    Recommendation,
    StagedUpload,
    Status,
    StorageUse,
    User,
)

from ..conftest import client_for
from ..factories import EvidenceFactory, RecommendationFactory, UserFactory
from .evidence_files import PDF, document, upload

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture
def recommendation(council: Council, officer: User) -> Recommendation:
    return RecommendationFactory(engagement__council=council, owner=officer, reference="R1")


@pytest.fixture
def clean(django_capture_on_commit_callbacks: Callable) -> Callable[[dt.datetime], int]:
    """Run the clean-up as at a moment, with its file deletions once its transaction has committed."""

    def run(at: dt.datetime) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.uploads_clean(at=at)

    return run


def stored(evidence: Evidence | StagedUpload) -> Path:
    return Path(evidence.file.path)


def files_in(settings: object) -> list[Path]:
    folder = Path(settings.STORAGES["evidence"]["OPTIONS"]["location"])
    return sorted(path for path in folder.rglob("*") if path.is_file())


def saved_with_file(recommendation: Recommendation, officer: User, name: str) -> ProgressUpdate:
    """A draft saved from the progress form with one file (staged, then evidence)."""
    staged = services.upload_stage(council=recommendation.council, uploaded=upload(name, PDF), by=officer)
    membership = officer.memberships.get(council=recommendation.council)
    return services.update_save(
        membership=membership, item=recommendation, status=Status.IN_PROGRESS, rag=Rag.GREEN, staged=[staged]
    )


# --- the clean-up ----------------------------------------------------------------------------------------


def test_an_approved_updates_files_survive_the_clean_up_however_late(
    recommendation: Recommendation, officer: User, lead: User, clean: Callable, settings: object
) -> None:
    update = saved_with_file(recommendation, officer, "approved.pdf")
    services.update_submit(update=update, notify=False)
    services.update_approve(update=update, reviewer=lead, notify=False)
    evidence = update.evidence.get()
    assert clean(timezone.now() + 400 * DAY) == 0
    assert stored(evidence).read_bytes() == PDF
    assert list(ProgressUpdate.objects.get(pk=update.pk).evidence.all()) == [evidence]
    assert files_in(settings) == [stored(evidence)]


@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_an_updates_files_survive_in_any_state(
    recommendation: Recommendation, officer: User, lead: User, clean: Callable, state: str
) -> None:
    update = saved_with_file(recommendation, officer, f"{state}.pdf")
    if state != "draft":
        services.update_submit(update=update, notify=False)
    if state == "returned":
        services.update_return(update=update, reviewer=lead, comment="Add the figures", notify=False)
    assert clean(timezone.now() + 30 * DAY) == 0
    assert stored(update.evidence.get()).exists()


def test_evidence_an_item_carries_survives(council: Council, lead: User, clean: Callable) -> None:
    evidence = document(council=council, by=lead)
    RecommendationFactory(engagement__council=council).evidence.add(evidence)
    assert clean(timezone.now() + 30 * DAY) == 0
    assert stored(evidence).exists()


def test_a_deleted_drafts_files_are_removed_a_day_after_they_were_added(
    recommendation: Recommendation, officer: User, clean: Callable, settings: object
) -> None:
    update = saved_with_file(recommendation, officer, "abandoned.pdf")
    evidence = update.evidence.get()
    services.update_delete(update=update, by=officer)
    assert clean(timezone.now() + DAY / 2) == 0  # under a day old: kept
    assert clean(timezone.now() + DAY + dt.timedelta(minutes=1)) == 1
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert files_in(settings) == []


def test_the_clean_up_is_safe_twice_and_tolerates_a_file_already_gone(
    council: Council, officer: User, clean: Callable, settings: object
) -> None:
    staged = services.upload_stage(council=council, uploaded=upload("a.pdf", PDF), by=officer)
    loose = document(council=council, by=officer, name="b.pdf")
    stored(staged).unlink()  # removed by hand, or by a run that died after its commit
    later = timezone.now() + 2 * DAY
    assert clean(later) == 2
    assert not StagedUpload.objects.exists() and not Evidence.objects.filter(pk=loose.pk).exists()
    assert clean(later) == 0
    assert files_in(settings) == []


def test_links_nothing_carries_are_left_alone(council: Council, clean: Callable) -> None:
    """The job removes files; a link (or an assessment) staff added in the admin has none."""
    link = EvidenceFactory(council=council)
    assert clean(timezone.now() + 30 * DAY) == 0
    assert Evidence.objects.filter(pk=link.pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
def test_the_clean_up_waits_for_a_staged_upload_becoming_evidence_and_leaves_its_file(
    reference_data: None, council: Council, officer: User
) -> None:
    recommendation = RecommendationFactory(engagement__council=council, owner=officer)
    staged = services.upload_stage(council=council, uploaded=upload("late.pdf", PDF), by=officer)
    path = stored(staged)
    membership = officer.memberships.get(council=council)
    held, release = threading.Event(), threading.Event()
    removed: list[int] = []

    def save_and_hold() -> None:
        try:
            with transaction.atomic():
                services.update_save(
                    membership=membership,
                    item=recommendation,
                    status=Status.IN_PROGRESS,
                    rag=Rag.GREEN,
                    staged=[staged],
                )
                held.set()  # the staged row is taken and locked, the evidence not yet committed
                release.wait(10)
        finally:
            connections.close_all()

    def clean_a_day_later() -> None:
        try:
            removed.append(services.uploads_clean(at=timezone.now() + 2 * DAY))
        finally:
            connections.close_all()

    first = threading.Thread(target=save_and_hold)
    first.start()
    assert held.wait(10)
    second = threading.Thread(target=clean_a_day_later)
    second.start()
    second.join(0.5)
    assert second.is_alive()  # the lock makes the clean-up wait for the save
    release.set()
    first.join(10)
    second.join(10)

    assert removed == [0]
    assert path.read_bytes() == PDF
    assert ProgressUpdate.objects.get().evidence.get().file.name == staged.file.name


def test_a_stored_file_no_row_names_is_removed_once_it_is_a_day_old(
    council: Council, officer: User, clean: Callable, settings: object
) -> None:
    kept = services.upload_stage(council=council, uploaded=upload("kept.pdf", PDF), by=officer)
    stray = stored(kept).with_name("0123456789abcdef0123456789abcdef.pdf")
    stray.write_bytes(PDF)  # a file whose row was never committed
    now = timezone.now()
    assert clean(now + DAY / 2) == 0
    written = (now - dt.timedelta(days=3)).timestamp()
    os.utime(stray, (written, written))
    assert clean(now + DAY / 2) == 1  # the stray is old; the staged upload is not
    assert files_in(settings) == [stored(kept)]


def test_the_sweep_leaves_files_it_did_not_name(
    council: Council, officer: User, clean: Callable, settings: object
) -> None:
    kept = services.upload_stage(council=council, uploaded=upload("kept.pdf", PDF), by=officer)
    folder = Path(settings.STORAGES["evidence"]["OPTIONS"]["location"])
    others = [folder / "README.txt", folder / str(council.pk) / "notes.pdf", folder / "backup" / f"{'a' * 32}.pdf"]
    for path in others:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PDF)
    stored(kept).unlink()
    StagedUpload.objects.all().delete()
    assert clean(timezone.now() + 30 * DAY) == 0
    assert files_in(settings) == sorted(others)


def test_the_clean_up_is_on_the_schedule_and_runs_as_at_its_moment(
    council: Council, officer: User, settings: object, django_capture_on_commit_callbacks: Callable
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    assert "recommendations.tasks.uploads_clean" in {job.task for job in SCHEDULE}
    services.upload_stage(council=council, uploaded=upload("a.pdf", PDF), by=officer)
    moment = timezone.now() + 2 * DAY
    call_command("run_due_jobs", at=moment.isoformat(), verbosity=0)
    queued = DBTaskResult.objects.get(task_path="recommendations.tasks.uploads_clean")
    assert (queued.status, queued.args_kwargs["kwargs"]) == (TaskResultStatus.READY, {"at": moment.isoformat()})
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.uploads_clean.call(**queued.args_kwargs["kwargs"]) == 1
    assert not StagedUpload.objects.exists()


# --- the total and the quota ---------------------------------------------------------------------------


def test_the_total_counts_evidence_files_and_staged_uploads_of_the_council_only(
    council: Council, other_council: Council, officer: User, lead: User
) -> None:
    document(council=council, by=officer, content=PDF + bytes(1000))
    services.upload_stage(council=council, uploaded=upload("b.pdf", PDF), by=lead)
    EvidenceFactory(council=council)  # a link takes up nothing
    elsewhere = UserFactory()
    elsewhere.memberships.create(council=other_council, role="officer")
    services.upload_stage(council=other_council, uploaded=upload("c.pdf", PDF + bytes(5000)), by=elsewhere)
    use = StorageUse.of(council)
    assert use.used == 2 * len(PDF) + 1000
    assert StorageUse.of(other_council).used == len(PDF) + 5000


@pytest.mark.parametrize("scale", [1, 10])
def test_the_total_is_one_query_whatever_the_number_of_files(council: Council, officer: User, scale: int) -> None:
    for index in range(scale):
        document(council=council, by=officer, name=f"{index}.pdf")
        services.upload_stage(council=council, uploaded=upload(f"s{index}.pdf", PDF), by=officer)
    with CaptureQueriesContext(connection) as queries:
        use = StorageUse.of(council)
    assert len(queries) == 1
    assert use.used == 2 * scale * len(PDF)


def _page_queries(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_people_page_and_the_admins_councils_count_the_same_queries_at_1x_and_10x(
    council: Council, officer: User, lead: User
) -> None:
    staff = UserFactory(is_staff=True, is_superuser=True)
    counts = []
    for files in (1, 10):
        for index in range(files - StagedUpload.objects.count()):
            services.upload_stage(council=council, uploaded=upload(f"{index}.pdf", PDF), by=officer)
            document(council=council, by=officer, name=f"e{index}.pdf")
        counts.append(
            (
                _page_queries(client_for(lead), "/councils/borsetshire/people/"),
                _page_queries(client_for(staff), "/admin/recommendations/council/"),
            )
        )
    assert counts[0] == counts[1]


def test_leads_see_the_councils_total_on_the_people_page(council: Council, officer: User, lead: User) -> None:
    services.upload_stage(council=council, uploaded=upload("big.pdf", PDF + bytes(2 * 1024 * 1024)), by=officer)
    page = client_for(lead).get("/councils/borsetshire/people/").content.decode()
    assert "Evidence storage" in page
    assert "2 MB of 5 GB (0%)" in page


def test_staff_see_each_councils_total_in_the_admin(council: Council, officer: User) -> None:
    services.upload_stage(council=council, uploaded=upload("big.pdf", PDF + bytes(1536 * 1024)), by=officer)
    staff = client_for(UserFactory(is_staff=True, is_superuser=True))
    listing = staff.get("/admin/recommendations/council/").content.decode()
    assert "Evidence storage" in listing and "1.5 MB of 5 GB" in listing
    change = staff.get(f"/admin/recommendations/council/{council.pk}/change/").content.decode()
    assert "1.5 MB of 5 GB" in change


def test_a_file_that_fits_the_quota_exactly_is_accepted_and_the_next_byte_is_refused(
    council: Council, officer: User, settings: object
) -> None:
    settings.COUNCIL_STORAGE_QUOTA_BYTES = 2 * len(PDF)
    services.upload_stage(council=council, uploaded=upload("a.pdf", PDF), by=officer)
    services.upload_stage(council=council, uploaded=upload("b.pdf", PDF), by=officer)
    with pytest.raises(services.StorageQuotaExceeded) as refused:
        services.upload_stage(council=council, uploaded=upload("c.pdf", b"%PDF-"), by=officer)
    assert isinstance(refused.value, ValidationError)
    assert refused.value.messages[0].startswith(
        f"c.pdf cannot be added: Borsetshire County Council's evidence files take up {2 * len(PDF)} bytes of its "
    )
    assert StagedUpload.objects.count() == 2


def test_the_storage_selector_is_scoped_to_the_users_councils(council: Council, outsider: User) -> None:
    with pytest.raises(Http404):
        selectors.storage_for(user=outsider, council_slug=council.slug)
