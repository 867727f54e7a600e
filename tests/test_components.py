"""GOV.UK components are written once (templates/includes/components/, and django-tables2's template for tables2
tables); `make lint` runs scripts/lint_govuk_components.py, which fails where any other template writes a table,
summary list, breadcrumbs, back link, button, tag, notification banner or pagination by hand. Shown to fail on a
copy of the templates that does, and on strings; to pass on the templates as they are."""

import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

ROOT = Path(settings.BASE_DIR)
sys.path.insert(0, str(ROOT / "scripts"))
from lint_govuk_components import problems_in  # noqa: E402

from recommendations.templatetags.components import DRAWN  # noqa: E402

HAND_WRITTEN = {
    "table": '<table class="govuk-table">',
    "summary list": '<dl class="govuk-summary-list">',
    "breadcrumbs": '<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">',
    "back link": '<a href="/" class="govuk-back-link">Back</a>',
    "button": '<button class="govuk-button" data-module="govuk-button">Save</button>',
    "secondary button": '<a class="govuk-button--secondary" href="/">Edit</a>',
    "tag": '<strong class="govuk-tag govuk-tag--red">Overdue</strong>',
    "banner": '<div class="govuk-notification-banner__header">',
    "pagination": '<nav class="govuk-pagination" aria-label="Pages">',
    "caption": '<caption class="govuk-table__caption govuk-table__caption--m">Actions</caption>',
}


def lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "scripts" / "lint_govuk_components.py"), str(root)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def templates_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path


def test_no_template_writes_a_component_by_hand() -> None:
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("markup", HAND_WRITTEN.values(), ids=HAND_WRITTEN.keys())
def test_a_hand_written_component_is_found(markup: str) -> None:
    assert problems_in("page.html", f"<p>Before</p>\n{markup}\n")


def test_what_is_not_a_component_passes() -> None:
    allowed = [
        '<div class="govuk-button-group">',  # another component
        '<tr class="govuk-table__row"><th class="govuk-table__header govuk-table__header--numeric">',  # a table's rows
        '<td class="govuk-table__cell">',
        '<a class="govuk-link" href="/">a link</a>',
        '{% button variant="secondary" %}Save{% endbutton %}',
    ]
    assert problems_in("page.html", "\n".join(allowed)) == []


def test_a_copy_with_a_hand_written_button_fails_the_lint(templates_copy: Path) -> None:
    page = templates_copy / "templates" / "registration" / "logout_confirm.html"
    page.write_text(page.read_text() + '\n<a class="govuk-button" href="/">Start</a>\n')
    result = lint(templates_copy)
    assert result.returncode == 1
    assert "templates/registration/logout_confirm.html" in result.stdout and "govuk-button" in result.stdout


def test_the_components_render_gov_uk_markup() -> None:
    html = Template(
        "{% load components %}"
        '{% table "Actions under R1" size="s" %}<tbody></tbody>{% endtable %}'
        "{% summary_list %}{% summary_row 'Owner' %}Jo{% endsummary_row %}{% endsummary_list %}"
        "{% breadcrumbs 'Home' '/' '' '/skipped' 'R1' '/r1' %}"
        "{% button href='/go' variant='secondary' %}Go{% endbutton %}"
        "{% tag 'Overdue' 'red' %}"
    ).render(Context())
    region = html[html.index('<div class="app-table-scroll"') : html.index("<table")]
    assert 'role="region"' in region and 'aria-label="Actions under R1"' in region and 'tabindex="0"' in region
    assert '<caption class="govuk-table__caption govuk-table__caption--s">' in html
    assert '<dt class="govuk-summary-list__key">Owner</dt>' in html
    assert html.count("govuk-breadcrumbs__list-item") == 2 and 'href="/r1"' in html and "/skipped" not in html
    assert 'class="govuk-button govuk-button--secondary"' in html and 'href="/go"' in html
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html


def test_a_caption_with_markup_names_the_scrolling_region_in_words() -> None:
    html = Template(
        "{% load components %}{% table %}<span>3</span> sessions{% rows %}<tbody></tbody>{% endtable %}"
    ).render(Context())
    assert 'aria-label="3 sessions"' in html and "<caption" in html and "<span>3</span> sessions</caption>" in html


WRAPPED = [
    ("summary_row", {"key": "Owner", "slot": SafeString("<b>Jo</b>")}),
    ("summary_row", {"key": "Tom & <Jerry>", "slot": "a < b", "id": "attention"}),
    ("summary_row", {"key": SafeString("<em>Due</em>"), "slot": SafeString(""), "id": 7}),
    ("summary_list", {"slot": SafeString("<div>rows</div>")}),
    ("summary_list", {"slot": SafeString(""), "id": 'x"y', "no_border": True}),
    ("table", {"slot": SafeString("<tbody></tbody>")}),
    ("table", {"caption": "Actions under R1", "size": "s", "slot": SafeString("<tbody></tbody>")}),
    ("table", {"caption": SafeString("<span>3</span> sessions"), "size": "hidden", "small": True, "id": "t1"}),
    ("table", {"caption": "R&D <plan>", "size": "", "slot": "<tr>", "id": ""}),
    ("button", {"slot": SafeString("Save")}),
    ("button", {"slot": "Go & see", "href": "/go?a=1&b=2", "variant": "secondary", "id": "go"}),
    ("button", {"slot": SafeString("Save"), "type": "button", "name": "n", "value": "v<", "formaction": "/f"}),
    ("button", {"slot": SafeString("Save"), "variant": "warning", "id": 3, "value": 0}),
    ("breadcrumbs", {"crumbs": []}),
    ("breadcrumbs", {"crumbs": [("Borsetshire", "/councils/b/"), ("R1 <draft>", "/r1?as_at=2023-01-01&x=1")]}),
]


@pytest.mark.parametrize(("component", "values"), WRAPPED, ids=[f"{name}-{i}" for i, (name, _) in enumerate(WRAPPED)])
def test_a_component_is_drawn_as_its_template_draws_it(component: str, values: dict) -> None:
    """The wrapping components (and breadcrumbs) are drawn in Python (components.DRAWN), character for character as
    their templates under templates/includes/components/ draw them, with escaping, ids, sizes and variants."""
    template_name = f"includes/components/{component}.html"
    assert DRAWN[template_name](values) == render_to_string(template_name, values)


def test_a_page_s_components_are_drawn_as_their_templates_draw_them() -> None:
    """Every component tag of a template, drawn in Python, gives what the component templates give."""
    source = (
        "{% load components %}"
        "{% summary_list id='s' %}{% summary_row 'Owner' id='o' %}Jo &amp; Sam{% endsummary_row %}"
        "{% summary_row key %}{{ key }}{% endsummary_row %}{% endsummary_list %}"
        "{% table size='hidden' %}{{ n }} session{{ n|pluralize }}{% rows %}<tbody></tbody>{% endtable %}"
        "{% button href='/go' variant='secondary' %}Go{% endbutton %}"
        "{% breadcrumbs 'Home' '/' key '/k' %}"
    )
    context = {"key": "A <key>", "n": 2}
    drawn = Template(source).render(Context(context))
    with mock.patch.dict(DRAWN, {name: _by_template(name) for name in DRAWN}):
        by_templates = Template(source).render(Context(context))
    assert drawn == by_templates
    assert "A &lt;key&gt;" in drawn and 'aria-label="2 sessions"' in drawn


def _by_template(template_name: str) -> object:
    return lambda values: render_to_string(template_name, values)
