"""A remote target, simulated: the reference server behind a loopback proxy that holds every
request for a fixed latency (50 ms by default) before passing it on.

``measure_remote_runs`` runs the whole suite through it serially and with eight workers and
reports wall time and requests, so the two can be read side by side with their targets:

* eight workers at least five times faster than one;
* the serial run within 1.3x the pure latency it cannot avoid (requests x latency).
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
_CLI = (sys.executable, "-m", "billing_conformance.cli")
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


@dataclass(frozen=True)
class RemoteRun:
    workers: int
    seconds: float
    requests: int  # every request the proxy passed on, tenants and smoke check included
    median_per_scenario: float
    max_per_scenario: int


class _Proxy(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, latency: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.upstream = upstream
        self.latency = latency
        self.count = 0
        self.lock = threading.Lock()
        self.local = threading.local()

    def session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        session: requests.Session = self.local.session
        return session


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Proxy

    def log_message(self, *_: object) -> None:
        """Quiet: the bench prints its own lines."""

    def _forward(self) -> None:
        with self.server.lock:
            self.server.count += 1
        time.sleep(self.server.latency)
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP | {"host"}}
        answer = self.server.session().request(
            self.command, self.server.upstream + self.path, data=body, headers=headers, timeout=60
        )
        self.send_response(answer.status_code)
        for key, value in answer.headers.items():
            if key.lower() not in _HOP_BY_HOP:
                self.send_header(key, value)
        self.send_header("content-length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    do_GET = do_POST = do_PUT = do_DELETE = _forward


def _free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def reference_server() -> Iterator[str]:
    """``billing-conformance serve`` in another process, on a free loopback port."""
    port = _free_port()
    server = subprocess.Popen(
        [*_CLI, "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(f"{url}/conformance/v1", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def latency_proxy(upstream: str, latency: float) -> Iterator[_Proxy]:
    proxy = _Proxy(upstream, latency)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()


def remote_run(upstream: str, workers: int, latency: float = 0.05) -> RemoteRun:
    """The whole suite through a latency proxy in front of ``upstream``, with ``workers``."""
    with latency_proxy(upstream, latency) as proxy, tempfile.TemporaryDirectory() as folder:
        url = f"http://127.0.0.1:{proxy.server_address[1]}"
        started = time.perf_counter()
        done = subprocess.run(
            [*_CLI, "run", "--target", url, "--workers", str(workers), "--results", folder],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"the suite did not pass through the proxy: {done.stdout[-1500:]}")
        summary = json.loads((Path(folder) / "conformance.json").read_text(encoding="utf-8"))["summary"]
    per_scenario = summary["requests"]
    return RemoteRun(workers, seconds, proxy.count, per_scenario["median"], per_scenario["max"])


def measure_remote_runs(latency: float = 0.05) -> tuple[RemoteRun, RemoteRun]:
    """The suite serially and with eight workers, each against a fresh reference server."""
    with reference_server() as url:
        serial = remote_run(url, 0, latency)
    with reference_server() as url:
        parallel = remote_run(url, 8, latency)
    return serial, parallel
