"""Addresses of the tables filtered to explain a dashboard number, keeping the dashboard's own filters."""

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse

from recommendations import selectors
from recommendations.models import (
    Engagement,
    Theme,
)

# --- links to the tables -------------------------------------------------------------------------


class Links:
    """Addresses of the tables filtered to explain a number, keeping the dashboard's own filters."""

    def __init__(self, slug: str, as_at: dt.date, engagement: Engagement | None, theme: Theme | None) -> None:
        self.slug = slug
        self.as_at = as_at
        self.base = {"as_at": as_at.isoformat()}
        if engagement is not None:
            self.base["engagement"] = str(engagement.pk)
        if theme is not None:
            self.base["theme"] = str(theme.pk)

    def recommendations(self, **params: object) -> str:
        return self._url("recommendation_list", params)

    def item(self, name: str, pk: int) -> str:
        """An item's page, as at the dashboard's date where that is in the past."""
        url = reverse(name, args=[self.slug, pk])
        return f"{url}?as_at={self.as_at.isoformat()}" if self.as_at < selectors.local_today() else url

    def actions(self, **params: object) -> str:
        return self._url("action_list", params)

    def _url(self, name: str, params: dict[str, object]) -> str:
        query = {**self.base, **{key: str(value) for key, value in params.items()}}
        return f"{self._table(name)}?{urlencode(query)}"

    def _table(self, name: str) -> str:
        """A table's address, reversed once for the dashboard's hundred or so links to it."""
        tables = self.__dict__.setdefault("_tables", {})
        if name not in tables:
            tables[name] = reverse(name, args=[self.slug])
        return tables[name]
