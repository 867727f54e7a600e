"""Writes. Every rule about what may change lives here (and, for approved updates, in the database too).

Services are plain functions, keyword-only and typed, named `<entity>_<verb>`, split by resource. Those
that write history take the moment as `at`, so the demo can record 2019–2021 with real dates.
"""

from .people import membership_set
from .plan import action_create, due_date_move, recommendation_create
from .progress import update_approve, update_create, update_record, update_return, update_submit

__all__ = [
    "action_create",
    "due_date_move",
    "membership_set",
    "recommendation_create",
    "update_approve",
    "update_create",
    "update_record",
    "update_return",
    "update_submit",
]
