"""A remote target, simulated: the reference server behind a loopback proxy that holds every
request for a fixed latency (50 ms by default) before passing it on.

``measure_remote_runs`` runs the whole suite through it serially and with eight workers and
reports wall time and requests, so the two can be read side by side with their targets:

* eight workers at least five times faster than one;
* the serial run within 1.3x the pure latency it cannot avoid (requests x latency).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.loopback import serve_as_the_readme_does

ROOT = Path(__file__).resolve().parent.parent
_CLI = (sys.executable, "-m", "billing_conformance.cli")
#: The runs measured see Python's default bytecode cache, as on a user's machine, even where the
#: environment turns it off (PYTHONDONTWRITEBYTECODE, common in CI): without it every worker
#: compiles the kit, and pytest rewrites its assertions, again at each start.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class RemoteRun:
    workers: int
    seconds: float
    requests: int  # every request the proxy passed on, tenants and smoke check included
    median_per_scenario: float
    max_per_scenario: int


async def _message(reader: asyncio.StreamReader) -> bytes:
    """One HTTP/1.1 message (request or response), head and body, as raw bytes; b"" at EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return b""
    fields = head.lower()
    if b"transfer-encoding: chunked" in fields:
        body = b""
        while not body.endswith(b"0\r\n\r\n"):
            body += await reader.readuntil(b"\r\n")
        return head + body
    found = re.search(rb"\r\ncontent-length:\s*(\d+)", fields)
    return head + (await reader.readexactly(int(found.group(1))) if found else b"")


class _Proxy:
    """An asyncio proxy on a free loopback port that holds each request for ``latency`` seconds.

    It parses no more of HTTP than where a message ends, so that the bench measures the kit and
    the target, not the proxy (a thread-per-request proxy built on ``requests`` cost more CPU
    than the kit itself)."""

    def __init__(self, upstream: str, latency: float) -> None:
        address = upstream.removeprefix("http://").split(":")
        self.upstream = (address[0], int(address[1]))
        self.latency = latency
        self.count = 0
        self.loop = asyncio.new_event_loop()
        self.server: asyncio.Server | None = None
        self.port = 0

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
        try:
            while request := await _message(client_reader):
                self.count += 1
                await asyncio.sleep(self.latency)
                upstream_writer.write(request)
                await upstream_writer.drain()
                client_writer.write(await _message(upstream_reader))
                await client_writer.drain()
        finally:
            upstream_writer.close()
            client_writer.close()

    def start(self) -> None:
        async def listen() -> None:
            self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
            self.port = self.server.sockets[0].getsockname()[1]

        self.loop.run_until_complete(listen())
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)


@contextmanager
def latency_proxy(upstream: str, latency: float) -> Iterator[_Proxy]:
    proxy = _Proxy(upstream, latency)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()


def remote_run(upstream: str, workers: int, latency: float = 0.05) -> RemoteRun:
    """The whole suite through a latency proxy in front of ``upstream``, with ``workers``."""
    with latency_proxy(upstream, latency) as proxy, tempfile.TemporaryDirectory() as folder:
        url = f"http://127.0.0.1:{proxy.port}"
        started = time.perf_counter()
        done = subprocess.run(
            [*_CLI, "run", "--target", url, "--workers", str(workers), "--results", folder],
            cwd=ROOT,
            env=_ENV,
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
    """The suite serially and with eight workers, each against a fresh ``billing-conformance serve``
    started as the README starts it."""
    with serve_as_the_readme_does() as url:
        serial = remote_run(url, 0, latency)
    with serve_as_the_readme_does() as url:
        parallel = remote_run(url, 8, latency)
    return serial, parallel
