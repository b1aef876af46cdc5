"""Target profiles and safety: what a profile says is what the kit does, and it never runs where it must not.

Covers reading profiles, the safety checks (environment, Zuora production hosts), the ``smoke`` and
``run`` commands against real reference servers (open, bearer, OAuth), and scenarios that are not
applicable to a target without the control API.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
import responses

from billing_conformance import FEATURES_DIR, PROJECT_ROOT
from billing_conformance.cli import main
from reference_impl.server import AuthSettings, RunningServer
from steps.targets.errors import TargetSpecError
from steps.targets.profile import Capabilities, Credentials, Profile, is_production_host, load_profile
from steps.targets.protocol import TenantFeatures
from steps.targets.transport import HttpClient
from tests.servers import running_server
from tests.suite_runner import run_suite

FULL_PROFILE = """\
[target]
base_url = "https://billing.example.test/"
environment = "sandbox"

[auth]
kind = "oauth"
client_id_env = "BILLING_CLIENT_ID"
client_secret_env = "BILLING_CLIENT_SECRET"
token_path = "/auth/token"

[capabilities]
control_api = true
scheduled_bill_runs = false

[features]
invoice_settlement = false
orders = true
workflow = false

[timeouts]
request_seconds = 12.5
poll_seconds = 90
"""

TOKEN_ENV = "BC_SAFETY_TOKEN"
TOKEN = "s3cr3t-token"
WRONG_TOKEN = "wr0ng-t0ken-5a1e"
CLIENT_ID_ENV, CLIENT_SECRET_ENV = "BC_SAFETY_CLIENT_ID", "BC_SAFETY_CLIENT_SECRET"
CLIENT_ID, CLIENT_SECRET = "conformance-client-3c7d", "oauth-s3cr3t-81f2"


def _write(tmp_path: Path, text: str, name: str = "profile.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _profile_text(
    base_url: str, environment: str = "test", *, control_api: bool = True, auth: str = 'kind = "none"'
) -> str:
    return (
        f'[target]\nbase_url = "{base_url}"\nenvironment = "{environment}"\n\n'
        f"[auth]\n{auth}\n\n"
        f"[capabilities]\ncontrol_api = {str(control_api).lower()}\n\n"
        "[timeouts]\nrequest_seconds = 5\npoll_seconds = 5\n"
    )


def _closed_port_url() -> str:
    """The URL of a loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _sandbox(base_url: str) -> Profile:
    return Profile(base_url, "sandbox")


# -- reading a profile -----------------------------------------------------------------------------


def test_a_full_profile_is_read_into_every_field(tmp_path: Path) -> None:
    """Every section of a TOML profile lands in its field, the base URL without a trailing slash."""
    profile = load_profile(_write(tmp_path, FULL_PROFILE), "")
    assert profile == Profile(
        base_url="https://billing.example.test",
        environment="sandbox",
        credentials=Credentials(
            "oauth",
            token_env=None,
            client_id_env="BILLING_CLIENT_ID",
            client_secret_env="BILLING_CLIENT_SECRET",
            token_path="/auth/token",
        ),
        capabilities=Capabilities(control_api=True, scheduled_bill_runs=False),
        features=TenantFeatures(invoice_settlement=False, orders=True, workflow=False),
        request_seconds=12.5,
        poll_seconds=90.0,
    )


def test_the_target_url_given_on_the_command_line_overrides_the_profile(tmp_path: Path) -> None:
    """load_profile's base_url wins over the profile's, and the rest of the profile still applies."""
    profile = load_profile(_write(tmp_path, FULL_PROFILE), "https://other.example.test/")
    assert profile.base_url == "https://other.example.test"
    assert profile.environment == "sandbox"
    assert profile.credentials.kind == "oauth"


def test_a_minimal_profile_takes_the_documented_defaults(tmp_path: Path) -> None:
    """A profile with only a target gets no auth, no control API, scheduled runs, all features, 30/60 s."""
    profile = load_profile(_write(tmp_path, '[target]\nbase_url = "https://b.example.test"\n'), "")
    assert profile == Profile("https://b.example.test", "")
    assert profile.credentials.kind == "none"
    assert profile.capabilities == Capabilities(control_api=False, scheduled_bill_runs=True)
    assert profile.features == TenantFeatures(True, True, True)
    assert (profile.request_seconds, profile.poll_seconds) == (30.0, 60.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[target\nbase_url = "https://b.example.test"\n', "cannot read the profile"),
        (
            '[target]\nbase_url = "https://b.example.test"\n[auth]\nkind = "kerberos"\n',
            "unknown auth kind 'kerberos'",
        ),
        ('[target]\nenvironment = "test"\n', "the profile names no base_url"),
    ],
    ids=["bad-toml", "unknown-auth-kind", "no-base-url"],
)
def test_a_broken_profile_is_refused_with_a_clear_message(tmp_path: Path, text: str, expected: str) -> None:
    """Bad TOML, an unknown auth kind or no base URL raises TargetSpecError saying which."""
    path = _write(tmp_path, text)
    with pytest.raises(TargetSpecError) as raised:
        load_profile(path, "")
    assert raised.value.spec == str(path)
    assert expected in raised.value.reason


def test_a_missing_profile_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    """A profile path that does not exist raises TargetSpecError "cannot read the profile"."""
    with pytest.raises(TargetSpecError) as raised:
        load_profile(tmp_path / "nowhere.toml", "https://b.example.test")
    assert "cannot read the profile" in str(raised.value)


@pytest.mark.parametrize(
    "text",
    [
        '[target]\nbase_url = "https://b.example.test"\nenvironment = "test"\n'
        '[timeouts]\nrequest_seconds = "soon"\n',
        'target = "https://b.example.test"\n',
        '[target]\nbase_url = "https://b.example.test"\nenvironment = "test"\n'
        '[capabilities]\ncontrol_api = "false"\n',
    ],
    ids=["timeout-not-a-number", "target-not-a-table", "flag-as-a-string"],
)
def test_a_profile_value_of_the_wrong_type_is_refused_with_a_clear_message(tmp_path: Path, text: str) -> None:
    """A value of the wrong type raises TargetSpecError: it neither crashes nor is silently misread."""
    with pytest.raises(TargetSpecError) as raised:
        load_profile(_write(tmp_path, text), "")
    assert "profile" in str(raised.value)


# -- targets without a profile ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["https://billing.example.test", "http://10.0.0.5:8080", "http://localhost.evil.test"]
)
def test_a_remote_target_without_a_profile_is_refused(url: str) -> None:
    """A URL not on this machine needs a profile marking it sandbox or test, and the refusal says so."""
    with pytest.raises(TargetSpecError) as raised:
        load_profile(None, url)
    assert "needs a --profile that marks it as a sandbox or test tenant" in str(raised.value)


@pytest.mark.parametrize(
    ("url", "base_url"),
    [
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("http://localhost:9000", "http://localhost:9000"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_a_loopback_target_without_a_profile_is_a_test_target_with_the_control_api(
    url: str, base_url: str
) -> None:
    """A loopback URL needs no profile: it is a safe test target offering the control API."""
    profile = load_profile(None, url)
    assert profile.base_url == base_url
    assert profile.environment == "test"
    assert profile.capabilities.control_api is True
    profile.check_safety()


# -- safety ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("environment", ["production", "", "Sandbox", "prod"])
def test_a_target_not_marked_sandbox_or_test_is_refused(environment: str) -> None:
    """Only the environments "sandbox" and "test" are accepted; anything else (or nothing) is refused."""
    profile = Profile("https://billing.example.test", environment)
    with pytest.raises(TargetSpecError) as raised:
        profile.check_safety()
    assert f"the profile marks it {environment!r}" in str(raised.value)
    assert "'sandbox' or 'test'" in str(raised.value)
    with pytest.raises(TargetSpecError):
        profile.check_safety(allow_production=True)


@pytest.mark.parametrize("environment", ["sandbox", "test"])
def test_a_target_marked_sandbox_or_test_is_accepted(environment: str) -> None:
    """A non-Zuora target marked sandbox or test passes the safety check."""
    Profile("https://billing.example.test", environment).check_safety()


@pytest.mark.parametrize(
    "url", ["https://rest.zuora.com", "https://rest.na.zuora.com/", "https://REST.EU.ZUORA.COM:443"]
)
def test_a_zuora_production_host_is_refused_even_when_marked_sandbox(url: str) -> None:
    """Zuora's production API hosts are refused whatever the profile says, naming --allow-production."""
    with pytest.raises(TargetSpecError) as raised:
        _sandbox(url).check_safety()
    assert "one of Zuora's production API hosts" in str(raised.value)
    assert "--allow-production" in str(raised.value)


@pytest.mark.parametrize(
    "url", ["https://rest.zuora.com", "https://rest.na.zuora.com", "https://rest.eu.zuora.com"]
)
def test_a_zuora_production_host_is_accepted_when_production_is_allowed(url: str) -> None:
    """With allow_production, a production host marked sandbox passes the safety check."""
    _sandbox(url).check_safety(allow_production=True)


@pytest.mark.parametrize(
    "url",
    [
        "https://rest.apisandbox.zuora.com",
        "https://rest.sandbox.na.zuora.com",
        "https://rest.test.zuora.com",
        "https://rest.sandbox.eu.zuora.com",
    ],
)
def test_a_zuora_sandbox_host_is_accepted(url: str) -> None:
    """Zuora's sandbox and test hosts are not production hosts and pass the safety check."""
    _sandbox(url).check_safety()


@pytest.mark.parametrize(
    ("host", "production"),
    [
        ("rest.zuora.com", True),
        ("rest.na.zuora.com", True),
        ("rest.eu.zuora.com", True),
        ("zuora.com", True),
        ("rest.zuora.com.", True),
        ("rest.apisandbox.zuora.com", False),
        ("rest.sandbox.na.zuora.com", False),
        ("rest.test.zuora.com", False),
        ("zuora.com.evil.test", False),
        ("rest.zuora.com.evil.example", False),
        ("notzuora.com", False),
        ("billing.example.test", False),
        ("127.0.0.1", False),
    ],
)
def test_only_zuora_api_hosts_outside_its_sandboxes_count_as_production(host: str, production: bool) -> None:
    """*.zuora.com without a sandbox or test label is production; look-alike and other hosts are not."""
    assert is_production_host(host) is production


@pytest.mark.parametrize("url", ["https://zuora.com.evil.test", "https://rest.zuora.com.evil.example"])
def test_a_look_alike_host_is_left_to_the_environment_check(url: str) -> None:
    """A host like zuora.com.evil.test is not taken for Zuora: marked sandbox it is accepted."""
    _sandbox(url).check_safety()


# -- the command line: safety before any request ---------------------------------------------------


def test_smoke_refuses_a_zuora_production_host_without_sending_a_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """smoke against rest.zuora.com (profile marked sandbox) exits 2, says "refused", sends nothing."""
    profile = _write(tmp_path, _profile_text("https://rest.zuora.com", "sandbox"))
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
    profile = _write(tmp_path, _profile_text("https://rest.zuora.com", "sandbox"))
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
        profile = _write(
            tmp_path, _profile_text(server.url, auth=f'kind = "bearer"\ntoken_env = "{TOKEN_ENV}"')
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
        profile = _write(
            tmp_path, _profile_text(server.url, auth=f'kind = "bearer"\ntoken_env = "{TOKEN_ENV}"')
        )
        status = main(["smoke", "--target", server.url, "--profile", str(profile)])
    out = capsys.readouterr()
    assert status == 0, out
    assert all(line.startswith("ok ") for line in out.out.splitlines())
    _assert_no_secret(out.out + out.err, TOKEN)


def test_smoke_with_oauth_client_credentials_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """OAuth client credentials from the environment get a token; smoke exits 0 showing no secret."""
    monkeypatch.setenv(CLIENT_ID_ENV, CLIENT_ID)
    monkeypatch.setenv(CLIENT_SECRET_ENV, CLIENT_SECRET)
    auth = AuthSettings(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    oauth = f'kind = "oauth"\nclient_id_env = "{CLIENT_ID_ENV}"\nclient_secret_env = "{CLIENT_SECRET_ENV}"'
    with running_server(auth=auth) as server:
        profile = _write(tmp_path, _profile_text(server.url, auth=oauth))
        status = main(["smoke", "--target", server.url, "--profile", str(profile)])
    out = capsys.readouterr()
    assert status == 0, out
    assert all(line.startswith("ok ") for line in out.out.splitlines())
    assert len(auth.issued) == 1, "the kit authenticated once, with a token from /oauth/token"
    _assert_no_secret(out.out + out.err, CLIENT_ID, CLIENT_SECRET, *auth.issued)


def test_smoke_with_wrong_oauth_client_credentials_fails_as_a_credential_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wrong client secret makes smoke exit 3 on authenticating, showing neither secret."""
    monkeypatch.setenv(CLIENT_ID_ENV, CLIENT_ID)
    monkeypatch.setenv(CLIENT_SECRET_ENV, WRONG_TOKEN)
    auth = AuthSettings(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    oauth = f'kind = "oauth"\nclient_id_env = "{CLIENT_ID_ENV}"\nclient_secret_env = "{CLIENT_SECRET_ENV}"'
    with running_server(auth=auth) as server:
        profile = _write(tmp_path, _profile_text(server.url, auth=oauth))
        status = main(["smoke", "--target", server.url, "--profile", str(profile)])
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
    url = _closed_port_url()
    assert main(["run", "--target", url]) == 3
    out = capsys.readouterr()
    assert f"cannot connect to {url}" in out.out
    assert "not a conformance result" in out.err


# -- not applicable --------------------------------------------------------------------------------


def test_a_scenario_needing_the_control_api_is_not_applicable_without_it(
    pytester: pytest.Pytester, reference_server: RunningServer, tmp_path: Path
) -> None:
    """Without the control API, BR-CANCEL-PAUSED is "not applicable" (never passed), saying why."""
    profile = _write(
        tmp_path, _profile_text(reference_server.url, "test", control_api=False), "nocontrol.toml"
    )
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
