"""The LGA's kinds of engagement, as data that platform staff can extend."""

from django.db import migrations

KINDS = [
    ("Corporate peer challenge", "corporate-peer-challenge", True),
    ("Finance peer challenge", "finance-peer-challenge", True),
    ("Governance peer challenge", "governance-peer-challenge", True),
    ("Culture review", "culture-review", False),
    ("Follow-up visit", "follow-up-visit", False),
    ("Six-month check-in", "six-month-check-in", False),
    ("Progress review", "progress-review", False),
    ("Recovery and renewal panel", "recovery-and-renewal-panel", False),
    ("Remote peer support", "remote-peer-support", False),
    ("Peer support session", "peer-support-session", False),
]


def add_kinds(apps, schema_editor) -> None:  # noqa: ANN001
    EngagementKind = apps.get_model("recommendations", "EngagementKind")
    for position, (name, slug, is_peer_challenge) in enumerate(KINDS):
        EngagementKind.objects.update_or_create(
            slug=slug, defaults={"name": name, "is_peer_challenge": is_peer_challenge, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0002_approved_updates_are_immutable")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
