"""Every test here reads the St Helens demo: it is seeded once for each module (tests/shared_data.py)."""

from collections.abc import Iterator

import pytest

from ..shared_data import rolled_back_after_the_module, seed


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup: None, django_db_blocker: object) -> Iterator[str]:
    """The demo as seed_demo leaves it, seeded once for the module; what seed_demo printed. Each test runs in
    a savepoint inside it, so what a test changes is undone for the next."""
    with rolled_back_after_the_module(django_db_blocker, seed) as printed:
        yield printed
