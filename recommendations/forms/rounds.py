"""Opening an update round: what it covers and its dates (the first step), then the items it asks about (the
second), every open item ticked unless the lead unticks it."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms

from councilimprove.forms import DateField, GovUKFormMixin
from recommendations.models import Action, Engagement, Recommendation

from .people import RadioSelectWidget

WHOLE_PLAN = "all"


class CheckboxSelectMultipleWidget(forms.CheckboxSelectMultiple):
    """GOV.UK checkboxes with a hint under each option (the item's owner). (Named so that its widget_type is
    'checkboxselectmultiple', which the GOV.UK field template renders in a fieldset.)"""

    option_template_name = "forms/widgets/checkbox_option_with_hint.html"

    def __init__(self, *, hints: dict[str, str] | None = None, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.hints = hints or {}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        hint = self.hints.get(str(option["value"]))
        if hint:
            option["hint"] = hint
            option["hint_id"] = f"{option['attrs']['id']}-hint"
            option["attrs"]["aria-describedby"] = option["hint_id"]
        return option


class RoundDetailsForm(GovUKFormMixin, forms.Form):
    """What the round covers (an engagement's plan, or the council's whole open plan) and its two dates."""

    engagement = forms.ChoiceField(
        label="Which plan does the round ask about?",
        error_messages={
            "required": "Select the plan the round asks about",
            "invalid_choice": "Select the plan the round asks about",
        },
    )
    period_end = DateField(
        label="Last day of the period the updates cover",
        name="last day of the period",
        help_text="The round is called after it: 'Progress to 31 January 2027'. For example, 31 1 2027",
    )
    due_date = DateField(
        label="Date updates are due",
        name="date updates are due",
        help_text="Owners are reminded before it, on the day and weekly after it. For example, 7 2 2027",
    )

    def __init__(
        self, *args: Any, engagements: Sequence[Engagement], open_counts: dict[str, int], today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today, self.open_counts = today, open_counts
        self.engagements = {str(engagement.pk): engagement for engagement in engagements}
        self.keys = [WHOLE_PLAN, *self.engagements]
        field: forms.ChoiceField = self.fields["engagement"]  # type: ignore[assignment]
        field.widget = RadioSelectWidget(hints={key: _open_words(open_counts.get(key, 0)) for key in self.keys})
        field.widget.attrs["class"] = "govuk-radios__input"
        field.choices = [(WHOLE_PLAN, "The council's whole open plan")] + [
            (key, str(engagement)) for key, engagement in self.engagements.items()
        ]

    def clean_engagement(self) -> str:
        chosen = self.cleaned_data["engagement"]
        if not self.open_counts.get(chosen):
            raise forms.ValidationError("There are no open items in that plan: select another")
        return chosen

    def clean_due_date(self) -> dt.date | None:
        due = self.cleaned_data.get("due_date")
        if due is not None and due < self.today:
            raise forms.ValidationError("The date updates are due must be today or in the future")
        return due

    @property
    def chosen_engagement(self) -> Engagement | None:
        """The engagement chosen (None for the whole plan); only once the form is valid."""
        return self.engagements.get(self.cleaned_data["engagement"])


def _open_words(count: int) -> str:
    return f"{count} open item{'' if count == 1 else 's'}" if count else "No open items"


def item_key(item: Recommendation | Action) -> str:
    return f"{'recommendation' if isinstance(item, Recommendation) else 'action'}-{item.pk}"


def _choice(item: Recommendation | Action) -> tuple[str, str]:
    return str(item.pk), f"{item.reference} {item.summary}".strip()


def _owner_hint(item: Recommendation | Action) -> str:
    if item.owner is not None:
        return f"Owner: {item.owner}"
    if item.owner_name:
        return f"Owner named in the imported plan: {item.owner_name} (no member assigned)"
    return "No owner"


class RoundItemsForm(GovUKFormMixin, forms.Form):
    """The open items of the plan chosen, each ticked unless the lead unticks it."""

    recommendations = forms.MultipleChoiceField(label="Recommendations", required=False)
    actions = forms.MultipleChoiceField(label="Actions", required=False)

    def __init__(
        self, *args: Any, recommendations: Sequence[Recommendation], actions: Sequence[Action], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = {"recommendations": list(recommendations), "actions": list(actions)}
        for name, items in self.items.items():
            field: forms.MultipleChoiceField = self.fields[name]  # type: ignore[assignment]
            field.widget = CheckboxSelectMultipleWidget(hints={str(item.pk): _owner_hint(item) for item in items})
            field.widget.attrs["class"] = "govuk-checkboxes__input"
            field.choices = [_choice(item) for item in items]
            field.error_messages["invalid_choice"] = "Select only items that are still open: this list has changed"
        for name, items in self.items.items():  # nothing to choose from: no fieldset with no boxes
            if not items:
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and self.fields and not any(cleaned.get(name) for name in self.fields):
            self.add_error(next(iter(self.fields)), "Select at least one item to ask about")
        return cleaned

    @property
    def left_out(self) -> list[Recommendation | Action]:
        """The open items shown and not ticked; only once the form is valid."""
        return [
            item
            for name, items in self.items.items()
            for item in items
            if str(item.pk) not in self.cleaned_data.get(name, [])
        ]

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """An error for the whole form (a service's refusal) points at the first box."""
        first = next(iter(self.fields), None)
        anchor = f"{self[first].auto_id}_0" if first else ""
        return [(key or anchor, message) for key, message in super().error_list]
