"""Given the live server talking to PostgreSQL through a proxy this test owns, when the proxy cuts every
connection and refuses new ones for a moment while requests keep coming, then no request gets the 500 page,
at least one gets the 503 page with Retry-After, and the service recovers by itself once the database is back.

PostgreSQL only: SQLite is a file, with no connection to cut."""

import contextlib
import http.cookiejar
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client

from recommendations.models import User

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the live server sees committed data
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has no connection to cut"),
]


class FlakyProxy:
    """A TCP proxy in threads: passes bytes both ways until cut, then closes every connection and refuses
    new ones (accepts and closes them at once) until restored."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.refusing = threading.Event()
        self.stopping = threading.Event()
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            if self.refusing.is_set():
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.open += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.refusing.set()
        with self.lock:
            for end in self.open:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            self.open.clear()

    def restore(self) -> None:
        self.refusing.clear()

    def stop(self) -> None:
        self.cut()
        self.stopping.set()
        self.thread.join()
        self.listener.close()


@pytest.fixture
def proxied_database() -> Iterator[FlakyProxy]:
    """New connections (the live server's request threads open their own) go through the proxy; the test's
    own connection, already open, does not."""
    connection.ensure_connection()
    shared = connections.settings["default"]  # the dict every new connection is made from
    original = shared["HOST"], shared["PORT"]
    proxy = FlakyProxy(original[0] or "127.0.0.1", int(original[1] or 5432))
    shared["HOST"], shared["PORT"] = "127.0.0.1", str(proxy.port)
    try:
        yield proxy
    finally:
        shared["HOST"], shared["PORT"] = original
        proxy.stop()


def opener(session_key: str | None = None) -> urllib.request.OpenerDirector:
    """A browser of sorts: keeps the cookies it is given (the CSRF cookie), and sends a session if it has one."""
    built = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    if session_key:
        built.addheaders = [("Cookie", f"{settings.SESSION_COOKIE_NAME}={session_key}")]
    return built


def fetch(opener: urllib.request.OpenerDirector, url: str, data: dict | None = None) -> tuple[int, dict, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_a_database_outage_is_a_wait_and_the_service_recovers(
    live_server: object, officer: User, proxied_database: FlakyProxy
) -> None:
    client = Client()
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    member = opener(client.cookies[settings.SESSION_COOKIE_NAME].value)
    visitor = opener()
    dashboard, sign_in = f"{live_server.url}/councils/borsetshire/", f"{live_server.url}/accounts/login/"

    status, _, page = fetch(visitor, sign_in)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert status == 200
    status, _, page = fetch(member, dashboard)
    assert status == 200 and "Improvement plan dashboard" in page  # signed in, not sent to sign in

    answers: list[tuple[str, int, dict, str]] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            answers.append(("GET", *fetch(member, dashboard)))
            # a new address each time, so the wrong passwords never lock anyone out
            email = f"nobody{len(answers)}@borsetshire.example"
            form = {"csrfmiddlewaretoken": token, "username": email, "password": "not-a-password"}
            answers.append(("POST", *fetch(visitor, sign_in, form)))

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        time.sleep(1)
        proxied_database.cut()
        time.sleep(2)
        proxied_database.restore()
        time.sleep(2)
    finally:
        stop.set()
        asker.join()

    statuses = [status for _, status, _, _ in answers]
    assert 500 not in statuses, statuses
    waits = [(method, headers, page) for method, status, headers, page in answers if status == 503]
    assert waits, statuses
    assert all(headers.get("Retry-After") == "60" for _, headers, _ in waits)
    assert all("Sorry, the service is unavailable" in page for _, _, page in waits)
    posted = [page for method, _, page in waits if method == "POST"]
    assert posted and all('name="username" value="nobody' in page for page in posted)
    assert set(statuses) <= {200, 503}, statuses  # a wrong password is the form again (200), never an error

    gets = [page for method, status, _, page in answers if method == "GET" and status == 503]
    assert gets, statuses  # the signed-in page waited too
    status, _, page = fetch(member, dashboard)
    assert status == 200 and "Improvement plan dashboard" in page  # recovered with no restart, still signed in
