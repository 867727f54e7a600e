"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Where there is no Chromium they skip with the reason; under CI (CI=true) they fail instead, so a CI run
can never pass without them."""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from recommendations.models import User

from .. import shared_data

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "static" / "build" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))  # the live server sees committed data


@pytest.fixture(autouse=True)
def _reference_data(reference_data: None) -> None:
    """Every browser test is transactional: the reference data again after each flush."""


@pytest.fixture
def demo(_reference_data: None) -> None:
    """The St Helens and Borsetshire demo as seed_demo leaves it, fresh for each test: every table is emptied and
    given the demo's rows (the process's one seeding, tests/shared_data.py), and committed, its sequences going on
    from the demo's last ids; so rows written before it (by fixtures requested ahead of it) are gone, and a test
    asks for `demo` before any fixture that adds rows (`_demo_first` sees to that for the fixtures it names)."""
    with transaction.atomic():
        shared_data.demo(sequences_as_seeded=True)


@pytest.fixture(autouse=True)
def _demo_first(request: pytest.FixtureRequest) -> None:
    """The demo before any other fixture of the test: the copy replaces the whole database."""
    if "demo" in request.fixturenames:
        request.getfixturevalue("demo")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    problem = None
    if not Path(CHROMIUM).exists():
        problem = f"Chromium not found at {CHROMIUM}: install Debian's chromium package (apt-get install chromium)"
    elif not AXE.exists():
        problem = f"axe-core not built at {AXE}: run `make assets`"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Browser tests must run under CI: {problem}")
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            # Playwright turns the back/forward cache off; users' browsers have it, and Back then shows a
            # form as it was left (tests/browser/test_trust_the_record.py relies on that).
            ignore_default_args=["--disable-back-forward-cache"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: object, live_server: object) -> Iterator[Callable[..., object]]:
    """new_page(user=None) opens a page signed in as `user` (by copying a session cookie)."""
    contexts = []

    def open_page(user: User | None = None) -> object:
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(15_000)
        if user is not None:
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def clicked(target: object) -> None:
    """Click a link or a button and wait for the page that answers: a read straight after a bare click can
    see the page before it, or the new one with no title yet."""
    with target.page.expect_navigation():
        target.click()


def axe_violations(page: object) -> list[dict]:
    """Run axe-core in the page. Our CSP blocks an injected <script>, so its source is evaluated."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}))"
        ".violations",
        WCAG_TAGS,
    )


def assert_accessible(page: object) -> None:
    violations = axe_violations(page)
    summary = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:5]}" for v in violations
    )
    assert violations == [], f"axe found {len(violations)} violation(s) on {page.url}:\n{summary}"
