"""The production settings plus one URL for the benchmark's trivial view (see bench/urls.py).

Static files are served without the hashed-name manifest: production's `collectstatic` currently fails
because static/build/app.css refers to GOV.UK Frontend images that `make assets` does not copy. Pages do
not serve static files themselves, so this does not change what is measured.
"""

from councilimprove.settings import *  # noqa: F403
from councilimprove.settings import STORAGES

ROOT_URLCONF = "bench.urls"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}
