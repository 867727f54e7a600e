"""The layout's parts that are the same for every request, rendered once a process.

    {% once %}<link rel="stylesheet" href="{% static 'build/app.css' %}">{% endonce %}

What is inside `once` sees none of the page's context, only what depends on the settings alone
(`context_processors.constants`: the service's name, the session timeout): the static files' hashed names,
reversed URLs and fixed words of the page's head, footer and scripts are looked up and rendered at the first
request, then served as they are. A changed setting (a test's override_settings) renders them
again; with DEBUG on (templates being edited) they are rendered every time."""

import weakref
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString

from councilimprove.context_processors import constants

register = template.Library()

_rendered_once: "weakref.WeakSet[OnceNode]" = weakref.WeakSet()


class OnceNode(template.Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.html: SafeString | None = None

    def render(self, context: Context) -> SafeString:
        if self.html is not None:
            return self.html
        with context.render_context.push():
            html = SafeString(self.nodelist.render(context.new(constants())))
        if not settings.DEBUG:
            self.html = html
            _rendered_once.add(self)
        return html


@register.tag
def once(parser: Parser, token: Token) -> OnceNode:
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist)


@receiver(setting_changed)
def _render_again(**kwargs: Any) -> None:
    for node in list(_rendered_once):
        node.html = None
    _rendered_once.clear()
