"""Every page's <title> is plain text that starts with its h1 (after "Error: " when its form has errors), so
a screen reader's first words and the browser tab name the page. The pages are those of the URL walk."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import get_resolver

from .conftest import Personas, client_for
from .test_url_walk import (  # noqa: F401 - evidence_folder, personas, samples and walked are fixtures
    EXPECTATIONS,
    evidence_folder,
    personas,
    samples,
    url_for,
    walk,
    walked,
)

EXTRA_PAGES = ["/accounts/logout/", "/councils/borsetshire/no-such-page/"]  # the sign-out button; a 404


class TitleAndHeading(HTMLParser):
    """The raw <title> and the text of the first <h1>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title_raw, self.h1, self.where = "", "", ""
        self.title_done = self.h1_done = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "title" and not self.title_done:  # the page's, not an SVG chart's
            self.where = "title"
        elif tag == "h1" and not self.h1_done:
            self.where = "h1"
        elif self.where == "title":
            self.title_raw += f"<{tag}>"  # markup in a title is the fault this test is for

    def handle_endtag(self, tag: str) -> None:
        if tag == self.where:
            self.h1_done = self.h1_done or tag == "h1"
            self.title_done = self.title_done or tag == "title"
            self.where = ""

    def handle_data(self, data: str) -> None:
        if self.where == "title":
            self.title_raw += data
        elif self.where == "h1":
            self.h1 += data


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", unescape(text)).strip()


def title_problem(html: str) -> str | None:
    parsed = TitleAndHeading()
    parsed.feed(html)
    title, h1 = plain(parsed.title_raw), plain(parsed.h1)
    if "<" in parsed.title_raw or ">" in title:
        return f"the title holds markup: {title[:120]!r}"
    if not h1:
        return f"no h1 (title {title!r})"
    expected = f"Error: {h1}" if "govuk-error-summary" in html else h1
    if not title.startswith(expected):
        return f"title {title!r} does not start with the h1 {expected!r}"
    return None


@pytest.mark.parametrize("persona", ["lead", "officer"])
def test_every_page_title_starts_with_its_h1(persona: str, personas: Personas, samples: dict) -> None:  # noqa: F811
    client = client_for(personas.get(persona))
    urls = []
    for namespace, pattern in walk(get_resolver().url_patterns):
        if namespace != "admin" and EXPECTATIONS[pattern.name][0] == "get":
            urls.append(url_for(namespace, pattern, samples))
    problems = []
    for url in urls + EXTRA_PAGES:
        response = client.get(url)
        if response.status_code in {301, 302} or not response["Content-Type"].startswith("text/html"):
            continue
        problem = title_problem(response.content.decode())
        if problem:
            problems.append(f"GET {url} ({response.status_code}): {problem}")
    assert problems == [], "\n".join(problems)


def test_the_check_catches_markup_in_a_title_and_a_title_that_is_not_the_h1() -> None:
    assert "markup" in title_problem("<title>Report <h2>Versions</h2></title><h1>Report</h1>")
    assert "does not start" in title_problem("<title>Sign-in locked – X</title><h1>Sign-in is locked</h1>")
    assert (
        title_problem('<title>Error: Sign in – X</title><div class="govuk-error-summary"></div><h1>Sign in</h1>')
        is None
    )
