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

from django import template
from django.conf import settings
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.template.loader import render_to_string
from django.template.loader_tags import token_kwargs
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
    return render_to_string("includes/components/breadcrumbs.html", {"crumbs": crumbs})


class WrapperNode(template.Node):
    """Renders its contents, then the component's include around them (`slot`), with its arguments."""

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
        return render_to_string(self.template_name, values)


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
