import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "k3v9-q7Zr!x2Lm8pWn4Ts6Yb1Hc5Jd0Fg_Ae-Ru7Io9Pk2Ul4Vs6Xw8Zy1Qa3Sd5Fg7",
    "ALLOWED_HOSTS": "improve.example.gov.uk",
    "DATABASE_URL": "sqlite:///:memory:",
}


# Variables a test run may set that production never has.
NOT_IN_PRODUCTION = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def production_env(**env: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k not in NOT_IN_PRODUCTION}, **env}


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(DJANGO_SETTINGS_MODULE="councilimprove.settings", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_production_settings() -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=production_env(**PRODUCTION_ENV),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_flags_the_development_secret_key() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_python(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', '--deploy')",
        **env,
    )
    assert "security.W009" in result.stderr


def test_wsgi_application_refuses_the_development_key_when_debug_is_off() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_python("import councilimprove.wsgi", **env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_wsgi_application_starts_with_a_real_key() -> None:
    result = run_python("import councilimprove.wsgi; print('ok')", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_debug_is_off_unless_asked_for() -> None:
    result = run_python("from django.conf import settings; print(settings.DEBUG)", **PRODUCTION_ENV)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_badly_written_flag_fails_loudly(value: str) -> None:
    result = run_python("from django.conf import settings; settings.DEBUG", **PRODUCTION_ENV, DEBUG=value)
    assert "DEBUG must be true or false" in result.stderr


def test_env_example_documents_every_variable_the_settings_read() -> None:
    import re

    settings_source = (ROOT / "councilimprove" / "settings.py").read_text()
    read = set(re.findall(r'(?:environ\.get|env_bool|env_int|env_list)\("([A-Z_]+)"', settings_source))
    read |= {"DATABASE_URL"}
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), flags=re.M))
    assert read - documented == set()
