"""Managing the council's people: invite, change a role, deactivate a leaver."""

from typing import Any

from django import forms

from councilimprove.forms import GovUKFormMixin, email_field
from recommendations.models import Membership, User

Role = Membership.Role

ROLE_HINTS = {
    Role.OFFICER: "Records progress on the recommendations and actions they own, and submits it for review.",
    Role.LEAD: "Sets up the plan, assigns owners, signs progress off and manages the council's people.",
    Role.LEADERSHIP: "Reads the dashboard, the plan and the reports. Cannot change anything.",
    Role.ADVISER: "Someone from outside the council. Reads the plan and the reports, "
    "but not evidence marked internal. Cannot change anything.",
}


class CouncilSettingsForm(GovUKFormMixin, forms.Form):
    """What a council's leads set for it: how often progress is expected on each open item, and when owners are
    reminded of an update round's due date."""

    update_interval_months = forms.IntegerField(
        label="How often should each open recommendation and action have an update signed off?",
        help_text="In months, from 1 to 24. Anything open with no update signed off for longer is flagged on its "
        "page, in the tables and on the dashboard.",
        min_value=1,
        max_value=24,
        error_messages={
            "required": "Enter a number of months",
            "invalid": "Enter a number of months, like 3",
            "min_value": "Enter a number of months from 1 to 24",
            "max_value": "Enter a number of months from 1 to 24",
        },
    )

    reminder_days_before_due = forms.IntegerField(
        label="How many days before an update round's due date should owners be reminded?",
        help_text="From 1 to 30. Owners who have not updated are reminded then, again on the day and weekly while "
        "their update is overdue.",
        min_value=1,
        max_value=30,
        error_messages={
            "required": "Enter a number of days",
            "invalid": "Enter a number of days, like 5",
            "min_value": "Enter a number of days from 1 to 30",
            "max_value": "Enter a number of days from 1 to 30",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("update_interval_months", "reminder_days_before_due"):
            self.fields[name].widget.attrs.update({"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"})


# Past this many people a list of radios is too long to scan: a select is offered instead.
MOST_RADIOS = 10


class RadioSelectWidget(forms.RadioSelect):
    """GOV.UK radios with a hint under each option. (Named so that its widget_type is 'radioselect',
    which the GOV.UK field template renders in a fieldset.)"""

    option_template_name = "forms/widgets/radio_option_with_hint.html"

    def __init__(self, *, hints: dict[str, str], attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.hints = {str(value): hint for value, hint in hints.items()}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        hint = self.hints.get(str(option["value"]))
        if hint:
            option["hint"] = hint
            option["hint_id"] = f"{option['attrs']['id']}-hint"
            option["attrs"]["aria-describedby"] = option["hint_id"]
        return option


def role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=RadioSelectWidget(hints=ROLE_HINTS),
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )


def _name_field(label: str, required_message: str) -> forms.CharField:
    # autocomplete off: the browser must not offer the lead's own name for someone else's.
    return forms.CharField(
        label=label,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": required_message,
            "max_length": f"{label} must be 150 characters or fewer",
        },
    )


class InviteForm(GovUKFormMixin, forms.Form):
    first_name = _name_field("First name", "Enter their first name")
    last_name = _name_field("Last name", "Enter their last name")
    email = email_field(required_message="Enter their email address")
    role = role_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.help_text = "We will send them a link to set their password. Use their work address."
        email.widget.attrs["autocomplete"] = "off"  # someone else's address, not the lead's


class RoleForm(GovUKFormMixin, forms.Form):
    role = role_field()


class DeactivateForm(GovUKFormMixin, forms.Form):
    """Whom a leaver's recommendations and actions go to. Only asked when they own something."""

    def __init__(self, *args: Any, candidates: list[Membership], owns_items: bool, **kwargs: Any) -> None:
        self.candidates: dict[int, User] = {member.user_id: member.user for member in candidates}
        choices = [(member.user_id, f"{member.user} ({member.get_role_display()})") for member in candidates]
        if len(choices) > MOST_RADIOS:
            widget: forms.Widget = forms.Select()
            choices = [("", "Choose someone"), *choices]
        else:
            widget = RadioSelectWidget(hints={member.user_id: member.user.email for member in candidates})
        field = forms.TypedChoiceField(
            label="Who will take over their recommendations and actions?",
            choices=choices,
            coerce=int,
            widget=widget,
            error_messages={
                "required": "Choose who will take over their recommendations and actions",
                "invalid_choice": "Choose who will take over their recommendations and actions",
            },
        )
        # An instance attribute: the form's fields are built from it, and the class is left alone.
        self.base_fields = {"reassign_to": field} if owns_items else {}
        super().__init__(*args, **kwargs)

    def clean_reassign_to(self) -> User:
        return self.candidates[self.cleaned_data["reassign_to"]]
