"""The command line against HTTP targets: safety before any request, smoke checks with real
servers and credentials (never echoed), and scenarios that are not applicable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import responses

from billing_conformance import FEATURES_DIR, PROJECT_ROOT
from billing_conformance.cli import main
from reference_impl.server import AuthSettings, RunningServer
from steps.targets.profile import Credentials, Profile
from steps.targets.transport import HttpClient
from tests.profile_support import (
    CLIENT_ID,
    CLIENT_ID_ENV,
    CLIENT_SECRET,
    CLIENT_SECRET_ENV,
    TOKEN,
    TOKEN_ENV,
    WRONG_TOKEN,
    closed_port_url,
    profile_text,
    write,
)
from tests.servers import running_server
from tests.suite_runner import run_suite

# -- the command line: safety before any request ---------------------------------------------------


def test_smoke_refuses_a_zuora_production_host_without_sending_a_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """smoke against rest.zuora.com (profile marked sandbox) exits 2, says "refused", sends nothing."""
    profile = write(tmp_path, profile_text("https://rest.zuora.com", "sandbox"))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        status = main(["smoke", "--target", "https://rest.zuora.com", "--profile", str(profile)])
        assert len(mocked.calls) == 0
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("refused: ")
    assert "production API hosts" in err


def test_smoke_refuses_a_remote_target_without_a_profile(capsys: pytest.CaptureFixture[str]) -> None:
    """smoke against a non-loopback URL without a profile exits 2 and says a profile is needed."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        status = main(["smoke", "--target", "https://billing.example.test"])
        assert len(mocked.calls) == 0
    assert status == 2
    assert "refused: " in capsys.readouterr().err


def test_smoke_goes_past_the_safety_check_when_production_is_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --allow-production, smoke tries to reach the host (here unreachable: exit 3), not 2."""
    profile = write(tmp_path, profile_text("https://rest.zuora.com", "sandbox"))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        status = main(
            ["smoke", "--target", "https://rest.zuora.com", "--profile", str(profile), "--allow-production"]
        )
        assert len(mocked.calls) == 1
        assert mocked.calls[0].request.url == "https://rest.zuora.com/v1/catalog/products"
    assert status == 3
    out = capsys.readouterr()
    assert "refused" not in out.err
    assert (
        "FAIL reachable and authenticated: list catalog: cannot connect to https://rest.zuora.com" in out.out
    )


# -- the command line against real servers ----------------------------------------------------------


def _assert_no_secret(output: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in output, "a credential leaked into the output"


def test_smoke_passes_against_the_reference_server(
    reference_server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """smoke against the reference server exits 0 and every check is "ok"."""
    assert main(["smoke", "--target", reference_server.url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert all(line.startswith("ok ") for line in lines), lines


def test_smoke_with_a_wrong_bearer_token_fails_as_a_credential_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wrong bearer token makes smoke exit 3 with a credentials/adapter message, showing no token."""
    monkeypatch.setenv(TOKEN_ENV, WRONG_TOKEN)
    with running_server(auth=AuthSettings(token=TOKEN)) as server:
        profile = write(
            tmp_path, profile_text(server.url, auth=f'kind = "bearer"\ntoken_env = "{TOKEN_ENV}"')
        )
        status = main(["smoke", "--target", server.url, "--profile", str(profile)])
    assert status == 3
    out = capsys.readouterr()
    assert "FAIL reachable and authenticated" in out.out
    assert "refused the credentials (HTTP 401)" in out.out
    assert "connection, credential or adapter problem" in out.err
    _assert_no_secret(out.out + out.err, TOKEN, WRONG_TOKEN)


def test_smoke_with_the_right_bearer_token_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The right bearer token, read from the environment, makes smoke exit 0 without showing it."""
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    with running_server(auth=AuthSettings(token=TOKEN)) as server:
        profile = write(
            tmp_path, profile_text(server.url, auth=f'kind = "bearer"\ntoken_env = "{TOKEN_ENV}"')
        )
        status = main(["smoke", "--target", server.url, "--profile", str(profile)])
    out = capsys.readouterr()
    assert status == 0, out
    assert all(line.startswith("ok ") for line in out.out.splitlines())
    _assert_no_secret(out.out + out.err, TOKEN)


def _smoke_with_oauth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, secret: str
) -> tuple[int, AuthSettings]:
    """Smoke against a server that wants OAuth, with ``secret`` as the client secret in the environment."""
    monkeypatch.setenv(CLIENT_ID_ENV, CLIENT_ID)
    monkeypatch.setenv(CLIENT_SECRET_ENV, secret)
    auth = AuthSettings(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    oauth = f'kind = "oauth"\nclient_id_env = "{CLIENT_ID_ENV}"\nclient_secret_env = "{CLIENT_SECRET_ENV}"'
    with running_server(auth=auth) as server:
        profile = write(tmp_path, profile_text(server.url, auth=oauth))
        return main(["smoke", "--target", server.url, "--profile", str(profile)]), auth


def test_smoke_with_oauth_client_credentials_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """OAuth client credentials from the environment get a token; smoke exits 0 showing no secret."""
    status, auth = _smoke_with_oauth(tmp_path, monkeypatch, CLIENT_SECRET)
    out = capsys.readouterr()
    assert status == 0, out
    assert all(line.startswith("ok ") for line in out.out.splitlines())
    assert len(auth.issued) == 1, "the kit authenticated once, with a token from /oauth/token"
    _assert_no_secret(out.out + out.err, CLIENT_ID, CLIENT_SECRET, *auth.issued)


def test_smoke_with_wrong_oauth_client_credentials_fails_as_a_credential_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wrong client secret makes smoke exit 3 on authenticating, showing neither secret."""
    status, auth = _smoke_with_oauth(tmp_path, monkeypatch, WRONG_TOKEN)
    out = capsys.readouterr()
    assert status == 3
    assert "authenticate: the target refused the credentials (HTTP 401)" in out.out
    assert auth.issued == set()
    _assert_no_secret(out.out + out.err, CLIENT_ID, CLIENT_SECRET, WRONG_TOKEN)


def test_run_stops_before_the_suite_when_the_smoke_check_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """run against a closed port exits 3 after the smoke check, without ever starting pytest."""

    def must_not_run(*_args: object, **_kwargs: object) -> int:
        pytest.fail("run started the conformance suite although the smoke check failed")

    monkeypatch.setattr("billing_conformance.cli.pytest.main", must_not_run)
    url = closed_port_url()
    assert main(["run", "--target", url]) == 3
    out = capsys.readouterr()
    assert f"cannot connect to {url}" in out.out
    assert "not a conformance result" in out.err


# -- not applicable --------------------------------------------------------------------------------


def test_a_scenario_needing_the_control_api_is_not_applicable_without_it(
    pytester: pytest.Pytester, reference_server: RunningServer, tmp_path: Path
) -> None:
    """Without the control API, BR-CANCEL-PAUSED is "not applicable" (never passed), saying why."""
    profile = write(tmp_path, profile_text(reference_server.url, "test", control_api=False), "nocontrol.toml")
    result = run_suite(
        pytester, reference_server.url, "--profile", str(profile), "--rule", "BR-CANCEL-PAUSED"
    )
    assert set(result.outcomes) == {"BR-CANCEL-PAUSED"}
    scenarios = result.outcomes["BR-CANCEL-PAUSED"]
    assert len(scenarios) == 2
    assert set(scenarios.values()) == {"not applicable"}

    run = pytester.runpytest(
        str(FEATURES_DIR),
        f"--rootdir={PROJECT_ROOT}",
        f"--target={reference_server.url}",
        "--profile",
        str(profile),
        "--rule",
        "BR-CANCEL-PAUSED",
        "-rs",
    )
    run.assert_outcomes(skipped=2)
    skip_lines = [line for line in run.outlines if line.startswith("SKIPPED")]
    counts = [int(found.group(1)) for line in skip_lines if (found := re.match(r"SKIPPED \[(\d+)\]", line))]
    assert sum(counts) == 2, skip_lines
    assert all("not applicable: " in line and "control API" in line for line in skip_lines), skip_lines
    assert "N/A     BR-CANCEL-PAUSED" in run.stdout.str()
    # Nothing was checked: no false green (issue 13), but a status of its own and one line saying so.
    assert run.ret == 6
    assert "verdict: nothing checked: 1 of 45 rules not applicable, 44 not run; 2 of 114 scenarios run" in (
        run.stdout.str()
    )
    assert "every rule was not applicable or not run: this run proves nothing (exit 6)" in run.stdout.str()


def test_an_oauth_access_token_never_shows_in_the_clients_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    """A traceback that prints the HTTP client (``--showlocals``) does not leak the access token."""
    monkeypatch.setenv("LEAK_ID", "client-id-1")
    monkeypatch.setenv("LEAK_SECRET", "client-secret-1")
    auth = AuthSettings(client_id="client-id-1", client_secret="client-secret-1")
    with running_server(auth=auth) as server:
        profile = Profile(server.url, "test", Credentials("oauth", None, "LEAK_ID", "LEAK_SECRET"))
        client = HttpClient(profile)
        client.call("list catalog", "GET", "/v1/catalog/products", response_schema="catalog-response")
        (issued,) = auth.issued
        assert issued not in repr(client)
        assert "client-secret-1" not in repr(client)
