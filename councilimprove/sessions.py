"""Django's database sessions, except that a database that cannot be reached stays that fault.

Django's store turns any database error while saving a session into UpdateError, which SessionMiddleware
answers with a 400 ("the session was deleted"). During an outage that is wrong: it is a wait, and
`faults.server_error` answers it with the 503 page."""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from .faults import DATABASE_UNAVAILABLE


class SessionStore(DatabaseSessionStore):  # what SESSION_ENGINE names
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            if isinstance(error.__context__, DATABASE_UNAVAILABLE):
                raise error.__context__ from None
            raise
