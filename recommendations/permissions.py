"""Who may do what within a council (DESIGN.md §2). Reads are scoped by the selectors; these rules say
what a member may change. Services call them, so no path can go round them; views call them to decide
what to offer."""

from .models import Item, Membership

Role = Membership.Role


def is_lead(membership: Membership) -> bool:
    """Improvement leads do everything in their council."""
    return membership.is_active and membership.role == Role.LEAD


def can_record_progress(membership: Membership, item: Item) -> bool:
    """Officers record progress on what they own; leads on anything in their council."""
    if is_lead(membership):
        return True
    return membership.is_active and membership.role == Role.OFFICER and item.owner_id == membership.user_id


def can_review(membership: Membership) -> bool:
    return is_lead(membership)


def can_manage_plan(membership: Membership) -> bool:
    """Set up engagements, recommendations and actions; assign owners; move dates; change status directly."""
    return is_lead(membership)


def can_manage_people(membership: Membership) -> bool:
    return is_lead(membership)


def can_see_internal_evidence(membership: Membership) -> bool:
    return membership.is_active and membership.role != Role.ADVISER
