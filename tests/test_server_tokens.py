"""Bearer tokens of the reference server: issued tokens expire and their store stays bounded; the
control API asks for a token like the rest."""

from __future__ import annotations

import pytest
import requests

from reference_impl.server import AuthSettings
from tests.servers import running_server

CLIENT = {"grant_type": "client_credentials", "client_id": "id-1", "client_secret": "secret-1"}


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_issued_token_expires_after_its_lifetime() -> None:
    """A token from /oauth/token lets its holder in for ``expires_in`` seconds, then gets 401."""
    clock = Clock()
    auth = AuthSettings(client_id="id-1", client_secret="secret-1", now=clock)
    with running_server(auth=auth) as server:
        granted = requests.post(server.url + "/oauth/token", data=CLIENT, timeout=10).json()
        token, lifetime = granted["access_token"], granted["expires_in"]
        assert lifetime == auth.lifetime
        account = server.url + "/v1/accounts/A00000001"
        assert requests.get(account, headers=_bearer(token), timeout=10).status_code == 404
        clock.seconds += lifetime - 1
        assert requests.get(account, headers=_bearer(token), timeout=10).status_code == 404
        clock.seconds += 1
        expired = requests.get(account, headers=_bearer(token), timeout=10)
        assert expired.status_code == 401
        assert expired.json() == {"message": "Authentication error"}
        assert token not in auth.issued


def test_the_token_store_keeps_at_most_its_limit() -> None:
    """Granting past the limit drops the oldest tokens; the newest still work."""
    clock = Clock()
    auth = AuthSettings(client_id="id-1", client_secret="secret-1", now=clock, limit=5)
    tokens = []
    for _ in range(12):
        clock.seconds += 1
        issued = auth.grant("client_credentials", "id-1", "secret-1")
        assert issued is not None
        tokens.append(issued)
        assert len(auth.issued) <= 5
    assert auth.issued == frozenset(tokens[-5:])
    assert not auth.allows(f"Bearer {tokens[0]}")
    assert auth.allows(f"Bearer {tokens[-1]}")


def test_the_default_store_is_bounded_at_a_thousand() -> None:
    auth = AuthSettings(client_id="id-1", client_secret="secret-1")
    for _ in range(1_050):
        auth.grant("client_credentials", "id-1", "secret-1")
    assert len(auth.issued) == 1_000


def test_expired_tokens_leave_the_store() -> None:
    clock = Clock()
    auth = AuthSettings(client_id="id-1", client_secret="secret-1", now=clock)
    for _ in range(3):
        auth.grant("client_credentials", "id-1", "secret-1")
    clock.seconds += auth.lifetime
    auth.grant("client_credentials", "id-1", "secret-1")
    assert len(auth.issued) == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/conformance/v1/reset"),
        ("GET", "/conformance/v1"),
        ("POST", "/conformance/v2/tenants"),
        ("DELETE", "/conformance/v2/tenants/t-1"),
    ],
)
def test_the_control_api_needs_the_token(method: str, path: str) -> None:
    """With a token configured, the control API answers 401 to a caller without it."""
    with running_server(auth=AuthSettings(token="control-token")) as server:
        bare = requests.request(method, server.url + path, timeout=10)
        assert bare.status_code == 401, bare.text
        wrong = requests.request(method, server.url + path, headers=_bearer("other"), timeout=10)
        assert wrong.status_code == 401
        right = requests.request(method, server.url + path, headers=_bearer("control-token"), timeout=10)
        assert right.status_code != 401
