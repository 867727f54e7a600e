"""Addresses of the tables filtered to explain a dashboard number, keeping the dashboard's own filters."""

import datetime as dt
from urllib.parse import quote_plus, urlencode

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
        self._query = urlencode(self.base)
        self._tables: dict[str, str] = {}
        self._items: dict[str, str] = {}
        self._pairs: dict[tuple[str, str], str] = {}
        self._past = f"?as_at={as_at.isoformat()}" if as_at < selectors.local_today() else ""

    def recommendations(self, **params: object) -> str:
        return self._url("recommendation_list", params)

    def item(self, name: str, pk: int) -> str:
        """An item's page, as at the dashboard's date where that is in the past."""
        return f"{self.address(name, pk)}{self._past}"

    def actions(self, **params: object) -> str:
        return self._url("action_list", params)

    def _url(self, name: str, params: dict[str, object]) -> str:
        """The dashboard's filters then `params` (one of them, where it names the same filter, in its place)."""
        if any(key in self.base for key in params):
            query = urlencode({**self.base, **{key: str(value) for key, value in params.items()}})
        else:
            query = f"{self._query}&{self._encoded(params)}" if params else self._query
        return f"{self._table(name)}?{query}"

    def _encoded(self, params: dict[str, object]) -> str:
        """`urlencode(params)`, each name and value encoded once for the dashboard's hundred or so links (a few
        dozen pairs: the statuses, RAG ratings, directorates and flags)."""
        pairs = []
        for key, value in params.items():
            pair = (key, str(value))
            if pair not in self._pairs:
                self._pairs[pair] = f"{quote_plus(key)}={quote_plus(pair[1])}"
            pairs.append(self._pairs[pair])
        return "&".join(pairs)

    def _table(self, name: str) -> str:
        """A table's address, reversed once for the dashboard's hundred or so links to it."""
        if name not in self._tables:
            self._tables[name] = reverse(name, args=[self.slug])
        return self._tables[name]

    def address(self, name: str, pk: int) -> str:
        """An item's page: its address up to the id reversed once for each kind (the id is the last part)."""
        if name not in self._items:
            self._items[name] = reverse(name, args=[self.slug, 1]).removesuffix("1/")
        return f"{self._items[name]}{pk}/"
