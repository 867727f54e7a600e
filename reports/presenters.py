"""Turn panel sessions into what their pages show, so templates hold no logic."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import Finding


@dataclass
class ThemeFindings:
    """One theme of a session: what peers commended, and where they urged further focus."""

    theme: str
    commended: list[str] = field(default_factory=list)
    further_focus: list[str] = field(default_factory=list)


def findings_by_theme(findings: Iterable[Finding]) -> list[ThemeFindings]:
    """The findings grouped by theme, themes in the order they first appear (their positions). Themes that
    differ only in case or spacing are one theme, shown as first typed."""
    themes: dict[str, ThemeFindings] = {}
    for finding in findings:
        key = " ".join(finding.theme.split()).casefold()
        group = themes.setdefault(key, ThemeFindings(theme=finding.theme))
        if finding.kind == Finding.Kind.COMMENDED:
            group.commended.append(finding.text)
        else:
            group.further_focus.append(finding.text)
    return list(themes.values())
