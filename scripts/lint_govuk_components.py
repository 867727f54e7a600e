"""GOV.UK components are written once, in templates/includes/components/ (and django-tables2's template for
tables2 tables): no other template writes their classes by hand, so every page shows the same markup.

Usage: python scripts/lint_govuk_components.py [ROOT]  (ROOT defaults to the project's folder). Exits 1, naming
each file, line and class, where a template outside the components writes a table, summary list, breadcrumbs,
back link, button, tag, notification banner or pagination itself. A table's rows and cells are the page's own
content, so a table's head, body, row, header and cell classes are allowed inside the table tag."""

import re
import sys
from pathlib import Path

COMPONENTS = (
    "table",
    "summary-list",
    "breadcrumbs",
    "back-link",
    "button",
    "tag",
    "notification-banner",
    "pagination",
)
# govuk-button, govuk-button--secondary, govuk-table__caption…; not govuk-button-group, another component.
NAMES = "|".join(COMPONENTS)
CLASS = re.compile(rf"(?<![\w-])govuk-(?:{NAMES})(?:(?:__|--)[\w-]+)?(?![\w-])")
ROWS_AND_CELLS = re.compile(r"govuk-table__(?:head|body|row|header|cell)(?:--numeric)?")
COMPONENT_TEMPLATES = ("includes/components/", "django_tables2/govuk.html")


def problems_in(name: str, text: str) -> list[str]:
    """Each hand-written component class in one template's text, as 'name:line: class'."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in CLASS.finditer(line):
            if not ROWS_AND_CELLS.fullmatch(match.group()):
                found.append(f"{name}:{number}: {match.group()} outside includes/components (use the component)")
    return found


def violations(root: Path) -> list[str]:
    templates = root / "templates"
    found = []
    for path in sorted(templates.rglob("*.html")):
        name = path.relative_to(templates).as_posix()
        if not name.startswith(COMPONENT_TEMPLATES):
            found += problems_in(f"templates/{name}", path.read_text(encoding="utf-8"))
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    problems = violations(root)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
