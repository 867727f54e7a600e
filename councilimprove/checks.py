"""System checks for settings that Django's own checks do not cover."""

from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


def _inside(child: Path, parent: Path) -> bool:
    child, parent = Path(child).resolve(), Path(parent).resolve()
    return child == parent or parent in child.parents


@register(Tags.security)
def evidence_outside_web_roots(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    """Evidence files must never be reachable through the static or media URL."""
    errors: list[CheckMessage] = []
    roots = [("STATIC_ROOT", settings.STATIC_ROOT), ("MEDIA_ROOT", settings.MEDIA_ROOT)]
    roots += [("STATICFILES_DIRS", path) for path in settings.STATICFILES_DIRS]
    for name, root in roots:
        if root and _inside(settings.EVIDENCE_ROOT, root):
            errors.append(
                Error(
                    f"EVIDENCE_ROOT is inside {name}, so evidence could be downloaded without a permission check.",
                    hint="Point EVIDENCE_ROOT at a folder outside every web root.",
                    id="councilimprove.E001",
                )
            )
    return errors


@register()
def frontend_built(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    """The GOV.UK Frontend build must exist, or every page renders unstyled."""
    if not (Path(settings.BASE_DIR) / "static" / "build" / "app.css").exists():
        return [
            Warning(
                "The front-end assets have not been built.",
                hint="Run `make assets` (or `make run`, which builds them).",
                id="councilimprove.W001",
            )
        ]
    return []
