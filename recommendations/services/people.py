"""Writes about who belongs to which council, in which role: invitations, roles, leavers, new councils.

Invitations carry a one-time link to set a password (Django's password-reset token: it stops working once
the password is set, because the token is a hash over the password, and it expires after
PASSWORD_RESET_TIMEOUT). E-mails go once the transaction that caused them has committed.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from councilimprove.mail import email_queue, site_link
from recommendations import permissions
from recommendations.models import (
    Action,
    Council,
    Membership,
    Recommendation,
    User,
)

from .access import require_plan_manager
from .history import council_changed, save_with_history

Role = Membership.Role

# Who may take over a leaver's recommendations and actions: someone who can record progress on them.
OWNER_ROLES = (Role.OFFICER, Role.LEAD)


def membership_set(*, council: Council, user: User, role: str) -> Membership:
    """Give the user the role in the council (creating or reactivating the membership)."""
    membership, _ = Membership.objects.update_or_create(
        council=council, user=user, defaults={"role": role, "is_active": True}
    )
    return membership


# --- rules ---------------------------------------------------------------------------------------


def _require_people_manager(by: User, council: Council) -> Membership:
    membership = Membership.objects.filter(user=by, council=council, is_active=True).first()
    if membership is None or not by.is_active or not permissions.can_manage_people(membership):
        raise PermissionDenied("Only an improvement lead of this council can manage its people")
    return membership


def _other_active_leads(membership: Membership) -> bool:
    """Whether the council keeps an active lead without this membership. Locks the council's row first,
    so two leads demoting each other at the same moment cannot leave it with none."""
    Council.objects.select_for_update().filter(pk=membership.council_id).first()
    return Membership.objects.active_leads(membership.council_id).exclude(pk=membership.pk).exists()


def _is_active_lead(membership: Membership) -> bool:
    return membership.is_active and membership.role == Role.LEAD


def invitee_validate(*, email: str) -> str:
    """The address normalised, or a ValidationError (on `email`) saying why nobody can be invited with it."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": "Enter an email address in the correct format, like name@example.gov.uk"}
        ) from exc
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and not existing.is_active:
        raise ValidationError({"email": f"The account for {email} has been closed. Ask platform staff to reopen it"})
    return email.lower()


# --- invitations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Invitation:
    membership: Membership
    by: User | None


def invitation_expiry_days() -> int:
    """How long an invitation's link works, in whole days (PASSWORD_RESET_TIMEOUT)."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))


def _send_invitation(invitation: _Invitation) -> None:
    """Queue the invitation e-mail: a one-time link to set a password for someone who has none yet, or a
    link to sign in for someone who already uses the service."""
    membership, user = invitation.membership, invitation.membership.user
    context: dict[str, object] = {
        "user": user,
        "council": membership.council,
        "role": membership.get_role_display(),
        "invited_by": invitation.by,
        "expiry_days": invitation_expiry_days(),
    }
    if user.has_usable_password():
        context["sign_in_link"] = site_link(reverse("login"))
    else:
        uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        context["set_password_link"] = site_link(reverse("invite_accept", args=[uidb64, token]))
    email_queue(template="emails/invitation.html", context=context, to=[user.email])


def _invite(
    *, council: Council, email: str, first_name: str, last_name: str, role: str, by: User | None, at: dt.datetime
) -> Membership:
    """Add the person to the council (creating their account, or reactivating their membership) and e-mail
    them. No permission check: callers check it (a lead of the council, or platform staff)."""
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role"})
    email = invitee_validate(email=email)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        first_name, last_name = first_name.strip(), last_name.strip()
        if not first_name:
            raise ValidationError({"first_name": "Enter their first name"})
        if not last_name:
            raise ValidationError({"last_name": "Enter their last name"})
        # No password: they choose one through the invitation's one-time link.
        user = User.objects.create_user(email, password=None, first_name=first_name, last_name=last_name)
    membership = Membership.objects.filter(user=user, council=council).first()
    if membership is not None and membership.is_active:
        raise ValidationError({"email": f"{email} is already a member of {council.name}"})
    if membership is None:
        membership = Membership(user=user, council=council)
    membership.role, membership.is_active = role, True
    save_with_history(membership, by=by, at=at)
    _send_invitation(_Invitation(membership=membership, by=by))
    return membership


@transaction.atomic
def member_invite(
    *,
    council: Council,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    by: User,
    at: dt.datetime | None = None,
) -> Membership:
    """A lead invites someone to the council with a role. A new person gets an account without a password
    and an e-mail with a one-time link to choose one; someone who already has an account (any council) is
    added, or has their old membership reactivated, and is told to sign in. Their name is kept as they
    have it. An active member is refused."""
    _require_people_manager(by, council)
    return _invite(
        council=council,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        by=by,
        at=at or timezone.now(),
    )


def member_invite_resend(*, membership: Membership, by: User) -> Membership:
    """Send the invitation again, with a fresh link, to a member who has not set a password yet (their
    link expired or was lost: the forgotten-password page does not serve accounts without a password)."""
    _require_people_manager(by, membership.council)
    if not membership.is_active:
        raise ValidationError(f"{membership.user} no longer has access. Invite them again to give it back")
    if membership.user.has_usable_password():
        raise ValidationError(f"{membership.user} has set a password already and can sign in")
    _send_invitation(_Invitation(membership=membership, by=by))
    return membership


# --- roles and leavers ---------------------------------------------------------------------------


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, by: User, at: dt.datetime | None = None) -> Membership:
    """Change a member's role. The council's last active lead cannot be made anything else."""
    _require_people_manager(by, membership.council)
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role"})
    if not membership.is_active:
        raise ValidationError(f"{membership.user} no longer has access. Invite them again to give it back")
    if role == membership.role:
        return membership
    if _is_active_lead(membership) and not _other_active_leads(membership):
        raise ValidationError(
            {"role": f"{membership.user} is the council's only improvement lead. Make someone else a lead first"}
        )
    membership.role = role
    save_with_history(membership, by=by, at=at or timezone.now())
    return membership


@dataclass(frozen=True)
class Handover:
    """What a leaver's deactivation moved: their recommendations and actions in the council, to whom."""

    membership: Membership
    reassign_to: User | None
    recommendations: int
    actions: int


def reassign_candidates(*, council: Council, leaver: Membership | None = None) -> list[Membership]:
    """Members who may take over a leaver's items: active officers and leads with an active account."""
    queryset = Membership.objects.filter(
        council=council, is_active=True, user__is_active=True, role__in=OWNER_ROLES
    ).select_related("user")
    if leaver is not None:
        queryset = queryset.exclude(pk=leaver.pk)
    return list(queryset.order_by("user__first_name", "user__last_name", "user__email"))


@transaction.atomic
def membership_deactivate(
    *, membership: Membership, by: User, reassign_to: User | None, at: dt.datetime | None = None
) -> Handover:
    """Take a leaver's access to the council away and hand what they own in it to `reassign_to`.

    The account and the history stay (their name stays on the updates they wrote and the reviews they
    did). Every recommendation and action they own in this council moves to `reassign_to`, who must be an
    active officer or lead of the same council; each move is saved with its history, so the record says
    who changed the owner, and when. Their own drafts and submitted updates stay as they are: a lead can
    still approve or return what they submitted; their drafts are visible to nobody.
    The council's last active lead cannot be deactivated.
    """
    council = membership.council
    _require_people_manager(by, council)
    at = at or timezone.now()
    if not membership.is_active:
        raise ValidationError(f"{membership.user} no longer has access to {council.name}")
    if _is_active_lead(membership) and not _other_active_leads(membership):
        raise ValidationError(
            f"{membership.user} is the council's only improvement lead. Make someone else a lead first"
        )
    leaver = membership.user
    recommendations = list(
        Recommendation.objects.select_for_update().filter(owner=leaver, engagement__council=council).order_by("pk")
    )
    actions = list(
        Action.objects.select_for_update()
        .filter(owner=leaver, recommendation__engagement__council=council)
        .order_by("pk")
    )
    if reassign_to is not None:
        allowed = {m.user_id for m in reassign_candidates(council=council, leaver=membership)}
        if reassign_to.pk not in allowed:
            raise ValidationError(
                {"reassign_to": f"Choose an officer or improvement lead of {council.name} who still has access"}
            )
    elif recommendations or actions:
        raise ValidationError({"reassign_to": "Choose who takes over their recommendations and actions"})
    for item in [*recommendations, *actions]:
        item.owner = reassign_to
        save_with_history(item, by=by, at=at)  # raises the version: an edit form opened before is refused
    membership.is_active = False
    save_with_history(membership, by=by, at=at)
    return Handover(
        membership=membership, reassign_to=reassign_to, recommendations=len(recommendations), actions=len(actions)
    )


# --- councils (platform staff) -------------------------------------------------------------------


@transaction.atomic
def council_create(
    *,
    name: str,
    slug: str,
    kind: str,
    region: str = "",
    first_lead_email: str,
    first_lead_first_name: str,
    first_lead_last_name: str,
    by: User,
    at: dt.datetime | None = None,
) -> Council:
    """Platform staff add a council and invite its first improvement lead, who then invites everyone else."""
    if not (by.is_active and by.is_staff):
        raise PermissionDenied("Only platform staff can add a council")
    at = at or timezone.now()
    council = Council(name=name.strip(), slug=slug.strip(), kind=kind, region=region.strip())
    save_with_history(council, by=by, at=at)
    _invite(
        council=council,
        email=first_lead_email,
        first_name=first_lead_first_name,
        last_name=first_lead_last_name,
        role=Role.LEAD,
        by=by,
        at=at,
    )
    return council


@transaction.atomic
def council_settings_update(
    *, council: Council, by: User, update_interval_months: int, reminder_days_before_due: int | None = None
) -> Council:
    """A lead sets how often progress is expected on each open item (1 to 24 months) and how many days before
    an update round's due date owners are reminded (1 to 30). What is flagged for no recent update depends on
    the first, so the council's data version is raised (the dashboard is cached by it)."""
    require_plan_manager(by, council.pk, to="change the council's settings")
    errors = {}
    if not 1 <= update_interval_months <= 24:
        errors["update_interval_months"] = "Enter a number of months from 1 to 24"
    if reminder_days_before_due is not None and not 1 <= reminder_days_before_due <= 30:
        errors["reminder_days_before_due"] = "Enter a number of days from 1 to 30"
    if errors:
        raise ValidationError(errors)
    council.update_interval_months = update_interval_months
    fields = ["update_interval_months"]
    if reminder_days_before_due is not None:
        council.reminder_days_before_due = reminder_days_before_due
        fields.append("reminder_days_before_due")
    council.save(update_fields=fields)
    council_changed(council_id=council.pk)
    return council
