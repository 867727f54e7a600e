"""A lead's forms for engagements: the challenge or return visit itself, its themes, and its peer team."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from councilimprove.forms import DateField, GovUKFormMixin
from recommendations.models import Engagement, EngagementKind, Peer, Theme

THEMES_HELP = (
    "One theme per line, in the order the report uses. Today's five core components of a corporate peer "
    "challenge are filled in: change them to match the report."
)


class EngagementForm(GovUKFormMixin, forms.Form):
    """A new engagement takes its themes as lines of text; an existing one shows a box per theme (rename
    it there and its recommendations keep it) and a box to add more."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example 'Corporate Peer Challenge 2024'.",
        error_messages={"required": "Enter a title", "max_length": "Title must be 200 characters or fewer"},
    )
    kind = forms.ModelChoiceField(
        label="Kind of engagement",
        queryset=EngagementKind.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of engagement",
            "invalid_choice": "Choose the kind of engagement",
        },
    )
    parent = forms.ModelChoiceField(
        label="Return visit of (optional)",
        queryset=Engagement.objects.none(),
        required=False,
        empty_label="None: this is a peer challenge",
        help_text="For a follow-up, a progress review or a panel: the peer challenge it returns to.",
        error_messages={"invalid_choice": "Choose a peer challenge of this council"},
    )
    mode = forms.ChoiceField(
        label="On site or remote",
        choices=Engagement.Mode.choices,
        initial=Engagement.Mode.ONSITE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the peer team was on site or remote"},
    )
    first_onsite_day = DateField(
        label="First day of the visit (optional)", name="first day of the visit", required=False
    )
    last_onsite_day = DateField(label="Last day of the visit (optional)", name="last day of the visit", required=False)
    report_received = DateField(label="Report received (optional)", name="date the report was received", required=False)
    report_published = DateField(
        label="Report published (optional)", name="date the report was published", required=False
    )
    action_plan_published = DateField(
        label="Action plan published (optional)", name="date the action plan was published", required=False
    )
    report_url = forms.URLField(
        label="Link to the LGA's report (optional)",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a link in the correct format, like https://www.local.gov.uk/report.pdf",
            "max_length": "The link must be 200 characters or fewer",
        },
    )
    themes = forms.CharField(
        label="Themes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=THEMES_HELP,
    )
    new_themes = forms.CharField(
        label="Add themes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One theme per line.",
    )

    def __init__(
        self,
        *args: Any,
        kinds: QuerySet[EngagementKind],
        parents: QuerySet[Engagement],
        existing_themes: list[Theme] | None = None,
        **kwargs: Any,
    ) -> None:
        """`existing_themes` (for an edit) carry `recommendation_count`; None means a new engagement."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds
        self.fields["parent"].queryset = parents
        self.existing_themes = existing_themes
        if existing_themes is None:
            del self.fields["new_themes"]
            return
        del self.fields["themes"]
        new_themes = self.fields.pop("new_themes")
        for number, theme in enumerate(existing_themes, start=1):
            used = theme.recommendation_count
            hint = f"Used by {used} recommendation{'s' if used != 1 else ''}" if used else "Not used yet"
            hint += ". Clear the box to remove it." if not used else ": rename it here and they keep it."
            self.fields[self.theme_field(theme.pk)] = forms.CharField(
                label=f"Theme {number}",
                required=False,
                max_length=200,
                initial=theme.name,
                help_text=hint,
                error_messages={"max_length": f"Theme {number} must be 200 characters or fewer"},
            )
            self.fields[self.theme_field(theme.pk)].widget.attrs["class"] = "govuk-input"
        self.fields["new_themes"] = new_themes

    @staticmethod
    def theme_field(pk: int) -> str:
        return f"theme_{pk}"

    # --- the parts of the page ---

    @property
    def engagement_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name != "themes" and not self._is_theme(name)]

    @property
    def theme_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name == "themes" or self._is_theme(name)]

    @staticmethod
    def _is_theme(name: str) -> bool:
        return name.startswith("theme_") or name == "new_themes"

    # --- what the services take ---

    def engagement_data(self) -> dict[str, Any]:
        return {
            name: value for name, value in self.cleaned_data.items() if name != "themes" and not self._is_theme(name)
        }

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    def new_theme_names(self) -> list[str]:
        return self._lines(self.cleaned_data.get("themes", ""))

    def theme_list(self) -> list[tuple[int | None, str]]:
        """(id, name) for each existing theme kept (a cleared box removes it), then (None, name) for new."""
        kept = [
            (theme.pk, self.cleaned_data[self.theme_field(theme.pk)].strip())
            for theme in self.existing_themes or []
            if self.cleaned_data.get(self.theme_field(theme.pk), "").strip()
        ]
        return kept + [(None, name) for name in self._lines(self.cleaned_data.get("new_themes", ""))]

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's errors on their fields: a theme that cannot go on its own box."""
        for field, errors in error.error_dict.items() if hasattr(error, "error_dict") else [(None, [error])]:
            for item in errors:
                target = field if field in self.fields else None
                theme_id = (item.params or {}).get("theme_id") if hasattr(item, "params") else None
                if field == "themes" and theme_id is not None and self.theme_field(theme_id) in self.fields:
                    target = self.theme_field(theme_id)
                elif field == "themes" and "themes" not in self.fields:
                    target = "new_themes"
                self.add_error(target, item.messages)


class PeerForm(GovUKFormMixin, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={"required": "Enter the peer's name", "max_length": "Name must be 200 characters or fewer"},
    )
    role = forms.ChoiceField(
        label="Role on the peer team",
        choices=Peer.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the peer's role on the team"},
    )
    organisation = forms.CharField(
        label="Organisation (optional)",
        max_length=200,
        required=False,
        help_text="The peer's home council or body, for example 'Felpersham City Council'.",
        error_messages={"max_length": "Organisation must be 200 characters or fewer"},
    )
