"""The summary report's PDF, timed (part of `make bench`; run.py calls `run()` with Django set up).

For the St Helens report (the 28 September 2020 panel) and a 50-recommendation report: the time of our
endpoint (`/councils/<slug>/reports/<id>.pdf?draft=yes`, through Django's test client, signed in as a lead),
and of WeasyPrint rendering the very same HTML document on its own, in turns, seven of each; the ratio
of the medians. For a
200-recommendation report: its time and its peak memory, in a fresh process (`--peak <report id>`).
"""

import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEAT = 7


def _seconds(action) -> float:  # noqa: ANN001 - a callable
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def build(recommendations: int, slug: str = "bench-0001"):  # noqa: ANN201 - a SummaryReport
    """A challenge with `recommendations` recommendations (each with an approved update and its evidence), a
    panel session on it and its report, in the council `slug`."""
    from recommendations import services
    from recommendations.models import Council, EngagementKind, Evidence, Rag, Status, User
    from reports.models import PanelSession
    from reports.services import reports as report_services

    council = Council.objects.get(slug=slug)
    lead = User.objects.get(email=f"lead@{slug}.bench.example")
    kind = EngagementKind.objects.get(slug="corporate-peer-challenge")
    challenge = council.engagements.create(
        kind=kind,
        title=f"Report benchmark challenge ({recommendations})",
        first_onsite_day=dt.date(2024, 1, 8),
        last_onsite_day=dt.date(2024, 1, 11),
    )
    panel = council.engagements.create(
        kind=EngagementKind.objects.get(slug="progress-review"),
        title=f"Report benchmark review ({recommendations})",
        parent=challenge,
        first_onsite_day=dt.date(2024, 11, 5),
        last_onsite_day=dt.date(2024, 11, 5),
    )
    moment = dt.datetime(2024, 10, 1, 12, tzinfo=dt.UTC)
    for number in range(1, recommendations + 1):
        recommendation = services.recommendation_build(
            engagement=challenge,
            reference=f"R{number}",
            heading=f"Recommendation heading {number}",
            text="Develop and agree a plan, with members and partners, that sets out the council's priorities. " * 2,
            position=number,
            by=lead,
            at=moment,
        )
        update = services.update_record(
            item=recommendation,
            author=lead,
            status=Status.IN_PROGRESS,
            rag=Rag.AMBER,
            rag_reason="Waiting for the Cabinet decision",
            narrative="Progress this quarter: the plan was drafted and shared with members for comment. " * 3,
            at=moment,
        )
        evidence = Evidence.objects.create(
            council=council, kind=Evidence.Kind.LINK, title=f"Cabinet report {number}", url="https://example.org/"
        )
        update.evidence.add(evidence)
    session = PanelSession.objects.create(engagement=panel, held_on=panel.first_onsite_day)
    return report_services.report_create(by=lead, session=session, at=moment)


def measure(report, lead) -> dict[str, float]:  # noqa: ANN001 - a SummaryReport and a User
    from django.test import Client
    from django.utils import timezone

    from reports import pdf
    from reports.services import reports as report_services

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(lead, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/councils/{report.council.slug}/reports/{report.pk}.pdf?draft=yes"

    def endpoint() -> None:
        response = client.get(url)
        if response.status_code != 200 or not response.content.startswith(b"%PDF"):
            raise SystemExit(f"{url} answered {response.status_code}")

    rendered = report_services.render_content(report, draft=True, generated_at=timezone.now())
    document = pdf.pdf_document(content_html=rendered.html, title=report.title, author=report.council.name, draft=True)
    endpoint()  # once first: templates compiled, fonts loaded
    pdf.render_pdf(document)
    # In turns, so that whatever else the machine does falls on both alike.
    ours, alone = [], []
    for _ in range(REPEAT):
        ours.append(_seconds(endpoint))
        alone.append(_seconds(lambda: pdf.render_pdf(document)))
    ours, alone = statistics.median(ours), statistics.median(alone)
    pages = len(__import__("pypdf").PdfReader(__import__("io").BytesIO(pdf.render_pdf(document))).pages)
    return {"endpoint": ours, "weasyprint": alone, "ratio": ours / alone, "pages": pages}


def peak(report_id: int) -> dict[str, float]:
    """In a fresh process: render the report's draft PDF once; its time and the process's peak memory."""
    output = subprocess.run(
        [sys.executable, __file__, "--peak", str(report_id)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=600,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _high_water_mib() -> float:
    """This process's peak resident memory. Linux's VmHWM belongs to the running program (ru_maxrss would
    carry the parent's peak across the fork)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_child(report_id: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import timezone

    from reports.models import SummaryReport
    from reports.services import reports as report_services

    report = SummaryReport.objects.select_related("council").get(pk=report_id)
    before = _high_water_mib()
    started = time.perf_counter()
    rendered = report_services.render_content(report, draft=True, generated_at=timezone.now())
    document = report_services.render_pdf(report, rendered, draft=True)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_mib": _high_water_mib(), "before_mib": before, "bytes": len(document)}))


def run(log) -> dict[str, dict[str, float]]:  # noqa: ANN001 - the benchmark's logger
    from django.core.management import call_command

    from recommendations.models import User
    from reports.models import SummaryReport

    log("Report PDFs: the St Helens demo and generated reports")
    call_command("seed_demo", force=True, stdout=__import__("io").StringIO())
    results = {}
    st_helens = SummaryReport.objects.filter(council__slug="st-helens", session__held_on=dt.date(2020, 9, 28)).first()
    if st_helens is None:
        raise SystemExit("The St Helens demo has no report for the 28 September 2020 panel")
    results["St Helens, 28 September 2020 panel"] = measure(st_helens, User.objects.get(email="lead@st-helens.example"))
    lead = User.objects.get(email="lead@bench-0001.bench.example")
    results["50 recommendations"] = measure(build(50), lead)
    results["200 recommendations (fresh process)"] = peak(build(200).pk)
    for label, figures in results.items():
        log(f"  {label}: {figures}")
    return results


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--peak":
    _peak_child(int(sys.argv[2]))
