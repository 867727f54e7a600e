"""`manage.py import_action_plan`: a dry run by default, --apply to write, failure via CommandError."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from recommendations.models import Engagement, ProgressUpdate, Recommendation, User

from ..factories import EngagementFactory

pytestmark = pytest.mark.django_db

CSV = (
    "Type,Recommendation reference,Reference,Text,Description,Status,RAG\r\n"
    "recommendation,,R1,Develop a shared understanding of priorities.,,In progress,Amber\r\n"
    "action,R1,1.1,,Agree a corporate plan.,,\r\n"
)


@pytest.fixture
def engagement(council: Any) -> Engagement:
    return EngagementFactory(council=council, title="Corporate Peer Challenge 2019")


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def run(*args: object) -> str:
    out = StringIO()
    call_command("import_action_plan", *[str(arg) for arg in args], stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_dry_run_prints_the_plan_and_writes_nothing(engagement: Engagement, plan_file: Path, lead: User) -> None:
    output = run("borsetshire", engagement.pk, plan_file)
    assert "2 to add, 0 to change" in output
    assert "+ Recommendation R1 (Row 2)" in output
    assert "    Status: In progress" in output
    assert "Dry run: nothing was written" in output
    assert not Recommendation.objects.exists()


def test_apply_writes_it_as_the_only_lead(engagement: Engagement, plan_file: Path, lead: User) -> None:
    output = run("borsetshire", engagement.pk, plan_file, "--apply")
    assert "Imported plan.csv into Corporate Peer Challenge 2019: 2 added, 0 changed, 1 progress update" in output
    update = ProgressUpdate.objects.get()
    assert (update.source, update.author, update.rag_reason) == ("import", lead, "No reason given (imported)")
    assert "Nothing to import" in run("borsetshire", engagement.pk, plan_file, "--apply")


def test_with_two_leads_apply_needs_as(engagement: Engagement, plan_file: Path, lead: User, second_lead: User) -> None:
    second = second_lead
    with pytest.raises(CommandError, match="Give --as"):
        run("borsetshire", engagement.pk, plan_file, "--apply")
    run("borsetshire", engagement.pk, plan_file, "--apply", "--as", second.email.upper())
    assert ProgressUpdate.objects.get().author == second


def test_as_must_be_a_lead_of_the_council(engagement: Engagement, plan_file: Path, officer: User) -> None:
    with pytest.raises(CommandError, match="is not an active improvement lead of Borsetshire County Council"):
        run("borsetshire", engagement.pk, plan_file, "--apply", "--as", officer.email)
    assert not Recommendation.objects.exists()


def test_problems_are_printed_and_fail_the_command(engagement: Engagement, tmp_path: Path, lead: User) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Type,Reference,Text,Due date\r\nrecommendation,R1,x,31/02/2020\r\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command(
            "import_action_plan", "borsetshire", str(engagement.pk), str(path), "--apply", stdout=StringIO(), stderr=err
        )
    assert "Problem: Row 2, Due date: ‘31/02/2020’ is not a real date" in err.getvalue()
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("nowhere", 1, "plan.csv"), "There is no council with the slug ‘nowhere’"),
        (("borsetshire", 999_999, "plan.csv"), "has no engagement with the id or title ‘999999’"),
    ],
)
def test_unknown_council_or_engagement(engagement: Engagement, arguments: tuple, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*arguments)


def test_a_file_that_is_not_a_plan_fails_with_the_reason(engagement: Engagement, tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.7\n%%EOF\n")
    with pytest.raises(CommandError, match="plan.pdf is a PDF"):
        run("borsetshire", engagement.pk, path)
    with pytest.raises(CommandError, match="Cannot read"):
        run("borsetshire", engagement.pk, tmp_path / "missing.csv")
