"""Target profiles and safety: what a profile says is what the kit does, and it never runs where it must not.

Covers reading profiles, the safety checks (environment, Zuora production hosts), the ``smoke`` and
``run`` commands against real reference servers (open, bearer, OAuth), and scenarios that are not
applicable to a target without the control API.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from steps.targets.errors import TargetSpecError
from steps.targets.profile import Capabilities, Credentials, Profile, is_production_host, load_profile
from steps.targets.protocol import TenantFeatures
from tests.profile_support import FULL_PROFILE, sandbox, write

# -- reading a profile -----------------------------------------------------------------------------


def test_a_full_profile_is_read_into_every_field(tmp_path: Path) -> None:
    """Every section of a TOML profile lands in its field, the base URL without a trailing slash."""
    profile = load_profile(write(tmp_path, FULL_PROFILE), "")
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


def test_the_target_url_given_on_the_command_line_may_stand_in_for_the_profiles(tmp_path: Path) -> None:
    """A profile without a base_url takes the target's, and the rest of the profile still applies."""
    text = FULL_PROFILE.replace('base_url = "https://billing.example.test/"', "")
    profile = load_profile(write(tmp_path, text), "https://other.example.test/")
    assert profile.base_url == "https://other.example.test"
    assert profile.environment == "sandbox"
    assert profile.credentials.kind == "oauth"


def test_a_minimal_profile_takes_the_documented_defaults(tmp_path: Path) -> None:
    """A profile with only a target gets no auth, no control API, scheduled runs, all features, 30/60 s."""
    profile = load_profile(write(tmp_path, '[target]\nbase_url = "https://b.example.test"\n'), "")
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
            "auth.kind: Input should be 'none', 'bearer' or 'oauth' (not 'kerberos')",
        ),
        ('[target]\nenvironment = "test"\n', "the profile names no base_url"),
        (
            '[target]\nbase_url = "https://b.example.test"\n[capabilites]\ncontrol_api = true\n',
            "unknown section [capabilites] (a profile has [target], [auth], [capabilities],",
        ),
        (
            '[target]\nbase_url = "https://b.example.test"\n[capabilities]\ncontrol_apii = true\n',
            "unknown key capabilities.control_apii (its section has control_api,",
        ),
    ],
    ids=["bad-toml", "unknown-auth-kind", "no-base-url", "misspelt-section", "misspelt-key"],
)
def test_a_broken_profile_is_refused_with_a_clear_message(tmp_path: Path, text: str, expected: str) -> None:
    """Bad TOML, an unknown auth kind or no base URL raises TargetSpecError saying which."""
    path = write(tmp_path, text)
    with pytest.raises(TargetSpecError) as raised:
        load_profile(path, "")
    assert raised.value.spec == str(path)
    assert expected in raised.value.reason


def test_a_base_url_that_is_not_the_target_is_refused(tmp_path: Path) -> None:
    """The profile and --target must name the same target (a trailing slash aside)."""
    path = write(tmp_path, '[target]\nbase_url = "https://b.example.test/"\nenvironment = "test"\n')
    assert load_profile(path, "https://b.example.test").base_url == "https://b.example.test"
    with pytest.raises(TargetSpecError) as raised:
        load_profile(path, "https://c.example.test")
    assert (
        "its base_url https://b.example.test is not the target https://c.example.test" in raised.value.reason
    )


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
        load_profile(write(tmp_path, text), "")
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
def test_a_zuora_production_host_is_refused_even_when_markedsandbox(url: str) -> None:
    """Zuora's production API hosts are refused whatever the profile says, naming --allow-production."""
    with pytest.raises(TargetSpecError) as raised:
        sandbox(url).check_safety()
    assert "one of Zuora's production API hosts" in str(raised.value)
    assert "--allow-production" in str(raised.value)


@pytest.mark.parametrize(
    "url", ["https://rest.zuora.com", "https://rest.na.zuora.com", "https://rest.eu.zuora.com"]
)
def test_a_zuora_production_host_is_accepted_when_production_is_allowed(url: str) -> None:
    """With allow_production, a production host marked sandbox passes the safety check."""
    sandbox(url).check_safety(allow_production=True)


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
    sandbox(url).check_safety()


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
    sandbox(url).check_safety()
