"""Values a target hands back go into request paths percent-encoded, one segment each: a hostile
id cannot move the kit's next request elsewhere on the target (issue 23, item 3)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import quote

import pytest

from billing_conformance import PROJECT_ROOT
from billing_conformance.smoke import smoke
from steps.targets.errors import ProtocolError
from steps.targets.http import HttpTarget
from steps.targets.paths import path, segment
from steps.targets.profile import Capabilities, Profile
from tests.fault_proxy import Fault, Reply, Seen, fault_proxy
from tests.servers import running_server

HOSTILE_ACCOUNT = "A00000001ZZHOSTILE/../../x?y=<i>#"
HOSTILE_TENANT = "T1/../../../v1/x?y=<i>#%2F"


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (HOSTILE_ACCOUNT, "A00000001ZZHOSTILE%2F..%2F..%2Fx%3Fy%3D%3Ci%3E%23"),
        ("100%", "100%25"),
        ("a b", "a%20b"),
        ("BR-00000001", "BR-00000001"),
        ("…", "%E2%80%A6"),
    ],
)
def test_a_segment_encodes_every_reserved_character(value: str, encoded: str) -> None:
    assert segment(value) == encoded
    assert path("/v1/bill-runs", value, then="/cancel") == f"/v1/bill-runs/{encoded}/cancel"


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_a_value_no_segment_can_carry_is_a_protocol_error(value: str) -> None:
    with pytest.raises(ProtocolError, match="cannot name a resource"):
        path("/v1/invoices", value, operation="get invoice")


def _rewrite(field: str, value: str) -> Callable[[Seen, Callable[[], Reply]], Reply]:
    """Forward the request, and hand back the real answer with ``field`` set to ``value``."""

    def play(_seen: Seen, forward: Callable[[], Reply]) -> Reply:
        real = forward()
        body = json.loads(real.body)
        body[field] = value
        return Reply(real.status, json.dumps(body).encode(), real.headers)

    return play


def test_hostile_ids_from_the_target_stay_inside_their_segment() -> None:
    """The target names its tenant and the smoke check's account with ids full of ``/``, ``..``,
    ``?`` and ``#``; the kit deletes the tenant and reads the account back at the encoded paths,
    and sends no request anywhere else."""
    with (
        running_server() as server,
        fault_proxy(
            server.url,
            Fault("POST", "/conformance/v2/tenants", _rewrite("tenantId", HOSTILE_TENANT), times=1),
            Fault("POST", "/v1/accounts", _rewrite("accountNumber", HOSTILE_ACCOUNT)),
        ) as proxy,
    ):
        checks = smoke(HttpTarget(Profile(proxy.url, "test", capabilities=Capabilities(control_api=True))))
    paths = [(seen.method, seen.path) for seen in proxy.seen]
    assert ("DELETE", f"/conformance/v2/tenants/{quote(HOSTILE_TENANT, safe='')}") in paths
    assert ("GET", f"/v1/accounts/{quote(HOSTILE_ACCOUNT, safe='')}") in paths
    assert not [p for _, p in paths if p.startswith("/v1/x") or p.startswith("/x")], paths
    assert all(seen.query == "" for seen in proxy.seen), [seen.query for seen in proxy.seen]
    # the account read back is not the one created: the check fails, in one line
    assert not checks[-1].passed
    assert checks[-1].name == "create an account and read it back"


#: The modules that build the requests the kit sends a target (every HTTP driver module, new ones too).
_BUILDERS = (
    *sorted(str(p.relative_to(PROJECT_ROOT)) for p in (PROJECT_ROOT / "steps" / "targets").glob("http*.py")),
    "billing_conformance/smoke.py",
)
#: A path written as an f-string that interpolates a value after one of its slashes.
_INTERPOLATED = re.compile(r'(?<!then=)f"(?:\{(?:CONTROL_PREFIX|TENANTS_PATH)\})?/[^"]*\{')


@pytest.mark.parametrize("module", _BUILDERS)
def test_every_path_with_a_value_is_built_by_paths(module: str) -> None:
    """No request path interpolates a value itself: each goes through :func:`steps.targets.paths.path`."""
    text = (PROJECT_ROOT / module).read_text(encoding="utf-8")
    found = [line.strip() for line in text.splitlines() if _INTERPOLATED.search(line)]
    assert not found, found
    if module not in _FIXED_PATHS_ONLY:
        assert "path(" in text


#: Driver modules that send only fixed paths, and URLs the target handed back (checked on its
#: origin by ``url_for``): nothing of theirs goes through :func:`steps.targets.paths.path`.
_FIXED_PATHS_ONLY = frozenset({"steps/targets/http_catalog.py"})
