import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.forms.renderers import TemplatesSetting, get_default_renderer
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from councilimprove import escaping
from councilimprove.mail import email_queue, site_link

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
TEXT_TEMPLATE = "django/forms/widgets/text.html"
DATE_TEMPLATE = "forms/widgets/date_input.html"
FIELDSET_TYPES = {"radioselect", "checkboxselectmultiple", "date"}


_escape = escaping.escape  # the selects escape every option's value and label


_conditional_escape = escaping.conditional_escape


def _attrs_html(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html in Python: ` name="value"`, ` name` for True, nothing for False."""
    if not attrs:
        return ""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict[str, Any]) -> str | None:
    """Django's select.html and select_option.html drawn in Python, character for character: the filter forms
    offer every owner, theme and directorate, and a template include per option made them the slowest part of
    the tables' pages. None where an option has a template of its own (then the templates draw it)."""
    parts = [f'<select name="{escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            value = _escape(option["value"])
            label = _conditional_escape(option["label"])
            parts.append(f'\n  <option value="{value}"{_attrs_html(option["attrs"])}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts).strip()


class Select(forms.Select):
    """A single-choice select drawn in Python straight from its choices, as `select_html` draws Django's context
    of it, without Django's option context for each choice (`optgroups`): the tables' filters offer every owner,
    theme and directorate. Where the renderer is not ours, or the option has a template of its own, Django's way.
    Named Select on purpose: its widget_type stays "select", which the GOV.UK classes and field template read."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> str:
        drawn = renderer if renderer is not None else get_default_renderer()
        if (
            not isinstance(drawn, GovUKFormRenderer)
            or self.allow_multiple_selected
            or (self.template_name, self.option_template_name) != (SELECT_TEMPLATE, OPTION_TEMPLATE)
        ):
            return super().render(name, value, attrs, renderer)
        chosen = self.format_value(value)
        parts = [f'<select name="{_escape(name)}"{_attrs_html(self.build_attrs(self.attrs, attrs))}>']
        has_selected = False
        for option_value, option_label in self.choices:  # as ChoiceWidget.optgroups reads them
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, list | tuple)
            group_name = option_value if grouped else None
            if group_name:
                parts.append(f'\n  <optgroup label="{_conditional_escape(group_name)}">')
            for subvalue, sublabel in option_label if grouped else [(option_value, option_label)]:
                selected = not has_selected and str(subvalue) in chosen
                has_selected |= selected
                mark = " selected" if selected else ""
                parts.append(
                    f'\n  <option value="{_escape(subvalue)}"{mark}>{_conditional_escape(sublabel)}</option>\n'
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts).strip())  # noqa: S308 - every value and label escaped above


def input_html(widget: dict[str, Any]) -> str:
    """Django's input.html (with attrs.html) drawn in Python, as `select_html` draws a select."""
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}{_attrs_html(widget["attrs"])}>'
    )


def date_input_html(widget: dict[str, Any]) -> str | None:
    """templates/forms/widgets/date_input.html drawn in Python: the day, month and year boxes with their labels.
    None where a box has a template of its own."""
    boxes = []
    for box in widget["subwidgets"]:
        if box["template_name"] != TEXT_TEMPLATE:
            return None
        boxes.append(
            '<div class="govuk-date-input__item"><div class="govuk-form-group">'
            f'<label class="govuk-label govuk-date-input__label" for="{escape(box["attrs"]["id"])}">'
            f"{conditional_escape(box['part'])}</label>{input_html(box)}</div></div>"
        )
    return f'<div class="govuk-date-input" id="{escape(widget["attrs"]["id"])}">{"".join(boxes)}</div>'


def _hint_and_errors(field: forms.BoundField) -> str:
    """templates/forms/hint_and_errors.html: the hint, then each error (the first one named for aria-describedby)."""
    auto_id = escape(field.auto_id)
    parts = []
    if field.help_text:
        parts.append(f'<div id="{auto_id}_helptext" class="govuk-hint">{conditional_escape(field.help_text)}</div>')
    for index, error in enumerate(field.errors):
        named = f' id="{auto_id}-error"' if index == 0 else ""
        parts.append(
            f'<p{named} class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> '
            f"{conditional_escape(error)}</p>"
        )
    return "".join(parts)


def field_group_html(field: forms.BoundField) -> str | None:
    """templates/forms/field.html drawn in Python for a field with a label (a select, a text box) or a fieldset
    (radios, checkboxes, a date): a form of many fields (the tables' filters) otherwise pays for two template
    includes a field. None for a single checkbox (the template draws it)."""
    widget_type = field.widget_type
    if widget_type == "checkbox":
        return None
    auto_id, errors = escape(field.auto_id), field.errors
    group = "govuk-form-group govuk-form-group--error" if errors else "govuk-form-group"
    label = conditional_escape(field.label)
    if widget_type in FIELDSET_TYPES:
        role = ' role="group"' if widget_type == "date" else ""
        described = ""
        if field.help_text or errors:
            ids = (f"{auto_id}_helptext" if field.help_text else "") + (f" {auto_id}-error" if errors else "")
            described = f' aria-describedby="{ids}"'
        return (
            f'<div class="{group}"><fieldset class="govuk-fieldset"{role}{described}>'
            f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{label}</legend>'
            f"{_hint_and_errors(field)}{field}</fieldset></div>"
        )
    return (
        f'<div class="{group}"><label class="govuk-label govuk-label--s" for="{auto_id}">{label}</label>'
        f"{_hint_and_errors(field)}{field}</div>"
    )


class GovUKFormRenderer(TemplatesSetting):
    """Render every form and field with GOV.UK Frontend markup (templates/forms/ and the widget
    templates under templates/django/forms/widgets/). A field's group (`field.as_field_group`), a plain
    select and the date boxes are drawn in Python (`field_group_html`, `select_html`, `date_input_html`)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

    def render(self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
        drawn = None
        if template_name == SELECT_TEMPLATE:
            drawn = select_html(context["widget"])
        elif template_name == DATE_TEMPLATE:
            drawn = date_input_html(context["widget"])
        elif template_name == self.field_template_name:
            drawn = field_group_html(context["field"])
        if drawn is not None:
            return drawn
        return super().render(template_name, context, request=request)


WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "file": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "checkbox": "govuk-checkboxes__input",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovUKFormMixin:
    """Give each widget its GOV.UK class, and its error class when the field has an error."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # Not self[name]: that caches the bound field, and a subclass that changes a label or a hint
            # after this __init__ (ChoosePasswordForm does) would never see it rendered.
            widget_type = field.get_bound_field(self, name).widget_type  # type: ignore[arg-type]
            css = WIDGET_CLASSES.get(widget_type, "govuk-input")
            extra = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = f"{css} {extra}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:
                field, auto_id = self.fields[name], self[name].auto_id  # type: ignore[index]
                attrs = field.widget.attrs
                base = attrs["class"].split()[0]
                if base in ERROR_CLASSES and ERROR_CLASSES[base] not in attrs["class"]:
                    attrs["class"] += " " + ERROR_CLASSES[base]
                hint = f"{auto_id}_helptext" if field.help_text else ""
                attrs["aria-describedby"] = f"{hint} {auto_id}-error".strip()

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the error summary, in field order."""
        if not self.errors:  # type: ignore[attr-defined] # every page with a form asks; most have none
            return []
        items = [("", str(message)) for message in self.non_field_errors()]  # type: ignore[attr-defined]
        for name in self.fields:
            bound = self[name]  # type: ignore[index]
            anchor = bound.auto_id
            if bound.widget_type in {"radioselect", "checkboxselectmultiple", "date"}:
                anchor = f"{bound.auto_id}_0"  # the first radio, checkbox, or the day box
            items += [(anchor, str(message)) for message in bound.errors]
        return items


def email_field(*, required_message: str = "Enter your email address") -> forms.EmailField:
    """An email address field with GOV.UK's wording for its errors."""
    return forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": required_message,
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )


class SignInForm(GovUKFormMixin, AuthenticationForm):
    """Sign in with an email address, with GOV.UK error wording."""

    username = email_field()
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been deactivated. Ask your improvement lead for access",
    }


class ResetPasswordForm(GovUKFormMixin, PasswordResetForm):
    email = email_field()

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Queue our e-mail (templates/emails/password_reset.html), its link on SITE_URL rather than on the
        host the request named, sent by a job like every other."""
        path = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        email_queue(
            template="emails/password_reset.html",
            context={
                "email": to_email,
                "link": site_link(path),
                "expiry_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
            },
            to=[to_email],
        )


class ChoosePasswordForm(GovUKFormMixin, SetPasswordForm):
    error_messages = {"password_mismatch": "The two passwords do not match"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = ""
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm the new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


class DateInput(forms.MultiWidget):
    """GOV.UK's date input: day, month and year boxes in a fieldset."""

    template_name = "forms/widgets/date_input.html"
    parts = (("day", "govuk-input--width-2"), ("month", "govuk-input--width-2"), ("year", "govuk-input--width-4"))

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = {name: forms.TextInput(attrs={"inputmode": "numeric"}) for name, _ in self.parts}
        super().__init__(widgets, attrs)

    def decompress(self, value: dt.date | None) -> list[int | None]:
        return [value.day, value.month, value.year] if value else [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for subwidget, (part, width) in zip(context["widget"]["subwidgets"], self.parts, strict=True):
            css = subwidget["attrs"].get("class", "govuk-input")
            subwidget["attrs"]["class"] = f"{css} govuk-date-input__input {width}"
            subwidget["attrs"].pop("aria-describedby", None)  # the fieldset carries it
            subwidget["part"] = part.capitalize()
        return context


class DateField(forms.Field):
    """A date typed as day, month and year, with GOV.UK's error wording ("Due date must be a real date")."""

    widget = DateInput

    def __init__(self, *, name: str = "date", **kwargs: Any) -> None:
        self.name = name  # how errors refer to it, in lower case: "due date"
        kwargs.setdefault("help_text", "For example, 27 3 2021")
        messages = {"required": f"Enter the {name}", **kwargs.pop("error_messages", {})}
        super().__init__(error_messages=messages, **kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if not value or not any(str(part or "").strip() for part in value):
            return None
        day, month, year = (str(part or "").strip() for part in value)
        missing = [label for label, part in (("day", day), ("month", month), ("year", year)) if not part]
        subject = self.name[0].upper() + self.name[1:]
        if missing:
            raise forms.ValidationError(f"{subject} must include a {' and a '.join(missing)}", code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError(f"{subject} must be a real date", code="invalid")
        try:
            return dt.date(int(year), int(month), int(day))
        except (ValueError, OverflowError) as exc:
            raise forms.ValidationError(f"{subject} must be a real date", code="invalid") from exc


class PreferencesForm(GovUKFormMixin, forms.Form):
    """The reminders a person may turn off: the weekly digest and the LGA timetable's, both for leads."""

    LEAD_DIGEST, TIMETABLE = "lead_digest", "timetable"
    wanted = forms.MultipleChoiceField(
        label="Which optional emails do you want?",
        choices=[
            (
                LEAD_DIGEST,
                "A weekly summary of the open update round: how many updates are in, waiting for sign-off "
                "and missing (each Monday)",
            ),
            (TIMETABLE, "Reminders of the LGA timetable: when the action plan and the progress review are due"),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="These go to improvement leads. Select all that apply.",
        error_messages={"invalid_choice": "Select the emails you want from the list"},
    )

    @classmethod
    def initial_for(cls, user: Any) -> dict[str, list[str]]:
        wanted = [cls.LEAD_DIGEST] if user.wants_lead_digest else []
        return {"wanted": wanted + ([cls.TIMETABLE] if user.wants_timetable_reminders else [])}

    def choices_made(self) -> dict[str, bool]:
        wanted = self.cleaned_data["wanted"]
        return {"lead_digest": self.LEAD_DIGEST in wanted, "timetable": self.TIMETABLE in wanted}
