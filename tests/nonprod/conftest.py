"""Every test here reads the St Helens demo: it is written once for each module, a copy of the process's one
seeding (tests/shared_data.py)."""

from collections.abc import Iterator

import pytest

from ..shared_data import demo, rolled_back_after_the_module


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup: None, django_db_blocker: object) -> Iterator[str]:
    """The demo as seed_demo leaves it, written once for the module; what seed_demo printed. Each test runs in
    a savepoint inside it, so what a test changes is undone for the next."""
    with rolled_back_after_the_module(django_db_blocker, demo) as printed:
        yield printed
