"""The engagement as it is, for the planner to match the rows against: its items with their positions today,
and the council's themes, directorates, possible owners and engagements, each by the key people mean."""

from dataclasses import dataclass

from django.db.models import Q

from recommendations import selectors
from recommendations.models import (
    Action,
    Directorate,
    Engagement,
    Membership,
    ProgressUpdate,
    Recommendation,
    Theme,
    User,
)
from recommendations.services.people import OWNER_ROLES

from .rows import reference_key


@dataclass
class Current:
    recommendations: dict[str, Recommendation]
    actions: dict[tuple[str, str], Action]
    themes: dict[str, Theme]
    directorates: dict[str, Directorate]
    owners: dict[str, User]
    engagements: dict[str, Engagement]  # the council's, by title
    progress_recorded: bool = False  # anyone has recorded progress on its items (imports' updates do not count)


def current_state(*, engagement: Engagement) -> Current:
    """The engagement's items today, with their positions (a handful of queries, whatever its size)."""
    recommendations = selectors.with_position_text(
        selectors.with_position(
            Recommendation.objects.filter(engagement=engagement).select_related("theme", "lead_directorate", "owner")
        ),
        as_at=selectors.local_today(),
        position_rag_reason="rag_reason",
    )
    by_reference = {reference_key(recommendation.reference): recommendation for recommendation in recommendations}
    actions = selectors.with_position(
        Action.objects.filter(recommendation__engagement=engagement).select_related("recommendation", "owner")
    )
    owners = Membership.objects.filter(
        council_id=engagement.council_id, is_active=True, user__is_active=True, role__in=OWNER_ROLES
    ).select_related("user")
    return Current(
        recommendations=by_reference,
        actions={
            (reference_key(action.recommendation.reference), reference_key(action.reference)): action
            for action in actions
        },
        themes={reference_key(theme.name): theme for theme in Theme.objects.filter(engagement=engagement)},
        directorates={
            reference_key(directorate.name): directorate
            for directorate in Directorate.objects.filter(council_id=engagement.council_id)
        },
        owners={membership.user.email.casefold(): membership.user for membership in owners},
        engagements={
            reference_key(other.title): other for other in Engagement.objects.filter(council_id=engagement.council_id)
        },
        progress_recorded=ProgressUpdate.objects.filter(
            Q(recommendation__engagement=engagement) | Q(action__recommendation__engagement=engagement)
        )
        .exclude(source=ProgressUpdate.Source.IMPORT)
        .exists(),
    )
