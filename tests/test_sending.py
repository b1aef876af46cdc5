"""The kit's lean way of sending a request (:mod:`steps.targets.sending`) keeps what
``Session.request`` would have done for it: the session's headers go along, the caller's win,
query parameters are encoded, a cookie the target sets comes back on the next request, and a
redirect is handed back rather than followed. A real server on a free loopback port answers."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from steps.targets.sending import send

TIMEOUT = (5.0, 5.0)


class _Echo(BaseHTTPRequestHandler):
    """Answers with what it was sent; ``/cookie`` sets one, ``/moved`` redirects."""

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        seen = {"path": self.path, "headers": dict(self.headers.items()), "body": body}
        payload = json.dumps(seen).encode()
        self.send_response(302 if self.path == "/moved" else 200)
        if self.path == "/cookie":
            self.send_header("Set-Cookie", "session=abc123; Path=/")
        if self.path == "/moved":
            self.send_header("Location", "/elsewhere")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def echo() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _seen(reply: requests.Response) -> dict[str, object]:
    found: dict[str, object] = json.loads(reply.content)
    return found


def test_the_sessions_headers_go_along_and_the_callers_win(echo: str) -> None:
    session = requests.Session()
    session.headers["X-Team"] = "billing"
    reply = send(session, "get", f"{echo}/look", TIMEOUT, headers={"Accept": "application/json"})
    headers = _seen(reply)["headers"]
    assert isinstance(headers, dict)
    assert headers["X-Team"] == "billing"
    assert headers["Accept"] == "application/json"  # not the session's */*
    assert headers["User-Agent"].startswith("python-requests/")


def test_parameters_and_body_are_sent_as_given(echo: str) -> None:
    session = requests.Session()
    params = {"filter[]": "sourceId.EQ:BR-1 ?#", "pageSize": 2}
    reply = send(session, "POST", f"{echo}/query", TIMEOUT, data=b'{"a": 1}', params=params)
    seen = _seen(reply)
    assert seen["path"] == "/query?filter%5B%5D=sourceId.EQ%3ABR-1+%3F%23&pageSize=2"
    assert seen["body"] == '{"a": 1}'


def test_a_cookie_the_target_sets_comes_back(echo: str) -> None:
    session = requests.Session()
    first = send(session, "GET", f"{echo}/cookie", TIMEOUT)
    assert "Cookie" not in _seen(first)["headers"]  # type: ignore[operator]
    second = send(session, "GET", f"{echo}/next", TIMEOUT)
    headers = _seen(second)["headers"]
    assert isinstance(headers, dict)
    assert headers["Cookie"] == "session=abc123"


def test_a_redirect_is_handed_back_not_followed(echo: str) -> None:
    reply = send(requests.Session(), "GET", f"{echo}/moved", TIMEOUT)
    assert reply.status_code == 302
    assert reply.headers["Location"] == "/elsewhere"
    assert reply.url == f"{echo}/moved"
