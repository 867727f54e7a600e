"""The forms of panel sessions (with their findings and next steps), of the summary report's narrative, and the
choice of what the progress report to committee is as at."""

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator

from councilimprove.forms import DateField, GovUKFormMixin
from recommendations.filters import AsAtField, FilterForm
from recommendations.models import Engagement, Peer, Recommendation, UpdateRound

from .models import Finding
from .services.sessions import FindingRow

NEW_ROWS = 3  # rows offered on a new session
MORE_ROWS = 2  # empty rows offered after a session's own on an edit
MAX_ROWS = 40


class EngagementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        engagement: Engagement = obj  # type: ignore[assignment]
        return engagement.title


class PeerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        peer: Peer = obj  # type: ignore[assignment]
        details = ", ".join(part for part in (peer.get_role_display().lower(), peer.organisation) if part)
        return f"{peer.name} ({details})"


class RecommendationChoiceField(forms.ModelMultipleChoiceField):
    """Recommendations by reference and heading (or the start of their text); with the engagement's title
    where the council's recommendations come from more than one engagement, so two R1s can be told apart."""

    show_engagement = False

    def label_from_instance(self, obj: Model) -> str:
        recommendation: Recommendation = obj  # type: ignore[assignment]
        label = f"{recommendation.reference} {recommendation.heading or Truncator(recommendation.text).words(12)}"
        return f"{label} ({recommendation.engagement.title})" if self.show_engagement else label


class SessionForm(GovUKFormMixin, forms.Form):
    engagement = EngagementChoiceField(
        label="Engagement",
        queryset=Engagement.objects.none(),
        empty_label="Choose an engagement",
        help_text="The peer challenge or return visit this session belongs to.",
        error_messages={"required": "Choose the engagement", "invalid_choice": "Choose an engagement of this council"},
    )
    held_on = DateField(label="Date of the session", name="date of the session")
    mode = forms.ChoiceField(
        label="Remote or on site",
        choices=[(Engagement.Mode.REMOTE, "Remote"), (Engagement.Mode.ONSITE, "On site")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the session was remote or on site"},
    )
    peers = PeerChoiceField(
        label="Peers present (optional)",
        queryset=Peer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The peers on the council's engagements. Add a peer to an engagement's team to list them here.",
        error_messages={
            "invalid_choice": "Choose peers from this council's peer teams",
            "invalid_pk_value": "Choose peers from this council's peer teams",
        },
    )
    recommendations = RecommendationChoiceField(
        label="Recommendations discussed (optional)",
        queryset=Recommendation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose recommendations of this council",
            "invalid_pk_value": "Choose recommendations of this council",
        },
    )

    def __init__(
        self,
        *args: Any,
        engagements: QuerySet[Engagement],
        peers: QuerySet[Peer],
        recommendations: QuerySet[Recommendation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["engagement"].queryset = engagements
        self.fields["peers"].queryset = peers
        field: RecommendationChoiceField = self.fields["recommendations"]  # type: ignore[assignment]
        field.queryset = recommendations
        field.show_engagement = len({r.engagement_id for r in recommendations}) > 1

    scope = forms.CharField(
        label="Scope (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the peers were asked to look at. The report's summary of the approach gives it.",
    )
    met = forms.CharField(
        label="Who the peers met (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, the Leader, Cabinet members and the senior leadership team.",
    )
    support_offer = forms.CharField(
        label="The LGA's support offer (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the LGA offers next. The report's next steps give it.",
    )
    principal_adviser = forms.CharField(label="Principal adviser (optional)", required=False, max_length=200)
    principal_adviser_email = forms.EmailField(
        label="Principal adviser's email address (optional)",
        required=False,
        error_messages={"invalid": "Enter the principal adviser's email address like name@example.com"},
    )
    next_check_in = DateField(label="Next check-in (optional)", name="date of the next check-in", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)  # an edit's: the copy it opened

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        held_on, check_in = cleaned.get("held_on"), cleaned.get("next_check_in")
        if held_on and check_in and check_in <= held_on:
            self.add_error("next_check_in", "The next check-in must be after the date of the session")
        return cleaned


class FindingRowForm(GovUKFormMixin, forms.Form):
    """One finding. A row left blank is ignored; a row with anything in it needs all three."""

    theme = forms.CharField(label="Theme", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Commended or further focus",
        required=False,
        choices=Finding.Kind.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label="What the peers said", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, number: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.number = number
        self.fields["theme"].error_messages["max_length"] = (
            f"The theme of finding {number} must be 200 characters or fewer"
        )
        self.fields["kind"].error_messages["invalid_choice"] = (
            f"Choose whether peers commended finding {number} or urged further focus"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.is_blank:
            return cleaned
        number = self.number
        if not cleaned.get("theme", "").strip() and "theme" not in self.errors:
            self.add_error("theme", f"Enter the theme of finding {number}")
        if not cleaned.get("kind") and "kind" not in self.errors:
            self.add_error("kind", f"Choose whether peers commended finding {number} or urged further focus")
        if not cleaned.get("text", "").strip():
            self.add_error("text", f"Enter what the peers said in finding {number}")
        return cleaned

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(str(data.get(name) or "").strip() for name in ("theme", "kind", "text")) and not self.errors

    def row(self) -> FindingRow:
        return FindingRow(self.cleaned_data["theme"], self.cleaned_data["kind"], self.cleaned_data["text"])


class NextStepRowForm(GovUKFormMixin, forms.Form):
    text = forms.CharField(label="Next step", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, number: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = f"Next step {number}"


class NumberedRows(forms.BaseFormSet):
    """Rows that know their number, for labels and error messages ("Enter the theme of finding 2")."""

    default_error_messages = {
        "missing_management_form": "Open the page again and make your changes",
        "too_many_forms": f"Add at most {MAX_ROWS} rows",
    }

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "number": (index or 0) + 1}

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the error summary, row by row."""
        items = [("", str(message)) for message in self.non_form_errors()]
        return items + [item for form in self.forms for item in form.error_list]


class FindingRows(NumberedRows):
    default_error_messages = {
        **NumberedRows.default_error_messages,
        "too_many_forms": f"Add at most {MAX_ROWS} findings",
    }

    def rows(self) -> list[FindingRow]:
        """The findings typed, in order, blank rows left out (the formset is valid)."""
        return [form.row() for form in self.forms if form.cleaned_data and not form.is_blank]


class NextStepRows(NumberedRows):
    default_error_messages = {
        **NumberedRows.default_error_messages,
        "too_many_forms": f"Add at most {MAX_ROWS} next steps",
    }

    def rows(self) -> list[str]:
        return [form.cleaned_data["text"] for form in self.forms if form.cleaned_data.get("text", "").strip()]


def _formset(form: type[forms.Form], base: type[NumberedRows], extra: int) -> type[NumberedRows]:
    return forms.formset_factory(
        form, formset=base, extra=extra, max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True
    )


def shown_as_typed(*parts: forms.Form | forms.BaseFormSet) -> None:
    """Show bound forms and formsets as typed, without checking them: an "Add another" round trip shows no
    errors for rows the lead has not finished yet (they are checked when the lead saves). They are for
    showing only: is_valid() on them afterwards would say True with nothing cleaned."""
    for part in parts:
        if isinstance(part, forms.BaseFormSet):
            part._errors, part._non_form_errors = [], part.error_class()
            shown_as_typed(*part.forms)
        else:
            part._errors = ErrorDict()


def with_another_row(data: Any, prefix: str) -> Any:
    """The posted data with one more row in the `prefix` rows (up to MAX_ROWS)."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    count = data.get(key, "")
    if re.fullmatch(r"[0-9]{1,3}", count):  # anything else is left for the formset to refuse
        data[key] = str(min(int(count) + 1, MAX_ROWS))
    return data


def finding_rows(data: Any = None, *, initial: list[dict[str, str]] | None = None) -> FindingRows:
    """The findings' rows: a session's own then two empty ones, or three empty ones on a new session."""
    formset = _formset(FindingRowForm, FindingRows, MORE_ROWS if initial is not None else NEW_ROWS)
    return formset(data, initial=initial, prefix="findings")  # type: ignore[return-value]


def next_step_rows(data: Any = None, *, initial: list[dict[str, str]] | None = None) -> NextStepRows:
    formset = _formset(NextStepRowForm, NextStepRows, MORE_ROWS if initial is not None else NEW_ROWS)
    return formset(data, initial=initial, prefix="next_steps")  # type: ignore[return-value]


MARKDOWN_HINT = (
    "Paragraphs, **bold**, *italics*, lists (start lines with - or 1.), quotations (start with >), headings "
    "(start with #) and links [like this](https://www.local.gov.uk). Anything else is shown as you typed it."
)


class ReportForm(GovUKFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    executive_summary = forms.CharField(
        label="Executive summary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The peers' overall view. The report follows it with the progress as at its date, in words and "
        "percentages. " + MARKDOWN_HINT,
    )
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Opens the summary of the approach: the original challenge, earlier sessions, and the purpose of "
        "this one. " + MARKDOWN_HINT,
    )
    themes_lead_in = forms.CharField(
        label="Feedback by theme: lead-in",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown before the session's findings by theme.",
    )
    next_steps_lead_in = forms.CharField(
        label="Next steps: lead-in",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown before the session's next steps.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CommitteeReportForm(FilterForm):
    """What the progress report to committee is as at (GET): a closed update round of the council, or a date
    (the end of that day); neither is today."""

    round = forms.TypedChoiceField(
        label="A closed update round",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a closed update round from the list"},
        help_text="As at the moment the round closed.",
    )
    as_at = AsAtField(
        label="Or a date",
        name="date",
        required=False,
        help_text="As at the end of this day. Leave both empty for today. For example, 28 9 2020",
    )

    def __init__(self, data: Any, *, rounds: Iterable[UpdateRound]) -> None:
        super().__init__(data)
        self.fields["round"].choices = [("", "None: as at a date")] + [
            (
                update_round.pk,
                f"{update_round.title} (closed {date_format(timezone.localdate(update_round.closed_at), 'j F Y')})",
            )
            for update_round in rounds
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("round") is not None and cleaned.get("as_at") is not None:
            self.add_error("as_at", "Choose a closed update round or enter a date, not both")
        return cleaned
