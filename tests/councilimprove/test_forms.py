"""The GOV.UK form parts every page uses."""

import datetime as dt
import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from councilimprove.forms import DateField, GovUKFormMixin, GovUKFormRenderer
from councilimprove.forms import Select as GovUKSelect


class DueForm(GovUKFormMixin, forms.Form):
    due = DateField(label="Due date", name="due date")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)


def submit(day: str, month: str, year: str) -> DueForm:
    form = DueForm({"due_day": day, "due_month": month, "due_year": year})
    form.is_valid()
    return form


def test_a_real_date_is_accepted() -> None:
    assert submit("31", "3", "2021").cleaned_data["due"] == dt.date(2021, 3, 31)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the due date"),
        ("31", "", "2021", "Due date must include a month"),
        ("", "", "2021", "Due date must include a day and a month"),
        ("31", "2", "2021", "Due date must be a real date"),
        ("1", "1", "21", "Due date must be a real date"),
        ("x", "1", "2021", "Due date must be a real date"),
    ],
)
def test_a_bad_date_gets_govuk_wording(day: str, month: str, year: str, message: str) -> None:
    assert submit(day, month, year).errors["due"] == [message]


def test_the_date_input_renders_as_a_fieldset_with_three_boxes_and_keeps_what_was_typed() -> None:
    form = submit("31", "2", "2021")
    html = form.as_div()
    assert 'role="group"' in html and "<legend" in html
    assert html.count("govuk-date-input__input") == 3
    assert 'value="31"' in html and 'value="2021"' in html
    assert "govuk-input--error" in html
    assert form.error_list == [("id_due_0", "Due date must be a real date")]
    assert 'id="id_due_0"' in html  # the summary's link lands on the day box


def test_an_absurd_number_is_not_a_real_date_rather_than_an_error() -> None:
    assert submit("9" * 30, "1", "2021").errors["due"] == ["Due date must be a real date"]


class ChoiceForm(GovUKFormMixin, forms.Form):
    colour = forms.ChoiceField(
        label="Colour",
        required=False,
        choices=[("", "Any"), ("r", 'Red & "rose"'), ("Shades", [("g", "Green"), ("b", "<Blue>")])],
    )
    many = forms.MultipleChoiceField(label="Many", choices=[("1", "One"), ("2", "Two")])


@pytest.mark.parametrize(
    "data", [{}, {"colour": "g"}, {"colour": "r", "many": ["1", "2"]}, {"colour": "nope", "many": ["3"]}]
)
def test_a_select_is_drawn_as_djangos_templates_draw_it(data: dict) -> None:
    """The renderer draws plain selects in Python (councilimprove.forms.select_html): the same characters as
    Django's select.html and select_option.html, with groups, chosen options, escaping and error classes."""
    form = ChoiceForm(data)
    form.is_valid()
    for name in ("colour", "many"):
        field = form[name]
        widget, attrs = field.field.widget, {"id": field.auto_id, "aria-invalid": "true", "disabled": False}
        ours = widget.render(field.html_name, field.value(), attrs, renderer=GovUKFormRenderer())
        djangos = widget.render(field.html_name, field.value(), attrs, renderer=DjangoTemplates())
        assert ours == djangos
        assert "<select" in ours


@pytest.mark.parametrize("value", [None, "", "r", "g", "null", ["b"], "nope"])
def test_a_govuk_select_is_drawn_from_its_choices_as_djangos_templates_draw_it(value: object) -> None:
    """councilimprove.forms.Select (the tables' filters) skips Django's option context for each choice: the same
    characters as Django's select.html and select_option.html draw, with groups, the chosen option and escaping."""
    choices = [
        (None, "Any"),
        ("null", "None of them"),
        ("r", 'Red & "rose"'),
        ("Shades <of>", [("g", "Green"), ("b", "<Blue>")]),
        (7, mark_safe("<em>Seven</em>")),  # noqa: S308 - a label already safe HTML stays as it is
        ("r", "Red again"),  # only the first option with the chosen value is selected
    ]
    attrs = {"id": "id_colour", "aria-invalid": "true", "disabled": False, "class": "govuk-select"}
    ours = GovUKSelect(choices=choices).render("colour", value, attrs, renderer=GovUKFormRenderer())
    djangos = forms.Select(choices=choices).render("colour", value, attrs, renderer=DjangoTemplates())
    assert ours == djangos
    assert GovUKSelect(choices=choices).render("colour", value, attrs, renderer=DjangoTemplates()) == djangos


class EveryKindForm(GovUKFormMixin, forms.Form):
    title = forms.CharField(label="Title <short>", help_text="What it is called & why", max_length=5)
    colour = forms.ChoiceField(label="Colour", choices=[("r", "Red"), ("g", "Green")])
    rag = forms.ChoiceField(label="RAG", choices=[("red", "Red"), ("green", "Green")], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        label="Many", choices=[("1", "One"), ("2", "Two")], widget=forms.CheckboxSelectMultiple, required=False
    )
    due = DateField(label="Due date", name="due date", help_text="For example, 27 3 2027")


def _tags_only(html: str) -> str:
    """The markup without the whitespace next to tags (the templates' line breaks, which a browser collapses)."""
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "title": "Plan",
            "colour": "g",
            "rag": "red",
            "many": ["2"],
            "due_day": "1",
            "due_month": "2",
            "due_year": "2027",
        },
        {"title": "Far too long", "colour": "x", "rag": "x", "many": ["9"], "due_day": "31", "due_month": "2"},
    ],
)
def test_a_field_group_is_drawn_as_the_field_template_draws_it(data: dict) -> None:
    """The renderer draws each field's group (label or fieldset, hint, errors) in Python
    (councilimprove.forms.field_group_html): the same markup as templates/forms/field.html, for a text box, a
    select, radios, checkboxes and a date, with hints, errors and escaping, blank or filled in."""
    form = EveryKindForm(data or None)
    form.is_valid()
    renderer = GovUKFormRenderer()
    for field in form:
        ours = renderer.render(renderer.field_template_name, {"field": field})
        templates = super(GovUKFormRenderer, renderer).render(renderer.field_template_name, {"field": field})
        assert _tags_only(ours) == _tags_only(templates), field.name
        assert "govuk-form-group" in ours
