"""The pages the benchmarks measure, shared by run.py, profile_pages.py and explain.py (no settings of its own)."""

SLUG = "bench-0001"
PAST = "2023-06-30"  # inside the five years of generated history


def item_pages() -> dict[str, str]:
    """The tables and the item pages of council SLUG: R1 of its generated challenge (the first R1 made, as a
    later import or report benchmark may add engagements with their own R1) and R1's action 1.1."""
    from recommendations.models import Action, Recommendation

    recommendation = Recommendation.objects.filter(engagement__council__slug=SLUG, reference="R1").earliest("pk")
    action = Action.objects.get(recommendation=recommendation, reference="1.1")
    return {
        "Recommendations table": f"/councils/{SLUG}/recommendations/",
        "Actions table": f"/councils/{SLUG}/actions/",
        "Recommendation page": f"/councils/{SLUG}/recommendations/{recommendation.pk}/",
        "Action page": f"/councils/{SLUG}/actions/{action.pk}/",
    }
