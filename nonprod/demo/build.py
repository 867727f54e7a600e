"""Builds the demo through the services, each write at its real moment."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import password_validation
from django.db.models import Q

from recommendations import services
from recommendations.models import (
    Action,
    Council,
    Directorate,
    Engagement,
    EngagementKind,
    Evidence,
    Membership,
    Peer,
    ProgressUpdate,
    Recommendation,
    Theme,
    User,
)

from .borsetshire import BORSETSHIRE
from .common import (
    DEMO_PASSWORD,
    LEAD,
    LONDON,
)
from .people import USERS
from .st_helens import ST_HELENS

COUNCILS = [ST_HELENS, BORSETSHIRE]


@dataclass
class SeedReport:
    """What a run did, for the command to print."""

    lines: list[str] = field(default_factory=list)
    sign_ins: list[tuple[str, str, str, str]] = field(default_factory=list)  # email, role, council, password


def moment(value: str) -> dt.datetime:
    """'2020-09-23' (noon) or '2020-09-23 16:30' as an aware Europe/London datetime."""
    day, _, time = value.partition(" ")
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(time or "12:00"), tzinfo=LONDON)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _save_dated(instance: Any, *, at: dt.datetime, by: User | None) -> None:
    """Save a row that has no service yet, dating its history row to the real moment."""
    instance._history_date = at
    instance._history_user = by
    instance.full_clean()
    instance.save()


def seed() -> SeedReport:
    """Create what is missing of the demo; leave everything that exists as it is."""
    report = SeedReport()
    users = _ensure_users(report)
    for spec in COUNCILS:
        council = Council.objects.filter(slug=spec["council"]["slug"]).first()
        if council is None:
            council = _build_council(spec, users, report)
            report.lines.append(f"{council.name}: created ({_summary(council)}).")
        else:
            report.lines.append(f"{council.name}: already present, left as it is.")
            _ensure_memberships(council, users, report)
    report.sign_ins = _sign_ins(users)
    return report


def _ensure_users(report: SeedReport) -> dict[str, User]:
    users: dict[str, User] = {}
    created = 0
    for person in USERS:
        user = User.objects.filter(email__iexact=person["email"]).first()
        if user is None:
            staff = person.get("staff", False)
            names = {key: person[key] for key in ("first_name", "last_name", "job_title")}
            password_validation.validate_password(DEMO_PASSWORD, User(email=person["email"], **names))
            user = User.objects.create_user(person["email"], DEMO_PASSWORD, **names, is_staff=staff, is_superuser=staff)
            created += 1
        users[person["key"]] = user
    report.lines.append(f"Demo users: {created} created, {len(USERS) - created} already present.")
    return users


def _ensure_memberships(council: Council, users: dict[str, User], report: SeedReport) -> None:
    for person in USERS:
        if person["council"] != council.slug:
            continue
        user = users[person["key"]]
        if not Membership.objects.filter(user=user, council=council).exists():
            services.membership_set(council=council, user=user, role=person["role"])
            report.lines.append(f"  {user.email} joined {council.name} as {Membership.Role(person['role']).label}.")


def _lead_of(spec: dict[str, Any], users: dict[str, User]) -> User:
    """The council's improvement lead: who sets up the plan and signs updates off."""
    return next(users[p["key"]] for p in USERS if p["council"] == spec["council"]["slug"] and p["role"] == LEAD)


def _build_council(spec: dict[str, Any], users: dict[str, User], report: SeedReport) -> Council:
    lead = _lead_of(spec, users)
    council = Council(**spec["council"])
    council.full_clean()
    council.save()
    _ensure_memberships(council, users, report)  # the lead signs the history off as a member
    directorates = {name: Directorate.objects.create(council=council, name=name) for name in spec["directorates"]}
    peers = {
        key: Peer.objects.create(name=name, role=role, organisation=organisation)
        for key, role, name, organisation in spec["peers"]
    }

    engagements: dict[str, Engagement] = {}
    themes: dict[str, Theme] = {}
    for item in spec["engagements"]:
        engagement = Engagement(
            council=council,
            kind=_engagement_kind(item["kind"]),
            title=item["title"],
            parent=engagements[item["parent"]] if item.get("parent") else None,
            mode=item["mode"],
            first_onsite_day=_date(item.get("first_onsite_day")),
            last_onsite_day=_date(item.get("last_onsite_day")),
            report_received=_date(item.get("report_received")),
            report_published=_date(item.get("report_published")),
            action_plan_published=_date(item.get("action_plan_published")),
            report_url=item.get("report_url", ""),
        )
        _save_dated(engagement, at=moment(item["created"]), by=lead)
        engagement.peers.set([peers[key] for key in item["peers"]])
        engagements[item["key"]] = engagement
        for position, name in enumerate(item["themes"]):
            themes[name] = Theme.objects.create(engagement=engagement, name=name, position=position)

    items = _build_plan(spec, engagements=engagements, themes=themes, directorates=directorates, users=users)
    updates = _build_history(spec, items=items, users=users, lead=lead)
    _build_pending(spec, items=items, users=users)
    _build_evidence(spec, council=council, items=items, updates=updates, users=users)
    return council


def _engagement_kind(slug: str) -> EngagementKind:
    """The kinds come from a data migration."""
    return EngagementKind.objects.get(slug=slug)


def _build_plan(
    spec: dict[str, Any],
    *,
    engagements: dict[str, Engagement],
    themes: dict[str, Theme],
    directorates: dict[str, Directorate],
    users: dict[str, User],
) -> dict[str, Recommendation | Action]:
    """Recommendations and their actions, created on the day the action plan was published."""
    at = moment(spec["plan_created"])
    lead = _lead_of(spec, users)
    items: dict[str, Recommendation | Action] = {}
    for position, rec in enumerate(spec["recommendations"], start=1):
        recommendation = services.recommendation_build(
            engagement=engagements[rec["engagement"]],
            reference=rec["reference"],
            text=rec["text"],
            by=lead,
            at=at,
            heading=rec["heading"],
            theme=themes[rec["theme"]],
            lead_directorate=directorates[rec["directorate"]],
            owner=users[rec["owner"]],
            lead_member=rec["lead_member"],
            due_date=_date(rec["due_date"]),
            position=position,
            source_note=spec["source_note"],
        )
        items[rec["reference"]] = recommendation
        for action_position, act in enumerate(rec["actions"], start=1):
            items[act["reference"]] = services.action_build(
                recommendation=recommendation,
                reference=act["reference"],
                description=act["description"],
                by=lead,
                at=at,
                owner=users[act["owner"]],
                start_date=_date(act["start_date"]),
                due_date=_date(act["due_date"]),
                position=action_position,
            )
    return items


def _build_history(
    spec: dict[str, Any], *, items: dict[str, Recommendation | Action], users: dict[str, User], lead: User
) -> dict[tuple[str, str], ProgressUpdate]:
    """Date moves and approved updates, applied in the order they happened."""
    events: list[tuple[dt.datetime, dict[str, Any]]] = [(moment(data["on"]), data) for data in spec["updates"]]
    for refs, when, new_due_date, reason in spec["due_date_moves"]:
        events += [(moment(when), {"move": ref, "to": new_due_date, "reason": reason}) for ref in refs]
    events.sort(key=lambda event: event[0])
    updates: dict[tuple[str, str], ProgressUpdate] = {}
    for at, data in events:
        if "move" in data:
            item = items[data["move"]]
            services.due_date_move(item=item, new_due_date=_date(data["to"]), reason=data["reason"], by=lead, at=at)
            continue
        item = items[data["item"]]
        fields = {
            "item": item,
            "author": users[data["by"]],
            "status": data["status"],
            "rag": data["rag"],
            "rag_reason": data.get("reason", ""),
            "narrative": data["narrative"],
            "percent_complete": data.get("percent"),
        }
        if data.get("recorded"):
            update = services.update_record(**fields, at=at)
        else:
            # Drafted three days before sign-off at 10:00, submitted two days before at 16:00. The demo
            # records the past, so it tells nobody by e-mail.
            update = services.update_create(**fields, at=(at - dt.timedelta(days=3)).replace(hour=10))
            services.update_submit(update=update, at=(at - dt.timedelta(days=2)).replace(hour=16), notify=False)
            update = services.update_approve(
                update=update,
                reviewer=lead,
                assurance_rag=data.get("assurance", ""),
                assurance_reason=data.get("assurance_reason", ""),
                at=at,
                notify=False,
            )
        updates[(data["item"], data["on"])] = update
    return updates


def _build_pending(spec: dict[str, Any], *, items: dict[str, Recommendation | Action], users: dict[str, User]) -> None:
    """Updates in the review workflow: a draft, one awaiting review, one returned with a comment."""
    for data in spec["pending_updates"]:
        update = services.update_create(
            item=items[data["item"]],
            author=users[data["by"]],
            status=data["status"],
            rag=data["rag"],
            rag_reason=data.get("reason", ""),
            narrative=data["narrative"],
            percent_complete=data.get("percent"),
            at=moment(data["created"]),
        )
        if data["state"] in ("submitted", "returned"):
            services.update_submit(update=update, at=moment(data["submitted"]), notify=False)
        if data["state"] == "returned":
            services.update_return(
                update=update,
                reviewer=users[data["returned_by"]],
                comment=data["comment"],
                at=moment(data["returned"]),
                notify=False,
            )


def _build_evidence(
    spec: dict[str, Any],
    *,
    council: Council,
    items: dict[str, Recommendation | Action],
    updates: dict[tuple[str, str], ProgressUpdate],
    users: dict[str, User],
) -> None:
    """Links and external assessments (no documents: those need files). There is no evidence service yet."""
    for data in spec["evidence"]:
        created = moment(data["created"])
        evidence = Evidence(
            council=council,
            kind=data["kind"],
            title=data["title"],
            url=data.get("url", ""),
            reference=data.get("reference", ""),
            dated=_date(data.get("dated")),
            internal=data.get("internal", False),
            added_by=users[data["added_by"]],
            created_at=created,
        )
        _save_dated(evidence, at=created, by=users[data["added_by"]])
        evidence.recommendations.set([items[ref] for ref in data.get("recommendations", [])])
        evidence.actions.set([items[ref] for ref in data.get("actions", [])])
        evidence.updates.set([updates[key] for key in data.get("updates", [])])


def _summary(council: Council) -> str:
    recommendations = Recommendation.objects.filter(engagement__council=council)
    actions = Action.objects.filter(recommendation__engagement__council=council)
    updates = ProgressUpdate.objects.filter(
        Q(recommendation__engagement__council=council) | Q(action__recommendation__engagement__council=council),
        review_state=ProgressUpdate.ReviewState.APPROVED,
    )
    return (
        f"{_count(council.engagements.count(), 'engagement')}, {_count(recommendations.count(), 'recommendation')}, "
        f"{_count(actions.count(), 'action')}, {_count(updates.count(), 'approved update')}, "
        f"{_count(council.evidence.count(), 'evidence item')}"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _sign_ins(users: dict[str, User]) -> list[tuple[str, str, str, str]]:
    councils = {spec["council"]["slug"]: spec["council"]["name"] for spec in COUNCILS}
    rows = []
    for person in USERS:
        role = Membership.Role(person["role"]).label if person["role"] else "Platform staff (/admin/)"
        council = councils[person["council"]] if person["council"] else "All (administrator)"
        rows.append((users[person["key"]].email, role, council, DEMO_PASSWORD))
    return rows
