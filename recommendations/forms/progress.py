"""Recording progress (with its evidence) and reviewing it."""

import datetime as dt
from typing import Any

from django import forms

from councilimprove.forms import GovUKFormMixin
from recommendations.models import Rag, Status


def percent_complete_field() -> forms.IntegerField:
    """An action's percentage complete, 0 to 100, with GOV.UK's wording for its errors."""
    return forms.IntegerField(
        label="Percentage complete",
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "invalid": "Percentage complete must be a whole number, like 60",
            "min_value": "Percentage complete must be 0 or more",
            "max_value": "Percentage complete must be 100 or less",
        },
    )


class ProgressUpdateForm(GovUKFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=Status.choices, widget=forms.RadioSelect, error_messages={"required": "Choose a status"}
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a RAG rating"},
    )
    rag_reason = forms.CharField(
        label="Reason for the RAG rating",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for amber or red: what is at risk, and what is being done about it.",
    )
    narrative = forms.CharField(
        label="Progress since the last update",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What has been done, what changed, and what happens next.",
        error_messages={"required": "Enter the progress since the last update"},
    )
    percent_complete = percent_complete_field()
    key = forms.UUIDField(widget=forms.HiddenInput, required=False)  # the same form posted again finds its update

    def __init__(self, *args: Any, for_action: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not for_action:
            del self.fields["percent_complete"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("rag") in (Rag.AMBER, Rag.RED) and not cleaned.get("rag_reason", "").strip():
            self.add_error("rag_reason", "Enter the reason for an amber or red RAG rating")
        return cleaned


class EvidenceRowForm(GovUKFormMixin, forms.Form):
    """One piece of evidence: a file or a link, with a title."""

    title = forms.CharField(label="Title", required=False, max_length=300)
    file = forms.FileField(
        label="File",
        required=False,
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument, CSV, PNG or JPEG",
    )
    link = forms.URLField(
        label="Or a link",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter a link in the correct format, like https://www.example.gov.uk/report"},
    )
    internal = forms.BooleanField(label="Internal: do not show to peers and LGA advisers", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        given = bool(cleaned.get("file")) or bool(cleaned.get("link"))
        if cleaned.get("file") and cleaned.get("link"):
            self.add_error("link", "Give a file or a link, not both")
        elif cleaned.get("link") and not cleaned.get("title", "").strip():
            self.add_error("title", "Enter a title for the evidence")  # a file without one takes its name
        elif cleaned.get("title", "").strip() and not given and "link" not in self.errors:
            self.add_error("file", "Choose a file or enter a link")
        return cleaned

    @property
    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in ("title", "file", "link"))


EvidenceFormSet = forms.formset_factory(EvidenceRowForm, extra=2, max_num=10, absolute_max=10, validate_max=True)


class ReviewForm(GovUKFormMixin, forms.Form):
    """What both review forms carry: when the update the lead read was submitted, so that a sign-off
    applies to that text and no other (its author may withdraw, change and resubmit it meanwhile)."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_seen(self) -> dt.datetime | None:
        value = self.cleaned_data["seen"]
        if not value:
            return None
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return dt.datetime.min.replace(tzinfo=dt.UTC)  # matches no submission: the lead reads it again


class ApproveForm(ReviewForm):
    assurance_rag = forms.ChoiceField(
        label="Your RAG rating",
        required=False,
        choices=[("", "Agree with the owner's rating"), *Rag.choices],
        widget=forms.RadioSelect,
        help_text="Record your own rating only where you disagree with the owner's.",
    )
    assurance_reason = forms.CharField(
        label="Why you rated it differently",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you give your own rating: the owner and leadership will see it.",
    )

    def __init__(self, *args: Any, owner_rag: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner_rag = owner_rag

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        rag = cleaned.get("assurance_rag")
        if rag and rag != self.owner_rag and not cleaned.get("assurance_reason", "").strip():
            self.add_error("assurance_reason", "Enter why you rated it differently")
        return cleaned


class ReturnForm(ReviewForm):
    comment = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter a comment to say what needs to change"},
    )
