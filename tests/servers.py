"""Reference servers for tests: real uvicorn servers on free loopback ports, stopped afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from reference_impl import Billing
from reference_impl.server import AuthSettings, RunningServer, create_app, serve_in_background

__all__ = ["running_server"]


@contextmanager
def running_server(
    implementation: type[Billing] = Billing,
    auth: AuthSettings | None = None,
    *,
    zuora_strict: bool = False,
    isolated_tenants: bool = True,
) -> Iterator[RunningServer]:
    """A reference server (or a variant of it) on a free port of 127.0.0.1 for the ``with`` block;
    with ``zuora_strict``, answering with Zuora's fields only."""
    server = serve_in_background(
        create_app(implementation, auth, zuora_strict=zuora_strict, isolated_tenants=isolated_tenants)
    )
    try:
        yield server
    finally:
        server.stop()
