"""Report narrative: a Markdown subset typed in the browser, turned into safe HTML.

Paragraphs, emphasis, lists, quotations, headings (as level 3 and 4, under the report's own sections) and
links (http, https and mailto only). Raw HTML is shown as text, images are not a feature (nothing a lead
types makes the PDF renderer fetch anything), and the result is sanitised again with nh3, so nothing else
can reach the page or the PDF.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# The words that say something is finished: a sentence naming a recommendation with one of them claims it is
# Complete or Closed (reports/checks.py). One list, here, for every check that reads narrative.
COMPLETION_WORDS = ("delivered", "completed", "achieved", "implemented", "done")

TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "blockquote", "br", "code"}
CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "h3": "govuk-heading-s",
    "h4": "govuk-heading-s",
    "blockquote": "govuk-inset-text",
}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    ["image", "html_block", "html_inline", "code", "fence", "hr", "reference", "table"]
)


def _demote_headings(html: str) -> str:
    """A lead's # and ## become level 3, ### and below level 4: the report's own sections are level 2."""
    for level in (3, 4, 5, 6):  # deepest first, so a heading is moved once
        html = html.replace(f"<h{level}>", "<h4>").replace(f"</h{level}>", "</h4>")
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return html


def render(text: str) -> SafeString:
    """The narrative as sanitised HTML with GOV.UK classes (empty text gives an empty string)."""
    if not text.strip():
        return SafeString("")
    html = _demote_headings(_markdown.render(text))
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        set_tag_attribute_values={tag: {"class": value} for tag, value in CLASSES.items()},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
