"""The upload of an action plan to import: which engagement, and the file (judged by its contents)."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from councilimprove.forms import GovUKFormMixin
from recommendations import imports
from recommendations.models import Engagement
from recommendations.uploads import clean_filename


class EngagementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        engagement: Engagement = obj
        return f"{engagement.title} ({engagement.kind})"


class ImportForm(GovUKFormMixin, forms.Form):
    engagement = EngagementChoiceField(
        label="Which engagement is the plan for?",
        queryset=Engagement.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the engagement the plan is for",
            "invalid_choice": "Select the engagement the plan is for",
        },
    )
    file = forms.FileField(
        label="Upload a file",
        help_text=(
            "An Excel spreadsheet (.xlsx) or a CSV file (saved as CSV UTF-8) in the layout of the export or the "
            f"template, with at most {imports.MAX_ROWS:,} rows and {imports.MAX_COLUMNS} columns, and smaller than "
            f"{imports.MAX_BYTES // (1024 * 1024)} MB"
        ),
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args: Any, engagements: QuerySet[Engagement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["engagement"].queryset = engagements  # type: ignore[attr-defined]
        self.data_bytes = b""
        self.filename = ""
        self.read: imports.ReadFile | None = None

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        self.filename = clean_filename(uploaded.name)
        if uploaded.size > imports.MAX_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {imports.MAX_BYTES // (1024 * 1024)} MB. "
                "Split it into smaller files"
            )
        self.data_bytes = uploaded.read()
        try:
            self.read = imports.read_plan(data=self.data_bytes, filename=self.filename)
        except imports.FileRefused as exc:
            raise forms.ValidationError(exc.messages) from exc
        return uploaded
