"""factory_boy factories. Fictional councils only ("Borsetshire"); the St Helens demo is seed_demo's."""

import datetime as dt
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from recommendations.models import (
    Action,
    Council,
    Directorate,
    Engagement,
    EngagementKind,
    Evidence,
    Membership,
    ProgressUpdate,
    Rag,
    Recommendation,
    Status,
    Theme,
    User,
)
from reports.models import PanelSession

LONDON = ZoneInfo("Europe/London")
PASSWORD = "correct-horse-battery-staple"


def at(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    """An aware moment in the service's time zone."""
    return dt.datetime(year, month, day, hour, tzinfo=LONDON)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@borsetshire.example")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            obj.save()


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Borsetshire District {n} Council")
    slug = factory.Sequence(lambda n: f"borsetshire-{n}")
    kind = Council.Kind.DISTRICT
    region = "South West"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    council = factory.SubFactory(CouncilFactory)
    role = Membership.Role.OFFICER


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directorate

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Directorate {n}")


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    council = factory.SubFactory(CouncilFactory)
    kind = factory.LazyFunction(lambda: EngagementKind.objects.get(slug="corporate-peer-challenge"))
    title = factory.Sequence(lambda n: f"Corporate Peer Challenge {2018 + n}")
    first_onsite_day = dt.date(2019, 3, 4)
    last_onsite_day = dt.date(2019, 3, 7)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    engagement = factory.SubFactory(EngagementFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class HistoryDatedFactory(factory.django.DjangoModelFactory):
    """Date the first history record at the item's creation, as the services do."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type, *args: object, **kwargs: object) -> object:
        instance = model_class(*args, **kwargs)
        instance._history_date = instance.created_at
        instance.save()
        return instance


class RecommendationFactory(HistoryDatedFactory):
    class Meta:
        model = Recommendation

    engagement = factory.SubFactory(EngagementFactory)
    reference = factory.Sequence(lambda n: f"R{n + 1}")
    heading = factory.Sequence(lambda n: f"Recommendation heading {n}")
    text = "Develop a shared understanding of the council's priorities across members and officers."
    created_at = factory.LazyFunction(lambda: at(2019, 4, 1))
    due_date = dt.date(2020, 3, 31)
    baseline_due_date = factory.SelfAttribute("due_date")


class ActionFactory(HistoryDatedFactory):
    class Meta:
        model = Action

    recommendation = factory.SubFactory(RecommendationFactory)
    reference = factory.Sequence(lambda n: f"{n + 1}.1")
    description = "Agree a corporate plan with three priorities."
    created_at = factory.LazyFunction(lambda: at(2019, 4, 1))
    start_date = dt.date(2019, 4, 1)
    due_date = dt.date(2019, 12, 31)
    baseline_due_date = factory.SelfAttribute("due_date")


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    """A draft update on a recommendation; use the services to submit or approve it."""

    class Meta:
        model = ProgressUpdate

    recommendation = factory.SubFactory(RecommendationFactory)
    author = factory.SubFactory(UserFactory)
    status = Status.IN_PROGRESS
    rag = Rag.GREEN
    narrative = "Work has started."
    created_at = factory.LazyFunction(timezone.now)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    council = factory.SubFactory(CouncilFactory)
    kind = Evidence.Kind.LINK
    title = factory.Sequence(lambda n: f"Cabinet report {n}")
    url = "https://www.example.gov.uk/cabinet/report"


class PanelSessionFactory(factory.django.DjangoModelFactory):
    """A remote session of an engagement; use reports.services.sessions for findings and next steps."""

    class Meta:
        model = PanelSession

    engagement = factory.SubFactory(EngagementFactory)
    held_on = dt.date(2020, 9, 28)
    mode = Engagement.Mode.REMOTE
    created_at = factory.LazyFunction(lambda: at(2020, 9, 28, 17))
