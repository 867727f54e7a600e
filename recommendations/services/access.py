"""Who may write: the one check every service makes before it changes a council's plan."""

from django.core.exceptions import PermissionDenied

from recommendations import permissions
from recommendations.models import Membership, User


def require_plan_manager(by: User, council_id: int, *, to: str = "change the plan") -> Membership:
    """The user's membership if they are an active improvement lead of the council; else PermissionDenied
    ("Only an improvement lead of this council can <to>")."""
    membership = Membership.objects.filter(user=by, council_id=council_id, is_active=True).first()
    if membership is None or not by.is_active or not permissions.can_manage_plan(membership):
        raise PermissionDenied(f"Only an improvement lead of this council can {to}")
    return membership
