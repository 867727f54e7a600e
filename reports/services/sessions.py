"""Writes about panel sessions: the meeting itself, who was there, what was discussed, the findings by theme
and the next steps. A lead records them; every engagement, peer and recommendation a session names must be
the council's own (a crafted form cannot reach another council's)."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from recommendations.models import Council, Engagement, Peer, Recommendation, User
from recommendations.services.access import require_plan_manager
from recommendations.services.history import save_with_history
from recommendations.services.plan import StaleEdit

from ..models import Finding, NextStep, PanelSession


class FindingRow(NamedTuple):
    """One finding as a lead gives it: its theme, whether peers commended it or urged further focus, and
    what they said."""

    theme: str
    kind: str
    text: str


def _clean_text(text: str) -> str:
    """Trim each line and drop blank lines at either end, keeping the lines a lead typed."""
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


EARLIEST = dt.date(2000, 1, 1)  # before LGA peer challenges in their present form
LATEST_YEARS_AHEAD = 2  # a session is planned months ahead, not years


def _check(
    *,
    council: Council,
    engagement: Engagement,
    held_on: dt.date | None,
    mode: str,
    peers: Sequence[Peer],
    recommendations: Sequence[Recommendation],
    findings: Sequence[FindingRow],
) -> None:
    """The rules a lead (or a crafted form) can break, each as an error on its field."""
    errors: dict[str, str] = {}
    if engagement.council_id != council.pk:
        errors["engagement"] = "Choose an engagement of this council"
    if held_on is None:
        errors["held_on"] = "Enter the date of the session"
    elif not EARLIEST <= held_on <= timezone.localdate() + dt.timedelta(days=366 * LATEST_YEARS_AHEAD):
        errors["held_on"] = (
            f"The date of the session must be between 1 January {EARLIEST.year} "
            f"and {LATEST_YEARS_AHEAD} years from today"
        )
    if mode not in Engagement.Mode.values:
        errors["mode"] = "Choose whether the session was remote or on site"
    peer_ids = {peer.pk for peer in peers}
    if peer_ids and Peer.objects.filter(pk__in=peer_ids, engagements__council=council).distinct().count() != len(
        peer_ids
    ):
        errors["peers"] = "Choose peers from this council's peer teams"
    if any(recommendation.engagement.council_id != council.pk for recommendation in recommendations):
        errors["recommendations"] = "Choose recommendations of this council"
    for number, finding in enumerate(findings, start=1):
        if not finding.theme.strip() or not finding.text.strip() or finding.kind not in Finding.Kind.values:
            errors["findings"] = f"Finding {number} needs a theme, commended or further focus, and what peers said"
            break
    if errors:
        raise ValidationError(errors)


def _save_rows(
    *,
    existing: list[Model],
    wanted: list[dict[str, object]],
    make: type[Model],
    session: PanelSession,
    by: User,
    at: dt.datetime,
) -> None:
    """Make the session's rows (findings or next steps) the wanted ones, in order: row n keeps its record and
    changes only where it differs, so each row's history says what changed; rows past the end are removed."""
    for position, values in enumerate(wanted):
        if position < len(existing):
            row = existing[position]
            row.session = session  # its council is the session's: no query per row
            if all(getattr(row, name) == value for name, value in values.items()) and row.position == position:
                continue
            for name, value in values.items():
                setattr(row, name, value)
            row.position = position
        else:
            row = make(session=session, position=position, **values)
        save_with_history(row, by=by, at=at)
    for row in existing[len(wanted) :]:
        row._history_user = by  # type: ignore[attr-defined]
        row._history_date = at  # type: ignore[attr-defined]
        row.delete()


def _replace_findings_and_next_steps(
    *, session: PanelSession, findings: Iterable[FindingRow], next_steps: Iterable[str], by: User, at: dt.datetime
) -> None:
    _save_rows(
        existing=list(session.findings.order_by("position", "pk")),
        wanted=[
            {"theme": " ".join(row.theme.split()), "kind": row.kind, "text": _clean_text(row.text)} for row in findings
        ],
        make=Finding,
        session=session,
        by=by,
        at=at,
    )
    _save_rows(
        existing=list(session.next_steps.order_by("position", "pk")),
        wanted=[{"text": _clean_text(text)} for text in next_steps],
        make=NextStep,
        session=session,
        by=by,
        at=at,
    )


def _without_blanks(findings: Iterable[FindingRow], next_steps: Iterable[str]) -> tuple[list[FindingRow], list[str]]:
    """Rows with nothing in them are not findings or next steps: they are left out."""
    kept = [FindingRow(*row) for row in findings if any(str(part).strip() for part in row)]
    return kept, [text for text in next_steps if text.strip()]


SESSION_DETAILS = ("scope", "met", "support_offer", "principal_adviser", "principal_adviser_email", "next_check_in")


def _details(details: dict[str, Any]) -> dict[str, Any]:
    """The summary of the approach and the next steps' details, text stripped (only these fields)."""
    unknown = set(details) - set(SESSION_DETAILS)
    if unknown:
        raise ValueError(f"Not a detail of a session: {sorted(unknown)}")
    return {name: value.strip() if isinstance(value, str) else value for name, value in details.items()}


@transaction.atomic
def session_create(
    *,
    council: Council,
    by: User,
    engagement: Engagement,
    held_on: dt.date,
    mode: str,
    peers: Iterable[Peer] = (),
    recommendations: Iterable[Recommendation] = (),
    findings: Iterable[FindingRow] = (),
    next_steps: Iterable[str] = (),
    at: dt.datetime | None = None,
    **details: Any,
) -> PanelSession:
    """A lead records a panel session of one of the council's engagements, with its findings and next steps
    in the order given."""
    require_plan_manager(by, council.pk, to="record its panel sessions")
    at = at or timezone.now()
    peers, recommendations = list(peers), list(recommendations)
    findings, next_steps = _without_blanks(findings, next_steps)
    _check(
        council=council,
        engagement=engagement,
        held_on=held_on,
        mode=mode,
        peers=peers,
        recommendations=recommendations,
        findings=findings,
    )
    session = PanelSession(engagement=engagement, held_on=held_on, mode=mode, created_at=at, **_details(details))
    save_with_history(session, by=by, at=at)
    session.peers.set(peers)
    session.recommendations.set(recommendations)
    _replace_findings_and_next_steps(session=session, findings=findings, next_steps=next_steps, by=by, at=at)
    return session


@transaction.atomic
def session_update(
    *,
    session: PanelSession,
    by: User,
    engagement: Engagement,
    held_on: dt.date,
    mode: str,
    peers: Iterable[Peer] = (),
    recommendations: Iterable[Recommendation] = (),
    findings: Iterable[FindingRow] = (),
    next_steps: Iterable[str] = (),
    expected_version: int | None = None,
    at: dt.datetime | None = None,
    **details: Any,
) -> PanelSession:
    """A lead's edit of a session: its findings and next steps become the ones given, in order (a row left
    blank is removed). The session stays in its council. Refused with StaleEdit if someone else saved it
    since the form was opened (`expected_version`, the version the form was made from)."""
    council = session.engagement.council
    require_plan_manager(by, council.pk, to="record its panel sessions")
    at = at or timezone.now()
    session = PanelSession.objects.select_for_update().select_related("engagement").get(pk=session.pk)
    if expected_version is not None and session.version != expected_version:
        raise StaleEdit(
            "Someone else changed this session while you were editing it. Your changes have not been saved",
            current=session,
        )
    peers, recommendations = list(peers), list(recommendations)
    findings, next_steps = _without_blanks(findings, next_steps)
    _check(
        council=council,
        engagement=engagement,
        held_on=held_on,
        mode=mode,
        peers=peers,
        recommendations=recommendations,
        findings=findings,
    )
    for name, value in {"engagement": engagement, "held_on": held_on, "mode": mode, **_details(details)}.items():
        setattr(session, name, value)
    save_with_history(session, by=by, at=at)  # always: its version moves with every edit, rows included
    session.peers.set(peers)
    session.recommendations.set(recommendations)
    _replace_findings_and_next_steps(session=session, findings=findings, next_steps=next_steps, by=by, at=at)
    return session
