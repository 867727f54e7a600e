"""The production settings plus the benchmark's own URLs (see bench/urls.py)."""

from councilimprove.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
