"""A hostile or dying target cannot hang a run, blow up its memory, pass for unreachable, or leak
the kit's credentials into the results: each fault is played by a real loopback server
(:mod:`tests.hostile_server`)."""

from __future__ import annotations

import html
import json
import os
import resource
import ssl
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import trustme

from billing_conformance.recording import redact
from billing_conformance.results import write_results
from reference_impl.server import AuthSettings
from steps.targets.errors import ProtocolError, TransportError
from steps.targets.profile import RUN_SECONDS_ENV, RUN_STARTED_ENV, Profile, load_profile
from steps.targets.secrets import remember_secret
from steps.targets.transport import MAX_CONSECUTIVE_FAILURES, HttpClient
from tests.hostile_server import (
    answer,
    echo_token_as_key,
    endless_body,
    garbage,
    hostile_server,
    silent,
    trickle,
)
from tests.profile_support import write
from tests.servers import running_server
from tests.suite_runner import run_suite

CATALOG = "/v1/catalog/products"
CATALOG_BODY = {"success": True, "products": []}
DEADLINE = 1.0
MIB = 1024 * 1024


def _client(url: str, **settings: float | int | None) -> HttpClient:
    options: dict[str, float | int | None] = {"request_seconds": 5.0, "exchange_seconds": DEADLINE}
    return HttpClient(Profile(url, "test", **{**options, **settings}))  # type: ignore[arg-type]


def _list_catalog(client: HttpClient) -> tuple[int, object]:
    return client.call("list catalog", "GET", CATALOG, response_schema="catalog-response")


# -- 1. an overall deadline per exchange -------------------------------------------------------------


@pytest.mark.parametrize("part", ["status", "headers", "body"])
def test_a_target_trickling_its_answer_is_cut_off_at_the_exchange_deadline(part: str) -> None:
    """One byte every 0.4 s never trips the per-read timeout (5 s); the deadline (1 s) still holds,
    whether the bytes trickle in the status line, the headers or the body."""
    with hostile_server(trickle(part, every=0.4)) as server:
        started = time.monotonic()
        with pytest.raises(TransportError) as raised:
            _list_catalog(_client(server.url))
        elapsed = time.monotonic() - started
    assert str(raised.value) == "list catalog: no complete answer within the exchange deadline of 1 s"
    assert DEADLINE <= elapsed < DEADLINE + 2


def test_a_target_trickling_over_tls_is_cut_off_too(tmp_path: Path) -> None:
    """The watchdog cuts a TLS connection the same way (its socket is shut down under TLS)."""
    authority = trustme.CA()
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("127.0.0.1").configure_cert(tls)
    cert = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(cert))
    with hostile_server(trickle("headers", every=0.4), tls) as server:
        client = _client(server.url)
        client.session.verify = str(cert)
        started = time.monotonic()
        with pytest.raises(TransportError, match="exchange deadline of 1 s"):
            _list_catalog(client)
        assert time.monotonic() - started < DEADLINE + 2


def test_an_answer_in_time_is_not_cut_off() -> None:
    """Negative control: the watchdog leaves alone an exchange that ends before its deadline,
    and a kept-alive connection serves the next one."""
    with hostile_server(answer(CATALOG_BODY)) as server:
        client = _client(server.url)
        assert _list_catalog(client) == (200, CATALOG_BODY)
        time.sleep(DEADLINE + 0.2)  # past the first exchange's deadline: its timer was cancelled
        assert _list_catalog(client) == (200, CATALOG_BODY)
        assert server.tally.connections == 1


def test_the_exchange_deadline_is_a_profile_setting(tmp_path: Path) -> None:
    text = '[target]\nbase_url = "http://x.test"\nenvironment = "test"\n\n[timeouts]\nexchange_seconds = 7\n'
    assert load_profile(write(tmp_path, text), "").exchange_seconds == 7.0
    assert load_profile(None, "http://127.0.0.1:1").exchange_seconds == 30.0


# -- 2. a cap on the answer's size ---------------------------------------------------------------


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "until-closed"])
def test_a_huge_answer_is_refused_past_the_cap_without_reading_the_rest(declared: bool) -> None:
    """A 100 MB body, declared or not, is a protocol error past the 1 MiB cap; the server managed
    to send only a small part of it before the kit hung up, and this process did not grow by it."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with hostile_server(endless_body(100_000_000, declared=declared)) as server:
        with pytest.raises(ProtocolError) as raised:
            _list_catalog(_client(server.url, max_answer_bytes=MIB))
        deadline = time.monotonic() + 5
        while server.tally.sent == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert str(raised.value) == f"list catalog: protocol error: the answer is larger than {MIB} bytes"
    assert 0 < server.tally.sent < 30_000_000
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 50 * 1024


def test_the_answer_cap_is_a_profile_setting_of_16_mib_by_default(tmp_path: Path) -> None:
    text = '[target]\nbase_url = "http://x.test"\nenvironment = "test"\n\n[limits]\nanswer_bytes = 4096\n'
    assert load_profile(write(tmp_path, text), "").max_answer_bytes == 4096
    assert Profile("http://x.test", "test").max_answer_bytes == 16 * MIB


# -- 3. an answer that is not HTTP -------------------------------------------------------------------


def test_an_answer_that_is_not_http_is_a_protocol_error() -> None:
    with hostile_server(garbage(b"hello\r\n")) as server, pytest.raises(ProtocolError) as raised:
        _list_catalog(_client(server.url))
    assert str(raised.value) == "list catalog: protocol error: the target did not answer in HTTP"


def test_a_refused_connection_still_says_it_cannot_connect() -> None:
    with hostile_server(silent) as server:
        url = server.url
    with pytest.raises(TransportError) as raised:
        _list_catalog(_client(url))
    assert str(raised.value) == f"list catalog: cannot connect to {url}"


# -- 4. a target that stops answering ------------------------------------------------------------


def test_a_target_shut_down_mid_run_fails_at_once_after_three_failures() -> None:
    """After an answer, the server goes away: three calls fail to connect, the fourth fails at once,
    from another client too (the breaker is shared by the process), saying why."""
    with hostile_server(answer(CATALOG_BODY)) as server:
        client = _client(server.url)
        assert _list_catalog(client)[0] == 200
        server.stop()
        for _ in range(MAX_CONSECUTIVE_FAILURES):
            with pytest.raises(TransportError, match="cannot connect"):
                _list_catalog(client)
        started = time.monotonic()
        with pytest.raises(TransportError) as raised:
            _list_catalog(_client(server.url))
    assert time.monotonic() - started < 0.2
    assert str(raised.value) == (
        f"list catalog: the target at {server.url} has stopped answering "
        "(3 consecutive failures to connect or to answer in time)"
    )


def test_a_silent_target_costs_its_timeout_three_times_only() -> None:
    with hostile_server(silent) as server:
        client = _client(server.url, request_seconds=0.3, exchange_seconds=5.0)
        for _ in range(MAX_CONSECUTIVE_FAILURES):
            with pytest.raises(TransportError, match=r"no answer within 0\.3 s"):
                _list_catalog(client)
        started = time.monotonic()
        with pytest.raises(TransportError, match="has stopped answering"):
            _list_catalog(client)
        assert time.monotonic() - started < 0.2


def test_an_answer_between_failures_starts_the_count_again() -> None:
    """Negative control: failures that are not consecutive never stop the kit trying."""
    failures = [True, True, False, True, True, False, True, True]
    plays = iter(failures)

    def flaky(conn, request, server) -> None:  # type: ignore[no-untyped-def]
        if next(plays):
            silent(conn, request, server)
        else:
            answer(CATALOG_BODY)(conn, request, server)

    with hostile_server(flaky) as server:
        client = _client(server.url, request_seconds=0.2)
        for fails in failures:
            if fails:
                with pytest.raises(TransportError, match="no answer within"):
                    _list_catalog(client)
            else:
                assert _list_catalog(client)[0] == 200


# -- 5. a deadline for the whole run -------------------------------------------------------------


def test_after_the_runs_deadline_every_call_fails_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The run started (as the environment says, inherited by xdist workers) 10 s ago, with 10.5 s
    allowed: one call gets through, and once the time is up every call fails at once."""
    monkeypatch.setenv(RUN_STARTED_ENV, f"{time.time() - 10:.3f}")
    with hostile_server(answer(CATALOG_BODY)) as server:
        client = _client(server.url, run_seconds=10.5)
        assert _list_catalog(client)[0] == 200
        time.sleep(0.6)
        started = time.monotonic()
        with pytest.raises(TransportError) as raised:
            _list_catalog(client)
        assert time.monotonic() - started < 0.2
    assert str(raised.value) == "list catalog: the run's deadline of 10.5 s has passed"


def test_a_call_in_flight_is_cut_off_at_the_runs_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RUN_STARTED_ENV, raising=False)
    with hostile_server(trickle("body", every=0.3)) as server:
        client = _client(server.url, exchange_seconds=30.0, run_seconds=1.0)
        started = time.monotonic()
        with pytest.raises(TransportError) as raised:
            _list_catalog(client)
        assert time.monotonic() - started < 3
    assert str(raised.value) == "list catalog: the run's deadline of 1 s has passed"


def test_the_first_client_with_a_run_deadline_marks_the_runs_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """The start is written to the environment for the workers to inherit; a start already there
    is kept (a worker's clients count from the first process's start)."""
    monkeypatch.delenv(RUN_STARTED_ENV, raising=False)
    _client("http://127.0.0.1:9", run_seconds=60)
    marked = float(os.environ[RUN_STARTED_ENV])
    assert abs(marked - time.time()) < 5
    monkeypatch.setenv(RUN_STARTED_ENV, "1000.5")
    left = _client("http://127.0.0.1:9", run_seconds=60).profile.run_seconds_left()
    assert left is not None
    assert left < 0


def test_the_runs_deadline_comes_from_the_profile_or_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = '[target]\nbase_url = "http://x.test"\nenvironment = "test"\n\n[timeouts]\nrun_seconds = 900\n'
    monkeypatch.delenv(RUN_SECONDS_ENV, raising=False)
    assert load_profile(write(tmp_path, text), "").run_seconds == 900.0
    assert load_profile(None, "http://127.0.0.1:1").run_seconds is None
    monkeypatch.setenv(RUN_SECONDS_ENV, "120")
    assert load_profile(write(tmp_path, text), "").run_seconds == 120.0
    assert load_profile(None, "http://127.0.0.1:1").run_seconds == 120.0


# -- 6. secrets echoed as JSON keys ----------------------------------------------------------------

ECHO_TOKEN_ENV = "BC_HOSTILE_TOKEN"
ECHO_TOKEN = "tok-ECHOED-9b27e4d0"


def test_a_token_echoed_as_a_json_key_appears_in_no_results_file(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The target (the reference server behind a proxy) adds the bearer token as a key to every
    answer, at two depths: the evidence is kept, the token appears in no file of the results folder."""
    monkeypatch.setenv(ECHO_TOKEN_ENV, ECHO_TOKEN)
    out = tmp_path / "out"
    with (
        running_server(auth=AuthSettings(token=ECHO_TOKEN)) as upstream,
        hostile_server(echo_token_as_key(upstream.url)) as server,
    ):
        profile = write(
            tmp_path,
            f'[target]\nbase_url = "{server.url}"\nenvironment = "test"\n[auth]\nkind = "bearer"\n'
            f'token_env = "{ECHO_TOKEN_ENV}"\n[capabilities]\ncontrol_api = true\n',
        )
        result = run_suite(
            pytester, server.url, f"--profile={profile}", "--rule=BR-DELETE", f"--results={out}"
        )
    assert result.outcomes["BR-DELETE"], "the scenarios ran"
    written = {path.name: path.read_text(encoding="utf-8") for path in out.iterdir()}
    assert set(written) >= {"conformance.json", "cucumber.json", "junit.xml", "report.html", "report.md"}
    leaks = {name: text.count(ECHO_TOKEN) for name, text in written.items() if ECHO_TOKEN in text}
    assert leaks == {}
    assert '"***"' in written["conformance.json"], "the echoed keys are kept, redacted"


def test_redaction_rewrites_keys_as_well_as_values() -> None:
    secret = "s3cr3t-value"
    value = {secret: {"nested": [f"a {secret} b", {f"x-{secret}": 1}]}, "plain": 2}
    assert redact(value, [secret]) == {"***": {"nested": ["a *** b", {"x-***": 1}]}, "plain": 2}


def test_the_results_writer_scans_every_file_for_the_known_secrets(tmp_path: Path) -> None:
    """The last guard: a record that reaches the writer with a secret still in it (here, one no
    redaction saw) is written without it, in every file, in plain, JSON-escaped or HTML form."""
    secret = 'zz-Last<Guard>"Secret"-71c3'
    remember_secret(secret)
    record = {
        "id": "x.feature::s",
        "nodeId": "n",
        "rule": "BR-DELETE",
        "feature": "x.feature",
        "scenario": "s",
        "example": {},
        "outcome": "errored",
        "severity": "MUST",
        "steps": [{"keyword": "Given", "text": secret, "line": 1, "status": "failed"}],
        "failedStep": {"keyword": "Given", "text": secret, "line": 1},
        "message": f"boom {secret}",
        "tenant": None,
        "requests": 1,
        "exchanges": [
            {
                "operation": "o",
                "method": "GET",
                "url": f"http://t/{secret}",
                "request_body": None,
                "status": 200,
                "response_body": {secret: secret},
                "deliberate": None,
            }
        ],
        "contractViolation": None,
        "rerun": "r",
    }
    write_results(tmp_path, [record], target=f"http://t/{secret}", started=datetime.now(UTC))
    for path in tmp_path.iterdir():
        text = path.read_text(encoding="utf-8")
        for form in (secret, json.dumps(secret)[1:-1], html.escape(secret), "Last<Guard>", "Last&lt;Guard"):
            assert form not in text, (path.name, form)
