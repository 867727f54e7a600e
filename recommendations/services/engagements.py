"""Writes about engagements (peer challenges and return visits): their dates, themes and peer team."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from recommendations.models import Council, Engagement, EngagementKind, Peer, Recommendation, Theme, User

from .access import require_plan_manager
from .history import council_changed, save_with_history

# Today's five core components of an LGA Corporate Peer Challenge: offered as a new engagement's themes.
CPC_CORE_COMPONENTS = (
    "Local priorities and outcomes",
    "Organisational and place leadership",
    "Governance and culture",
    "Financial planning and management",
    "Capacity for improvement",
)

ENGAGEMENT_FIELDS = frozenset(
    {
        "title",
        "kind",
        "parent",
        "mode",
        "first_onsite_day",
        "last_onsite_day",
        "report_received",
        "report_published",
        "action_plan_published",
        "report_url",
    }
)


def _check(engagement: Engagement) -> None:
    """The rules a lead can break in a form, each as an error on its field, before the database's."""
    errors: dict[str, str] = {}
    if not engagement.title.strip():
        errors["title"] = "Enter a title"
    first, last = engagement.first_onsite_day, engagement.last_onsite_day
    if first and last and last < first:
        errors["last_onsite_day"] = "The last day of the visit must be the same as or after the first day"
    if engagement.report_published and last and engagement.report_published < last:
        errors["report_published"] = "The report cannot be published before the last day of the visit"
    parent = engagement.parent
    if parent is not None:
        if parent.council_id != engagement.council_id:
            errors["parent"] = "Choose a peer challenge of this council"
        else:
            seen = set()
            while parent is not None and parent.pk not in seen:
                if engagement.pk is not None and parent.pk == engagement.pk:
                    errors["parent"] = "An engagement cannot belong to itself or to one of its return visits"
                    break
                seen.add(parent.pk)
                parent = parent.parent
    if errors:
        raise ValidationError(errors)


def _all_errors(*steps: Callable[[], object]) -> None:
    """Run every step, then raise all their field errors together (the form shows them all at once)."""
    errors: dict[str, list[ValidationError]] = {}
    for step in steps:
        try:
            step()
        except ValidationError as error:
            error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _clean_names(names: list[str]) -> list[str]:
    return [" ".join(name.split()) for name in names if name.strip()]


def _check_names_unique(names: list[str], field: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            raise ValidationError({field: f"Theme names must be different: “{name}” appears twice"})
        seen.add(name.casefold())


@transaction.atomic
def engagement_create(
    *,
    council: Council,
    by: User,
    title: str,
    kind: EngagementKind,
    themes: list[str] = (),  # type: ignore[assignment]
    at: dt.datetime | None = None,
    **fields: Any,
) -> Engagement:
    """A lead records a peer challenge or return visit, with its themes in the order given."""
    require_plan_manager(by, council.pk, to="change its engagements")
    unknown = set(fields) - ENGAGEMENT_FIELDS
    if unknown:
        raise ValueError(f"Not a field a lead sets: {sorted(unknown)}")
    at = at or timezone.now()
    engagement = Engagement(council=council, title=title.strip(), kind=kind, **fields)
    names = _clean_names(list(themes))
    _all_errors(lambda: _check(engagement), lambda: _check_names_unique(names, "themes"))
    save_with_history(engagement, by=by, at=at)
    Theme.objects.bulk_create(
        [Theme(engagement=engagement, name=name, position=position) for position, name in enumerate(names)]
    )
    return engagement


@transaction.atomic
def engagement_update(
    *,
    engagement: Engagement,
    by: User,
    themes: list[tuple[int | None, str]] | None = None,
    at: dt.datetime | None = None,
    **changes: Any,
) -> Engagement:
    """A lead's edit of an engagement; `themes` (if given) as theme_set takes them."""
    require_plan_manager(by, engagement.council_id, to="change its engagements")
    unknown = set(changes) - ENGAGEMENT_FIELDS
    if unknown:
        raise ValueError(f"Not a field a lead sets: {sorted(unknown)}")
    at = at or timezone.now()
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    changed = {name: value for name, value in changes.items() if getattr(engagement, name) != value}
    for name, value in changed.items():
        setattr(engagement, name, value)
    steps = [lambda: _check(engagement)]
    if themes is not None:
        steps.append(lambda: theme_set(engagement=engagement, by=by, themes=themes))
    _all_errors(*steps)  # the themes are written only if every rule holds (else the transaction rolls back)
    if changed:
        save_with_history(engagement, by=by, at=at)
    return engagement


@transaction.atomic
def theme_set(*, engagement: Engagement, by: User, themes: list[tuple[int | None, str]]) -> list[Theme]:
    """Make the engagement's themes the given list, in order: (id, name) keeps (and renames) an existing
    theme, so its recommendations stay with it; (None, name) adds one; a theme left out is removed, which
    is refused while recommendations use it (they would lose their theme)."""
    require_plan_manager(by, engagement.council_id, to="change its engagements")
    existing = {theme.pk: theme for theme in engagement.themes.select_for_update()}
    wanted = [(pk, " ".join(name.split())) for pk, name in themes if name.strip()]
    errors: list[ValidationError] = []
    for pk, _name in wanted:
        if pk is not None and pk not in existing:
            raise ValidationError({"themes": "Choose a theme of this engagement"})
    _check_names_unique([name for _pk, name in wanted], "themes")
    kept = {pk for pk, _name in wanted if pk is not None}
    removed = [theme for pk, theme in existing.items() if pk not in kept]
    in_use: dict[int, list[str]] = {}
    used = Recommendation.objects.filter(theme__in=removed).order_by("position", "reference")
    for theme_id, reference in used.values_list("theme_id", "reference"):
        in_use.setdefault(theme_id, []).append(reference)
    for theme in removed:
        if theme.pk in in_use:
            errors.append(
                ValidationError(
                    "You cannot remove the theme “%(name)s” because %(references)s use it: "
                    "choose another theme for them first",
                    code="theme_in_use",
                    params={"name": theme.name, "references": ", ".join(in_use[theme.pk]), "theme_id": theme.pk},
                )
            )
    if errors:
        raise ValidationError({"themes": errors})
    Theme.objects.filter(pk__in=[theme.pk for theme in removed]).delete()
    # Renames may swap names, which the unique constraint would refuse mid-way: park them first.
    renamed = [(pk, name) for pk, name in wanted if pk is not None and existing[pk].name != name]
    for pk, _name in renamed:
        Theme.objects.filter(pk=pk).update(name=f"(renaming {pk})")
    result = []
    for position, (pk, name) in enumerate(wanted):
        if pk is None:
            theme = Theme(engagement=engagement, name=name, position=position)
        else:
            theme = existing[pk]
            theme.name, theme.position = name, position
        theme.full_clean(exclude=["engagement"])
        theme.save()
        result.append(theme)
    council_changed(council_id=engagement.council_id)
    return result


@transaction.atomic
def peer_add(*, engagement: Engagement, by: User, name: str, role: str, organisation: str = "") -> Peer:
    """Add a member to the engagement's peer team. A peer already on another of this council's
    engagements (same name, role and organisation) is reused rather than copied."""
    require_plan_manager(by, engagement.council_id, to="change its engagements")
    name, organisation = " ".join(name.split()), " ".join(organisation.split())
    peer = Peer.objects.filter(
        engagements__council=engagement.council, name__iexact=name, role=role, organisation__iexact=organisation
    ).first()
    if peer is None:
        peer = Peer(name=name, role=role, organisation=organisation)
        peer.full_clean()
        peer.save()
    engagement.peers.add(peer)
    return peer


@transaction.atomic
def peer_remove(*, engagement: Engagement, by: User, peer: Peer) -> None:
    """Take a peer off the engagement's team (they stay on any other engagement)."""
    require_plan_manager(by, engagement.council_id, to="change its engagements")
    if not engagement.peers.filter(pk=peer.pk).exists():
        raise ValidationError("That peer is not on this engagement's team")
    engagement.peers.remove(peer)
