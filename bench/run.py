"""The benchmark, in one run (`make bench`): PostgreSQL, gunicorn, 1× and 10× data; writes docs/PERFORMANCE.md.

1. Each scale has its own database: DATABASE_URL (default councilimprove_bench) for the first scale, and
   `<name>_<scale>x` for each other (councilimprove_bench_10x, councilimprove_bench_100x). Each is created
   if missing and migrated, and its data generated (`bench_data --scale N`) where it is missing: data made by
   an earlier run is kept, so the 500 councils of 100× are generated once (`BENCH_FRESH=yes` makes every
   scale's data again). The time each generation took is kept beside it (var/bench/generated.json).
2. Counts the queries of each page in-process (Django's test client and CaptureQueriesContext).
3. Starts gunicorn (production-like: DEBUG off, a generated SECRET_KEY, plain HTTP on 127.0.0.1) with
   bench.settings, which adds the trivial view `/bench/trivial/` (signed in, full middleware, fixed 200).
4. Signs in as the council's improvement lead (a session made server-side) and measures, per page: the first
   request after start, the median and p95 of sequential requests, and throughput under load with wrk (or a
   bounded Python load generator where wrk is missing) as a ratio to the trivial view.
5. Does the same for each further scale (BENCH_SCALES, default `1,10`), with gunicorn started afresh on its
   database.
6. Times the summary report's PDF (bench/report_pdf.py) and the import of a 5,000-row action plan
   (bench/import_plan.py), in-process, on a copy of the 10× database, dropped afterwards.
`BENCH_ONLY=pdf` runs step 1 for 1× alone and the PDF part of step 6 on it, and rewrites only the PDF section
of docs/PERFORMANCE.md. `BENCH_ONLY=data` runs step 1 alone, for every scale: the data ready for a later run.
Everything is on loopback, every loop is bounded, and gunicorn is stopped at the end."""

import datetime as dt
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.pages import PAST, SLUG, item_pages  # noqa: E402 - importable once ROOT is on the path

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/councilimprove_bench")
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
SEQUENTIAL = int(os.environ.get("BENCH_REQUESTS", "50"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
CORES = os.cpu_count() or 1
WORKERS = 2 * CORES + 1  # gunicorn's recommendation
ONLY = os.environ.get("BENCH_ONLY", "")  # "pdf": the report PDFs alone; "data": generate each scale's data
FRESH = os.environ.get("BENCH_FRESH", "") not in ("", "0", "no", "false")  # generate every scale's data again
SCALES = tuple(int(scale) for scale in os.environ.get("BENCH_SCALES", "1,10").split(","))  # e.g. 1,10,100
OUTPUT = ROOT / "docs" / "PERFORMANCE.md"
PDF_SECTION = "## Summary report PDFs"
KEPT = "<!-- Below this line: kept by bench/run.py (profiles and plans: bench/profile_pages.py, bench/explain.py). -->"
TEST_SUITE = "## Test suite"  # the section on the test suite's own time: measured with pytest, kept by a bench run

os.environ.update(
    DJANGO_SETTINGS_MODULE="bench.settings",
    DATABASE_URL=DATABASE_URL,
    DEBUG="false",
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS=HOST,
    SECURE="false",
    VAR_DIR=str(ROOT / "var" / "bench"),
    LOG_LEVEL="WARNING",
)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def database_url(scale: int) -> str:
    """The database of a scale: DATABASE_URL for the first, `<name>_<scale>x` for each other."""
    if scale == SCALES[0]:
        return DATABASE_URL
    url = urlparse(DATABASE_URL)
    return DATABASE_URL.replace(url.path, f"{url.path}_{scale}x", 1)


def create_database(url_text: str = DATABASE_URL) -> None:
    import psycopg2
    from psycopg2 import sql

    url = urlparse(url_text)
    name = url.path.lstrip("/")
    admin = psycopg2.connect(url_text.replace(url.path, "/postgres", 1))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            log(f"Creating database {name}")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def use_database(scale: int) -> None:
    """Point Django (and the gunicorn started next) at the scale's database: created, migrated, static
    files collected."""
    from django.core.management import call_command
    from django.db import connections

    url = database_url(scale)
    create_database(url)
    os.environ["DATABASE_URL"] = url
    connections["default"].close()
    connections["default"].settings_dict["NAME"] = urlparse(url).path.lstrip("/")
    call_command("migrate", verbosity=0, interactive=False)


@contextmanager
def scratch_copy(scale: int) -> Iterator[None]:
    """Django on a copy of the scale's database (`CREATE DATABASE … TEMPLATE`), dropped afterwards: the PDF and
    import parts add engagements to bench-0001, which the kept data must not carry into the next run."""
    import psycopg2
    from django.db import connections
    from psycopg2 import sql

    source = urlparse(database_url(scale)).path.lstrip("/")
    copy = f"{urlparse(DATABASE_URL).path.lstrip('/')}_scratch"
    connections["default"].close()
    previous, previous_url = connections["default"].settings_dict["NAME"], os.environ["DATABASE_URL"]
    admin = psycopg2.connect(DATABASE_URL.replace(urlparse(DATABASE_URL).path, "/postgres", 1))
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy)))
            cursor.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(copy), sql.Identifier(source))
            )
        connections["default"].settings_dict["NAME"] = copy
        os.environ["DATABASE_URL"] = DATABASE_URL.replace(urlparse(DATABASE_URL).path, f"/{copy}", 1)  # child processes
        yield
    finally:
        connections["default"].close()
        connections["default"].settings_dict["NAME"] = previous
        os.environ["DATABASE_URL"] = previous_url
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy)))
        admin.close()


GENERATED = Path(os.environ["VAR_DIR"]) / "generated.json"  # seconds each database's data took to generate


def generate(scale: int) -> float:
    """The scale's data in its database, generated where missing (or on BENCH_FRESH); the seconds its
    generation took, now or when it was made."""
    from django.core.management import call_command
    from django.db import connection

    from recommendations.models import Council

    name = connection.settings_dict["NAME"]
    known = json.loads(GENERATED.read_text()) if GENERATED.exists() else {}
    wanted = 5 * scale
    present = Council.objects.filter(slug__startswith="bench-").count()
    if FRESH or present != wanted or name not in known:
        log(f"Generating {scale}× data in {name}")
        started = time.perf_counter()
        call_command("bench_data", scale=scale, reset=True, force=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # fresh statistics, as autovacuum keeps them; none left to run mid-load
        known[name] = round(time.perf_counter() - started, 1)
        GENERATED.parent.mkdir(parents=True, exist_ok=True)
        GENERATED.write_text(json.dumps(known, indent=2))
    else:
        log(f"{scale}× data already in {name} (generated in {known[name]:.0f} s)")
    return known[name]


def pages() -> dict[str, str]:
    built = item_pages()
    return {
        "Trivial view (signed in, fixed 200)": "/bench/trivial/",
        "Dashboard, cache warm": f"/councils/{SLUG}/",
        "Dashboard, cache cold": f"/bench/cold/{SLUG}/",
        "Dashboard as at a past date, cache warm": f"/councils/{SLUG}/?as_at={PAST}",
        "Dashboard as at a past date, cache cold": f"/bench/cold/{SLUG}/?as_at={PAST}",
        **built,
        **{f"{label} as at {PAST}": f"{url}?as_at={PAST}" for label, url in built.items()},
    }


def lead():  # noqa: ANN201 - a User
    from recommendations.models import User

    return User.objects.get(email=f"lead@{SLUG}.bench.example")


def count_queries(urls: dict[str, str]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    client.force_login(lead(), backend="django.contrib.auth.backends.ModelBackend")
    counts = {}
    for label, url in urls.items():
        client.get(url)  # once first, so that one-off work (e.g. content types) is not counted
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code} in-process")
        counts[label] = len(context.captured_queries)
    return counts


def session_cookie() -> str:
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    client.force_login(lead(), backend="django.contrib.auth.backends.ModelBackend")
    return f"sessionid={client.cookies['sessionid'].value}"


def get(connection: http.client.HTTPConnection, url: str, cookie: str) -> float:
    started = time.perf_counter()
    connection.request("GET", url, headers={"Cookie": cookie, "Host": HOST})
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise SystemExit(f"{url} answered {response.status} from gunicorn")
    return elapsed * 1000


def timings(urls: dict[str, str], cookie: str) -> dict[str, dict[str, float]]:
    """The first request to each page after gunicorn started, then SEQUENTIAL sequential requests."""
    results = {}
    for label, url in urls.items():
        connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
        first = get(connection, url, cookie)
        samples = sorted(get(connection, url, cookie) for _ in range(SEQUENTIAL))
        connection.close()
        results[label] = {
            "first": first,
            "median": statistics.median(samples),
            "p95": samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)],
        }
    return results


def wrk_throughput(url: str, cookie: str) -> tuple[float, int]:
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(2, CONNECTIONS)}",
            f"-c{CONNECTIONS}",
            f"-d{LOAD_SECONDS}s",
            "--timeout",
            "10s",
            "-H",
            f"Cookie: {cookie}",
            f"http://{HOST}:{PORT}{url}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=LOAD_SECONDS + 30,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rate, int(bad.group(1)) if bad else 0


def python_throughput(url: str, cookie: str) -> tuple[float, int]:
    """A bounded fallback: CONNECTIONS threads, each with a keep-alive connection, for LOAD_SECONDS."""
    done, bad, lock = [0], [0], threading.Lock()
    deadline = time.perf_counter() + LOAD_SECONDS

    def worker() -> None:
        connection = http.client.HTTPConnection(HOST, PORT, timeout=10)
        while time.perf_counter() < deadline:
            connection.request("GET", url, headers={"Cookie": cookie, "Host": HOST})
            response = connection.getresponse()
            response.read()
            with lock:
                done[0] += 1
                bad[0] += response.status != 200
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(LOAD_SECONDS + 30)
    return done[0] / (time.perf_counter() - started), bad[0]


def throughput(urls: dict[str, str], cookie: str) -> tuple[dict[str, float], tuple[float, float]]:
    """Each page's requests a second under load, and the trivial view's (the first of `urls`) measured before the
    pages and again after them: its rate is their mean, as the pages' ratios are to it. One sample of ten seconds
    moved by up to a sixth from one to the next on a shared machine, and every ratio with it."""
    measure = wrk_throughput if shutil.which("wrk") else python_throughput
    results = {}

    def measured(label: str, url: str) -> float:
        rate, bad = measure(url, cookie)
        if bad:
            raise SystemExit(f"{url}: {bad} responses under load were not 200")
        log(f"  {label}: {rate:.1f} requests/s")
        return rate

    for label, url in urls.items():
        results[label] = measured(label, url)
    trivial, url = next(iter(urls.items()))
    samples = (results[trivial], measured(f"{trivial}, again after the pages", url))
    results[trivial] = statistics.mean(samples)
    return results, samples


def start_gunicorn() -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "councilimprove.wsgi:application",
        f"--bind={HOST}:{PORT}",
        f"--workers={WORKERS}",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    for _ in range(100):  # up to 20 seconds
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=2)
            connection.request("GET", "/health/", headers={"Host": HOST})
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 20 seconds")


def machine() -> dict[str, str]:
    from django.db import connection

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown",
    )
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    import django
    import gunicorn

    wrk = "not installed (Python load generator used)"
    if shutil.which("wrk"):
        wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()[0].strip()
    return {
        "Date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": f"{cpu}, {CORES} cores",
        "Memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "PostgreSQL": postgres,
        "gunicorn": f"{gunicorn.__version__}, {WORKERS} sync workers",
        "Load": f"{wrk}; {CONNECTIONS} connections for {LOAD_SECONDS} s per page, on the same machine",
        "Load average (1, 5, 15 min) at the end of the run": ", ".join(f"{load:.2f}" for load in os.getloadavg()),
    }


def write_report(
    info: dict, results: dict, generation: dict[int, float], reports: dict[str, dict], imports: dict[str, dict]
) -> None:
    trivial = next(iter(results[SCALES[0]]["rate"]))
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (bench/run.py); the latest run's figures. Do not edit by hand, except the last",
        f"section ({TEST_SUITE[3:]}), which is measured with pytest and which a bench run keeps as it is.",
        "",
        "## Machine",
        "",
        *(f"- {key}: {value}" for key, value in info.items()),
        "",
        "## Method",
        "",
        "- Data: `manage.py bench_data` — 1× is 5 councils, 10× is 50, 100× is 500; each has 20 recommendations,",
        "  100 actions, five years of monthly approved updates (about 5,300 per council), the history records the",
        "  services write (each action's % complete at every approval) and link evidence. Pages are those of",
        f"  council `{SLUG}`, seen by its improvement lead; the recommendation page is R1, which has an approved",
        "  update every month for five years. `VACUUM ANALYZE` runs after each generation. Each scale has its own",
        "  database, kept from one run to the next (`BENCH_FRESH=yes` makes them again); *generated in* is the",
        "  time its generation took when it was made.",
        "- Queries: each page through Django's test client in-process, counted with CaptureQueriesContext",
        "  (after one request to warm up).",
        "- Time: wall-clock time of a request over loopback with one keep-alive connection (Python http.client),",
        "  so it includes gunicorn and HTTP parsing. *First* is the first request to the page after gunicorn",
        "  started (a fresh worker: templates not yet compiled, no database connection). Median and p95 are over",
        f"  the next {SEQUENTIAL} sequential requests.",
        "- Throughput: requests per second under load, and its ratio to the trivial view (signed in, full",
        "  middleware, a fixed 200 response) served by the same gunicorn in the same run. Every request saves",
        "  the session (SESSION_SAVE_EVERY_REQUEST), the trivial view's included. The trivial view is measured",
        "  before the pages and again after them, and its rate is the mean of the two (both are given under",
        "  each table): one ten-second sample of it moved by up to a sixth from one to the next.",
        "- Cache: the dashboard's content is cached as HTML in each gunicorn worker (local memory), under a key",
        "  that holds the council's data version, which every write raises in its own transaction. *Cache warm*",
        "  is the dashboard once each worker holds it; *cache cold* is `/bench/cold/<slug>/`, the same view with",
        "  the worker's cache emptied before every request, so each one builds the dashboard from the database.",
        "  Its query count is that of a build; the warm count is what a cached reading costs. The other pages",
        "  cache nothing. *First* is also the first request after start (a cold worker).",
        "- Anything else running on the machine (see the load averages) slows every figure; the ratios to the",
        "  trivial view, measured minutes apart in the same run, are the steadier comparison.",
        "",
    ]
    for scale in SCALES:
        data = results[scale]
        lines += [
            f"## {scale}× data ({5 * scale} councils; generated in {generation[scale]:.0f} s)",
            "",
            "| Page | Queries | First (ms) | Median (ms) | p95 (ms) | Requests/s | Ratio to trivial |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for label in data["rate"]:
            time_ = data["time"][label]
            lines.append(
                f"| {label} | {data['queries'][label]} | {time_['first']:.1f} | {time_['median']:.1f} | "
                f"{time_['p95']:.1f} | {data['rate'][label]:.1f} | {data['rate'][label] / data['rate'][trivial]:.2f} |"
            )
        before, after = data["trivial"]
        lines += ["", f"The trivial view: {before:.1f} requests/s before the pages, {after:.1f} after them.", ""]
    first = results[SCALES[0]]["queries"]
    same = [label for label in first if len({results[scale]["queries"][label] for scale in SCALES}) == 1]
    differ = [label for label in first if label not in same]
    scales = ", ".join(f"{scale}×" for scale in SCALES)
    lines += [
        f"Queries at {scales} are equal for: " + ", ".join(same) + ".",
        *([f"They differ for: {', '.join(differ)}."] if differ else []),
        "",
        "Targets (issue 19): the tables and the item pages, as at today and as at a past date, at least 0.25 of",
        "the trivial view's throughput with no cache; the dashboard at least 0.10 with its cache cold; query",
        "counts equal at every scale; each page's median at 100× within 1.2× of its median at 1×.",
        "",
        *targets(results),
        *(line for scale in SCALES[1:] for line in [f"## EXPLAIN ANALYZE at {scale}×", "", *results[scale]["plans"]]),
        *pdf_section(reports),
        "## Importing an action plan",
        "",
        "In-process (bench/import_plan.py), through the pages a lead uses (Django's test client, signed in): a",
        "CSV file at the row limit (1,000 recommendations with four actions each, 5,000 rows) into a new",
        f"engagement of council `{SLUG}` (with the 10× data in the database), then a second file that changes",
        "every row's status, RAG and due date (5,000 updates: moved dates and approved updates). The dry run",
        "reads the file, plans it and draws the page of changes; the confirmation reads and plans it again and",
        "writes everything. Statistics are refreshed before each file, as autovacuum would between imports.",
        "",
        "| File | Dry run (s) | Dry run queries | Confirmation (s) | Confirmation queries |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {label} | {steps['dry run']['seconds']:.1f} | {steps['dry run']['queries']} | "
            f"{steps['confirm']['seconds']:.1f} | {steps['confirm']['queries']} |"
            for label, steps in imports.items()
        ),
        "",
        "## Reproduce",
        "",
        "`make bench` (needs PostgreSQL at DATABASE_URL, default",
        "`postgres://postgres@127.0.0.1:5432/councilimprove_bench`, and `wrk` for the load figures).",
        "BENCH_SCALES (default `1,10`; `1,10,100` for 500 councils), BENCH_REQUESTS, BENCH_LOAD_SECONDS,",
        "BENCH_CONNECTIONS and BENCH_PORT change the run's size; each scale's data is kept in its own database",
        "(`councilimprove_bench_10x`, …) for the next run, and `BENCH_FRESH=yes` generates it again.",
        "`BENCH_ONLY=pdf make bench` times the report PDFs alone and rewrites only their section.",
        "",
    ]
    OUTPUT.write_text("\n".join(lines) + kept_sections())


TARGETS = {
    **{
        f"{page}{when}": 0.25
        for page in ("Recommendations table", "Actions table", "Recommendation page", "Action page")
        for when in ("", f" as at {PAST}")
    },
    "Dashboard, cache cold": 0.10,
    "Dashboard as at a past date, cache cold": 0.10,
}


def targets(results: dict) -> list[str]:
    """The targets' table: each page's share of the trivial view at each scale against its target, and its
    median at the largest scale against the first."""
    first, last = SCALES[0], SCALES[-1]
    trivial = next(iter(results[first]["rate"]))
    lines = [
        f"| Page | Target | {' | '.join(f'Share at {scale}×' for scale in SCALES)} | Median {last}× / {first}× | Met |",
        f"| --- | ---: | {' | '.join('---:' for _ in SCALES)} | ---: | --- |",
    ]
    for label, target in TARGETS.items():
        shares = [results[scale]["rate"][label] / results[scale]["rate"][trivial] for scale in SCALES]
        growth = results[last]["time"][label]["median"] / results[first]["time"][label]["median"]
        met = all(share >= target for share in shares) and (last != 100 or growth <= 1.2)
        lines.append(
            f"| {label} | {target:.2f} | {' | '.join(f'{share:.2f}' for share in shares)} | {growth:.2f} | "
            f"{'yes' if met else 'no'} |"
        )
    return [*lines, ""]


def _spread(figures: dict[str, float], digits: int = 2) -> str:
    return f"{figures['median']:.{digits}f} ({figures['fastest']:.{digits}f}–{figures['slowest']:.{digits}f})"


def pdf_section(reports: dict[str, dict]) -> list[str]:
    """The section on the report PDFs (bench/report_pdf.py), from its heading to the line before the next."""
    lines = [
        PDF_SECTION,
        "",
        "bench/report_pdf.py, in-process, run on "
        f"{dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}: for each report, seven runs of each figure",
        "taken in turns; the median, with the fastest and slowest run in brackets. *Our render* is",
        "`reports.pdf.render_pdf` (WeasyPrint and its finisher, reports/pdf_tags.py); *WeasyPrint alone* writes",
        "the same document without the finisher; *post-processing* is the finisher's own time inside our render",
        "(its budget: at most 10% of WeasyPrint's own time); a *repeated draft download* is the lead's draft",
        "endpoint (`/councils/<slug>/reports/<id>.pdf?draft=yes`, Django's test client) serving its stored copy",
        "(the content is made from the data again to key it; nothing is rendered); *Chromium print* is Debian's",
        "Chromium printing the same document to A4 through Playwright (`page.pdf()`, the browser already",
        "started), a figure only: the product keeps WeasyPrint. Other work on the machine slows every figure:",
        "the load average (1, 5 and 15 minutes) is read before and after each report's runs.",
        "",
        "| Report | Pages | Our render (s) | WeasyPrint alone (s) | Post-processing (s) | Post-processing / "
        "WeasyPrint | Repeated draft download (s) | Chromium print (s) | Load average |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, figures in reports.items():
        share = figures["finisher"]["median"] / figures["weasyprint"]["median"]
        chromium = _spread(figures["chromium"]) if "chromium" in figures else "–"
        lines.append(
            f"| {label} | {figures['pages']} | {_spread(figures['ours'])} | {_spread(figures['weasyprint'])} | "
            f"{_spread(figures['finisher'], 3)} | {share:.1%} | {_spread(figures['draft'], 3)} | {chromium} | "
            f"{figures['load']} |"
        )
    within = all(figures["finisher"]["median"] <= 0.1 * figures["weasyprint"]["median"] for figures in reports.values())
    lines += [
        "",
        f"Post-processing within its budget for every report: {'yes' if within else 'NO'}.",
        *(
            f"{label}, once more in a fresh process: {figures['peak']['seconds']:.1f} s, peak memory "
            f"{figures['peak']['peak_mib']:.0f} MiB (the process held {figures['peak']['before_mib']:.0f} MiB "
            f"before it), {figures['peak']['bytes'] / 1024:.0f} KiB of PDF."
            for label, figures in reports.items()
            if "peak" in figures
        ),
        "",
    ]
    return lines


def write_pdf_section(reports: dict[str, dict]) -> None:
    """Replace the PDF section of docs/PERFORMANCE.md, leaving the rest of the file as it is."""
    text = OUTPUT.read_text()
    start = text.find(f"\n{PDF_SECTION}\n")
    if start < 0:
        raise SystemExit(f"{OUTPUT.relative_to(ROOT)} has no section '{PDF_SECTION}': run the whole `make bench`")
    end = text.find("\n## ", start + 1)
    OUTPUT.write_text(text[: start + 1] + "\n".join(pdf_section(reports)) + text[end:])


def main_pdf_only() -> None:
    """`BENCH_ONLY=pdf`: the report PDFs alone, on 1× data (generated only where missing)."""
    import django
    from django.core.management import call_command

    django.setup()
    log("Migrating and collecting static files")
    use_database(SCALES[0])
    call_command("collectstatic", verbosity=0, interactive=False)
    generate(SCALES[0])
    from bench import report_pdf

    write_pdf_section(report_pdf.run(log))
    log(f"Wrote the PDF section of {OUTPUT.relative_to(ROOT)}")


def main_data_only() -> None:
    """`BENCH_ONLY=data`: each scale's database migrated and its data generated where missing, nothing measured."""
    import django

    django.setup()
    for scale in SCALES:
        log(f"{scale}×: migrating {database_url(scale).rsplit('/', 1)[-1]}")
        use_database(scale)
        generate(scale)


def kept_sections() -> str:
    """What the file holds after the run's figures, as it stands: the test-suite section and the profiles and
    plans (from the first of their headings to the end), to keep."""
    text = OUTPUT.read_text() if OUTPUT.exists() else ""
    starts = [start for start in (text.find(f"\n{TEST_SUITE}\n"), text.find(KEPT)) if start >= 0]
    return text[min(starts) :] if starts else f"\n{KEPT}\n"


def main() -> None:
    run_started = time.perf_counter()
    load_before = ", ".join(f"{load:.2f}" for load in os.getloadavg())
    import django
    from django.core.management import call_command

    django.setup()
    log("Collecting static files")
    call_command("collectstatic", verbosity=0, interactive=False)
    from bench import explain

    generation, results = {}, {}
    for scale in SCALES:
        log(f"{scale}×: migrating {database_url(scale).rsplit('/', 1)[-1]}")
        use_database(scale)
        generation[scale] = generate(scale)
        urls = pages()
        log(f"{scale}×: counting queries")
        queries = count_queries(urls)
        cookie = session_cookie()
        server = start_gunicorn()  # fresh workers on this database, so that the first request is a cold one
        try:
            log(f"{scale}×: timing sequential requests")
            times = timings(urls, cookie)
            log(f"{scale}×: throughput under load")
            rates, trivial_samples = throughput(urls, cookie)
        finally:
            server.terminate()
            server.wait(30)
        plans = []
        if scale != SCALES[0]:
            log(f"{scale}×: EXPLAIN ANALYZE of each page's slowest query")
            plans = explain.plans()
        results[scale] = {"queries": queries, "time": times, "rate": rates, "trivial": trivial_samples, "plans": plans}
    from bench import import_plan, report_pdf

    with scratch_copy(10 if 10 in SCALES else SCALES[-1]):
        reports = report_pdf.run(log)
        imports = import_plan.run(log)
    info = {**machine(), "Load average at the start of the run": load_before}
    write_report(info, results, generation, reports, imports)
    log(f"Wrote {OUTPUT.relative_to(ROOT)} in {time.perf_counter() - run_started:.0f} s")
    print(OUTPUT.read_text())


if __name__ == "__main__":
    if ONLY == "pdf":
        main_pdf_only()
    elif ONLY == "data":
        main_data_only()
    else:
        main()
