"""EXPLAIN ANALYZE of the position query (`python bench/explain.py`): the recommendations and the actions of
council bench-0001 with their position (`selectors.with_position` and the update's narrative), sorted by
status, as at today and as at a past date, against the bench data in DATABASE_URL. Prints Markdown, for
docs/PERFORMANCE.md."""

import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/councilimprove_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilimprove.settings")
SLUG = "bench-0001"
PAST = dt.date(2023, 6, 30)
SHOWN = 40  # lines of each plan


def main() -> None:
    import django

    django.setup()
    from recommendations import selectors
    from recommendations.models import Action, Recommendation

    for label, model, scope in (
        ("Recommendations", Recommendation, {"engagement__council__slug": SLUG}),
        ("Actions", Action, {"recommendation__engagement__council__slug": SLUG}),
    ):
        for as_at in (selectors.local_today(), PAST):
            rows = selectors.with_position(model.objects.filter(**scope), as_at=as_at)
            rows = selectors.with_position_text(rows, as_at=as_at, position_narrative="narrative")
            rows = rows.order_by("position_status", "pk")
            list(rows)  # once first, so that the plan is of a warm cache
            lines = rows.explain(analyze=True).splitlines()
            shown = lines if len(lines) <= SHOWN + 2 else [*lines[:SHOWN], "  …", *lines[-2:]]
            print(f"#### {label}, as at {as_at:%d/%m/%Y}\n\n```\n" + "\n".join(shown) + "\n```\n")


if __name__ == "__main__":
    main()
