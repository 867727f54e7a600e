"""The upload of an action plan to import: which engagement, and the file (judged by its contents)."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from councilimprove.forms import GovUKFormMixin
from recommendations import imports
from recommendations.imports import mapping
from recommendations.imports.rows import column_letter, is_empty
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


def _sample(values: list[Any]) -> str:
    shown = []
    for value in values:
        text = " ".join(str(value).split()) if value not in (None, "") else ""
        if text and text not in shown:
            shown.append(text if len(text) <= 40 else text[:39] + "…")
        if len(shown) == 3:
            break
    return "For example: " + "; ".join(f"‘{text}’" for text in shown) if shown else "Empty in the first rows"


class ColumnsForm(GovUKFormMixin, forms.Form):
    """What each column of a council's own plan holds (imports.mapping.FIELDS), one select a column with its
    heading as label and its first values as hint; the sheet, where the workbook has several."""

    def __init__(self, *args: Any, table: Any, columns: dict[int, str], **kwargs: Any) -> None:
        self.table = table
        self.base_fields = {}  # the instance's own: built here, before the GOV.UK classes are given
        if len(table.sheets) > 1:
            self.base_fields["sheet"] = forms.ChoiceField(
                label="Which sheet is the plan on?",
                choices=[(name, name) for name in table.sheets],
                initial=table.sheet,
                help_text="Choose a sheet and select ‘Use this sheet’ to see its columns",
            )
        samples = table.shown(12)
        choices = [(field.key, field.label) for field in mapping.FIELDS]
        for index in range(table.width):
            heading = table.headings[index] if index < len(table.headings) else None
            values = [row[index] if index < len(row) else None for row in samples]
            if is_empty(heading) and all(is_empty(value) for value in values):
                continue
            named = f"‘{' '.join(str(heading).split())}’" if not is_empty(heading) else "(no heading)"
            self.base_fields[f"column_{index}"] = forms.ChoiceField(
                label=f"Column {column_letter(index + 1)} {named}",
                choices=choices,
                initial=columns.get(index, mapping.IGNORE),
                help_text=_sample(values),
            )
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        seen: dict[str, str] = {}
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if not name.startswith("column_") or value in (None, mapping.IGNORE):
                continue
            if value in seen:
                self.add_error(
                    name, f"Choose ‘{mapping.FIELD_LABELS[value]}’ for one column only (it is also {seen[value]})"
                )
            else:
                seen[value] = field.label
        if not {"text", "action", "reference"} & set(seen) and not self.errors:
            raise forms.ValidationError(
                "Choose the column that holds the recommendations, or the one that holds the actions"
            )
        return cleaned

    def columns(self) -> dict[int, str]:
        return {
            int(name.removeprefix("column_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("column_")
        }
