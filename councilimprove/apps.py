from django.apps import AppConfig


class CouncilImproveConfig(AppConfig):
    name = "councilimprove"
    verbose_name = "Council Improve"

    def ready(self) -> None:
        from councilimprove import checks  # noqa: F401 - registers the system checks
