"""Names the demo data shares."""

from zoneinfo import ZoneInfo

from recommendations.models import (
    Membership,
    Rag,
    Status,
)

LONDON = ZoneInfo("Europe/London")
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - the published demo sign-in, refused without DEBUG

NOT_STARTED, IN_PROGRESS, COMPLETE, CLOSED = Status.NOT_STARTED, Status.IN_PROGRESS, Status.COMPLETE, Status.CLOSED
GREEN, AMBER, RED = Rag.GREEN, Rag.AMBER, Rag.RED
OFFICER, LEAD, LEADERSHIP, ADVISER = (
    Membership.Role.OFFICER,
    Membership.Role.LEAD,
    Membership.Role.LEADERSHIP,
    Membership.Role.ADVISER,
)

ILLUSTRATIVE = (
    "Illustrative: wording reconstructed from public sources (council and press reports of the 2019 peer "
    "challenge and the later LGA sessions). The full list of recommendations is not public in these sources."
)

# The LGA's core components. A 2019 challenge used the earlier names (as in other councils' 2019 reports);
# the current five date from the LGA's later framework.
CPC_COMPONENTS_2019 = [
    "Understanding of the local place and priority setting",
    "Leadership of place",
    "Organisational leadership and governance",
    "Financial planning and viability",
    "Capacity to deliver",
]
CPC_COMPONENTS_CURRENT = [
    "Local priorities and outcomes",
    "Organisational and place leadership",
    "Governance and culture",
    "Financial planning and management",
    "Capacity for improvement",
]

ST_HELENS_PAGE = "https://www.sthelens.gov.uk/council/council-finance-performance/the-council-plan-and-performance/"
ST_HELENS_BUDGETS = "https://www.sthelens.gov.uk/council/council-finance-performance/council-budgets/"


ANOTHER_COUNCIL = "Another council (illustrative)"
LGA = "Local Government Association"
