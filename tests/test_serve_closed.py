"""With credentials required (``serve --token-env``, or client credentials), nothing is open:
every path of the server, the OpenAPI document included, answers 401 without a valid token, and
the interactive pages (``/docs``, ``/redoc``), which a browser loads without one, are off."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from starlette.routing import Route

from billing_conformance.cli import main
from reference_impl.server import AuthSettings, RunningServer, create_app
from tests.servers import running_server

TOKEN = "open-sesame-0123"
PAGES = ("/docs", "/docs/oauth2-redirect", "/redoc")


@pytest.fixture(scope="module")
def closed() -> Iterator[RunningServer]:
    with running_server(auth=AuthSettings(token=TOKEN, client_id="client", client_secret="secret")) as server:
        yield server


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_every_path_needs_the_token(closed: RunningServer) -> None:
    app = create_app(auth=AuthSettings(token=TOKEN))
    routes = [route for route in app.router.routes if isinstance(route, Route)]
    assert any(route.path == "/openapi.json" for route in routes)
    for route in routes:
        path = re.sub(r"\{[^}]+\}", "x", route.path)
        for method in sorted(route.methods or ()):
            if method == "HEAD":
                continue
            answer = requests.request(method, closed.url + path, timeout=10)
            assert answer.status_code == 401, f"{method} {route.path} answered {answer.status_code}"


def test_the_openapi_document_is_served_to_a_caller_with_the_token(closed: RunningServer) -> None:
    assert requests.get(f"{closed.url}/openapi.json", timeout=10).status_code == 401
    wrong = requests.get(f"{closed.url}/openapi.json", headers=_bearer("not-the-token"), timeout=10)
    assert wrong.status_code == 401
    assert wrong.json() == {"message": "Authentication error"}
    answer = requests.get(f"{closed.url}/openapi.json", headers=_bearer(TOKEN), timeout=10)
    assert answer.status_code == 200
    with running_server() as open_server:
        assert answer.json() == requests.get(f"{open_server.url}/openapi.json", timeout=10).json()


def test_an_oauth_token_opens_the_openapi_document(closed: RunningServer) -> None:
    form = {"grant_type": "client_credentials", "client_id": "client", "client_secret": "secret"}
    issued = requests.post(f"{closed.url}/oauth/token", data=form, timeout=10).json()["access_token"]
    answer = requests.get(f"{closed.url}/openapi.json", headers=_bearer(issued), timeout=10)
    assert answer.status_code == 200
    assert answer.json()["openapi"].startswith("3.1")


@pytest.mark.parametrize("page", PAGES)
def test_the_interactive_pages_are_off(closed: RunningServer, page: str) -> None:
    for headers in ({}, _bearer(TOKEN)):
        answer = requests.get(closed.url + page, headers=headers, timeout=10)
        assert answer.status_code == 404, page
        assert "swagger" not in answer.text.lower()
        assert "redoc" not in answer.text.lower().replace(page, "")


def test_without_credentials_the_document_and_the_pages_stay_open() -> None:
    with running_server() as server:
        assert requests.get(f"{server.url}/openapi.json", timeout=10).status_code == 200
        for page in ("/docs", "/redoc"):
            answer = requests.get(server.url + page, timeout=10)
            assert answer.status_code == 200, page
            assert "openapi.json" in answer.text


def test_serve_says_what_is_open(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("uvicorn.Server.run", lambda *_, **__: None)
    monkeypatch.setenv("BC_CLOSED_TOKEN", TOKEN)
    assert main(["serve", "--port", "0", "--token-env", "BC_CLOSED_TOKEN"]) == 0
    assert "every path needs the credentials, and /docs is off" in capsys.readouterr().out
    assert main(["serve", "--port", "0"]) == 0
    assert "needs the credentials" not in capsys.readouterr().out
