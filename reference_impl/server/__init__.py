"""The reference implementation over HTTP: Zuora's v1 paths and the conformance control API."""

from __future__ import annotations

from reference_impl.server.app import AuthSettings, create_app
from reference_impl.server.runner import RunningServer, serve_in_background

__all__ = ["AuthSettings", "RunningServer", "create_app", "serve_in_background"]
