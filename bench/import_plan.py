"""The import of an action plan, timed (part of `make bench`; run.py calls `run()` with Django set up).

A CSV file at the row limit (1,000 recommendations with four actions each: 5,000 rows) goes into a new
engagement of council bench-0001 through the pages a lead uses (Django's test client, signed in): the dry
run (upload, read, plan, the page of changes) and the confirmation (read and plan again, then write
everything). Then a second file with every row's status, RAG and due date changed goes in the same way
(5,000 updates: moved dates and approved updates). For each request: its time and its queries. The
database's statistics are refreshed before each file, as autovacuum would have done between two imports.

`python bench/import_plan.py` runs it alone against the benchmark database (it generates one bench council
if there is none).
"""

import datetime as dt
import io
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECOMMENDATIONS = 1_000
ACTIONS_EACH = 4
TITLE = "Import benchmark challenge"


def plan_csv(*, slug: str, edited: bool) -> bytes:
    """The file: every recommendation and action with its owner, dates, status and RAG; `edited` moves every
    due date on a month and changes every status and RAG."""
    import csv

    owner = f"lead@{slug}.bench.example"
    due = dt.date(2026, 3, 31) if not edited else dt.date(2026, 4, 30)
    status, rag, reason = ("In progress", "Green", "") if not edited else ("Complete", "Amber", "Signed off late")
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(
        ["Type", "Recommendation reference", "Reference", "Text", "Description", "Owner email", "Start date"]
        + ["Due date", "Status", "RAG", "RAG reason", "% complete"]
    )
    for number in range(1, RECOMMENDATIONS + 1):
        text = f"Develop and agree a plan, with members and partners, for priority {number}."
        writer.writerow(
            ["recommendation", "", f"R{number}", text, "", owner, "", due.strftime("%d/%m/%Y"), status, rag, reason]
        )
        for step in range(1, ACTIONS_EACH + 1):
            writer.writerow(
                ["action", f"R{number}", f"{number}.{step}", "", f"Step {step} of priority {number}.", owner]
                + ["01/01/2026", due.strftime("%d/%m/%Y"), status, rag, reason, "50" if edited else "10"]
            )
    return output.getvalue().encode("utf-8")


def _request(client, url: str, data: dict) -> dict[str, float]:  # noqa: ANN001 - a test Client
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.post(url, data)
        seconds = time.perf_counter() - started
    if response.status_code not in (200, 302):
        raise SystemExit(f"{url} answered {response.status_code}")
    return {"seconds": seconds, "queries": len(queries), "status": response.status_code, "response": response}


def import_file(client, slug: str, engagement_id: int, data: bytes, name: str) -> dict[str, dict]:  # noqa: ANN001
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics as autovacuum keeps them, in the minutes between two imports

    check = _request(
        client, f"/councils/{slug}/import/", {"engagement": engagement_id, "file": SimpleUploadedFile(name, data)}
    )
    token = re.search(r'name="token" value="([^"]+)"', check.pop("response").content.decode())
    if token is None:
        raise SystemExit(f"The dry run of {name} offers no confirmation: it found problems")
    confirm = _request(client, f"/councils/{slug}/import/confirm/", {"token": token.group(1)})
    if confirm.pop("response").status_code != 302:
        raise SystemExit(f"Confirming {name} did not import it")
    return {"dry run": check, "confirm": confirm}


def run(log, slug: str = "bench-0001") -> dict[str, dict]:  # noqa: ANN001 - the benchmark's logger
    from django.test import Client

    from recommendations.models import Council, EngagementKind, Recommendation, User

    log(f"Import: {RECOMMENDATIONS * (1 + ACTIONS_EACH):,} rows into a new engagement, then every row changed")
    council = Council.objects.get(slug=slug)
    engagement = council.engagements.create(  # removed with the bench councils (bench_data --reset)
        kind=EngagementKind.objects.get(slug="corporate-peer-challenge"),
        title=f"{TITLE} {time.strftime('%Y-%m-%d %H:%M:%S')}",
        first_onsite_day=dt.date(2025, 11, 3),
        last_onsite_day=dt.date(2025, 11, 6),
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=f"lead@{slug}.bench.example"))
    results = {
        "5,000 new rows": import_file(client, slug, engagement.pk, plan_csv(slug=slug, edited=False), "plan.csv"),
        "5,000 changed rows": import_file(client, slug, engagement.pk, plan_csv(slug=slug, edited=True), "plan.csv"),
    }
    made = Recommendation.objects.filter(engagement=engagement).count()
    if made != RECOMMENDATIONS:
        raise SystemExit(f"The import made {made} recommendations, not {RECOMMENDATIONS}")
    for label, steps in results.items():
        timed = (f"{step} {figures['seconds']:.1f} s, {figures['queries']} queries" for step, figures in steps.items())
        log(f"  {label}: " + ", ".join(timed))
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from bench import run as bench

    bench.create_database()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    from recommendations.models import Council

    if not Council.objects.filter(slug="bench-0001").exists():
        call_command("bench_data", councils=1, force=True)
    run(bench.log)
