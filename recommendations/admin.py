"""The admin is for platform staff: councils, people and reference data, with history on every record.

Approved progress updates are read-only here as everywhere (the database refuses changes too).
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    Action,
    Council,
    Directorate,
    DueDateChange,
    Engagement,
    EngagementKind,
    Evidence,
    Membership,
    Peer,
    ProgressUpdate,
    Recommendation,
    Reminder,
    RoundItem,
    StorageUse,
    Theme,
    UpdateRound,
    User,
    storage_used,
)
from .models.plan import POSITION_FIELDS
from .services import people
from .services.history import council_changed, council_id_of


def _councils_of(obj: Any) -> set[int]:
    """The councils whose data an admin change of `obj` touches (reference data: every council using it)."""
    if isinstance(obj, User):
        return set(obj.memberships.values_list("council_id", flat=True))
    if isinstance(obj, EngagementKind | Peer):
        return set(obj.engagements.values_list("council_id", flat=True))
    council_id = council_id_of(obj)
    return set() if council_id is None else {council_id}


class CouncilDataAdmin(admin.ModelAdmin):
    """Every change made here raises the data version of the councils it touches, in the same transaction
    (the admin wraps each change in one), so nothing cached about them is read after it."""

    def _changed(self, *objects: Any) -> None:
        for council_id in set().union(*(_councils_of(obj) for obj in objects)):
            council_changed(council_id=council_id)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = _councils_of(type(obj).objects.get(pk=obj.pk)) if change else set()
        super().save_model(request, obj, form, change)
        for council_id in before:  # a record moved to another council changes both
            council_changed(council_id=council_id)
        self._changed(obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        self._changed(form.instance)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        councils = _councils_of(obj)
        super().delete_model(request, obj)
        for council_id in councils:
            council_changed(council_id=council_id)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        councils = set().union(set(), *(_councils_of(obj) for obj in queryset))
        super().delete_queryset(request, queryset)
        for council_id in councils:
            council_changed(council_id=council_id)


class HistoryAdmin(CouncilDataAdmin, SimpleHistoryAdmin):
    """Council data with django-simple-history's history pages."""


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(CouncilDataAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "memberships__council", "memberships__role"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal details", {"fields": ("first_name", "last_name", "job_title")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [MembershipInline]


class CouncilAddForm(forms.ModelForm):
    """A new council comes with its first improvement lead, who is invited by e-mail and then invites
    everyone else from the council's People page."""

    first_lead_first_name = forms.CharField(label="First name", max_length=150)
    first_lead_last_name = forms.CharField(label="Last name", max_length=150)
    first_lead_email = forms.EmailField(label="Email address", max_length=254)

    class Meta:
        model = Council
        fields = ["name", "slug", "kind", "region"]

    def clean_first_lead_email(self) -> str:
        try:
            return people.invitee_validate(email=self.cleaned_data["first_lead_email"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["email"]) from exc


@admin.register(Council)
class CouncilAdmin(HistoryAdmin):
    list_display = ["name", "slug", "kind", "region", "storage"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["storage"]

    def get_queryset(self, request: HttpRequest) -> Any:
        """Each council with what its files take up, summed in the list's own query (none per council)."""
        return super().get_queryset(request).annotate(storage_used=storage_used())

    @admin.display(description="Evidence storage", ordering="storage_used")
    def storage(self, obj: Council) -> str:
        """Its evidence files and staged uploads, beside the quota (COUNCIL_STORAGE_QUOTA_MB)."""
        used = getattr(obj, "storage_used", None)
        if used is None:
            return "–"  # a council being added has none
        return str(StorageUse(council=obj.name, used=used))

    inlines = [MembershipInline]
    add_form = CouncilAddForm
    add_fieldsets = (
        (None, {"fields": ["name", "slug", "kind", "region"]}),
        (
            "First improvement lead",
            {
                "description": "They are e-mailed a link to set their password, then invite the council's people.",
                "fields": ["first_lead_first_name", "first_lead_last_name", "first_lead_email"],
            },
        ),
    )

    def get_fieldsets(self, request: HttpRequest, obj: Council | None = None) -> Any:
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_form(self, request: HttpRequest, obj: Council | None = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_inlines(self, request: HttpRequest, obj: Council | None) -> list[Any]:
        return [] if obj is None else list(self.inlines)

    def save_model(self, request: HttpRequest, obj: Council, form: forms.ModelForm, change: bool) -> None:
        """An addition goes through the service, which also invites the first lead. A change saves only the
        fields staff edit, never the data version loaded with the form (an older one would let a cached copy
        made before a later write be read again)."""
        if change:
            obj.save(
                update_fields=["name", "slug", "kind", "region", "update_interval_months", "reminder_days_before_due"]
            )
            council_changed(council_id=obj.pk)
            return
        data = form.cleaned_data
        council = services.council_create(
            name=data["name"],
            slug=data["slug"],
            kind=data["kind"],
            region=data["region"],
            first_lead_email=data["first_lead_email"],
            first_lead_first_name=data["first_lead_first_name"],
            first_lead_last_name=data["first_lead_last_name"],
            by=request.user,
        )
        obj.pk, obj._state.adding, obj._state.db = council.pk, False, council._state.db
        self.message_user(request, f"An invitation has been sent to {data['first_lead_email']}")


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["user", "council", "role", "is_active"]
    list_filter = ["role", "is_active", "council"]
    search_fields = ["user__email", "council__name"]
    autocomplete_fields = ["user", "council"]


@admin.register(Directorate)
class DirectorateAdmin(CouncilDataAdmin):
    list_display = ["name", "council"]
    list_filter = ["council"]
    search_fields = ["name"]


@admin.register(EngagementKind)
class EngagementKindAdmin(CouncilDataAdmin):
    list_display = ["name", "slug", "is_peer_challenge", "is_progress_review", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Peer)
class PeerAdmin(CouncilDataAdmin):
    list_display = ["name", "role", "organisation"]
    list_filter = ["role"]
    search_fields = ["name", "organisation"]


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Theme)
class ThemeAdmin(CouncilDataAdmin):
    list_display = ["name", "engagement", "position"]
    list_filter = ["engagement__council"]
    search_fields = ["name", "engagement__title"]


@admin.register(Engagement)
class EngagementAdmin(HistoryAdmin):
    list_display = ["title", "council", "kind", "mode", "first_onsite_day", "last_onsite_day", "parent"]
    list_filter = ["kind", "mode", "council"]
    search_fields = ["title", "council__name"]
    date_hierarchy = "first_onsite_day"
    autocomplete_fields = ["council", "parent", "peers"]
    inlines = [ThemeInline]


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = ["reference", "description", "owner", "baseline_due_date", "due_date", "percent_complete", "status", "rag"]
    # The position moves only with an approved update (services.positions_refresh writes it).
    readonly_fields = ["baseline_due_date", "due_date", "percent_complete", "status", "rag"]
    autocomplete_fields = ["owner"]
    show_change_link = True


@admin.register(Recommendation)
class RecommendationAdmin(HistoryAdmin):
    list_display = ["reference", "heading", "engagement", "theme", "owner", "due_date", "status", "rag"]
    list_filter = ["engagement__council", "engagement", "kind", "theme"]
    search_fields = ["reference", "heading", "text"]
    list_select_related = ["engagement", "theme", "owner"]
    autocomplete_fields = ["engagement", "owner", "theme", "lead_directorate"]
    # Due dates move only with a reason, through the service that records the move; the position (status,
    # RAG and the update they come from) only with an approved update.
    readonly_fields = ["baseline_due_date", "due_date", "created_at", *POSITION_FIELDS]
    inlines = [ActionInline]

    def save_model(self, request: HttpRequest, obj: Recommendation, form: Any, change: bool) -> None:
        if change:
            obj.version += 1  # an edit form opened in the service before this is refused
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for action in formset.save(commit=False):
            if action.pk is not None:
                action.version += 1
            action.save()
        for action in formset.deleted_objects:
            action.delete()
        formset.save_m2m()


@admin.register(Action)
class ActionAdmin(HistoryAdmin):
    list_display = [
        "reference",
        "recommendation",
        "owner",
        "baseline_due_date",
        "due_date",
        "percent_complete",
        "status",
        "rag",
    ]
    list_filter = ["recommendation__engagement__council", "recommendation__engagement"]
    search_fields = ["reference", "description", "recommendation__reference"]
    list_select_related = ["recommendation", "owner"]
    autocomplete_fields = ["recommendation", "owner"]
    readonly_fields = ["baseline_due_date", "due_date", "created_at", "percent_complete", *POSITION_FIELDS]

    def save_model(self, request: HttpRequest, obj: Action, form: Any, change: bool) -> None:
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(DueDateChange)
class DueDateChangeAdmin(CouncilDataAdmin):
    list_display = ["__str__", "recommendation", "action", "changed_by", "changed_at"]
    list_select_related = ["recommendation", "action", "changed_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: DueDateChange | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: DueDateChange | None = None) -> bool:
        return False


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(CouncilDataAdmin):
    list_display = ["__str__", "author", "status", "rag", "review_state", "source", "approved_at"]
    list_filter = ["review_state", "status", "rag", "source", "recommendation__engagement__council"]
    search_fields = ["narrative", "recommendation__reference", "action__reference"]
    list_select_related = ["recommendation", "action", "author"]
    date_hierarchy = "created_at"
    raw_id_fields = ["recommendation", "action", "author", "reviewer"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete could include approved updates
        return actions

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # updates are recorded by their owners and signed off by leads, in the service

    def has_change_permission(self, request: HttpRequest, obj: ProgressUpdate | None = None) -> bool:
        if obj is not None and obj.is_approved:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ProgressUpdate | None = None) -> bool:
        if obj is not None and obj.is_approved:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Evidence)
class EvidenceAdmin(HistoryAdmin):
    list_display = ["title", "council", "kind", "internal", "original_filename", "created_at"]
    list_filter = ["kind", "internal", "council"]
    search_fields = ["title", "original_filename", "reference"]
    readonly_fields = ["file", "original_filename", "content_type", "size", "sha256", "created_at"]
    filter_horizontal = ["recommendations", "actions"]
    exclude = ["updates"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """History that is not edited by hand: staff read it; the services alone write it."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RoundItemInline(admin.TabularInline):
    model = RoundItem
    fields = ["recommendation", "action", "outcome", "update"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("recommendation", "action", "update")


@admin.register(UpdateRound)
class UpdateRoundAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "council", "engagement", "due_date", "opened_at", "closed_at"]
    list_filter = ["council"]
    list_select_related = ["council", "engagement"]
    date_hierarchy = "opened_at"
    inlines = [RoundItemInline]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "recipient", "round", "engagement", "due_on", "state", "sent_at", "attempts"]
    list_filter = ["kind", "state"]
    list_select_related = ["recipient", "round__council", "engagement"]
    search_fields = ["recipient__email"]
    date_hierarchy = "due_on"
