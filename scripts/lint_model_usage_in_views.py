"""Views reach data only through selectors and services: no `.objects` in a view module.

Usage: python scripts/lint_model_usage_in_views.py [ROOT]  (ROOT defaults to the project's folder). Exits 1,
naming each file and line, when a view module uses a model manager directly."""

import ast
import sys
from pathlib import Path

VIEW_MODULES = ("*/views/*.py", "*/views.py")


def violations(root: Path) -> list[str]:
    found = []
    for pattern in VIEW_MODULES:
        for path in sorted(root.glob(pattern)):
            if ".venv" in path.parts or "node_modules" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute) and node.attr == "objects":
                    where = f"{path.relative_to(root)}:{node.lineno}"
                    found.append(f"{where}: a view uses .objects; read through a selector")
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    problems = violations(root)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
