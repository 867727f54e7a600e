"""A lead's forms for the plan: add and edit recommendations and actions, move a date with its reason,
and change status or RAG directly (recorded as an approved update marked as the lead's)."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils.formats import date_format

from councilimprove.forms import DateField, GovUKFormMixin
from recommendations.forms.progress import percent_complete_field
from recommendations.models import Action, Directorate, Rag, Recommendation, Status, Theme, User
from recommendations.vocabulary import ACTION_FIELDS, DUE_BEFORE_START, RECOMMENDATION_FIELDS, due_before_start

REASON_HELP = "Needed only when you change the date. It is kept with the date's history, next to the first date set."
POSITION_FIELDS = ("status", "rag", "rag_reason", "percent_complete", "note")
# What a change in the "Status and RAG" part of an edit form is made of; the rest leaves it as it is.
POSITION_CHANGES = ("status", "rag", "percent_complete")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else None
        for item in errors:
            form.add_error(target if target else None, item.messages)


class OwnerChoiceField(forms.ModelChoiceField):
    """People shown by name and e-mail address, so two people with one name can be told apart."""

    def label_from_instance(self, obj: Model) -> str:
        user: User = obj  # type: ignore[assignment]
        name = user.get_full_name()
        return f"{name} ({user.email})" if name else user.email


def _display(value: object) -> str:
    if value is None or value == "":
        return "Not set"
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    return str(value)


class PlanItemForm(GovUKFormMixin, forms.Form):
    """What recommendation and action forms share: the reference, the owner, the date and its reason,
    the version (for edits), and the lead's direct change of status and RAG."""

    item_name = "item"
    due_date_name = "due date"
    item_field_names: tuple[str, ...] = ()  # the fields a lead sets on the item (the vocabulary's list)

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    due_date_reason = forms.CharField(
        label="Reason for the new date",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Status.choices,
        required=False,
        widget=forms.RadioSelect,
        show_hidden_initial=True,
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=Rag.choices,
        required=False,
        widget=forms.RadioSelect,
        show_hidden_initial=True,
    )
    rag_reason = forms.CharField(
        label="Reason for the RAG rating",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for amber or red: what is at risk, and what is being done about it.",
    )
    note = forms.CharField(
        label="Note about the change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown with the change in the item's progress updates.",
    )

    def __init__(
        self,
        *args: Any,
        owners: QuerySet[User],
        editing: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["owner"].queryset = owners
        if not editing:
            for name in ("version", "due_date_reason", "status", "rag", "rag_reason", "note"):
                del self.fields[name]
        else:
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = "Open the page again and make your changes"
            self.fields["due_date_reason"].label = f"Reason for the new {self.due_date_name}"
            if "percent_complete" in self.fields:  # on an edit it moves with status and RAG
                self.fields["percent_complete"].show_hidden_initial = True

    # --- the parts of the page ---

    @property
    def item_fields(self) -> list[forms.BoundField]:
        position = POSITION_FIELDS if self.editing else ()
        return [self[name] for name in self.fields if name not in position and name != "version"]

    @property
    def position_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in POSITION_FIELDS if name in self.fields and self.editing]

    # --- validation ---

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.editing:
            self._clean_date_move(cleaned)
            if self.position_changed:
                if not cleaned.get("status"):
                    self.add_error("status", "Choose a status")
                if not cleaned.get("rag"):
                    self.add_error("rag", "Choose a RAG rating")
                elif cleaned["rag"] in (Rag.AMBER, Rag.RED) and not cleaned.get("rag_reason", "").strip():
                    self.add_error("rag_reason", "Enter the reason for an amber or red RAG rating")
        return cleaned

    def _clean_date_move(self, cleaned: dict[str, Any]) -> None:
        if str(cleaned.get("version")) != str(self.initial.get("version")):
            return  # saved by someone else since this form was loaded: the service refuses it as stale
        before = self.initial.get("due_date")
        had_date = before is not None or self.initial.get("baseline_due_date") is not None
        moved = "due_date" in cleaned and cleaned["due_date"] != before
        if had_date and moved and not cleaned.get("due_date_reason", "").strip():
            self.add_error("due_date_reason", "Enter the reason for moving the date")

    @property
    def position_changed(self) -> bool:
        """Whether the lead changed status, RAG (or percentage complete) from what the page showed."""
        return self.editing and any(name in self.changed_data for name in POSITION_CHANGES if name in self.fields)

    # --- what the services take ---

    def item_changes(self) -> dict[str, Any]:
        """The item's own fields, for the service: those the vocabulary says a lead sets."""
        return {name: value for name, value in self.cleaned_data.items() if name in self.item_field_names}

    def position_changes(self) -> dict[str, Any]:
        """Status, RAG, reason and note for the service, when the lead changed them; else nothing."""
        if not self.position_changed:
            return {}
        changes = {name: self.cleaned_data.get(name) or "" for name in ("status", "rag", "rag_reason", "note")}
        if "percent_complete" in self.fields:
            changes["percent_complete"] = self.cleaned_data.get("percent_complete")
        return changes

    def after_stale(
        self, *, current: Recommendation | Action, loaded: Model | None, latest: dict[str, Any]
    ) -> tuple[QueryDict, list[tuple[str, str, str]]]:
        """Someone else saved the item while this form was open. Return the form's data on the latest
        version, and (label, saved now, in the form) for each field the other person changed.

        `loaded` is the item as this form showed it (its history record at the form's version; None if
        unknown) and `latest` the initial values of the item now. A field this lead left alone takes the
        other person's value; a field this lead changed keeps what they typed. Status and RAG left alone
        take today's. Saving the result replaces only what this lead changed, knowingly."""
        data = self.data.copy()
        data["version"] = str(current.version)
        rows = []
        for name, mine in self.item_changes().items():
            field = self.fields[name]
            is_object = isinstance(field, forms.ModelChoiceField)
            saved, mine_value = latest[name], (mine.pk if isinstance(mine, Model) else mine)
            before = getattr(loaded, f"{name}_id" if is_object else name) if loaded is not None else mine_value
            if saved == before:
                continue  # the other person did not change it
            if name == "lead_directorate" and self.cleaned_data.get("new_directorate", "").strip():
                before = None  # a new directorate typed here is this lead's change
            in_form = mine
            if mine_value == before:  # the other person changed it, this lead did not: take theirs
                self._put(data, name, saved)
                in_form = getattr(current, name)
            rows.append((str(field.label), self._shown(name, getattr(current, name)), self._shown(name, in_form)))
        for name in POSITION_CHANGES:
            if name in self.fields and data.get(name, "") == data.get(f"initial-{name}", ""):
                value = "" if latest.get(name) is None else str(latest[name])
                data[name] = data[f"initial-{name}"] = value
        return data, rows

    def _put(self, data: QueryDict, name: str, value: object) -> None:
        if isinstance(self.fields[name], DateField):
            parts = self.fields[name].widget.decompress(value)
            for part, part_value in zip(("day", "month", "year"), parts, strict=True):
                data[f"{name}_{part}"] = "" if part_value is None else str(part_value)
        else:
            data[name] = "" if value is None else str(value)

    def _shown(self, name: str, value: object) -> str:
        field = self.fields[name]
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            value = dict(field.choices).get(value, value)
        if isinstance(field, OwnerChoiceField) and value is not None:
            value = field.label_from_instance(value)
        return _display(value)


class RecommendationForm(PlanItemForm):
    item_name = "recommendation"
    due_date_name = "target date"
    item_field_names = RECOMMENDATION_FIELDS
    field_order = [
        "reference",
        "heading",
        "text",
        "kind",
        "theme",
        "lead_directorate",
        "new_directorate",
        "owner",
        "lead_member",
        "due_date",
        "due_date_reason",
        "closure_basis",
    ]

    reference = forms.CharField(
        label="Reference",
        max_length=20,
        help_text="As the report numbers it, for example R3.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
        error_messages={"required": "Enter a reference", "max_length": "Reference must be 20 characters or fewer"},
    )
    heading = forms.CharField(
        label="Heading (optional)",
        max_length=200,
        required=False,
        error_messages={"max_length": "Heading must be 200 characters or fewer"},
    )
    text = forms.CharField(
        label="Recommendation",
        help_text="In full, as the peer team wrote it.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the recommendation"},
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=Recommendation.Kind.choices,
        initial=Recommendation.Kind.RECOMMENDATION,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it is a recommendation, a suggestion or an observation"},
    )
    theme = forms.ModelChoiceField(
        label="Theme (optional)",
        queryset=Theme.objects.none(),
        required=False,
        empty_label="No theme",
        error_messages={"invalid_choice": "Choose a theme of this engagement"},
    )
    lead_directorate = forms.ModelChoiceField(
        label="Lead directorate (optional)",
        queryset=Directorate.objects.none(),
        required=False,
        empty_label="Not set",
        error_messages={"invalid_choice": "Choose a directorate of this council"},
    )
    new_directorate = forms.CharField(
        label="Or add a directorate",
        max_length=200,
        required=False,
        help_text="If the lead directorate is not in the list, type its name.",
        error_messages={"max_length": "The directorate's name must be 200 characters or fewer"},
    )
    owner = OwnerChoiceField(
        label="Owner (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not assigned",
        help_text="The officer accountable for progress.",
        error_messages={"invalid_choice": "Choose an officer or improvement lead of this council"},
    )
    lead_member = forms.CharField(
        label="Lead member (optional)",
        max_length=200,
        required=False,
        help_text="The cabinet member who leads on it.",
        error_messages={"max_length": "Lead member must be 200 characters or fewer"},
    )
    due_date = DateField(label="Target date (optional)", name="target date", required=False)
    closure_basis = forms.CharField(
        label="Basis for closing (optional)",
        max_length=200,
        required=False,
        help_text="For example 'Transitioned to business as usual'.",
        error_messages={"max_length": "Basis for closing must be 200 characters or fewer"},
    )

    def __init__(self, *args: Any, themes: QuerySet[Theme], directorates: QuerySet[Directorate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes
        self.fields["lead_directorate"].queryset = directorates

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("lead_directorate") and cleaned.get("new_directorate", "").strip():
            self.add_error("new_directorate", "Choose a directorate from the list or add a new one, not both")
        return cleaned


class ActionForm(PlanItemForm):
    item_name = "action"
    due_date_name = "due date"
    item_field_names = ACTION_FIELDS
    field_order = [
        "reference",
        "description",
        "owner",
        "start_date",
        "due_date",
        "due_date_reason",
        "percent_complete",
    ]

    reference = forms.CharField(
        label="Reference",
        max_length=20,
        help_text="For example 3.1.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
        error_messages={"required": "Enter a reference", "max_length": "Reference must be 20 characters or fewer"},
    )
    description = forms.CharField(
        label="Action",
        help_text="What will be done.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the action"},
    )
    owner = OwnerChoiceField(
        label="Owner (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not assigned",
        help_text="The officer accountable for progress.",
        error_messages={"invalid_choice": "Choose an officer or improvement lead of this council"},
    )
    start_date = DateField(label="Start date (optional)", name="start date", required=False)
    due_date = DateField(label="Due date (optional)", name="due date", required=False)
    percent_complete = percent_complete_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if due_before_start(cleaned.get("start_date"), cleaned.get("due_date")):
            self.add_error("due_date", DUE_BEFORE_START)
        return cleaned

    def item_changes(self) -> dict[str, Any]:
        """On an edit, % complete moves with status and RAG (position_changes); a new action may start part done."""
        changes = super().item_changes()
        if not self.editing and self.cleaned_data.get("percent_complete") is not None:
            changes["percent_complete"] = self.cleaned_data["percent_complete"]
        return changes
