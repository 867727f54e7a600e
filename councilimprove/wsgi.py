"""WSGI entry point: `gunicorn councilimprove.wsgi`."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "councilimprove.settings")

application = get_wsgi_application()


def _refuse_development_key() -> None:
    from django.conf import settings

    if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured("Set SECRET_KEY (50 or more random characters) before serving with DEBUG off.")


_refuse_development_key()
