"""What a browser would post back from a plan form as it was shown: the tests change a few fields of it."""

import datetime as dt
from typing import Any

from django import forms

from councilimprove.forms import DateField


def form_data(form: forms.Form) -> dict[str, str]:
    """The POST data of `form` as rendered (its initial values, or what it was bound to), GOV.UK date
    inputs as day, month and year, and the hidden initial values Django compares changes with."""
    data: dict[str, str] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, DateField):
            parts = value if isinstance(value, list | tuple) else field.widget.decompress(value)
            for part, part_value in zip(("day", "month", "year"), parts, strict=True):
                data[f"{name}_{part}"] = "" if part_value is None else str(part_value)
            continue
        data[name] = "" if value is None else str(value)
        if field.show_hidden_initial:
            data[f"initial-{name}"] = data[name]
    return data


def date_parts(name: str, day: dt.date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def errors_of(response: Any) -> dict[str, list[str]]:
    """The form's errors on a re-shown page, by field ("__all__" for the ones above the form)."""
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}
