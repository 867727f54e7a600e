"""The report side of the St Helens demo: the two panel sessions with their findings and next steps, the
awards the LGA named, the key figures as published, and the Leader's comments (data, and how it is loaded).

Sources: the two seed texts the product was first described from (see the seeds' README): the Recovery and
Renewal Panel's themes as Cabinet considered them (seed 002), and the 2021 Peer Support Summary Report as the
council reported it (seed 000). Findings paraphrase what those texts say and nothing more. Figures are recorded
exactly as published: the shortfall is £17.12m as stated, although £30.35m less £13.2m is £17.15m; its
formula lets the report show the difference. Everything is dated from the seeds: the figures and the
Leader's first comment from Cabinet on 2 December 2020 (after the panel of 28 September 2020, so the panel's
report names none of them, and its findings leave out the sums reported that day), the awards from the
iNetwork Awards of 11 March 2021. The peer support session's day is illustrative (16 March 2021, after the
awards its report names): it is the engagement's own first day, as the core demo records it. The panel's
report is published; the 2021 session's is left a draft with the warnings its preview shows.

`seed()` runs after the core demo (nonprod/demo/) and loads only what is missing: a session that
exists (same engagement and day), an achievement of that title, a figure of that key and a quote of that
person and day are left as they are. A second run writes nothing.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from nonprod.demo.build import SeedReport, moment
from nonprod.demo.common import LEAD
from nonprod.demo.people import USERS
from nonprod.demo.st_helens import ST_HELENS
from recommendations.models import Council, Engagement, Recommendation, User
from recommendations.services.history import save_with_history
from reports.models import Achievement, Finding, KeyFigure, PanelSession, Quote, SummaryReport
from reports.services.reports import report_create, report_publish, report_update
from reports.services.sessions import FindingRow, session_create

COMMENDED, FOCUS = Finding.Kind.COMMENDED, Finding.Kind.FURTHER_FOCUS
CPC_RECOMMENDATIONS = ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"]
LEADER = ("Cllr David Baines", "Leader of St Helens Borough Council")

ST_HELENS_REPORTS: dict[str, Any] = {
    "council": ST_HELENS["council"]["slug"],
    # Each session is held on its engagement's first day, in its mode, with its peer team present.
    "sessions": [
        {
            "engagement": "rrp",
            "recommendations": ("cpc", CPC_RECOMMENDATIONS),
            # Seed 002: what the panels are for; seed 000: the LGA's support went on with a support session.
            "details": {
                "scope": "To reflect on the achievements and learning of the council's COVID-19 response, and to "
                "identify a series of steps the council may wish to take in its recovery and renewal.",
                "met": "The council's leadership.",
                "support_offer": "The LGA's support continues after the panel: an ongoing support session to "
                "review progress against the 2019 recommendations and the panel's themes.",
                "next_check_in": "pss",
            },
            "findings": [
                (
                    "The new relationship with communities",
                    COMMENDED,
                    "St Helens Together, the council's initial approach to the local response to the pandemic, "
                    "established new relationships with local people, businesses and partners, and brought new "
                    "voices and resources to the fore, among them the #sthelenstogether crowd fund for the "
                    "COVID-19 response.",
                ),
                (
                    "The new relationship with communities",
                    FOCUS,
                    "Define, develop and embed a new relationship with the local community and the local "
                    "voluntary, community and faith sectors, capturing and sustaining the more cooperative way of "
                    "working that began with St Helens Together and building on its momentum.",
                ),
                (
                    "The financial position",
                    FOCUS,
                    "The pressing financial position, while the council awaits the Government's one-year review "
                    "settlement: a COVID-19 cost and income pressure for 2020/21 met only in part by additional "
                    "COVID funding, and the budget requirement for 2021/22 still to be met.",
                ),
                (
                    "One Council",
                    COMMENDED,
                    "The council's collective team spirit in recent months, focused on a clear goal while enabling "
                    "and supporting the kinds of transformation required.",
                ),
                (
                    "One Council",
                    FOCUS,
                    "Pursue innovation in the One Council approach to modernisation, and build on the growing "
                    "culture shift towards 'working with' rather than 'working for' local communities, at a "
                    "strategic and an operational level.",
                ),
                (
                    "Integrated health and social care",
                    COMMENDED,
                    "The benefits of integrated health and social care in the response to the pandemic, among them "
                    "a single care record that made the support for vulnerable residents more agile.",
                ),
                (
                    "Integrated health and social care",
                    FOCUS,
                    "Capitalise on the further opportunities to innovate that the integration of health and social "
                    "care may bring.",
                ),
                (
                    "The Town Deal",
                    FOCUS,
                    "The decision to hold back the Town Deal investment plan, to allow further analysis of the new "
                    "environment for the borough's town centres now that home-based working has become "
                    "predominant for many previously office-based businesses.",
                ),
                (
                    "The Combined Authority",
                    COMMENDED,
                    "A new relationship developing with the Liverpool City Region Combined Authority, seen very "
                    "much as a supportive partner.",
                ),
                (
                    "The Combined Authority",
                    FOCUS,
                    "Build further on that relationship as all City Region areas begin the reset and recovery of "
                    "their local economies.",
                ),
                (
                    "Localities",
                    FOCUS,
                    "Develop and deliver a compelling vision for localities-based working, building relationships "
                    "with residents and understanding how they might want to see services delivered.",
                ),
            ],
            "next_steps": [
                "Prepare a detailed action plan for localities-based working, to drive progress on all of these "
                "themes.",
                "Build further on the relationship with the Liverpool City Region Combined Authority as the City "
                "Region's economies reset and recover.",
                "Capture and sustain the more cooperative St Helens Together way of working, and build on its "
                "momentum.",
                "Revisit the Town Deal investment plan once the new environment for the borough's town centres has "
                "been analysed.",
                "Take the further opportunities to innovate that the integration of health and social care may bring.",
            ],
        },
        {
            "engagement": "pss",
            "recommendations": ("cpc", CPC_RECOMMENDATIONS),
            # Seed 000: what the support session looked at.
            "details": {
                "scope": "Progress against the recommendations of the 2019 Corporate Peer Challenge and the "
                "Recovery and Renewal Panel of September 2020.",
                "met": "The council's leadership.",
            },
            "findings": [
                (
                    "Progress since the Corporate Peer Challenge",
                    COMMENDED,
                    "A significant amount of progress in the last 12 months, all the more remarkable against the "
                    "backdrop of the COVID-19 pandemic and the council's role in leading the local response to it.",
                ),
                (
                    "Progress since the Corporate Peer Challenge",
                    COMMENDED,
                    "Positive changes brought about by clear goals, a positive, honest and collaborative working "
                    "relationship between elected members and officers, and greater clarity in decision making.",
                ),
                (
                    "The organisation and its senior team",
                    COMMENDED,
                    "A significant organisational restructure, completed between November 2020 and January 2021: a "
                    "new senior leadership team is in place and a programme of employee engagement has been "
                    "developed.",
                ),
                (
                    "The organisation and its senior team",
                    COMMENDED,
                    "An almost entirely new senior management team recruited and established, with five of the six "
                    "senior officers joining the council in the last 12 months.",
                ),
                (
                    "Children's Services",
                    COMMENDED,
                    "Improvements in Children's Services, with progress seen in the feedback from Ofsted's virtual "
                    "monitoring visit in August 2020.",
                ),
                (
                    "The financial position",
                    COMMENDED,
                    "The pressing financial position addressed: an agreed budget and Medium-Term Financial Strategy "
                    "for 2021/22, and a Capital and Investment Strategy approved.",
                ),
                (
                    "Strategy and priorities",
                    COMMENDED,
                    "A strategy that engages all stakeholders, with policy and strategic decision making now shaped "
                    "by a clear set of corporately owned priorities.",
                ),
                (
                    "External communications",
                    COMMENDED,
                    "Proactive external communications developed and invested in, including a rebrand of the "
                    "organisation.",
                ),
                (
                    "Recovery and renewal",
                    COMMENDED,
                    "Progress on a number of the Recovery and Renewal Panel's recommendations, including detailed "
                    "recovery roadmaps, a new Voluntary Community and Social Enterprise Strategy, an agreed Economic "
                    "Recovery Plan, an Integrated Care Partnership structure and a new model for locality working.",
                ),
            ],
            "next_steps": [],
        },
    ],
    # Named by the LGA in the 2021 summary report: won at the iNetwork Awards, held online on 11 March 2021 (the
    # council's and the local press's reports of 12 March 2021; see the seeds' README).
    "achievements_awarded_by": "iNetwork Awards",
    "achievements_on": "2021-03-11",
    "achievements": [
        ("Transforming and Innovating Public Services Award", "For the Ways of Working programme."),
        ("Covid-19 Response Award", "For the St Helens Together campaign."),
        ("Partner Excellence Award", "For the St Helens Together campaign."),
    ],
    # As published with the panel's themes (seed 002), reported on the day Cabinet considered them (the panel
    # engagement's report date in the core demo, 2 December 2020): after the panel of 28 September 2020, so
    # its report as at that day shows none of them.
    "key_figures_engagement": "rrp",
    "key_figures": [
        {
            "key": "budget_requirement",
            "label": "Budget requirement",
            "value": "20400000",
            "period": "2021/22",
            "note": "The council's wording; press coverage calls it the projected budget gap.",
        },
        {
            "key": "covid_pressure",
            "label": "COVID-19 cost and income pressure",
            "value": "30350000",
            "period": "2020/21",
        },
        {
            "key": "covid_funding",
            "label": "Additional COVID funding to date",
            "value": "13200000",
            "period": "2020/21",
        },
        {
            "key": "covid_shortfall",
            "label": "Shortfall",
            "value": "17120000",  # as published: the formula gives £17.15m
            "period": "2020/21",
            "formula": "covid_pressure - covid_funding",
        },
        {
            "key": "crowd_fund",
            "label": "Raised by the #sthelenstogether crowd fund",
            "value": "85000",
            "note": "More than this was raised, to support the COVID-19 response.",
        },
    ],
    # Each dated on the day it was said: the 2020 comment at Cabinet, the day it considered the panel's
    # themes (the panel's report day); the 2021 one on the peer support session's report, the day it was
    # published.
    "quotes": [
        {
            "engagement": "rrp",
            "occasion": "at Cabinet",
            "text": (
                "The LGA understands the challenges that councils face, the opportunities they can pursue and is "
                "a great resource for shared learning. We fully appreciate their support and guidance in the "
                "recovery of our borough and our economy, and the renewal of our ways of working and our service "
                "delivery.\n\n"
                "And while we must balance our aspirations within one of the most challenging financial "
                "landscapes of our times, there is plenty to remain hopeful about in our future.\n\n"
                "We have a new leadership team, an emerging approach to working with our communities, ambitious "
                "visions for our organisation and our borough – and clear actions to realise our goals."
            ),
        },
        {
            "engagement": "pss",
            "occasion": "on the LGA's Peer Support Summary Report",
            "text": (
                "The LGA have been clear that the extent of the improvements within the council has been "
                "significant since the corporate peer challenge which took place in 2019 before I became Leader, "
                "and I thank all those councillors and staff members who have worked together to make the "
                "changes we needed.\n\n"
                "What is even more astonishing is the pace at which these improvements have been made, all while "
                "fighting a national pandemic and working to support residents, businesses and essential "
                "services.\n\n"
                "It is clear that the new senior officer team we’ve appointed with a clearer recognition of "
                "roles, a collaborative working relationship and greater clarity in decision making has put the "
                "council in a much stronger position and has laid the foundations from which we can go from "
                "strength to strength."
            ),
        },
    ],
}

# The summary report of the Recovery and Renewal Panel, published when Cabinet considered it.
ST_HELENS_REPORTS["reports"] = [
    {
        "session": "rrp",
        "published_on": "rrp",  # the engagement's report_published day
        "introduction": (
            "In January 2019 an LGA Corporate Peer Challenge team spent four days with St Helens Borough "
            "Council. The council published the team's recommendations, with those of a culture review that "
            "followed in March 2019, and a combined action plan in July 2019.\n\n"
            "On 28 September 2020 the LGA held a remote **Recovery and Renewal Panel** with the council: a "
            "chance to reflect on the achievements and learning of its COVID-19 response, and to identify the "
            "steps it may wish to take in its recovery and renewal.\n\n"
            "This summary sets out the progress against the 2019 recommendations as it stood on the day of the "
            "panel, the themes the panel discussed, and the next steps."
        ),
        "themes_lead_in": "The panel's discussion with the council's leadership centred on seven themes.",
        "next_steps_lead_in": "The council may wish to consider the following steps.",
        "executive_summary": (
            "The panel found a council whose collective team spirit, focused on a clear goal, had carried it "
            "through its response to the pandemic, and which was ready to reset its ways of working: a new "
            "relationship with its communities, begun with St Helens Together; a One Council approach to "
            "modernisation; and integrated health and social care."
        ),
    },
    # The 2021 Peer Support Summary Report, as seed 000 reports it: left a draft, for its lead to resolve
    # what the preview warns of. Two of its sentences say more than the data did on the session's day (R7's
    # rebrand and R8's engagement programme were signed off as delivered only on 24 March 2021), and it
    # repeats the shortfall the council published, which does not add up.
    {
        "session": "pss",
        "introduction": (
            "The comments were made by the LGA as part of an ongoing support session, following the "
            "recommendations of the 2019 Corporate Peer Challenge and, most recently, the Recovery and Renewal "
            "Panel of September 2020."
        ),
        "executive_summary": (
            "The session highlighted the significant amount of progress achieved in the last 12 months, all the "
            "more remarkable against the backdrop of the COVID-19 pandemic and the council's role in leading the "
            "local response to it.\n\n"
            "R7: proactive external communications, including an organisation rebrand, have been delivered. "
            "R8: a programme of employee engagement has been completed with the new senior leadership team."
        ),
        "themes_lead_in": (
            "The council addressed its pressing financial position, after a shortfall of £17.12m in 2020/21, "
            "with an agreed budget and Medium-Term Financial Strategy for 2021/22."
        ),
        "next_steps_lead_in": "",
    },
]

SPECS = [(ST_HELENS, ST_HELENS_REPORTS)]


def seed(report: SeedReport) -> None:
    """Load what is missing of each council's report-side data (a council not in the database is skipped)."""
    for council_spec, spec in SPECS:
        council = Council.objects.filter(slug=spec["council"]).first()
        if council is None:
            continue
        lead = _lead_of(council)
        engagements = _engagements(council, council_spec)
        added = [
            _count(_sessions(spec, council, engagements, lead), "panel session"),
            _count(_achievements(spec, council, engagements, lead), "achievement"),
            _count(_key_figures(spec, council, engagements, lead), "key figure"),
            _count(_quotes(spec, council, engagements, lead), "quote"),
            _count(_reports(spec, council, engagements, lead), "summary report"),
        ]
        if any(not line.startswith("0 ") for line in added):
            report.lines.append(f"{council.name} reports: added {', '.join(added)}.")
        else:
            report.lines.append(f"{council.name} reports: already present, left as they are.")


def _lead_of(council: Council) -> User:
    email = next(p["email"] for p in USERS if p["council"] == council.slug and p["role"] == LEAD)
    return User.objects.get(email__iexact=email)


def _engagements(council: Council, council_spec: dict[str, Any]) -> dict[str, Engagement]:
    """The core demo's engagements by their key (their title is what the database knows them by)."""
    titles = {item["key"]: item["title"] for item in council_spec["engagements"]}
    found = {e.title: e for e in Engagement.objects.filter(council=council, title__in=titles.values())}
    return {key: found[title] for key, title in titles.items() if title in found}


def _recorded(day: dt.date) -> dt.datetime:
    return moment(f"{day.isoformat()} 17:00")


def _sessions(spec: dict[str, Any], council: Council, engagements: dict[str, Engagement], lead: User) -> int:
    added = 0
    for item in spec["sessions"]:
        engagement = engagements[item["engagement"]]
        day = engagement.first_onsite_day
        if PanelSession.objects.filter(engagement=engagement, held_on=day).exists():
            continue
        parent, references = item["recommendations"]
        details = dict(item.get("details", {}))
        if "next_check_in" in details:  # the day of the next session, by its engagement's key
            details["next_check_in"] = engagements[details["next_check_in"]].first_onsite_day
        discussed = Recommendation.objects.filter(engagement=engagements[parent], reference__in=references)
        session_create(
            council=council,
            by=lead,
            engagement=engagement,
            held_on=day,
            mode=engagement.mode,
            peers=list(engagement.peers.all()),
            recommendations=sorted(discussed, key=lambda r: references.index(r.reference)),
            findings=[FindingRow(*finding) for finding in item["findings"]],
            next_steps=item["next_steps"],
            at=_recorded(day),
            **details,
        )
        added += 1
    return added


def _achievements(spec: dict[str, Any], council: Council, engagements: dict[str, Engagement], lead: User) -> int:
    added = 0
    day = dt.date.fromisoformat(spec["achievements_on"])
    for title, description in spec["achievements"]:
        if Achievement.objects.filter(council=council, title=title).exists():
            continue
        achievement = Achievement(
            council=council,
            title=title,
            awarded_by=spec["achievements_awarded_by"],
            awarded_on=day,
            description=description,
        )
        save_with_history(achievement, by=lead, at=_recorded(day + dt.timedelta(days=1)))
        added += 1
    return added


def _key_figures(spec: dict[str, Any], council: Council, engagements: dict[str, Engagement], lead: User) -> int:
    added = 0
    engagement = engagements[spec["key_figures_engagement"]]
    reported_on = engagement.report_published or engagement.first_onsite_day
    at = moment(f"{reported_on.isoformat()} 10:00")
    for position, figure in enumerate(spec["key_figures"]):
        if KeyFigure.objects.filter(council=council, key=figure["key"]).exists():
            continue
        values = {**figure, "value": Decimal(figure["value"]), "reported_on": reported_on}
        save_with_history(
            KeyFigure(council=council, unit=KeyFigure.Unit.POUNDS, position=position, **values), by=lead, at=at
        )
        added += 1
    return added


def _quotes(spec: dict[str, Any], council: Council, engagements: dict[str, Engagement], lead: User) -> int:
    added = 0
    who, role = LEADER
    for quote in spec["quotes"]:
        said_on = engagements[quote["engagement"]].report_published
        if Quote.objects.filter(council=council, who=who, said_on=said_on).exists():
            continue
        save_with_history(
            Quote(council=council, who=who, role=role, said_on=said_on, occasion=quote["occasion"], text=quote["text"]),
            by=lead,
            at=_recorded(said_on),
        )
        added += 1
    return added


def _reports(spec: dict[str, Any], council: Council, engagements: dict[str, Engagement], lead: User) -> int:
    """Each session's summary report, written on its engagement's report day and, where `published_on` names
    that day, published then (its PDF is made now, from the data as at the session's day)."""
    added = 0
    for item in spec.get("reports", []):
        engagement = engagements[item["session"]]
        session = PanelSession.objects.get(engagement=engagement, held_on=engagement.first_onsite_day)
        if SummaryReport.objects.filter(session=session).exists():
            continue
        written = _recorded(engagement.report_published)
        report = report_create(by=lead, session=session, at=written)
        report = report_update(
            report=report,
            by=lead,
            expected_version=report.version,
            at=written,
            executive_summary=item["executive_summary"],
            introduction=item["introduction"],
            themes_lead_in=item["themes_lead_in"],
            next_steps_lead_in=item["next_steps_lead_in"],
        )
        if item.get("published_on"):
            report_publish(report=report, by=lead, at=written)
        added += 1
    return added


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
