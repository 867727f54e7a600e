"""councilimprove/escaping.py gives exactly what django.utils.html gives, for every kind of value drawn."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import html as django_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from councilimprove import escaping

VALUES = [
    "",
    "plain words",
    "R&D <2> \"quoted\" 'single'",
    "line one\nline two",
    0,
    42,
    -7,
    True,
    False,
    None,
    1.5,
    Decimal("12.50"),
    dt.date(2020, 12, 31),
    mark_safe('<strong class="govuk-tag">Green</strong>'),
    gettext_lazy("Not started & <waiting>"),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_each_value_is_escaped_as_django_escapes_it(value: object) -> None:
    assert escaping.conditional_escape(value) == django_html.conditional_escape(value)
    assert escaping.escape(value) == django_html.escape(value)
