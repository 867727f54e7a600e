"""Borsetshire County Council: fictional, so that the separation between councils is visible."""

from typing import Any

from recommendations.models import (
    Council,
    Engagement,
    Peer,
)

from .common import (
    AMBER,
    ANOTHER_COUNCIL,
    CPC_COMPONENTS_CURRENT,
    IN_PROGRESS,
    LGA,
)

BORSETSHIRE: dict[str, Any] = {
    "council": {
        "name": "Borsetshire County Council",
        "slug": "borsetshire",
        "kind": Council.Kind.COUNTY,
        "region": "West Midlands",
    },
    "directorates": ["Finance", "Transformation", "Democratic Services"],
    "source_note": "A fictional council, for the demo.",
    "peers": [
        ("lead_peer", Peer.Role.LEAD_PEER, "Lead peer (illustrative)", ANOTHER_COUNCIL),
        ("manager", Peer.Role.CHALLENGE_MANAGER, "Peer challenge manager (illustrative)", LGA),
    ],
    "engagements": [
        {
            "key": "cpc",
            "kind": "corporate-peer-challenge",
            "title": "Corporate Peer Challenge 2024",
            "mode": Engagement.Mode.ONSITE,
            "first_onsite_day": "2024-11-05",
            "last_onsite_day": "2024-11-08",
            "report_received": "2025-01-20",
            "report_published": "2025-02-12",
            "action_plan_published": "2025-03-19",
            "peers": ["lead_peer", "manager"],
            "themes": CPC_COMPONENTS_CURRENT,
            "created": "2024-10-01 09:00",
        },
    ],
    "plan_created": "2025-03-19 10:00",
    "recommendations": [
        {
            "engagement": "cpc",
            "reference": "1",
            "heading": "Medium-term financial plan",
            "text": (
                "Close the gap in the medium-term financial plan with savings that directorates own and that are "
                "tracked every month."
            ),
            "theme": "Financial planning and management",
            "directorate": "Finance",
            "owner": "b_officer",
            "lead_member": "Cabinet Member for Finance",
            "due_date": "2026-03-31",
            "actions": [
                {
                    "reference": "1.1",
                    "description": "Agree savings targets with each directorate.",
                    "owner": "b_officer",
                    "start_date": "2025-04-01",
                    "due_date": "2025-09-30",
                },
                {
                    "reference": "1.2",
                    "description": "Report savings delivery to Cabinet every month.",
                    "owner": "b_officer",
                    "start_date": "2025-04-01",
                    "due_date": "2026-03-31",
                },
            ],
        },
        {
            "engagement": "cpc",
            "reference": "2",
            "heading": "One transformation programme",
            "text": "Bring change projects into one transformation programme with clear benefits and governance.",
            "theme": "Capacity for improvement",
            "directorate": "Transformation",
            "owner": "b_lead",
            "lead_member": "Leader of the Council",
            "due_date": "2026-06-30",
            "actions": [
                {
                    "reference": "2.1",
                    "description": "Set up a transformation board and a single benefits register.",
                    "owner": "b_lead",
                    "start_date": "2025-04-01",
                    "due_date": "2025-12-31",
                },
            ],
        },
        {
            "engagement": "cpc",
            "reference": "3",
            "heading": "Member development",
            "text": "Agree a member development programme that covers scrutiny and audit.",
            "theme": "Governance and culture",
            "directorate": "Democratic Services",
            "owner": "b_lead",
            "lead_member": "Cabinet Member for Corporate Services",
            "due_date": "2025-12-31",
            "actions": [],
        },
    ],
    "due_date_moves": [],
    "updates": [
        {
            "item": "1.1",
            "on": "2025-07-16",
            "by": "b_officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Two directorates have not yet agreed their targets.",
            "narrative": "Targets agreed with three of five directorates.",
            "percent": 60,
        },
    ],
    "pending_updates": [],
    "evidence": [],
}
