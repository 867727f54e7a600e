"""Profile the pages in-process (`python bench/profile_pages.py [--top N] [--requests N]`): DEBUG off, the bench
settings, against the bench data already in DATABASE_URL (`manage.py bench_data --scale 10`).

For each page (the tables, the item pages, the dashboard with its cache cold, each as at today and as at a
past date): the median and p95 of N requests, the queries and their time, and the top entries of one
request's profile (cProfile: by own time, or `--sort cumulative`, `--match` keeping only the entries whose
file and function match a pattern, e.g. `--match 'recommendations|councilimprove|template/loader_tags'`).
Besides wall-clock time, the median of the process's own CPU time: the Python half of a request, which the
database and the machine's other work do not inflate as much. Prints Markdown, for docs/PERFORMANCE.md.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import secrets
import statistics
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STDLIB = sysconfig.get_paths()["stdlib"] + "/"  # the standard library's files are shown by their names alone
sys.path.insert(0, str(ROOT))
from bench.pages import PAST, SLUG, item_pages  # noqa: E402 - importable once ROOT is on the path

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/councilimprove_bench")
os.environ.update(
    DJANGO_SETTINGS_MODULE="bench.settings",
    DEBUG="false",
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS="testserver",
    SECURE="false",
    LOG_LEVEL="WARNING",
)
os.environ.setdefault("VAR_DIR", str(ROOT / "var" / "bench"))


def pages() -> dict[str, str]:
    urls = {**item_pages(), "Dashboard, cache cold": f"/bench/cold/{SLUG}/"}
    past = {f"{label}, as at {PAST}": f"{url}?as_at={PAST}" for label, url in urls.items()}
    return {"Trivial view": "/bench/trivial/", **urls, **past}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--only", default="", help="Profile only pages whose label contains this")
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    parser.add_argument("--match", default="", help="Keep only profile entries matching this pattern")
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from recommendations.models import User

    call_command("collectstatic", verbosity=0, interactive=False)  # DEBUG off serves the hashed names
    client = Client()
    client.force_login(User.objects.get(email=f"lead@{SLUG}.bench.example"))
    print("| page | median ms | p95 ms | CPU median ms | queries | query ms |\n|---|---:|---:|---:|---:|---:|")
    profiles = {}
    slow: dict[str, tuple[float, str]] = {}
    for label, url in pages().items():
        if options.only and options.only not in label:
            continue
        if client.get(url).status_code != 200:
            raise SystemExit(f"{url} did not answer 200")
        samples, cpu = [], []
        for _ in range(options.requests):
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        captured: list[tuple[float, str]] = []

        def timed(execute, sql, params, many, context, captured=captured):  # noqa: ANN001, ANN202 - Django's wrapper
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                captured.append(((time.perf_counter() - started) * 1000, sql))

        with connection.execute_wrapper(timed):
            client.get(url)
        query_ms = sum(ms for ms, _ in captured)
        if captured:
            slow[label] = max(captured)
        samples.sort()
        p95 = samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]
        print(
            f"| {label} | {statistics.median(samples):.1f} | {p95:.1f} | {statistics.median(cpu):.1f} | "
            f"{len(captured)} | {query_ms:.1f} |"
        )
        if label == "Trivial view":
            continue
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(url)
        profiler.disable()
        out = io.StringIO()
        restrictions: list = [re.compile(options.match).pattern] if options.match else []
        pstats.Stats(profiler, stream=out).sort_stats(options.sort).print_stats(*restrictions, options.top)
        profiles[label] = out.getvalue()
    print("\n| page | slowest query ms | its start |\n|---|---:|---|")
    for label, (ms, sql) in slow.items():
        print(f"| {label} | {ms:.1f} | `{sql[:160]}` |")
    for label, text in profiles.items():
        lines = [line for line in text.splitlines() if line.strip()]
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        total = next((line for line in lines if "function calls" in line), "").strip()
        order = "own time" if options.sort == "tottime" else "cumulative time"
        kept = f" matching `{options.match}`" if options.match else ""
        print(f"\n#### {label}\n\n{total}; top {options.top}{kept} by {order}:\n\n```")
        shown = (
            line.replace(str(ROOT) + "/", "").replace(sys.prefix + "/", "").replace(STDLIB, "")
            for line in lines[start:]
        )
        print("\n".join(shown))
        print("```")


if __name__ == "__main__":
    main()
