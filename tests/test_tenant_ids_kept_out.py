"""Tenant ids stay out of the results folder: a tenant of the control API's version 2 is open to
whoever may call the target and knows its id, and the folder is shared beyond the team (the
page, the Markdown, the evidence). Each is shown as ``{tenant}``, the way secrets are ``***``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from billing_conformance.recording import redact
from billing_conformance.results import RESULT_FILES, scrub
from reference_impl.server.tenants import TenantRegistry
from steps.targets.secrets import TENANT_SHOWN
from tests.plain_pytest import plain_pytest
from tests.servers import running_server


def test_a_full_parallel_http_run_writes_no_tenant_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    create = TenantRegistry.create

    def noted(registry: TenantRegistry) -> str | None:
        tenant_id = create(registry)
        made.extend([tenant_id] if tenant_id else [])
        return tenant_id

    monkeypatch.setattr(TenantRegistry, "create", noted)
    out = tmp_path / "out"
    with running_server() as server:
        done = plain_pytest(f"--target={server.url}", f"--results={out}", "-n", "2")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((out / "conformance.json").read_text(encoding="utf-8"))
    scenarios = [s for rule in results["rules"] for s in rule["scenarios"]]
    assert len(made) > len(scenarios)  # one each, and the controller's probe
    assert {s["tenant"] for s in scenarios} == {TENANT_SHOWN}
    assert sorted(p.name for p in out.iterdir()) == sorted(RESULT_FILES)
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        found = [tenant_id for tenant_id in made if tenant_id in text]
        assert not found, f"{path.name} holds tenant ids {found[:3]}"


def test_a_tenant_id_is_redacted_wherever_it_is_quoted() -> None:
    tenant_id = "0f1e2d3c4b5a6978"
    record = {"message": f"No tenant '{tenant_id}' exists.", tenant_id: [f"/tenants/{tenant_id}"]}
    assert redact(record, [], [tenant_id]) == {
        "message": "No tenant '{tenant}' exists.",
        "{tenant}": ["/tenants/{tenant}"],
    }
    quoted = f'<td>"{tenant_id}"</td> {json.dumps({"id": tenant_id})}'
    assert tenant_id not in scrub(quoted, [], [tenant_id])
    assert scrub("secret and 0f1e2d3c4b5a6978", ["secret"], [tenant_id]) == "*** and {tenant}"
