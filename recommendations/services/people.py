"""Writes about who belongs to which council, in which role."""

from recommendations.models import (
    Council,
    Membership,
    User,
)


def membership_set(*, council: Council, user: User, role: str) -> Membership:
    """Give the user the role in the council (creating or reactivating the membership)."""
    membership, _ = Membership.objects.update_or_create(
        council=council, user=user, defaults={"role": role, "is_active": True}
    )
    return membership
