"""GOV.UK components whose markup lives in templates/includes/components/, for content that an include's `with`
cannot carry: a table or a summary list around rows the page writes, breadcrumbs from (text, link) pairs, a tag.

    {% table "Actions under R1" size="s" %}<thead>…</tbody>{% endtable %}
    {% table %}{{ n }} session{{ n|pluralize }}{% rows %}<thead>…</tbody>{% endtable %}  (a caption with markup)
    {% summary_list %}{% summary_row "Owner" %}Jo Bloggs{% endsummary_row %}{% endsummary_list %}
    {% breadcrumbs council.name council.get_absolute_url item.reference item.get_absolute_url %}
    {% tag "Overdue" "red" %}

    {% button href=url variant="secondary" %}Edit the session{% endbutton %}

Back links and notification banners are plain includes (`{% include "includes/components/back_link.html"
with href=back_url %}`). tests/test_components.py fails where a template writes one of them by hand."""

import functools
from collections.abc import Callable
from typing import Any

from django import template
from django.conf import settings
from django.template.base import FilterExpression, NodeList, Parser, Token, render_value_in_context
from django.template.context import Context
from django.template.defaultfilters import striptags
from django.template.loader import render_to_string
from django.template.loader_tags import token_kwargs
from django.utils.html import escape
from django.utils.safestring import SafeString

register = template.Library()


def _render_tag(text: str, colour: str) -> SafeString:
    return SafeString(render_to_string("includes/components/tag.html", {"text": text, "colour": colour}).strip())


# A tag's markup depends on its words and colour only, and a page shows the same few (a status, a RAG rating)
# on every row: each pair is rendered once a process. `typed`: words marked safe are not those escaped.
_cached_tag = functools.lru_cache(maxsize=2048, typed=True)(_render_tag)


def tag_html(text: str, colour: str = "") -> SafeString:
    """A GOV.UK tag: the words always, the colour only as a second cue."""
    if settings.DEBUG or type(text) not in (str, SafeString) or type(colour) is not str:
        return _render_tag(text, colour)  # a template being edited, or words that are not plain text
    return _cached_tag(text, colour)


@register.simple_tag(name="tag")
def tag_tag(text: str, colour: str = "") -> SafeString:
    return tag_html(text, colour)


@register.simple_tag
def breadcrumbs(*pairs: object) -> SafeString:
    """Breadcrumbs from text and link pairs; a pair whose text is empty is left out (an optional level)."""
    crumbs = [(pairs[i], pairs[i + 1]) for i in range(0, len(pairs) - 1, 2) if pairs[i]]
    return SafeString(DRAWN["includes/components/breadcrumbs.html"]({"crumbs": crumbs}))


_PLAIN = Context()  # what `{{ value }}` sees in a component's template: autoescape on, the settings' l10n and zone


def _shown(value: Any) -> str:
    """A value as `{{ value }}` writes it in a component's template (escaped unless marked safe)."""
    if type(value) is SafeString:
        return value
    if type(value) is str:
        return escape(value)
    return render_value_in_context(value, _PLAIN)


# The components that wrap a page's content, drawn in Python, character for character as their templates under
# templates/includes/components/ draw them (tests/test_components.py compares the two): a page has a dozen
# summary rows and buttons, and a template render each cost more than the rest of the row.
def summary_row_html(values: dict[str, Any]) -> str:
    row_id = values.get("id")
    attribute = f'id="{_shown(row_id)}"' if row_id else ""
    return (
        f'\n<div class="govuk-summary-list__row" {attribute}>\n'
        f'  <dt class="govuk-summary-list__key">{_shown(values.get("key", ""))}</dt>\n'
        f'  <dd class="govuk-summary-list__value">\n    {_shown(values.get("slot", ""))}\n  </dd>\n</div>\n'
    )


def summary_list_html(values: dict[str, Any]) -> str:
    border = " govuk-summary-list--no-border" if values.get("no_border") else ""
    list_id = values.get("id")
    attribute = f'id="{_shown(list_id)}"' if list_id else ""
    return f'\n<dl class="govuk-summary-list{border}" {attribute}>\n  {_shown(values.get("slot", ""))}\n</dl>\n'


def table_html(values: dict[str, Any]) -> str:
    table_id, caption, size = values.get("id"), values.get("caption", ""), values.get("size")
    attribute = f'id="{_shown(table_id)}"' if table_id else ""
    small = " govuk-table--small-text-until-tablet" if values.get("small") else ""
    size_class = "govuk-visually-hidden" if size == "hidden" else f"govuk-table__caption--{_shown(size or 'm')}"
    return (
        f'\n<div class="app-table-scroll"\n     {attribute}\n     role="region"\n'
        f'     aria-label="{_shown(striptags(caption))}"\n     tabindex="0">\n'
        f'  <table class="govuk-table{small}">\n'
        f'    <caption class="govuk-table__caption {size_class}">{_shown(caption)}</caption>\n'
        f"    {_shown(values.get('slot', ''))}\n  </table>\n</div>\n"
    )


def button_html(values: dict[str, Any]) -> str:
    variant = values.get("variant")
    classes = f"govuk-button govuk-button--{_shown(variant)}" if variant else "govuk-button"

    def attribute(name: str) -> str:
        value = values.get(name)
        return f'{name}="{_shown(value)}"' if value else ""

    slot = _shown(values.get("slot", ""))
    if values.get("href"):
        return (
            f'\n\n  <a href="{_shown(values["href"])}"\n     role="button"\n     draggable="false"\n'
            f'     class="{classes}"\n     {attribute("id")}\n     data-module="govuk-button">{slot}</a>\n\n'
        )
    spaces = "\n          "
    return (
        f'\n\n  <button type="{_shown(values.get("type") or "submit")}"{spaces}class="{classes}"'
        f"{spaces}{attribute('name')}{spaces}{attribute('value')}{spaces}{attribute('formaction')}"
        f'{spaces}{attribute("id")}{spaces}data-module="govuk-button">{slot}</button>\n\n'
    )


def breadcrumbs_html(values: dict[str, Any]) -> str:
    items = "".join(
        f'\n      <li class="govuk-breadcrumbs__list-item">\n'
        f'        <a class="govuk-breadcrumbs__link" href="{_shown(href)}">{_shown(text)}</a>\n      </li>\n    '
        for text, href in values["crumbs"]
    )
    return (
        f'\n<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">\n  <ol class="govuk-breadcrumbs__list">\n'
        f"    {items}\n  </ol>\n</nav>\n"
    )


DRAWN: dict[str, Callable[[dict[str, Any]], str]] = {
    "includes/components/summary_row.html": summary_row_html,
    "includes/components/summary_list.html": summary_list_html,
    "includes/components/table.html": table_html,
    "includes/components/button.html": button_html,
    "includes/components/breadcrumbs.html": breadcrumbs_html,
}


class WrapperNode(template.Node):
    """Renders its contents, then the component around them (`slot`), with its arguments: drawn in Python
    (`DRAWN`) as the component's template would draw it."""

    def __init__(
        self,
        template_name: str,
        nodelist: NodeList,
        args: list[tuple[str, FilterExpression]],
        kwargs: dict,
        first: NodeList | None = None,
    ) -> None:
        self.template_name, self.nodelist, self.args, self.kwargs = template_name, nodelist, args, kwargs
        self.first = first  # a first section, before the `{% rows %}` tag: the table's caption

    def render(self, context: Context) -> str:
        values = {name: value.resolve(context) for name, value in self.args}
        values.update({name: value.resolve(context) for name, value in self.kwargs.items()})
        values["slot"] = SafeString(self.nodelist.render(context))
        if self.first is not None:
            values["caption"] = SafeString(" ".join(self.first.render(context).split()))
        return DRAWN[self.template_name](values)


def wrapper(name: str, template_name: str, positional: tuple[str, ...], section: str = "") -> None:
    def compile_tag(parser: Parser, token: Token) -> WrapperNode:
        bits = token.split_contents()[1:]
        args = []
        while bits and "=" not in bits[0]:
            if len(args) == len(positional):
                raise template.TemplateSyntaxError(f"{name} takes at most {len(positional)} positional arguments")
            args.append((positional[len(args)], parser.compile_filter(bits.pop(0))))
        kwargs = token_kwargs(bits, parser)
        if bits:
            raise template.TemplateSyntaxError(f"{name}: arguments after keywords must be keywords: {bits}")
        first = None
        nodelist = parser.parse((f"end{name}", section) if section else (f"end{name}",))
        if parser.next_token().contents == section:  # the end tag, or the section's
            first, nodelist = nodelist, parser.parse((f"end{name}",))
            parser.delete_first_token()
        return WrapperNode(template_name, nodelist, args, kwargs, first)

    register.tag(name, compile_tag)


wrapper("table", "includes/components/table.html", ("caption",), section="rows")
wrapper("summary_list", "includes/components/summary_list.html", ())
wrapper("summary_row", "includes/components/summary_row.html", ("key",))
wrapper("button", "includes/components/button.html", ())
