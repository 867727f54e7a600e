"""Recording progress in the browser's forms: drafts, submission, evidence, withdraw, delete."""

import datetime as dt
import hashlib
import re
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from recommendations import services
from recommendations.models import (
    Council,
    Evidence,
    ProgressUpdate,
    Rag,
    Recommendation,
    StagedUpload,
    Status,
    User,
)

from ..conftest import client_for
from ..factories import ActionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def recommendation(council: Council, officer: User) -> Recommendation:
    return RecommendationFactory(engagement__council=council, owner=officer, reference="R1")


def new_url(recommendation: Recommendation) -> str:
    return f"/councils/borsetshire/recommendations/{recommendation.pk}/updates/new/"


def form_data(**overrides: object) -> dict[str, object]:
    data = {
        "status": Status.IN_PROGRESS,
        "rag": Rag.GREEN,
        "rag_reason": "",
        "narrative": "The new structure went to Cabinet.",
        "evidence-TOTAL_FORMS": "2",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "10",
        "submit": "review",
    }
    data.update(overrides)
    return data


def test_the_owner_submits_progress_and_the_leads_are_told(
    recommendation: Recommendation, officer: User, lead: User, mailoutbox: list, django_capture_on_commit_callbacks
) -> None:
    client = client_for(officer)
    assert client.get(new_url(recommendation)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(new_url(recommendation), form_data())
    assert response.status_code == 302
    assert response.headers["Location"] == recommendation.get_absolute_url()
    update = ProgressUpdate.objects.get()
    assert (update.review_state, update.author, update.status) == ("submitted", officer, Status.IN_PROGRESS)
    assert [message.to for message in mailoutbox] == [[lead.email]]
    assert "/councils/borsetshire/reviews/" in mailoutbox[0].body


def test_a_draft_is_saved_and_waits_in_my_work(recommendation: Recommendation, officer: User) -> None:
    client = client_for(officer)
    response = client.post(new_url(recommendation), form_data(submit="draft"))
    assert response.headers["Location"] == "/councils/borsetshire/my-work/"
    assert ProgressUpdate.objects.get().review_state == "draft"
    assert "Finish your update on R1" in client.get("/councils/borsetshire/my-work/").content.decode()


def test_errors_are_in_govuk_style_and_keep_what_was_typed(recommendation: Recommendation, officer: User) -> None:
    response = client_for(officer).post(
        new_url(recommendation), form_data(status="", rag=Rag.AMBER, narrative="", rag_reason="")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "There is a problem" in page
    for message in ["Choose a status", "Enter the reason for an amber or red RAG rating", "Enter the progress"]:
        assert message in page
    assert re.search(r'value="amber"[^>]*checked', page)
    assert not ProgressUpdate.objects.exists()


def test_a_valid_file_is_staged_and_shown_as_attached_when_the_form_is_rejected(
    recommendation: Recommendation, officer: User
) -> None:
    client = client_for(officer)
    upload = SimpleUploadedFile("cabinet-report.pdf", PDF, content_type="application/pdf")
    data = form_data(narrative="", **{"evidence-0-title": "Cabinet report", "evidence-0-file": upload})
    page = client.post(new_url(recommendation), data).content.decode()
    staged = StagedUpload.objects.get()
    assert not Evidence.objects.exists()  # not evidence until the update that carries it is saved
    assert (staged.uploaded_by, staged.title, staged.sha256) == (
        officer,
        "Cabinet report",
        hashlib.sha256(PDF).hexdigest(),
    )
    assert "Enter the progress" in page
    assert "You already attached cabinet-report.pdf: you do not need to choose it again" in page
    assert f'name="staged_id" value="{staged.pk}"' in page
    assert "Remove “Cabinet report”" in page
    assert 'name="evidence-0-title" value="Cabinet report"' not in page  # its row is empty again
    response = client.post(new_url(recommendation), form_data(staged_id=str(staged.pk)))
    assert response.status_code == 302
    evidence = ProgressUpdate.objects.get().evidence.get()
    assert (evidence.title, evidence.file.name, evidence.sha256) == ("Cabinet report", staged.file.name, staged.sha256)
    assert not StagedUpload.objects.exists()


def test_a_staged_file_ticked_for_removal_is_removed_with_its_file(
    recommendation: Recommendation, officer: User, django_capture_on_commit_callbacks
) -> None:
    client = client_for(officer)
    upload = SimpleUploadedFile("old-minutes.pdf", PDF)
    client.post(new_url(recommendation), form_data(narrative="", **{"evidence-0-file": upload}))
    staged = StagedUpload.objects.get()
    stored = Path(staged.file.path)
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            new_url(recommendation), form_data(staged_id=str(staged.pk), remove_staged=str(staged.pk))
        )
    assert response.status_code == 302
    assert not ProgressUpdate.objects.get().evidence.exists()
    assert not StagedUpload.objects.exists() and not stored.exists()


def test_a_rejected_form_with_ten_files_leaves_nothing_behind_after_the_clean_up(
    recommendation: Recommendation, officer: User, django_capture_on_commit_callbacks, settings: object
) -> None:
    files = {f"evidence-{index}-file": SimpleUploadedFile(f"paper-{index}.pdf", PDF) for index in range(10)}
    data = form_data(narrative="", **{"evidence-TOTAL_FORMS": "10"}, **files)
    page = client_for(officer).post(new_url(recommendation), data).content.decode()
    assert "Enter the progress" in page and page.count('name="staged_id"') == 10
    folder = Path(settings.STORAGES["evidence"]["OPTIONS"]["location"])
    assert len([path for path in folder.rglob("*") if path.is_file()]) == 10
    with django_capture_on_commit_callbacks(execute=True):
        assert services.uploads_clean(at=timezone.now() + dt.timedelta(hours=23)) == 0  # under a day: kept
    assert StagedUpload.objects.count() == 10
    with django_capture_on_commit_callbacks(execute=True):
        assert services.uploads_clean(at=timezone.now() + dt.timedelta(days=1, minutes=1)) == 10
    assert not StagedUpload.objects.exists() and not Evidence.objects.exists() and not ProgressUpdate.objects.exists()
    assert not [path for path in folder.rglob("*") if path.is_file()]


def test_a_staged_file_removed_by_the_clean_up_meanwhile_is_asked_for_again(
    recommendation: Recommendation, officer: User
) -> None:
    client = client_for(officer)
    client.post(
        new_url(recommendation), form_data(narrative="", **{"evidence-0-file": SimpleUploadedFile("late.pdf", PDF)})
    )
    staged = StagedUpload.objects.get()
    # The page was left open for a day: the clean-up removed the upload while a second tab held it.
    stale_id = str(staged.pk)
    page_before = client.post(new_url(recommendation), form_data(narrative="", staged_id=stale_id)).content.decode()
    assert "You already attached late.pdf" in page_before
    services.uploads_clean(at=timezone.now() + dt.timedelta(days=2))
    page = client.post(new_url(recommendation), form_data(staged_id=stale_id)).content.decode()
    assert "<title>Error: " in page and "You already attached" not in page
    assert "A file you attached was removed because the form waited more than a day: choose it again" in page
    assert not ProgressUpdate.objects.exists()  # nothing is saved without the file the author meant to send


def test_a_staged_file_the_clean_up_removes_while_the_update_is_saved_is_refused_by_name(
    recommendation: Recommendation, officer: User, council: Council
) -> None:
    staged = services.upload_stage(council=council, uploaded=SimpleUploadedFile("late.pdf", PDF), by=officer)
    gone = StagedUpload(pk=staged.pk, original_filename="late.pdf", title="late.pdf")
    services.uploads_clean(at=timezone.now() + dt.timedelta(days=2))
    membership = officer.memberships.get(council=council)
    with pytest.raises(
        services.StagedUploadGone, match="late.pdf had been waiting for more than a day and was removed"
    ):
        services.update_save(
            membership=membership, item=recommendation, status=Status.IN_PROGRESS, rag=Rag.GREEN, staged=[gone]
        )
    assert not ProgressUpdate.objects.exists()


def test_a_file_past_the_councils_quota_is_refused_naming_the_total_and_the_quota(
    recommendation: Recommendation, officer: User, council: Council, settings: object
) -> None:
    settings.COUNCIL_STORAGE_QUOTA_BYTES = 1024 * 1024
    services.upload_stage(council=council, uploaded=SimpleUploadedFile("big.pdf", PDF + bytes(1000 * 1024)), by=officer)
    upload = SimpleUploadedFile("budget.pdf", PDF + bytes(30 * 1024))
    response = client_for(officer).post(new_url(recommendation), form_data(**{"evidence-0-file": upload}))
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    message = (
        "budget.pdf cannot be added: Borsetshire County Council&#x27;s evidence files take up 1000.1 KB of its 1 MB "
        "quota, and this file is 30.1 KB"
    )
    assert message in page
    assert 'class="govuk-error-message"' in page and 'href="#id_evidence-0-file"' in page
    assert StagedUpload.objects.count() == 1 and not ProgressUpdate.objects.exists()


def test_a_refused_file_says_why_and_nothing_is_saved(recommendation: Recommendation, officer: User) -> None:
    upload = SimpleUploadedFile(
        "minutes.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = client_for(officer).post(
        new_url(recommendation), form_data(**{"evidence-0-title": "Minutes", "evidence-0-file": upload})
    )
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "minutes.pdf" in page
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()
    assert not StagedUpload.objects.exists()


def test_evidence_needs_a_title_and_a_link_is_recorded(recommendation: Recommendation, officer: User) -> None:
    client = client_for(officer)
    page = client.post(
        new_url(recommendation), form_data(**{"evidence-0-link": "https://www.example.gov.uk/report"})
    ).content.decode()
    assert "Enter a title for the evidence" in page
    client.post(
        new_url(recommendation),
        form_data(**{"evidence-0-link": "https://www.example.gov.uk/report", "evidence-0-title": "Report"}),
    )
    assert ProgressUpdate.objects.get().evidence.get().url == "https://www.example.gov.uk/report"


@pytest.mark.parametrize("persona", ["leadership", "adviser"])
def test_readers_cannot_record_progress(recommendation: Recommendation, persona: str, request: object) -> None:
    user = request.getfixturevalue(persona)
    assert client_for(user).get(new_url(recommendation)).status_code == 403
    assert client_for(user).post(new_url(recommendation), form_data()).status_code == 403


def test_an_officer_cannot_record_progress_on_what_they_do_not_own(council: Council, officer: User) -> None:
    elsewhere = RecommendationFactory(engagement__council=council, owner=None)
    assert client_for(officer).post(new_url(elsewhere), form_data()).status_code == 403


def test_a_lead_records_progress_on_anything(council: Council, lead: User) -> None:
    action = ActionFactory(recommendation__engagement__council=council, owner=None)
    response = client_for(lead).post(
        f"/councils/borsetshire/actions/{action.pk}/updates/new/", form_data(percent_complete="40")
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.get(action=action).percent_complete == 40


def test_an_outsider_gets_404(recommendation: Recommendation, outsider: User) -> None:
    assert client_for(outsider).post(new_url(recommendation), form_data()).status_code == 404


def test_withdraw_and_change_a_submitted_update(recommendation: Recommendation, officer: User) -> None:
    client = client_for(officer)
    client.post(new_url(recommendation), form_data())
    update = ProgressUpdate.objects.get()
    assert client.get(f"/councils/borsetshire/updates/{update.pk}/withdraw/").status_code == 405
    response = client.post(f"/councils/borsetshire/updates/{update.pk}/withdraw/")
    assert response.headers["Location"] == f"/councils/borsetshire/updates/{update.pk}/edit/"
    update.refresh_from_db()
    assert update.review_state == "draft"
    client.post(f"/councils/borsetshire/updates/{update.pk}/edit/", form_data(narrative="Corrected"))
    update.refresh_from_db()
    assert (update.narrative, update.review_state) == ("Corrected", "submitted")


def test_delete_a_draft_after_confirming(recommendation: Recommendation, officer: User) -> None:
    client = client_for(officer)
    client.post(new_url(recommendation), form_data(submit="draft"))
    update = ProgressUpdate.objects.get()
    url = f"/councils/borsetshire/updates/{update.pk}/delete/"
    assert "Are you sure" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not ProgressUpdate.objects.exists()


def test_drafts_are_their_authors_alone(recommendation: Recommendation, officer: User, lead: User) -> None:
    client_for(officer).post(new_url(recommendation), form_data(submit="draft"))
    update = ProgressUpdate.objects.get()
    assert client_for(lead).get(f"/councils/borsetshire/updates/{update.pk}/edit/").status_code == 404
    assert "Draft, started" not in client_for(lead).get(recommendation.get_absolute_url()).content.decode()
    assert "Draft, started" in client_for(officer).get(recommendation.get_absolute_url()).content.decode()


def test_nobody_edits_an_approved_update(recommendation: Recommendation, officer: User, lead: User) -> None:
    update = services.update_create(item=recommendation, author=officer, status=Status.COMPLETE, rag=Rag.GREEN)
    services.update_submit(update=update)
    services.update_approve(update=update, reviewer=lead)
    edit = client_for(officer).post(f"/councils/borsetshire/updates/{update.pk}/edit/", form_data(submit="review"))
    assert edit.status_code == 302  # the same form again: it has gone, and nothing more is done
    assert client_for(officer).post(f"/councils/borsetshire/updates/{update.pk}/delete/").status_code == 403
    update.refresh_from_db()
    assert (update.review_state, update.status) == ("approved", Status.COMPLETE)


def test_a_tampered_evidence_form_gets_a_message_not_a_silent_failure(
    recommendation: Recommendation, officer: User
) -> None:
    response = client_for(officer).post(new_url(recommendation), form_data(**{"evidence-TOTAL_FORMS": "500"}))
    assert response.status_code == 200
    assert "Add at most 10 pieces of evidence at a time" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_hostile_evidence_ids_are_ignored(recommendation: Recommendation, officer: User) -> None:
    data = form_data(
        evidence_id=["abc", "²", "9" * 40, "-1"],
        remove_evidence=["x"],
        staged_id=["abc", "9" * 40, "-1"],
        remove_staged=["x", "-1"],
    )
    assert client_for(officer).post(new_url(recommendation), data).status_code == 302
    assert not ProgressUpdate.objects.get().evidence.exists()


def test_removing_evidence_from_a_draft_detaches_it(recommendation: Recommendation, officer: User) -> None:
    client = client_for(officer)
    upload = SimpleUploadedFile("draft-paper.pdf", PDF, content_type="application/pdf")
    client.post(new_url(recommendation), form_data(submit="draft", **{"evidence-0-file": upload}))
    update = ProgressUpdate.objects.get()
    evidence = update.evidence.get()
    assert evidence.title == "draft-paper.pdf"  # a file with no title takes its name
    client.post(
        f"/councils/borsetshire/updates/{update.pk}/edit/",
        form_data(submit="draft", evidence_id=str(evidence.pk), remove_evidence=str(evidence.pk)),
    )
    assert not update.evidence.exists()


def test_a_file_on_a_submission_refused_while_another_update_waits_stays_with_the_kept_draft(
    recommendation: Recommendation, officer: User, lead: User
) -> None:
    waiting = services.update_create(item=recommendation, author=lead, status=Status.IN_PROGRESS, rag=Rag.GREEN)
    services.update_submit(update=waiting, notify=False)
    client = client_for(officer)
    key = str(uuid.uuid4())
    upload = SimpleUploadedFile("plan.pdf", PDF)
    page = client.post(new_url(recommendation), form_data(key=key, **{"evidence-0-file": upload})).content.decode()
    assert "is waiting for sign-off" in page
    draft = ProgressUpdate.objects.get(author=officer)
    evidence = draft.evidence.get()
    assert not StagedUpload.objects.exists()
    # The page is now the draft's: saving it again keeps the file.
    assert f'action="/councils/borsetshire/updates/{draft.pk}/edit/"' in page
    assert f'name="evidence_id" value="{evidence.pk}"' in page
    response = client.post(
        f"/councils/borsetshire/updates/{draft.pk}/edit/",
        form_data(key=key, submit="draft", evidence_id=str(evidence.pk)),
    )
    assert response.status_code == 302
    assert list(ProgressUpdate.objects.get(pk=draft.pk).evidence.all()) == [evidence]
