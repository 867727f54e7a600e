"""/councils/<slug>/evidence/<id>/download/: the only way to an evidence file, permission-checked."""

import importlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from recommendations import services
from recommendations.models import Council, Evidence, User

from ..conftest import Personas, client_for
from ..factories import RecommendationFactory
from .evidence_files import PDF, ooxml
from .evidence_files import document as stored

pytestmark = pytest.mark.django_db

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document(
    council: Council, by: User, *, name: str = "minutes.pdf", content: bytes = PDF, **kwargs: object
) -> Evidence:
    return stored(council=council, by=by, name=name, content=content, title="Cabinet minutes", **kwargs)


def url(evidence: Evidence) -> str:
    return reverse("evidence_download", kwargs={"slug": evidence.council.slug, "pk": evidence.pk})


def body(response: object) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("persona", ["officer", "lead", "leadership", "adviser"])
def test_a_member_downloads_the_exact_file_as_an_attachment(
    council: Council, personas: Personas, lead: User, persona: str
) -> None:
    content = ooxml(WORD_MAIN)
    evidence = document(council, lead, name="minutes.docx", content=content)
    RecommendationFactory(engagement__council=council).evidence.add(evidence)  # approved evidence
    response = client_for(personas.get(persona)).get(url(evidence))
    assert response.status_code == 200
    assert body(response) == content
    assert response["Content-Disposition"] == 'attachment; filename="minutes.docx"'
    assert response["Content-Type"] == WORD
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Length"] == str(len(content))


def test_an_odd_original_name_is_offered_safely(council: Council, lead: User) -> None:
    evidence = document(council, lead, name='Zoë\'s "budget"\r\nSet-Cookie: x=1.pdf')
    response = client_for(lead).get(url(evidence))
    disposition = response["Content-Disposition"]
    assert disposition == "attachment; filename*=utf-8''Zo%C3%AB%27s%20%22budget%22%20Set-Cookie%3A%20x%3D1.pdf"
    assert "\n" not in disposition and "\r" not in disposition
    assert "Set-Cookie" not in response.headers
    body(response)


def test_a_file_is_offered_under_the_extension_of_what_it_is(council: Council, lead: User) -> None:
    evidence = document(council, lead, name="scan.tmp")
    response = client_for(lead).get(url(evidence))
    assert response["Content-Disposition"] == 'attachment; filename="scan.pdf"'
    assert response["Content-Type"] == "application/pdf"
    body(response)


def test_an_adviser_gets_404_for_internal_evidence(council: Council, lead: User, adviser: User) -> None:
    evidence = document(council, lead, internal=True)
    assert client_for(adviser).get(url(evidence)).status_code == 404
    response = client_for(lead).get(url(evidence))
    assert response.status_code == 200
    body(response)


def test_an_outsider_gets_404(council: Council, lead: User, outsider: User) -> None:
    evidence = document(council, lead)
    assert client_for(outsider).get(url(evidence)).status_code == 404
    # nor through their own council's address
    own = reverse("evidence_download", kwargs={"slug": "felpersham", "pk": evidence.pk})
    assert client_for(outsider).get(own).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(council: Council, lead: User) -> None:
    response = client_for(None).get(url(document(council, lead)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_post_is_not_allowed(council: Council, lead: User) -> None:
    assert client_for(lead).post(url(document(council, lead))).status_code == 405


def test_a_link_has_nothing_to_download(council: Council, lead: User) -> None:
    link = services.evidence_add_link(council=council, title="Report", url="https://www.example.gov.uk/r", by=lead)
    assert client_for(lead).get(url(link)).status_code == 404


def test_a_missing_file_is_a_404_not_a_500(council: Council, lead: User) -> None:
    evidence = document(council, lead)
    evidence.file.storage.delete(evidence.file.name)
    assert client_for(lead).get(url(evidence)).status_code == 404


def test_an_unknown_id_is_a_404(council: Council, lead: User) -> None:
    missing = reverse("evidence_download", kwargs={"slug": council.slug, "pk": 999_999})
    assert client_for(lead).get(missing).status_code == 404


def test_the_stored_file_is_outside_the_web_roots(council: Council, lead: User) -> None:
    evidence = document(council, lead)
    stored = Path(evidence.file.path).resolve()
    for root in (django_settings.STATIC_ROOT, django_settings.MEDIA_ROOT, *django_settings.STATICFILES_DIRS):
        assert not stored.is_relative_to(Path(root).resolve())
    # The storage has no public address at all: only the download view serves it.
    with pytest.raises(ValueError, match="no public address"):
        evidence.file.url  # noqa: B018


def test_the_configured_evidence_storage_is_outside_the_web_roots() -> None:
    """As configured (tests point it at a temporary folder), not only as tested."""
    configured = importlib.import_module("councilimprove.settings")
    evidence = configured.STORAGES["evidence"]
    location = Path(evidence["OPTIONS"]["location"]).resolve()
    for root in (configured.STATIC_ROOT, configured.MEDIA_ROOT, *configured.STATICFILES_DIRS):
        root = Path(root).resolve()
        assert not location.is_relative_to(root) and not root.is_relative_to(location)


def test_a_drafts_file_is_its_authors_alone(council: Council, personas: Personas, officer: User) -> None:
    """Evidence on a draft, or a kept upload not yet attached, is not for other members."""
    evidence = document(council, officer)
    assert client_for(officer).get(url(evidence)).status_code == 200
    for persona in ("lead", "leadership", "adviser"):
        assert client_for(personas.get(persona)).get(url(evidence)).status_code == 404
