"""``serve`` fails closed: credentials named but missing stop it before it listens."""

from __future__ import annotations

import pytest

from billing_conformance.cli import main
from billing_conformance.exits import EXIT_REFUSED


@pytest.fixture(autouse=True)
def _no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_serve(*_: object, **__: object) -> None:
        pytest.fail("the server started")

    monkeypatch.setattr("uvicorn.run", must_not_serve)


@pytest.mark.parametrize(
    "flags",
    [
        ["--token-env", "BC_UNSET_TOKEN"],
        ["--client-id-env", "BC_SET_ID", "--client-secret-env", "BC_UNSET_SECRET"],
        ["--client-id-env", "BC_UNSET_ID", "--client-secret-env", "BC_SET_SECRET"],
        ["--client-id-env", "BC_SET_ID"],
    ],
    ids=["token unset", "secret unset", "client id unset", "secret not named"],
)
def test_named_but_missing_credentials_refuse_to_serve(
    flags: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for unset in ("BC_UNSET_TOKEN", "BC_UNSET_SECRET", "BC_UNSET_ID"):
        monkeypatch.delenv(unset, raising=False)
    monkeypatch.setenv("BC_SET_ID", "client")
    monkeypatch.setenv("BC_SET_SECRET", "secret")
    assert main(["serve", "--port", "1", *flags]) == EXIT_REFUSED
    assert "refused:" in capsys.readouterr().err


def test_an_empty_variable_counts_as_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BC_EMPTY_TOKEN", "")
    assert main(["serve", "--port", "1", "--token-env", "BC_EMPTY_TOKEN"]) == EXIT_REFUSED


def test_a_set_token_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[object] = []
    monkeypatch.setattr("uvicorn.Server.run", lambda server, **_: started.append(server.config.app))
    monkeypatch.setenv("BC_SET_TOKEN", "t0ken")
    assert main(["serve", "--port", "0", "--token-env", "BC_SET_TOKEN"]) == 0
    assert len(started) == 1
