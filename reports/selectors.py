"""Reads of panel sessions and reports, scoped to the user's councils as every read is
(recommendations/selectors/): anything outside them answers 404."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from recommendations.models import Peer, Recommendation, User
from recommendations.selectors import get_or_404, membership_get

from .models import Finding, NextStep, PanelSession, PublishedVersion, SummaryReport


def sessions_for(*, user: User, council_slug: str) -> QuerySet[PanelSession]:
    """The council's panel sessions, earliest first, with their engagement."""
    membership = membership_get(user=user, council_slug=council_slug)
    return (
        PanelSession.objects.filter(engagement__council=membership.council)
        .select_related("engagement__kind", "engagement__parent")
        .order_by("held_on", "pk")
    )


def session_get(*, user: User, council_slug: str, pk: int) -> PanelSession:
    """One session with its peers, recommendations discussed, findings and next steps, or 404."""
    queryset = sessions_for(user=user, council_slug=council_slug).prefetch_related(
        Prefetch("peers", queryset=Peer.objects.order_by("name", "pk")),
        Prefetch("recommendations", queryset=Recommendation.objects.order_by("position", "reference", "pk")),
        Prefetch("findings", queryset=Finding.objects.order_by("position", "pk")),
        Prefetch("next_steps", queryset=NextStep.objects.order_by("position", "pk")),
    )
    return get_or_404(queryset, pk=pk)


def reports_for(*, user: User, council_slug: str) -> QuerySet[SummaryReport]:
    membership = membership_get(user=user, council_slug=council_slug)
    return SummaryReport.objects.filter(council=membership.council).select_related(
        "council", "session__engagement__kind", "engagement__kind"
    )


def report_get(*, user: User, council_slug: str, pk: int) -> SummaryReport:
    return get_or_404(reports_for(user=user, council_slug=council_slug), pk=pk)


def versions_of(*, report: SummaryReport) -> QuerySet[PublishedVersion]:
    """A report's published versions, newest first, without their stored bytes (the report was reached
    through a scoped selector)."""
    return (
        PublishedVersion.objects.filter(report=report)
        .select_related("published_by")
        .defer("html", "pdf")
        .order_by("-number")
    )


def version_get(*, report: SummaryReport, number: int) -> PublishedVersion:
    return get_or_404(PublishedVersion.objects.filter(report=report), number=number)


def version_html(*, version: PublishedVersion) -> str:
    """The stored HTML of a published version (listed without it by `versions_of`)."""
    return PublishedVersion.objects.values_list("html", flat=True).get(pk=version.pk)


def reports_of_session(*, session: PanelSession, published_only: bool) -> QuerySet[SummaryReport]:
    """A session's summary reports, oldest first, each marked `published` if it has a published version;
    only those when `published_only` (the session was reached through a scoped selector)."""
    reports = session.summary_reports.annotate(
        published=Exists(PublishedVersion.objects.filter(report=OuterRef("pk")))
    ).order_by("created_at", "pk")
    return reports.filter(published=True) if published_only else reports
