"""The summary report's PDF, timed (part of `make bench`; `BENCH_ONLY=pdf make bench` runs this part alone).

For the St Helens report (the 28 September 2020 panel) and a 200-recommendation report, seven runs of each
figure below, taken in turns (one of each, seven times over) so that whatever else the machine does falls on
all alike; the median of each, with its fastest and slowest run:

- our render: `reports.pdf.render_pdf`, WeasyPrint and its finisher (reports/pdf_tags.py);
- WeasyPrint alone: the same document written without the finisher;
- the post-processing alone: the finisher's own time, measured inside our render;
- a repeated draft download: the lead's draft endpoint (`/councils/<slug>/reports/<id>.pdf?draft=yes`, Django's
  test client, signed in) once its draft is stored: the content is made from the data again, the PDF is read
  from the stored copy (`DraftPdf`);
- Chromium's print of the same document, a figure only (the product keeps WeasyPrint): Debian's Chromium
  through Playwright, the document set as the page's content with our static files served to it, then
  `page.pdf()` on A4; the browser is started once, before the runs.

Then the 200-recommendation report once more in a fresh process, for its peak memory (`--peak <report id>`).
The load average is read before and after, as other work on the machine slows every figure.
"""

import datetime as dt
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEAT = 7
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
FIGURES = ("ours", "weasyprint", "finisher", "draft", "chromium")


def _seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _load() -> str:
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


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


@contextmanager
def chromium() -> Iterator[Callable[[str], bytes] | None]:
    """A function that prints a report's PDF document with Chromium (Playwright), the browser started once;
    None where Chromium or Playwright is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        yield None
        return
    if not Path(CHROMIUM).exists():
        yield None
        return
    from reports import pdf

    fetcher = pdf.StaticFilesOnly()

    def serve(route) -> None:  # noqa: ANN001 - a Playwright route
        response = fetcher.fetch(route.request.url)
        route.fulfill(status=200, body=response.read(), content_type=response.headers.get_content_type())

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's event loop shares the thread with the ORM
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        page = browser.new_page()
        page.route(f"{pdf.STATIC_PREFIX}**", serve)

        def print_pdf(document: str) -> bytes:
            page.set_content(document, wait_until="load")  # the stylesheet and its fonts come through `serve`
            return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)

        try:
            yield print_pdf
        finally:
            browser.close()


def measure(report, lead, print_pdf: Callable[[str], bytes] | None) -> dict[str, object]:  # noqa: ANN001
    """Seven runs of each figure for one report (a SummaryReport, its lead), in turns."""
    from django.test import Client
    from django.utils import timezone

    from reports import pdf, pdf_tags
    from reports.services import reports as report_services

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(lead, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/councils/{report.council.slug}/reports/{report.pk}.pdf?draft=yes"

    def draft() -> None:
        response = client.get(url)
        if response.status_code != 200 or not response.content.startswith(b"%PDF"):
            raise SystemExit(f"{url} answered {response.status_code}")

    finisher_seconds: list[float] = []

    def timed_finisher(document: object, written: object) -> None:
        started = time.perf_counter()
        pdf_tags.finish(document, written)  # type: ignore[arg-type]
        finisher_seconds.append(time.perf_counter() - started)

    def ours() -> bytes:
        return pdf.lay_out(document).write_pdf(
            pdf_variant=pdf.PDF_VARIANT, uncompressed_pdf=False, finisher=timed_finisher
        )

    def weasyprint_alone() -> bytes:
        return pdf.lay_out(document).write_pdf(pdf_variant=pdf.PDF_VARIANT, uncompressed_pdf=False)

    rendered = report_services.render_content(report, draft=True, generated_at=timezone.now())
    document = pdf.pdf_document(content_html=rendered.html, title=report.title, author=report.council.name, draft=True)
    draft()  # once first: templates compiled, fonts loaded, the draft stored
    written = ours()
    weasyprint_alone()
    if print_pdf is not None:
        print_pdf(document)
    finisher_seconds.clear()
    runs: dict[str, list[float]] = {figure: [] for figure in FIGURES}
    load_before = _load()
    for _ in range(REPEAT):
        runs["ours"].append(_seconds(ours))
        runs["weasyprint"].append(_seconds(weasyprint_alone))
        runs["draft"].append(_seconds(draft))
        if print_pdf is not None:
            runs["chromium"].append(_seconds(lambda: print_pdf(document)))
    runs["finisher"] = finisher_seconds
    from pypdf import PdfReader

    return {
        "pages": len(PdfReader(io.BytesIO(written)).pages),
        "load": f"{load_before} before, {_load()} after",
        **{
            figure: {"median": statistics.median(values), "fastest": min(values), "slowest": max(values)}
            for figure, values in runs.items()
            if values
        },
    }


def peak(report_id: int) -> dict[str, float]:
    """In a fresh process: render the report's draft PDF once; its time and the process's peak memory."""
    output = subprocess.run(  # noqa: S603 - this interpreter, this script
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


def run(log: Callable[[str], None]) -> dict[str, dict]:
    """The figures, by report, and the 200-recommendation report's peak memory (under "peak")."""
    from django.core.management import call_command

    from recommendations.models import User
    from reports.models import SummaryReport

    log("Report PDFs: the St Helens demo and a 200-recommendation report")
    call_command("seed_demo", force=True, stdout=io.StringIO())
    st_helens = SummaryReport.objects.filter(council__slug="st-helens", session__held_on=dt.date(2020, 9, 28)).first()
    if st_helens is None:
        raise SystemExit("The St Helens demo has no report for the 28 September 2020 panel")
    long_report = build(200)
    results: dict[str, dict] = {}
    with chromium() as print_pdf:
        if print_pdf is None:
            log("  Chromium or Playwright missing: no Chromium figure")
        for label, report, lead in (
            ("St Helens, 28 September 2020 panel", st_helens, "lead@st-helens.example"),
            ("200 recommendations", long_report, "lead@bench-0001.bench.example"),
        ):
            results[label] = measure(report, User.objects.get(email=lead), print_pdf)
            log(f"  {label}: {results[label]}")
    results["200 recommendations"]["peak"] = peak(long_report.pk)
    log(f"  200 recommendations, in a fresh process: {results['200 recommendations']['peak']}")
    return results


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--peak":
    _peak_child(int(sys.argv[2]))
