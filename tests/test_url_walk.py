"""Every URL pattern, taken from the resolver, visited by every persona. A pattern without an
expectation here fails the test, so no view can skip the permission rules.

Objects belong to Borsetshire, where the personas are members; the outsider is a lead of another council
and must get 404 for every one of them: a 404 does not confirm that anything exists."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from recommendations import services
from recommendations.models import Action, Council
from reports.services import reports as report_services

from .conftest import PERSONAS, Personas, client_for, evidence_files_in, personas_create
from .factories import ActionFactory, PanelSessionFactory, RecommendationFactory
from .shared_data import rolled_back_after_the_module

ANONYMOUS = "anonymous"
LOGIN = "login"  # a redirect to the sign-in page
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's sign-in page
EVERYONE = (ANONYMOUS, *PERSONAS)


def same(status: int | str) -> dict[str, int | str]:
    return dict.fromkeys(EVERYONE, status)


def members(status: int | str, **by_role: int | str) -> dict[str, int | str]:
    """`status` for the council's members unless `by_role` says otherwise (members(200, officer=403));
    anonymous users are sent to sign in; the outsider gets 404."""
    return {ANONYMOUS: LOGIN, **dict.fromkeys(PERSONAS, status), **by_role, "outsider": 404}


# name -> (method, {persona: expected})
EXPECTATIONS: dict[str, tuple[str, dict[str, int | str]]] = {
    "home": ("get", {ANONYMOUS: LOGIN, **dict.fromkeys(PERSONAS, 302)}),
    "accessibility": ("get", same(200)),
    "health": ("get", same(200)),
    "health_ready": ("get", same(200)),
    "login": ("get", {ANONYMOUS: 200, **dict.fromkeys(PERSONAS, 302)}),
    "logout": ("post", same(LOGIN)),
    "session_extend": ("post", {ANONYMOUS: 401, **dict.fromkeys(PERSONAS, 200)}),  # "Stay signed in"
    "account_preferences": ("get", {ANONYMOUS: LOGIN, **dict.fromkeys(PERSONAS, 200)}),  # one's own account
    "password_reset": ("get", same(200)),
    "password_reset_done": ("get", same(200)),
    "password_reset_confirm": ("get", same(200)),
    "password_reset_complete": ("get", same(200)),
    "invite_accept": ("get", same(200)),
    "council_home": ("get", members(200)),
    "recommendation_detail": ("get", members(200)),
    "action_detail": ("get", members(200)),
    "my_work": ("get", members(200)),
    "recommendation_update_new": ("get", members(403, officer=200, lead=200)),  # the officer owns it
    "action_update_new": ("get", members(403, officer=200, lead=200)),
    # a draft is its author's alone; a submitted update, its author's and the leads'
    "update_edit": ("get", members(404, officer=200)),
    "update_delete": ("get", members(404, officer=200)),  # GET only asks
    "update_withdraw": ("post", members(404, officer=302, lead=403)),
    "review_list": ("get", members(403, lead=200)),
    "review_detail": ("get", members(403, lead=200)),
    "review_approve": ("post", members(403, lead=302)),
    "review_return": ("post", members(403, lead=200)),  # with no comment: the form again, with its error
    "evidence_download": ("get", members(200)),
    "people_list": ("get", members(403, lead=200)),
    "council_settings": ("get", members(403, lead=200)),
    "people_invite": ("get", members(403, lead=200)),
    "people_edit": ("get", members(403, lead=200)),
    "people_deactivate": ("get", members(403, lead=200)),  # GET only asks; the POST deactivates
    "people_resend": ("post", members(403, lead=302)),
    "engagement_list": ("get", members(200)),
    "engagement_detail": ("get", members(200)),
    "engagement_create": ("get", members(403, lead=200)),
    "engagement_edit": ("get", members(403, lead=200)),
    "engagement_peer_add": ("get", members(403, lead=200)),
    "engagement_peer_remove": ("post", members(403, lead=302)),
    "recommendation_create": ("get", members(403, lead=200)),
    "recommendation_edit": ("get", members(403, lead=200)),
    "action_create": ("get", members(403, lead=200)),
    "action_edit": ("get", members(403, lead=200)),
    "recommendation_list": ("get", members(200)),
    "action_list": ("get", members(200)),
    "plan_export_xlsx": ("get", members(200)),
    "plan_export_csv": ("get", members(200)),
    "plan_import": ("get", members(403, lead=200)),
    "plan_import_columns": ("post", members(403, lead=302)),  # with no upload waiting: back to the upload
    "plan_import_confirm": ("post", members(403, lead=302)),  # with no upload waiting: back to the upload
    "plan_import_template": ("get", members(403, lead=200)),
    "session_list": ("get", members(200)),
    "session_detail": ("get", members(200)),
    "session_create": ("get", members(403, lead=200)),
    "session_edit": ("get", members(403, lead=200)),
    "session_report_create": ("post", members(403, lead=302)),
    "engagement_report_create": ("post", members(403, lead=302)),
    "report_detail": ("get", members(200)),  # leads read the draft; others the published version
    "report_pdf": ("get", members(200)),
    "report_edit": ("get", members(403, lead=200)),
    "report_publish": ("get", members(403, lead=200)),  # the confirmation page; publishing is its POST
    "report_version_pdf": ("get", members(200)),
    "round_list": ("get", members(200)),
    "round_create": ("get", members(403, lead=200)),  # with a round open: the page that says to close it first
    "round_detail": ("get", members(200)),
    "round_close": ("get", members(403, lead=200)),  # GET only asks; the POST closes
    "round_item_remove": ("post", members(403, lead=302)),
    "progress_report": ("get", members(200)),  # every member, as the dashboard
    "progress_report_pdf": ("get", members(200)),
    "progress_report_xlsx": ("get", members(200)),
}


def walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}:{entry.namespace}" if entry.namespace and namespace else entry.namespace or namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        else:
            yield namespace, entry


def test_every_pattern_has_an_expectation() -> None:
    missing = []
    for namespace, pattern in walk(get_resolver().url_patterns):
        if namespace == "admin":
            continue  # the admin's patterns are all expected to need a staff sign-in (below)
        if pattern.name not in EXPECTATIONS:
            missing.append(str(pattern.pattern))
    assert missing == [], f"URL patterns with no permission expectation: {missing}"


@pytest.fixture(scope="module")
def evidence_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder of files for the module, as its rows are built once (conftest.py's is one a test)."""
    return tmp_path_factory.mktemp("evidence")


@pytest.fixture(scope="module")
def walked(django_db_setup: None, django_db_blocker: object, evidence_folder: Path) -> Iterator[tuple[Personas, dict]]:
    """Borsetshire, the personas and the samples, built once for the module (publishing the report renders
    its PDF); each test runs in a savepoint inside, so the walk's POSTs are undone for the next persona."""

    def build() -> tuple[Personas, dict]:
        with evidence_files_in(evidence_folder):
            council, personas = personas_create()
            return personas, samples_create(council, personas)

    with rolled_back_after_the_module(django_db_blocker, build) as built:
        yield built


@pytest.fixture
def personas(walked: tuple[Personas, dict], db: None) -> Personas:
    return walked[0]


@pytest.fixture
def samples(walked: tuple[Personas, dict], db: None) -> dict[str, dict[str, object]]:
    return walked[1]


def samples_create(council: Council, personas: Personas) -> dict[str, dict[str, object]]:
    """Per URL name, the arguments that reach one of Borsetshire's objects. A new URL with an id adds
    its entry here (its object belongs to Borsetshire, so the outsider must get 404)."""
    officer = personas.officer
    action = ActionFactory(
        recommendation=RecommendationFactory(engagement__council=council, owner=officer), owner=officer
    )
    drafted = ActionFactory(recommendation=action.recommendation, owner=officer)  # "Record progress" on `action`
    draft = services.update_create(item=drafted, author=officer, status="in_progress", rag="green")  # is a form
    session = PanelSessionFactory(engagement=action.recommendation.engagement)
    report = report_services.report_create(by=personas.lead, session=session)
    report_services.report_publish(report=report, by=personas.lead)

    def submitted() -> int:  # one each, as the walk's POSTs change them (one update waits per item)
        item = ActionFactory(recommendation=action.recommendation, owner=officer)
        update = services.update_create(item=item, author=officer, status="complete", rag="green")
        return services.update_submit(update=update, notify=False).pk

    update_round = services.round_open(
        by=personas.lead, council=council, period_end=dt.date(2027, 1, 31), due_date=dt.date(2027, 2, 7)
    )
    round_item = update_round.items.order_by("pk").first()

    return {
        "round_detail": {"pk": update_round.pk},
        "round_close": {"pk": update_round.pk},
        "round_item_remove": {"pk": update_round.pk, "item_pk": round_item.pk},
        "recommendation_detail": {"pk": action.recommendation.pk},
        "action_detail": {"pk": action.pk},
        "recommendation_update_new": {"pk": action.recommendation.pk},
        "action_update_new": {"pk": action.pk},
        "update_edit": {"pk": draft.pk},
        "update_delete": {"pk": draft.pk},
        "update_withdraw": {"pk": submitted()},
        "review_detail": {"pk": submitted()},
        "review_approve": {"pk": submitted()},
        "review_return": {"pk": submitted()},
        "evidence_download": {"pk": approved_evidence(action, personas.lead).pk},
        "people_edit": {"pk": personas.officer.memberships.get(council=council).pk},
        "people_deactivate": {"pk": personas.officer.memberships.get(council=council).pk},
        "people_resend": {"pk": personas.officer.memberships.get(council=council).pk},
        **_plan_setup_samples(action),
        "session_detail": {"pk": session.pk},
        "session_edit": {"pk": session.pk},
        "session_report_create": {"pk": session.pk},
        "engagement_report_create": {"pk": session.engagement_id},
        "report_detail": {"pk": report.pk},
        "report_pdf": {"pk": report.pk},
        "report_edit": {"pk": report.pk},
        "report_publish": {"pk": report.pk},
        "report_version_pdf": {"pk": report.pk, "number": 1},
    }


def _plan_setup_samples(action: Action) -> dict[str, dict[str, object]]:
    """The engagement, recommendation and action pages a lead sets the plan up with."""
    recommendation = action.recommendation
    engagement = recommendation.engagement
    peer = engagement.peers.create(name="Cllr Ann Example", role="lead_peer", organisation="Felpersham")
    return {
        "engagement_detail": {"pk": engagement.pk},
        "engagement_edit": {"pk": engagement.pk},
        "engagement_peer_add": {"pk": engagement.pk},
        "engagement_peer_remove": {"pk": engagement.pk, "peer_pk": peer.pk},
        "recommendation_create": {"pk": engagement.pk},
        "recommendation_edit": {"pk": recommendation.pk},
        "action_create": {"pk": recommendation.pk},
        "action_edit": {"pk": action.pk},
    }


def approved_evidence(action: Action, lead: object) -> object:
    """A document that supports an item (as approved evidence does), so every member may open it."""
    staged = services.upload_stage(
        council=action.council,
        uploaded=SimpleUploadedFile("minutes.pdf", b"%PDF-1.7\n%%EOF\n"),
        title="Cabinet minutes",
        by=lead,
    )
    evidence = services.evidence_from_staged(staged=staged, by=lead)
    action.evidence.add(evidence)
    return evidence


COMMON_ARGUMENTS = {
    "slug": "borsetshire",
    "uidb64": "MQ",
    "token": "set-password",
    # the admin's
    "object_id": "1",
    "id": "1",
    "history_id": "1",
    "app_label": "recommendations",
    "content_type_id": "1",
    "url": "no-such-page/",
}


def url_for(namespace: str, pattern: URLPattern, samples: dict[str, dict[str, object]]) -> str:
    if pattern.name is None:
        return "/admin/no-such-page/"  # the admin's catch-all
    params = list(getattr(pattern.pattern, "converters", {})) + list(pattern.pattern.regex.groupindex)
    arguments = {**COMMON_ARGUMENTS, **samples.get(pattern.name, {})}
    name = f"{namespace}:{pattern.name}" if namespace else pattern.name
    unnamed = pattern.pattern.regex.groups - len(pattern.pattern.regex.groupindex)
    if unnamed:
        return reverse(name, args=["1"] * unnamed)
    return reverse(name, kwargs={param: arguments[param] for param in dict.fromkeys(params)})


def outcome(response: object) -> int | str:
    if response.status_code == 302:
        location = response.headers["Location"]
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        if location.startswith(reverse("login")):
            return LOGIN
    return response.status_code


@pytest.mark.parametrize("persona", EVERYONE)
def test_walk_every_url_with_every_persona(
    persona: str, personas: Personas, samples: dict[str, dict[str, object]]
) -> None:
    user = None if persona == ANONYMOUS else personas.get(persona)
    client = client_for(user)
    failures = []
    for namespace, pattern in walk(get_resolver().url_patterns):
        url = url_for(namespace, pattern, samples)
        if namespace == "admin":
            method, expected = "get", (200 if url == "/admin/login/" else ADMIN_LOGIN)
            if pattern.name == "logout":
                method, expected = "post", 302  # back to the admin, which asks for a staff sign-in
        else:
            method, expectations = EXPECTATIONS[pattern.name]
            expected = expectations[persona]
        response = getattr(client, method)(url)
        got = outcome(response)
        if got != expected:
            failures.append(f"{method.upper()} {url} ({pattern.name}): expected {expected}, got {got}")
        if pattern.name == "logout":
            client = client_for(user)  # signed out (of the admin too): signed in again for the next URL
    assert failures == [], "\n".join(failures)
