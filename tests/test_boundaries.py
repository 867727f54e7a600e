"""The build checks the boundaries (`make lint`): the domain never imports the web layer, recommendations never
imports reports, and views never use `.objects`. Each check is shown to fail on a copy of the project that
breaks it, and to pass on the project as it is."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("recommendations", "reports", "councilimprove", "nonprod")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's packages, its pyproject.toml and scripts, to break."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own tool, from our virtual environment
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )


def views_lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "scripts" / "lint_model_usage_in_views.py"), str(root)],
        capture_output=True,
        text=True,
        check=False,
    )


def append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_project_keeps_its_boundaries(project: Path) -> None:
    assert lint_imports(project).returncode == 0
    assert views_lint(ROOT).returncode == 0


def test_a_service_importing_a_view_fails_the_lint(project: Path) -> None:
    append(project / "recommendations" / "services" / "access.py", "import recommendations.views.tables  # noqa")
    result = lint_imports(project)
    assert result.returncode != 0
    assert "recommendations.services is not allowed to import recommendations.views" in result.stdout


def test_the_core_app_importing_reports_fails_the_lint(project: Path) -> None:
    append(project / "recommendations" / "selectors" / "items.py", "import reports.models  # noqa")
    result = lint_imports(project)
    assert result.returncode != 0
    assert "recommendations is not allowed to import reports" in result.stdout


def test_a_view_using_objects_fails_the_lint(project: Path) -> None:
    append(project / "reports" / "views" / "sessions.py", "count = PanelSession.objects.count()")
    result = views_lint(project)
    assert result.returncode == 1
    assert "reports/views/sessions.py" in result.stdout and "a view uses .objects" in result.stdout
