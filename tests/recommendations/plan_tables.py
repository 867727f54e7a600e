"""A small Borsetshire plan for the table and export tests, with a position that differs by date.

Today (whatever day the tests run):
  R1  CPC 2019 · Leadership · Place   · officer · due 31/3/2020 · In progress, Amber (since 10/1/2020) · overdue
  R2  CPC 2019 · Finance    · People  · lead    · due 31/12/2099 · Complete, Green (since 1/2/2020)
  R3  CPC 2019 · Leadership · none    · nobody  · due 31/12/2019 · Not started, not assessed · overdue
  R4  Review   · Culture    · Place   · officer · due 31/12/2099 · In progress, Red (since 1/6/2020)
  Actions: 1.1 (R1, officer, In progress, Green, 40%), 1.2 (R1, lead, Not started), 2.1 (R2, lead, Complete).
As at 31 January 2020 only R1's update counts; R3 is the only one overdue.
"""

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from recommendations import services
from recommendations.models import (
    Action,
    Council,
    Directorate,
    Engagement,
    ProgressUpdate,
    Rag,
    Recommendation,
    Status,
    Theme,
    User,
)

from ..conftest import Personas, personas_create
from ..factories import (
    ActionFactory,
    DirectorateFactory,
    EngagementFactory,
    EvidenceFactory,
    RecommendationFactory,
    ThemeFactory,
    at,
)


@dataclass
class Plan:
    cpc: Engagement
    review: Engagement
    leadership: Theme
    finance: Theme
    culture: Theme
    place: Directorate
    people: Directorate
    recommendations: dict[str, Recommendation]
    actions: dict[str, Action]


def record(
    item: Recommendation | Action, lead: User, status: str, rag: str, when: dt.datetime, **extra: object
) -> None:
    reason = "" if rag == Rag.GREEN else "Waiting for the Cabinet decision"
    services.update_record(item=item, author=lead, status=status, rag=rag, rag_reason=reason, at=when, **extra)


def build(council: Council, *, officer: User, lead: User) -> Plan:
    cpc = EngagementFactory(
        council=council, title="Corporate Peer Challenge 2019", first_onsite_day=dt.date(2019, 3, 4)
    )
    review = EngagementFactory(
        council=council,
        title="Progress review 2020",
        first_onsite_day=dt.date(2020, 1, 14),
        last_onsite_day=dt.date(2020, 1, 14),
    )
    leadership = ThemeFactory(engagement=cpc, name="Leadership", position=1)
    finance = ThemeFactory(engagement=cpc, name="Finance", position=2)
    culture = ThemeFactory(engagement=review, name="Culture", position=1)
    place = DirectorateFactory(council=council, name="Place")
    people = DirectorateFactory(council=council, name="People")

    def rec(ref: str, engagement: Engagement, position: int, **fields: object) -> Recommendation:
        return RecommendationFactory(engagement=engagement, reference=ref, position=position, **fields)

    r1 = rec(
        "R1",
        cpc,
        1,
        heading="Shared priorities",
        theme=leadership,
        lead_directorate=place,
        owner=officer,
        due_date=dt.date(2020, 3, 31),
        lead_member="Cllr Ann Example",
    )
    r2 = rec(
        "R2",
        cpc,
        2,
        heading="Medium-term financial plan",
        theme=finance,
        lead_directorate=people,
        owner=lead,
        due_date=dt.date(2099, 12, 31),
    )
    r3 = rec("R3", cpc, 3, heading="Member development", theme=leadership, owner=None, due_date=dt.date(2019, 12, 31))
    r4 = rec(
        "R4",
        review,
        1,
        heading="Staff survey",
        theme=culture,
        lead_directorate=place,
        owner=officer,
        due_date=dt.date(2099, 12, 31),
    )
    record(r1, lead, Status.IN_PROGRESS, Rag.AMBER, at(2020, 1, 10))
    record(r2, lead, Status.COMPLETE, Rag.GREEN, at(2020, 2, 1))
    record(r4, lead, Status.IN_PROGRESS, Rag.RED, at(2020, 6, 1))

    a11 = ActionFactory(recommendation=r1, reference="1.1", position=1, owner=officer, description="Agree the plan")
    a12 = ActionFactory(recommendation=r1, reference="1.2", position=2, owner=lead, description="Brief members")
    a21 = ActionFactory(
        recommendation=r2,
        reference="2.1",
        position=1,
        owner=lead,
        description="Publish the MTFP",
        due_date=dt.date(2099, 12, 31),
    )
    record(a11, lead, Status.IN_PROGRESS, Rag.GREEN, at(2020, 1, 20), percent_complete=40)
    record(a21, lead, Status.COMPLETE, Rag.GREEN, at(2020, 2, 1), percent_complete=100)
    return Plan(
        cpc=cpc,
        review=review,
        leadership=leadership,
        finance=finance,
        culture=culture,
        place=place,
        people=people,
        recommendations={"R1": r1, "R2": r2, "R3": r3, "R4": r4},
        actions={"1.1": a11, "1.2": a12, "2.1": a21},
    )


def build_scaled(council: Council, *, lead: User, scale: int, label: str) -> None:
    """For query counts: `scale` recommendations, each with `scale` actions, and every item with `scale`
    approved updates carrying evidence, and a moved due date (so what each row carries grows too)."""
    engagement = EngagementFactory(council=council, title=f"Engagement {label}")
    theme = ThemeFactory(engagement=engagement)
    directorate = DirectorateFactory(council=council)
    for r in range(scale):
        recommendation = RecommendationFactory(
            engagement=engagement, reference=f"{label}{r + 1}", theme=theme, lead_directorate=directorate, owner=lead
        )
        items: list[Recommendation | Action] = [recommendation]
        items += [
            ActionFactory(recommendation=recommendation, reference=f"{r + 1}.{a + 1}", owner=lead) for a in range(scale)
        ]
        for item in items:
            link = "recommendation" if isinstance(item, Recommendation) else "action"
            for day in range(scale):
                moment = at(2020, 1, 1 + day)
                update = ProgressUpdate.objects.create(
                    **{link: item},
                    author=lead,
                    status=Status.IN_PROGRESS,
                    rag=Rag.AMBER,
                    rag_reason="Late",
                    review_state=ProgressUpdate.ReviewState.APPROVED,
                    reviewer=lead,
                    created_at=moment,
                    submitted_at=moment,
                    reviewed_at=moment,
                    approved_at=moment,
                )
                evidence = EvidenceFactory(council=council)
                update.evidence.add(evidence)
                item.evidence.add(evidence)
            services.due_date_move(item=item, new_due_date=dt.date(2030, 1, 1), reason="Later", by=lead)
            services.positions_refresh(model=type(item), ids=[item.pk])  # approved updates inserted directly


def one_plan_a_module(make: Callable[[Council, Personas], "Plan"]) -> tuple:
    """The fixtures of a module whose tests all read one plan: `built` (Borsetshire, its people and the plan made
    by `make`, once for the module, in a transaction held open around it and rolled back after it:
    tests/shared_data.py), `shared` (this test's deep copies, as Django's TestCase does for setUpTestData, so what
    a test changes is undone for the next), and `council`, `personas`, `plan` and each persona from them. A module
    takes them as `built, shared, council, personas, plan, officer, lead, leadership, adviser, outsider = …`."""
    from ..shared_data import rolled_back_after_the_module

    @pytest.fixture(scope="module")
    def built(django_db_setup: None, django_db_blocker: object) -> Iterator[tuple[Council, Personas, Plan]]:
        def build_all() -> tuple[Council, Personas, Plan]:
            council, personas = personas_create()
            return council, personas, make(council, personas)

        with rolled_back_after_the_module(django_db_blocker, build_all) as rows:
            yield rows

    @pytest.fixture
    def shared(built: tuple[Council, Personas, Plan], db: None) -> tuple[Council, Personas, Plan]:
        return copy.deepcopy(built)

    def part(name: str, read: Callable[[tuple[Council, Personas, Plan]], object]) -> object:
        def fixture(shared: tuple[Council, Personas, Plan]) -> object:
            return read(shared)

        fixture.__name__ = name
        return pytest.fixture(fixture)

    people = ("officer", "lead", "leadership", "adviser", "outsider")
    return (
        built,
        shared,
        part("council", lambda rows: rows[0]),
        part("personas", lambda rows: rows[1]),
        part("plan", lambda rows: rows[2]),
        *(part(name, lambda rows, name=name: getattr(rows[1], name)) for name in people),
    )
