"""Every URL pattern, taken from the resolver, visited by every persona. A pattern without an
expectation here fails the test, so no view can skip the permission rules.

Objects belong to Borsetshire, where the personas are members; the outsider is a lead of another council
and must get 404 for every one of them: a 404 does not confirm that anything exists."""

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from recommendations.models import Council

from .conftest import PERSONAS, Personas, client_for
from .factories import ActionFactory, RecommendationFactory

ANONYMOUS = "anonymous"
LOGIN = "login"  # a redirect to the sign-in page
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's sign-in page
EVERYONE = (ANONYMOUS, *PERSONAS)


def same(status: int | str) -> dict[str, int | str]:
    return dict.fromkeys(EVERYONE, status)


def members(status: int | str) -> dict[str, int | str]:
    """`status` for the council's members; anonymous users sign in; the outsider gets 404."""
    return {ANONYMOUS: LOGIN, **dict.fromkeys(PERSONAS, status), "outsider": 404}


# name -> (method, {persona: expected})
EXPECTATIONS: dict[str, tuple[str, dict[str, int | str]]] = {
    "home": ("get", {ANONYMOUS: LOGIN, **dict.fromkeys(PERSONAS, 302)}),
    "accessibility": ("get", same(200)),
    "health": ("get", same(200)),
    "health_ready": ("get", same(200)),
    "login": ("get", {ANONYMOUS: 200, **dict.fromkeys(PERSONAS, 302)}),
    "logout": ("post", same(LOGIN)),
    "password_reset": ("get", same(200)),
    "password_reset_done": ("get", same(200)),
    "password_reset_confirm": ("get", same(200)),
    "password_reset_complete": ("get", same(200)),
    "council_home": ("get", members(200)),
    "recommendation_detail": ("get", members(200)),
    "action_detail": ("get", members(200)),
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


@pytest.fixture
def objects(council: Council) -> dict[str, object]:
    action = ActionFactory(recommendation=RecommendationFactory(engagement__council=council))
    return {
        "slug": council.slug,
        "pk": {"recommendation_detail": action.recommendation.pk, "action_detail": action.pk},
        "uidb64": "MQ",
        "token": "set-password",
    }


def url_for(namespace: str, pattern: URLPattern, objects: dict[str, object]) -> str:
    params = list(pattern.pattern.converters) if hasattr(pattern.pattern, "converters") else []
    params += list(pattern.pattern.regex.groupindex)
    samples = {
        "slug": objects["slug"],
        "pk": objects["pk"].get(pattern.name) if isinstance(objects["pk"], dict) else None,
        "uidb64": objects["uidb64"],
        "token": objects["token"],
        "object_id": "1",
        "id": "1",
        "history_id": "1",
        "app_label": "recommendations",
        "content_type_id": "1",
        "url": "no-such-page/",
    }
    kwargs = {name: samples[name] for name in dict.fromkeys(params)}
    unnamed = pattern.pattern.regex.groups - len(pattern.pattern.regex.groupindex)
    if pattern.name is None:
        return "/admin/no-such-page/"
    name = f"{namespace}:{pattern.name}" if namespace else pattern.name
    if unnamed:
        return reverse(name, args=["1"] * unnamed)
    return reverse(name, kwargs=kwargs)


def outcome(response: object) -> int | str:
    if response.status_code == 302:
        location = response.headers["Location"]
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        if location.startswith(reverse("login")):
            return LOGIN
    return response.status_code


@pytest.mark.parametrize("persona", EVERYONE)
def test_walk_every_url_with_every_persona(persona: str, personas: Personas, objects: dict[str, object]) -> None:
    user = None if persona == ANONYMOUS else personas.get(persona)
    failures = []
    for namespace, pattern in walk(get_resolver().url_patterns):
        url = url_for(namespace, pattern, objects)
        if namespace == "admin":
            method, expected = "get", (200 if url == "/admin/login/" else ADMIN_LOGIN)
            if pattern.name == "logout":
                method, expected = "post", 302  # back to the admin, which asks for a staff sign-in
        else:
            method, expectations = EXPECTATIONS[pattern.name]
            expected = expectations[persona]
        client = client_for(user)
        response = getattr(client, method)(url)
        got = outcome(response)
        if got != expected:
            failures.append(f"{method.upper()} {url} ({pattern.name}): expected {expected}, got {got}")
    assert failures == [], "\n".join(failures)
