"""Escaping for HTML drawn in Python, exactly as Django's templates escape (`django.utils.html`), without the
lazy-argument wrappers and look-ups that `escape` and `conditional_escape` add to each call: the tables, forms,
item pages and dashboard draw thousands of values a page."""

import html
from typing import Any

from django.utils.functional import Promise


def escape(text: Any) -> str:
    """`django.utils.html.escape`'s text: `html.escape` of its string."""
    return html.escape(str(text))


def conditional_escape(value: Any) -> str:
    """`django.utils.html.conditional_escape`: what is already safe HTML (a tag) as it is, else escaped; plain text
    and counts without its look-ups."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is int:
        return str(value)
    if isinstance(value, Promise):
        value = str(value)
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))
