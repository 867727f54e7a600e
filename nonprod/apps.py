from django.apps import AppConfig


class NonprodConfig(AppConfig):
    """What is never for production: the St Helens demo and its `seed_demo` command (which refuses to run
    unless DEBUG is on). It may depend on every app; no app depends on it."""

    name = "nonprod"
    verbose_name = "Demo data (not for production)"
