"""Panel sessions, what reports quote, and reports, for platform staff. Published versions are read-only
here as everywhere (the database refuses changes too)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from recommendations.admin import CouncilDataAdmin, HistoryAdmin

from .models import Achievement, Finding, KeyFigure, NextStep, PanelSession, PublishedVersion, Quote, SummaryReport


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0


class NextStepInline(admin.TabularInline):
    model = NextStep
    extra = 0


@admin.register(PanelSession)
class PanelSessionAdmin(HistoryAdmin):
    list_display = ["__str__", "held_on", "mode"]
    list_filter = ["engagement__council", "mode"]
    list_select_related = ["engagement"]
    autocomplete_fields = ["engagement", "peers", "recommendations"]
    inlines = [FindingInline, NextStepInline]


@admin.register(Achievement)
class AchievementAdmin(HistoryAdmin):
    list_display = ["title", "council", "awarded_by", "awarded_on"]
    list_filter = ["council"]
    search_fields = ["title", "awarded_by"]


@admin.register(KeyFigure)
class KeyFigureAdmin(HistoryAdmin):
    list_display = ["label", "council", "value", "unit", "period", "reported_on", "formula"]
    list_filter = ["council"]
    search_fields = ["label", "key"]


@admin.register(Quote)
class QuoteAdmin(HistoryAdmin):
    list_display = ["who", "role", "council", "said_on", "occasion"]
    list_filter = ["council"]
    search_fields = ["who", "text"]


@admin.register(SummaryReport)
class SummaryReportAdmin(HistoryAdmin):
    list_display = ["title", "council", "session", "engagement", "created_at"]
    list_filter = ["council"]
    readonly_fields = ["created_at"]


@admin.register(PublishedVersion)
class PublishedVersionAdmin(CouncilDataAdmin):
    """Read-only: a published version is a record."""

    list_display = ["__str__", "published_at", "published_by", "data_as_at", "pdf_sha256"]
    list_select_related = ["report", "published_by"]
    exclude = ["html", "pdf"]
    readonly_fields = ["report", "number", "published_at", "published_by", "data_as_at", "html_sha256", "pdf_sha256"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PublishedVersion | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PublishedVersion | None = None) -> bool:
        return False
