"""St Helens Borough Council: the 2019 Corporate Peer Challenge and what followed (data only)."""

from typing import Any

from recommendations.models import (
    Council,
    Engagement,
    Evidence,
    Peer,
)

from .common import (
    AMBER,
    ANOTHER_COUNCIL,
    CLOSED,
    COMPLETE,
    CPC_COMPONENTS_2019,
    GREEN,
    ILLUSTRATIVE,
    IN_PROGRESS,
    LGA,
    NOT_STARTED,
    RED,
    ST_HELENS_BUDGETS,
    ST_HELENS_PAGE,
)

# (key, role, name, home organisation): labelled by role only, no real people.
ST_HELENS_PEERS: list[tuple[str, str, str, str]] = [
    ("lead_peer", Peer.Role.LEAD_PEER, "Lead peer (illustrative)", ANOTHER_COUNCIL),
    ("member_a", Peer.Role.MEMBER_PEER, "Member peer A (illustrative)", ANOTHER_COUNCIL),
    ("member_b", Peer.Role.MEMBER_PEER, "Member peer B (illustrative)", ANOTHER_COUNCIL),
    ("officer_a", Peer.Role.OFFICER_PEER, "Officer peer A (illustrative)", ANOTHER_COUNCIL),
    ("officer_b", Peer.Role.OFFICER_PEER, "Officer peer B (illustrative)", ANOTHER_COUNCIL),
    ("officer_c", Peer.Role.OFFICER_PEER, "Officer peer C (illustrative)", ANOTHER_COUNCIL),
    ("officer_d", Peer.Role.OFFICER_PEER, "Officer peer D (illustrative)", ANOTHER_COUNCIL),
    ("manager", Peer.Role.CHALLENGE_MANAGER, "Peer challenge manager (illustrative)", LGA),
]
CPC_TEAM = [key for key, *_ in ST_HELENS_PEERS]  # "the team of eight peers" of January and March 2019

ST_HELENS: dict[str, Any] = {
    "council": {
        "name": "St Helens Borough Council",
        "slug": "st-helens",
        "kind": Council.Kind.METROPOLITAN_BOROUGH,
        "region": "North West",
    },
    "directorates": [
        "Chief Executive's Office",
        "Children's Services",
        "Finance",
        "People and Organisational Development",
        "Communications",
        "Policy and Strategy",
    ],
    "peers": ST_HELENS_PEERS,
    "source_note": ILLUSTRATIVE,
    "engagements": [
        {
            "key": "cpc",
            "kind": "corporate-peer-challenge",
            "title": "Corporate Peer Challenge 2019",
            "mode": Engagement.Mode.ONSITE,
            "first_onsite_day": "2019-01-15",
            "last_onsite_day": "2019-01-18",
            "report_published": "2019-07-17",
            "action_plan_published": "2019-07-17",
            "report_url": ST_HELENS_PAGE,
            "peers": CPC_TEAM,
            "themes": CPC_COMPONENTS_2019,
            "created": "2019-01-15 09:00",
        },
        {
            # Its own engagement: the same team came back to look at culture; the exact days are not in
            # our sources, so they are left blank. Its actions are in the combined plan under the CPC.
            "key": "culture",
            "kind": "culture-review",
            "title": "Culture review (March 2019)",
            "mode": Engagement.Mode.ONSITE,
            "report_published": "2019-07-17",
            "action_plan_published": "2019-07-17",
            "report_url": ST_HELENS_PAGE,
            "peers": CPC_TEAM,
            "themes": [],
            "created": "2019-03-01 09:00",
        },
        {
            "key": "rrp",
            "kind": "recovery-and-renewal-panel",
            "title": "Recovery and Renewal Panel",
            "parent": "cpc",
            "mode": Engagement.Mode.REMOTE,
            "first_onsite_day": "2020-09-28",
            "last_onsite_day": "2020-09-28",
            "report_published": "2020-12-02",  # the summary was considered by Cabinet that day
            "peers": ["lead_peer", "member_a", "manager"],
            "themes": [],
            "created": "2020-09-14 09:00",
        },
        {
            "key": "pss",
            "kind": "peer-support-session",
            "title": "Peer support session 2021",
            "parent": "cpc",
            "mode": Engagement.Mode.REMOTE,
            # March 2021, after the iNetwork Awards of 11 March that its report names; the day is illustrative
            "first_onsite_day": "2021-03-16",
            "last_onsite_day": "2021-03-16",
            "report_published": "2021-03-24",
            "peers": ["lead_peer", "manager"],
            "themes": [],
            "created": "2021-02-22 09:00",
        },
    ],
    # The combined action plan of July 2019: eight recommendations, twelve actions.
    "plan_created": "2019-07-17 10:00",
    "recommendations": [
        {
            "engagement": "cpc",
            "reference": "R1",
            "heading": "Assistant Chief Executive",
            "text": (
                "Appoint an Assistant Chief Executive to add capacity at the top of the organisation and to "
                "lead the council's modernisation programme."
            ),
            "theme": "Capacity to deliver",
            "directorate": "Chief Executive's Office",
            "owner": "officer",
            "lead_member": "Leader of the Council",
            "due_date": "2020-03-31",
            "actions": [
                {
                    "reference": "1.1",
                    "description": "Recruit a permanent Assistant Chief Executive as part of the senior structure.",
                    "owner": "officer",
                    "start_date": "2019-07-17",
                    "due_date": "2020-03-31",
                },
            ],
        },
        {
            "engagement": "cpc",
            "reference": "R2",
            "heading": "A more distributed leadership model",
            "text": (
                "Develop a more distributed model of leadership, so that the senior team shares corporate "
                "responsibility and the organisation does not rely on the Chief Executive to move things forward."
            ),
            "theme": "Organisational leadership and governance",
            "directorate": "Chief Executive's Office",
            "owner": "officer",
            "lead_member": "Leader of the Council",
            "due_date": "2020-09-30",
            "actions": [
                {
                    "reference": "2.1",
                    "description": "Appoint a permanent Chief Executive.",
                    "owner": "lead",
                    "start_date": "2019-07-17",
                    "due_date": "2019-12-31",
                },
                {
                    "reference": "2.2",
                    "description": (
                        "Design, consult on and put in place a senior leadership structure in which directors "
                        "hold corporate as well as service responsibilities."
                    ),
                    "owner": "officer",
                    "start_date": "2019-10-01",
                    "due_date": "2020-06-30",
                },
            ],
        },
        {
            "engagement": "cpc",
            "reference": "R3",
            "heading": "Reset the political and organisational culture",
            "text": (
                "Work with members and officers to reset the political and organisational culture, with clear "
                "roles, mutual trust and agreed standards of behaviour."
            ),
            "theme": "Organisational leadership and governance",
            "directorate": "People and Organisational Development",
            "owner": "officer",
            "lead_member": "Leader of the Council",
            "due_date": "2021-06-30",
            "actions": [
                {
                    "reference": "3.1",
                    "description": (
                        "Agree a member–officer protocol and run a joint development programme for Cabinet "
                        "and the senior team, as the culture review proposed."
                    ),
                    "owner": "officer",
                    "start_date": "2019-07-17",
                    "due_date": "2020-03-31",
                },
                {
                    "reference": "3.2",
                    "description": "Agree and embed a set of organisational values and behaviours with staff.",
                    "owner": "officer",
                    "start_date": "2020-01-06",
                    "due_date": "2021-03-31",
                },
            ],
        },
        {
            "engagement": "cpc",
            "reference": "R4",
            "heading": "Children's services improvement and performance management",
            "text": (
                "Make sure members and senior officers understand the scale of the improvement needed in "
                "children's services, and drive it with a performance management framework that gives them a "
                "clear line of sight of practice and outcomes."
            ),
            "theme": "Capacity to deliver",
            "directorate": "Children's Services",
            "owner": "officer2",
            "lead_member": "Cabinet Member for Children and Young People's Services",
            "due_date": "2021-03-31",
            "actions": [
                {
                    "reference": "4.1",
                    "description": (
                        "Refresh the children's services improvement plan with a performance management framework."
                    ),
                    "owner": "officer2",
                    "start_date": "2019-07-17",
                    "due_date": "2020-03-31",
                },
                {
                    "reference": "4.2",
                    "description": (
                        "Report children's services performance every month to an improvement board chaired by "
                        "the Chief Executive."
                    ),
                    "owner": "officer2",
                    "start_date": "2020-04-01",
                    "due_date": "2021-03-31",
                },
            ],
        },
        {
            "engagement": "cpc",
            "reference": "R5",
            "heading": "Finance and the Medium-Term Financial Strategy",
            "text": (
                "Refresh the Medium-Term Financial Strategy so that it shows how the council will close its "
                "budget gap over the medium term, linked to its priorities and to its capital investment."
            ),
            "theme": "Financial planning and viability",
            "directorate": "Finance",
            "owner": "officer2",
            "lead_member": "Cabinet Member for Finance",
            "due_date": "2020-03-31",
            "actions": [
                {
                    "reference": "5.1",
                    "description": "Refresh the Medium-Term Financial Strategy and set a balanced budget.",
                    "owner": "officer2",
                    "start_date": "2019-07-17",
                    "due_date": "2020-03-31",
                },
                {
                    "reference": "5.2",
                    "description": "Develop a Capital and Investment Strategy alongside the budget.",
                    "owner": "officer2",
                    "start_date": "2020-04-01",
                    "due_date": "2021-03-31",
                },
            ],
        },
        {
            "engagement": "cpc",
            "reference": "R6",
            "heading": "A strategy with corporately owned priorities",
            "text": (
                "Develop a strategy for the borough that engages all stakeholders, with a small set of "
                "priorities that are owned corporately and shape policy, budgets and decisions."
            ),
            "theme": "Understanding of the local place and priority setting",
            "directorate": "Policy and Strategy",
            "owner": "officer",
            "lead_member": "Leader of the Council",
            "due_date": "2020-12-31",
            "actions": [
                {
                    "reference": "6.1",
                    "description": (
                        "Develop the Borough Strategy with members, staff, partners and residents, and align "
                        "directorate plans to its priorities."
                    ),
                    "owner": "officer",
                    "start_date": "2019-09-02",
                    "due_date": "2020-12-31",
                },
            ],
        },
        {
            "engagement": "cpc",
            "reference": "R7",
            "heading": "External communications",
            "text": (
                "Invest in proactive external communications that tell the story of the council and the "
                "borough, including a refreshed organisational brand."
            ),
            "theme": "Leadership of place",
            "directorate": "Communications",
            "owner": "officer2",
            "lead_member": "Cabinet Member for Corporate Services",
            "due_date": "2021-03-31",
            "actions": [
                {
                    "reference": "7.1",
                    "description": "Agree an external communications strategy and refresh the council's brand.",
                    "owner": "officer2",
                    "start_date": "2019-11-01",
                    "due_date": "2021-03-31",
                },
            ],
        },
        {
            "engagement": "cpc",
            "reference": "R8",
            "heading": "Organisational capacity and workforce engagement",
            "text": (
                "Build the organisation's capacity for change, with a workforce plan and a programme of "
                "employee engagement so that staff understand and shape the council's direction."
            ),
            "theme": "Capacity to deliver",
            "directorate": "People and Organisational Development",
            "owner": "officer",
            "lead_member": "Cabinet Member for Corporate Services",
            "due_date": "2021-06-30",
            "actions": [
                {
                    "reference": "8.1",
                    "description": (
                        "Develop and run an employee engagement programme, with a staff survey and the Ways of "
                        "Working programme."
                    ),
                    "owner": "officer",
                    "start_date": "2019-10-01",
                    "due_date": "2021-06-30",
                },
            ],
        },
    ],
    # Slippage, each with its reason, at the moment the date moved.
    # Slippage: (items, moment, new due date, reason), moved by the lead.
    "due_date_moves": [
        (
            ["R1", "1.1"],
            "2020-04-22 11:00",
            "2021-01-31",
            "Recruitment paused in the first Covid-19 lockdown; the post is now part of the senior restructure.",
        ),
        (
            ["R5", "5.1"],
            "2020-05-20 11:00",
            "2021-03-31",
            "Covid-19 cost and income pressures mean the MTFS has to be rebuilt for 2021/22.",
        ),
        (
            ["R2", "2.2"],
            "2020-06-10 11:00",
            "2021-01-31",
            "Restructure consultation deferred while the senior team led the Covid-19 response.",
        ),
        (
            ["R6", "6.1"],
            "2020-06-10 11:00",
            "2021-02-28",
            "Engagement with residents and partners on the Borough Strategy paused during the lockdown.",
        ),
        (
            # Moved only after the Recovery and Renewal Panel: on 28 September 2020 it was overdue.
            ["3.1"],
            "2020-10-14 11:00",
            "2020-12-31",
            "Joint development sessions moved online after the Covid-19 restrictions; the last two are in December.",
        ),
        (
            ["R4", "4.2"],
            "2021-03-24 11:00",
            "2022-03-31",
            "Target aligned with the children's services improvement plan, which runs to March 2022.",
        ),
        (
            ["R8", "8.1"],
            "2021-06-30 11:00",
            "2021-12-31",
            "The first all-staff survey moved to the autumn, after the new structure had settled.",
        ),
    ],
    # Approved progress, on the day it was signed off. An owner's update is created, submitted and
    # approved by the lead (with an assurance RAG where the lead disagreed); "recorded": True is a lead's
    # direct change (services.update_record).
    "updates": [
        # R1 Assistant Chief Executive
        {
            "item": "R1",
            "on": "2019-10-16",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "The interim post-holder left in September 2019; no permanent appointment yet.",
            "narrative": (
                "An interim Assistant Chief Executive was appointed in April 2019 to lead the One Council "
                "modernisation programme and left in September. An interim programme director now leads it."
            ),
        },
        {
            "item": "1.1",
            "on": "2019-10-16",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Permanent recruitment waits for the new Chief Executive.",
            "narrative": "Role profile drafted; recruitment will follow the Chief Executive appointment.",
            "percent": 20,
        },
        {
            "item": "R1",
            "on": "2020-01-22",
            "by": "lead",
            "recorded": True,
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Depends on the senior structure the new Chief Executive will propose.",
            "narrative": "Position as reported to Cabinet in January 2020.",
        },
        {
            "item": "R1",
            "on": "2020-09-23",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Recruitment was paused in the first lockdown; now part of the restructure from November.",
            "narrative": "The post is included in the senior management restructure, which starts in November 2020.",
        },
        {
            "item": "1.1",
            "on": "2020-09-23",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Appointment now expected in January 2021.",
            "narrative": "Post included in the restructure proposals.",
            "percent": 40,
        },
        {
            "item": "1.1",
            "on": "2021-01-29",
            "by": "officer",
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": "Assistant Chief Executive appointed through the senior management restructure.",
            "percent": 100,
        },
        {
            "item": "R1",
            "on": "2021-01-29",
            "by": "officer",
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": (
                "The restructure between November 2020 and January 2021 appointed an Assistant Chief Executive "
                "as part of a new senior leadership team."
            ),
        },
        # R2 A more distributed leadership model
        {
            "item": "R2",
            "on": "2019-10-16",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Too much still rests with one post while a permanent Chief Executive is recruited.",
            "narrative": "Recruitment of a permanent Chief Executive under way after the previous post-holder left.",
        },
        {
            "item": "2.1",
            "on": "2019-10-16",
            "by": "lead",
            "recorded": True,
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Recruitment under way with an external search.",
            "percent": 50,
        },
        {
            "item": "2.1",
            "on": "2020-01-22",
            "by": "lead",
            "recorded": True,
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": "Permanent Chief Executive appointed: the first of the plan's twelve actions to be completed.",
            "percent": 100,
        },
        {
            "item": "R2",
            "on": "2020-01-22",
            "by": "lead",
            "recorded": True,
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Most of the plan's twelve actions are still in progress.",
            "narrative": "Position as reported to Cabinet in January 2020: Chief Executive appointed.",
        },
        {
            "item": "2.2",
            "on": "2020-06-17",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Design work paused while the senior team led the Covid-19 response.",
            "narrative": "Options for the senior structure drafted before the lockdown.",
            "percent": 20,
        },
        {
            "item": "R2",
            "on": "2020-09-23",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "The new structure is designed but not yet in place.",
            "narrative": (
                "Senior management restructure agreed in principle; consultation from November 2020. "
                "Reported to Cabinet with the Peer Review/One Council update."
            ),
        },
        {
            "item": "2.2",
            "on": "2020-09-23",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Consultation not yet started.",
            "narrative": "Proposals agreed with the Chief Executive and the Leader.",
            "percent": 40,
        },
        {
            "item": "R2",
            "on": "2020-12-16",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Restructure under way; new directors appointed with shared corporate responsibilities.",
        },
        {
            "item": "2.2",
            "on": "2020-12-16",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Consultation closed; appointments being made.",
            "percent": 75,
        },
        {
            "item": "2.2",
            "on": "2021-01-29",
            "by": "officer",
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": "Restructure completed between November 2020 and January 2021.",
            "percent": 100,
        },
        {
            "item": "R2",
            "on": "2021-02-10",
            "by": "officer",
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": (
                "A new senior leadership team is in place: five of the six senior officers joined in the last "
                "twelve months. Directors hold corporate portfolios as well as their services."
            ),
        },
        # R3 Reset the political and organisational culture
        {
            "item": "R3",
            "on": "2019-10-16",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Joint member–officer development programme agreed in response to the culture review.",
        },
        {
            "item": "3.1",
            "on": "2019-10-16",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Protocol drafted; first joint sessions held.",
            "percent": 30,
        },
        {
            "item": "R3",
            "on": "2020-06-17",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Face-to-face sessions stopped in the lockdown.",
            "narrative": "Development sessions are moving online.",
        },
        {
            "item": "3.1",
            "on": "2020-09-23",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Past its due date: sessions stopped in the lockdown and restarted online.",
            "narrative": "Protocol agreed; two joint sessions remain.",
            "percent": 60,
        },
        {
            "item": "3.2",
            "on": "2020-09-23",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Values drafted with staff through online workshops.",
            "percent": 40,
        },
        {
            "item": "R3",
            "on": "2020-09-23",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Member–officer development is behind plan.",
            "narrative": "Protocol agreed; values and behaviours drafted with staff.",
        },
        {
            "item": "3.1",
            "on": "2020-12-16",
            "by": "officer",
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": "Joint development programme completed online.",
            "percent": 100,
        },
        {
            "item": "3.2",
            "on": "2021-03-24",
            "by": "officer",
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": "Values and behaviours launched with the new structure.",
            "percent": 100,
        },
        {
            "item": "R3",
            "on": "2021-03-24",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": (
                "The LGA's peer support session found a positive, honest and collaborative working relationship "
                "between elected members and officers, and greater clarity in decision making."
            ),
        },
        {
            "item": "R3",
            "on": "2021-06-30",
            "by": "lead",
            "recorded": True,
            "status": CLOSED,
            "rag": GREEN,
            "narrative": "Closed: transitioned to business as usual through the organisational development programme.",
        },
        # R4 Children's services improvement and performance management
        {
            "item": "R4",
            "on": "2019-10-16",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "The performance management framework is not yet in use.",
            "narrative": "Improvement plan being refreshed; performance framework in development.",
        },
        {
            "item": "4.1",
            "on": "2019-10-16",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Draft plan with the improvement board.",
            "percent": 50,
        },
        {
            "item": "4.1",
            "on": "2020-03-11",
            "by": "officer2",
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": "Refreshed improvement plan and performance framework agreed.",
            "percent": 100,
        },
        {
            "item": "4.2",
            "on": "2020-09-23",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Monthly performance reports to the improvement board since April 2020.",
            "percent": 50,
        },
        {
            "item": "R4",
            "on": "2020-09-23",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "assurance": AMBER,
            "assurance_reason": "Amber until the progress is sustained.",
            "narrative": (
                "Ofsted's virtual monitoring visit in August 2020 found progress; its letter went to Cabinet on "
                "23 September 2020."
            ),
        },
        {
            "item": "R4",
            "on": "2021-03-24",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "The LGA peer support session recognised the improvements in children's services.",
        },
        {
            "item": "4.2",
            "on": "2021-03-24",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Reporting continues; members see practice and outcome measures every month.",
            "percent": 75,
        },
        # R5 Finance and the Medium-Term Financial Strategy
        {
            "item": "R5",
            "on": "2019-10-16",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "MTFS refresh under way for budget setting.",
        },
        {
            "item": "5.1",
            "on": "2019-10-16",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Savings options being worked up with directorates.",
            "percent": 30,
        },
        {
            "item": "R5",
            "on": "2020-06-17",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": RED,
            "reason": "Covid-19 costs and lost income put the 2020/21 budget and the MTFS at risk.",
            "narrative": "The MTFS is being rebuilt for 2021/22 around the Covid-19 pressures.",
        },
        {
            "item": "5.1",
            "on": "2020-09-23",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "The gap for 2021/22 is not yet closed.",
            "narrative": "Budget Strategy 2021–2022 going to Cabinet on 7 October 2020.",
            "percent": 40,
        },
        {
            "item": "R5",
            "on": "2020-09-23",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "A budget strategy is ready, but the gap depends on Government funding for Covid-19.",
            "assurance": RED,
            "assurance_reason": "Red while the Covid-19 shortfall is unfunded.",
            "narrative": "Budget Strategy 2021–2022 going to Cabinet on 7 October 2020.",
        },
        {
            "item": "R5",
            "on": "2020-12-16",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Awaiting the one-year settlement from Government.",
            "narrative": (
                "As reported with the Recovery and Renewal Panel's themes: a budget requirement of £20.4m for "
                "2021/2022, following a Covid-19 cost and income pressure of £30.35m for 2020/2021, met by only "
                "£13.2m of additional funding to date, leaving a shortfall of £17.12m."
            ),
        },
        {
            "item": "5.2",
            "on": "2020-12-16",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Capital programme drafted for the three years of the MTFS.",
            "percent": 60,
        },
        {
            "item": "5.1",
            "on": "2021-03-04",
            "by": "officer2",
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": "Budget for 2021/22 and MTFS 2021–2024 approved by Council on 3 March 2021.",
            "percent": 100,
        },
        {
            "item": "5.2",
            "on": "2021-03-04",
            "by": "lead",
            "recorded": True,
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": "Capital and Investment Strategy approved with the budget on 3 March 2021.",
            "percent": 100,
        },
        {
            "item": "R5",
            "on": "2021-03-04",
            "by": "officer2",
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": (
                "An agreed budget and Medium-Term Financial Strategy for 2021/22, and a Capital and Investment "
                "Strategy, approved by Council on 3 March 2021."
            ),
        },
        # R6 A strategy with corporately owned priorities
        {
            "item": "R6",
            "on": "2019-10-16",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Evidence base for a Borough Strategy being gathered.",
        },
        {
            "item": "R6",
            "on": "2020-06-17",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Engagement with residents and partners paused in the lockdown.",
            "narrative": "Engagement will restart online in the summer.",
        },
        {
            "item": "6.1",
            "on": "2020-09-23",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Engagement restarted late.",
            "narrative": "Online engagement with partners and residents under way.",
            "percent": 50,
        },
        {
            "item": "R6",
            "on": "2020-09-23",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Priorities not yet agreed.",
            "narrative": "Draft priorities shared with Cabinet and the senior team.",
        },
        {
            "item": "6.1",
            "on": "2021-02-24",
            "by": "officer",
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": "Borough Strategy agreed by Cabinet on 24 February 2021.",
            "percent": 100,
        },
        {
            "item": "R6",
            "on": "2021-02-24",
            "by": "officer",
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": (
                "Borough Strategy agreed by Cabinet on 24 February 2021. Policy and strategic decisions are now "
                "shaped by a clear set of corporately owned priorities."
            ),
        },
        # R7 External communications
        {
            "item": "R7",
            "on": "2019-10-16",
            "by": "officer2",
            "status": NOT_STARTED,
            "rag": AMBER,
            "reason": "Communications capacity to be reviewed first.",
            "narrative": "Review of the communications team to start in November 2019.",
        },
        {
            "item": "R7",
            "on": "2020-06-17",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": (
                "The St Helens Together campaign built new relationships with residents, businesses and partners "
                "during the Covid-19 response."
            ),
        },
        {
            "item": "7.1",
            "on": "2020-09-23",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Communications strategy drafted; brand refresh commissioned.",
            "percent": 40,
        },
        {
            "item": "R7",
            "on": "2020-09-23",
            "by": "officer2",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Proactive external communications strategy drafted; organisational rebrand commissioned.",
        },
        {
            "item": "7.1",
            "on": "2021-03-24",
            "by": "officer2",
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": "New organisational brand launched.",
            "percent": 100,
        },
        {
            "item": "R7",
            "on": "2021-03-24",
            "by": "officer2",
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": "Investment in proactive external communications, including an organisation rebrand.",
        },
        {
            "item": "R7",
            "on": "2021-06-30",
            "by": "lead",
            "recorded": True,
            "status": CLOSED,
            "rag": GREEN,
            "narrative": "Closed: transitioned to business as usual in the communications team's annual plan.",
        },
        # R8 Organisational capacity and workforce engagement
        {
            "item": "R8",
            "on": "2019-10-16",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Capacity for change is thin while senior posts are vacant.",
            "narrative": "Workforce plan scoped with the One Council programme.",
        },
        {
            "item": "8.1",
            "on": "2020-09-23",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "Engagement programme waits for the restructure.",
            "narrative": "Ways of Working programme launched in response to Covid-19.",
            "percent": 30,
        },
        {
            "item": "R8",
            "on": "2020-09-23",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": AMBER,
            "reason": "The employee engagement programme will follow the restructure.",
            "narrative": "Ways of Working programme launched; engagement programme being designed.",
        },
        {
            "item": "8.1",
            "on": "2021-03-24",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Programme of employee engagement developed with the new senior leadership team.",
            "percent": 60,
        },
        {
            "item": "R8",
            "on": "2021-03-24",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "assurance": AMBER,
            "assurance_reason": "Amber until it has been delivered and staff feedback is in.",
            "narrative": "A programme of employee engagement has been developed.",
        },
        {
            "item": "R8",
            "on": "2021-06-30",
            "by": "officer",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": (
                "The Ways of Working programme won the Transforming and Innovating Public Services Award. The "
                "employee engagement programme is under way; the first all-staff survey is planned for the autumn."
            ),
        },
    ],
    # The review workflow, after the 2021 history: never approved, so no position at any date changes.
    "pending_updates": [
        {
            "item": "4.2",
            "state": "draft",
            "by": "officer2",
            "created": "2022-01-10 09:30",
            "status": IN_PROGRESS,
            "rag": GREEN,
            "narrative": "Monthly reporting continues; draft for the January board.",
            "percent": 85,
        },
        {
            "item": "R8",
            "state": "submitted",
            "by": "officer",
            "created": "2022-01-12 09:30",
            "submitted": "2022-01-12 15:00",
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": (
                "All-staff survey completed in the autumn and the results shared with staff; the engagement "
                "programme is now part of the people strategy."
            ),
        },
        {
            "item": "8.1",
            "state": "returned",
            "by": "officer",
            "created": "2022-01-05 09:30",
            "submitted": "2022-01-06 15:00",
            "returned": "2022-01-07 11:00",
            "returned_by": "lead",
            "comment": "Please add the survey response rate and attach the results summary as evidence.",
            "status": COMPLETE,
            "rag": GREEN,
            "narrative": "Staff survey done.",
            "percent": 100,
        },
    ],
    "evidence": [
        {
            "kind": Evidence.Kind.LINK,
            "title": "LGA Corporate Peer Challenge feedback report (15–18 January 2019)",
            "url": ST_HELENS_PAGE,
            "dated": "2019-07-17",
            "added_by": "lead",
            "created": "2019-07-17 14:00",
            "recommendations": ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"],
        },
        {
            "kind": Evidence.Kind.LINK,
            "title": "LGA culture review report (March 2019)",
            "url": ST_HELENS_PAGE,
            "dated": "2019-07-17",
            "added_by": "lead",
            "created": "2019-07-17 14:05",
            "recommendations": ["R2", "R3"],
        },
        {
            "kind": Evidence.Kind.ASSESSMENT,
            "title": "Ofsted monitoring visit letter (virtual visit, August 2020)",
            "reference": "Ofsted, virtual monitoring visit to children's services, August 2020; reported to Cabinet "
            "on 23 September 2020.",
            "dated": "2020-09-23",
            "added_by": "officer2",
            "created": "2020-09-21 10:00",
            "recommendations": ["R4"],
            "actions": ["4.2"],
            "updates": [("R4", "2020-09-23")],
        },
        {
            "kind": Evidence.Kind.LINK,
            "title": "Budget Strategy 2021–2022 (report to Cabinet, 7 October 2020)",
            "url": ST_HELENS_BUDGETS,
            "dated": "2020-10-07",
            "added_by": "officer2",
            "created": "2020-10-08 10:00",
            "recommendations": ["R5"],
            "updates": [("R5", "2020-12-16")],
        },
        {
            "kind": Evidence.Kind.LINK,
            "title": "Medium Term Financial Strategy 2021–2024 and Revenue & Capital Budget 2021/22 (Council)",
            "url": ST_HELENS_BUDGETS,
            "reference": "Approved by Cabinet on 24 February 2021 and by Council on 3 March 2021.",
            "dated": "2021-03-03",
            "added_by": "officer2",
            "created": "2021-03-01 10:00",
            "recommendations": ["R5"],
            "actions": ["5.1", "5.2"],
            "updates": [("R5", "2021-03-04"), ("5.1", "2021-03-04"), ("5.2", "2021-03-04")],
        },
        {
            "kind": Evidence.Kind.LINK,
            "title": "Borough Strategy (Cabinet, 24 February 2021)",
            "url": "https://www.sthelens.gov.uk/",
            "dated": "2021-02-24",
            "added_by": "officer",
            "created": "2021-02-22 10:00",
            "recommendations": ["R6"],
            "actions": ["6.1"],
            "updates": [("R6", "2021-02-24"), ("6.1", "2021-02-24")],
        },
        {
            "kind": Evidence.Kind.LINK,
            "title": "Senior leadership restructure: appointments and new structure (internal)",
            "url": "https://intranet.st-helens.example/one-council/senior-structure",
            "dated": "2021-01-29",
            "internal": True,
            "added_by": "officer",
            "created": "2021-01-27 10:00",
            "recommendations": ["R1", "R2"],
            "actions": ["1.1", "2.2"],
            "updates": [("R1", "2021-01-29"), ("2.2", "2021-01-29")],
        },
        {
            "kind": Evidence.Kind.LINK,
            "title": "LGA Peer Support Summary Report (March 2021)",
            "url": ST_HELENS_PAGE,
            "dated": "2021-03-24",
            "added_by": "lead",
            "created": "2021-03-24 09:00",
            "recommendations": ["R2", "R3", "R4", "R6", "R7", "R8"],
            "updates": [("R3", "2021-03-24"), ("R4", "2021-03-24")],
        },
        {
            "kind": Evidence.Kind.ASSESSMENT,
            "title": "Transforming and Innovating Public Services Award: Ways of Working programme",
            "reference": "National award, cited in the LGA Peer Support Summary Report (March 2021).",
            "added_by": "officer",
            "created": "2021-03-22 10:00",
            "recommendations": ["R8"],
            "actions": ["8.1"],
            "updates": [("R8", "2021-03-24")],
        },
        {
            "kind": Evidence.Kind.ASSESSMENT,
            "title": "Covid-19 Response and Partner Excellence awards: St Helens Together",
            "reference": "National awards, cited in the LGA Peer Support Summary Report (March 2021).",
            "added_by": "officer2",
            "created": "2021-03-22 10:30",
            "recommendations": ["R7"],
            "updates": [("R7", "2021-03-24")],
        },
    ],
}
