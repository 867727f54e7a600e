"""`url_breaks`: a web address marked where a line may break, its text escaped and otherwise unchanged."""

import re

from recommendations.templatetags.plan import url_breaks


def test_an_address_may_break_after_each_slash_of_its_path_and_never_inside_its_host() -> None:
    marked = url_breaks("https://www.sthelens.gov.uk/council/council-budgets/")
    assert marked == (
        '<span class="app-url__host">https://www.sthelens.gov.uk/</span><wbr>council/<wbr>council-budgets/'
    )


def test_an_address_is_escaped_and_reads_as_it_was() -> None:
    address = 'https://example.org/a?b=1&c="<script>"#top'
    marked = url_breaks(address)
    assert "<script>" not in marked and "&amp;c=&quot;&lt;script&gt;&quot;" in marked
    text = re.sub(r"<[^>]+>", "", marked).replace("&amp;", "&").replace("&quot;", '"')
    assert text.replace("&lt;", "<").replace("&gt;", ">") == address


def test_an_address_without_a_scheme_or_path_is_one_unbroken_part() -> None:
    assert url_breaks("example.org") == '<span class="app-url__host">example.org</span>'
