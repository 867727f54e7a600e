"""The demo's people: fictional, one for every role."""

from typing import Any

from .common import (
    ADVISER,
    LEAD,
    LEADERSHIP,
    OFFICER,
)

# Fictional people. `key` is how the data below refers to them.
USERS: list[dict[str, Any]] = [
    {
        "key": "officer",
        "email": "officer@st-helens.example",
        "first_name": "Sam",
        "last_name": "Carter",
        "job_title": "Programme Manager, Chief Executive's Office",
        "council": "st-helens",
        "role": OFFICER,
    },
    {
        "key": "officer2",
        "email": "officer2@st-helens.example",
        "first_name": "Priya",
        "last_name": "Desai",
        "job_title": "Performance and Improvement Manager",
        "council": "st-helens",
        "role": OFFICER,
    },
    {
        "key": "lead",
        "email": "lead@st-helens.example",
        "first_name": "Morgan",
        "last_name": "Ellis",
        "job_title": "Head of Policy and Improvement",
        "council": "st-helens",
        "role": LEAD,
    },
    {
        "key": "leadership",
        "email": "leadership@st-helens.example",
        "first_name": "Ruth",
        "last_name": "Okafor",
        "job_title": "Executive Director, Corporate Services",
        "council": "st-helens",
        "role": LEADERSHIP,
    },
    {
        "key": "adviser",
        "email": "adviser@st-helens.example",
        "first_name": "Tom",
        "last_name": "Whitaker",
        "job_title": "LGA adviser",
        "council": "st-helens",
        "role": ADVISER,
    },
    {
        "key": "b_lead",
        "email": "lead@borsetshire.example",
        "first_name": "Jo",
        "last_name": "Whitmore",
        "job_title": "Head of Transformation",
        "council": "borsetshire",
        "role": LEAD,
    },
    {
        "key": "b_officer",
        "email": "officer@borsetshire.example",
        "first_name": "Nadia",
        "last_name": "Brook",
        "job_title": "Finance Business Partner",
        "council": "borsetshire",
        "role": OFFICER,
    },
    {
        "key": "admin",
        "email": "admin@council-improve.example",
        "first_name": "Casey",
        "last_name": "Morgan",
        "job_title": "Platform administrator",
        "council": None,
        "role": None,
        "staff": True,
    },
]
