"""Every GET page of the URL walk, opened by the officer at 1280 and 320 px, fits its window, passes axe and is titled
by its h1 (tests/browser/page_fits.py)."""

import pytest

from .page_fits import assert_every_page_fits

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_page_fits_at_1280_and_320_px_passes_axe_and_is_titled_by_its_h1(new_page: object, demo: None) -> None:
    assert_every_page_fits(new_page, "officer@st-helens.example")
