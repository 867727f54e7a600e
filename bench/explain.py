"""EXPLAIN ANALYZE of what the pages ask the database (`python bench/explain.py`), against the bench data in
DATABASE_URL, signed in as the lead of bench-0001. Prints Markdown, for docs/PERFORMANCE.md; `make bench` adds
the same plans for each scale but the first.

For each page (the tables, the item pages and the dashboard built from the database, each as at today and as
at a past date), the page is requested in-process, each of its SELECTs (and EXECUTEs of the statements
prepared on the connection: recommendations/selectors/statements.py), exactly as it was sent, is run again
under EXPLAIN ANALYZE, and the plan of the one that took longest to plan and execute is shown."""

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.pages import PAST, SLUG, item_pages  # noqa: E402 - importable once ROOT is on the path

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/councilimprove_bench")
for name, value in {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "false",
    "SECRET_KEY": "explain-only",
    "ALLOWED_HOSTS": "testserver",
    "SECURE": "false",
    "VAR_DIR": str(ROOT / "var" / "bench"),
}.items():
    os.environ.setdefault(name, value)
SHOWN = 40  # lines of each plan
CURSOR = re.compile(r"^DECLARE \S+ NO SCROLL CURSOR WITH(?:OUT)? HOLD FOR ", re.IGNORECASE)


def pages() -> dict[str, str]:
    urls = {**item_pages(), "Dashboard, cache cold": f"/bench/cold/{SLUG}/"}
    return {**urls, **{f"{label}, as at {PAST}": f"{url}?as_at={PAST}" for label, url in urls.items()}}


def page_queries(client, url: str) -> list[str]:  # noqa: ANN001 - Django's test client
    """The SELECTs of one request to the page (after a first, to warm up), exactly as they were sent."""
    from django.db import connection

    sent: list[str] = []

    def kept(execute, sql, params, many, context):  # noqa: ANN001, ANN202 - Django's wrapper
        try:
            return execute(sql, params, many, context)
        finally:
            sent.append(CURSOR.sub("", connection.ops.last_executed_query(context["cursor"], sql, params)))

    client.get(url)
    with connection.execute_wrapper(kept):
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return [sql for sql in sent if sql.lstrip("( ").upper().startswith(("SELECT", "EXECUTE"))]


def costliest_plan(queries: list[str]) -> tuple[float, str, list[str]]:
    """Each query under EXPLAIN ANALYZE; the one whose planning and execution took longest: its time in ms,
    its text and its plan."""
    from django.db import connection

    costliest = (-1.0, "", [])
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute("EXPLAIN ANALYZE " + sql)
            plan = [row[0] for row in cursor.fetchall()]
            ms = sum(float(m) for m in re.findall(r"^(?:Planning|Execution) Time: ([\d.]+) ms", "\n".join(plan), re.M))
            costliest = max(costliest, (ms, sql, plan), key=lambda found: found[0])
    return costliest


def plans(shown: int = SHOWN) -> list[str]:
    """Markdown: for each page, its costliest query's start and its EXPLAIN ANALYZE plan."""
    from django.conf import settings
    from django.test import Client

    from recommendations.models import User

    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    client.force_login(User.objects.get(email=f"lead@{SLUG}.bench.example"))
    lines = []
    for label, url in pages().items():
        queries = page_queries(client, url)
        ms, sql, plan = costliest_plan(queries)
        kept = plan if len(plan) <= shown + 2 else [*plan[:shown], "  …", *plan[-2:]]
        lines += [
            f"#### {label}: the costliest of its {len(queries)} SELECTs ({ms:.1f} ms planning and executing)",
            "",
            f"`{sql[:200]}…`",
            "",
            "```",
            *kept,
            "```",
            "",
        ]
    return lines


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", verbosity=0, interactive=False)  # DEBUG off serves the hashed names
    print("\n".join(plans()))


if __name__ == "__main__":
    main()
