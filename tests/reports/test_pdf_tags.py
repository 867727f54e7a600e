"""The report PDF's tags pass our checks (tests/reports/pdf_checks.py): every /TH has its /Scope, every link
annotation words a reader can use, the chart's /Figure an /Alt with its numbers. The same checks on
WeasyPrint's own output are expected to fail: the day one passes there, upstream has fixed that point and its
workaround in reports/pdf_tags.py can go."""

import pytest

from reports import pdf

from . import pdf_checks

pytestmark = pytest.mark.django_db  # the St Helens demo is made, read and rolled back once


@pytest.fixture(scope="module")
def written(st_helens: dict[str, str]) -> dict[str, tuple[bytes, bytes]]:
    """Each St Helens report as we write it and as WeasyPrint alone writes it."""
    return {
        title: (
            pdf.render_pdf(document),
            pdf.lay_out(document).write_pdf(pdf_variant=pdf.PDF_VARIANT),
        )
        for title, document in st_helens.items()
    }


@pytest.mark.parametrize("check", pdf_checks.TAG_CHECKS, ids=lambda check: check.__name__)
def test_both_st_helens_reports_pass_the_tag_checks(written: dict[str, tuple[bytes, bytes]], check: object) -> None:
    problems = [f"{title}: {problem}" for title, (ours, _raw) in written.items() for problem in check(ours)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("check", pdf_checks.TAG_CHECKS, ids=lambda check: check.__name__)
def test_canary_weasyprint_alone_still_fails_the_tag_checks(
    written: dict[str, tuple[bytes, bytes]], check: object
) -> None:
    """If this fails, WeasyPrint now does this itself: drop its workaround from reports/pdf_tags.py."""
    for title, (_ours, raw) in written.items():
        assert check(raw), f"{title}: WeasyPrint's own output passes {check.__name__}"
