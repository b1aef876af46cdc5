"""Profiles, credentials and addresses shared by the tests of targets over HTTP."""

from __future__ import annotations

import socket
from pathlib import Path

from steps.targets.profile import Profile

__all__ = [
    "CLIENT_ID",
    "CLIENT_ID_ENV",
    "CLIENT_SECRET",
    "CLIENT_SECRET_ENV",
    "FULL_PROFILE",
    "TOKEN",
    "TOKEN_ENV",
    "WRONG_TOKEN",
    "closed_port_url",
    "profile_text",
    "sandbox",
    "write",
]

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


def write(tmp_path: Path, text: str, name: str = "profile.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def profile_text(
    base_url: str, environment: str = "test", *, control_api: bool = True, auth: str = 'kind = "none"'
) -> str:
    return (
        f'[target]\nbase_url = "{base_url}"\nenvironment = "{environment}"\n\n'
        f"[auth]\n{auth}\n\n"
        f"[capabilities]\ncontrol_api = {str(control_api).lower()}\n\n"
        "[timeouts]\nrequest_seconds = 5\npoll_seconds = 5\n"
    )


def closed_port_url() -> str:
    """The URL of a loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def sandbox(base_url: str) -> Profile:
    return Profile(base_url, "sandbox")
