"""A thin FastAPI adapter: it routes, decodes and authenticates; :mod:`reference_impl.wire` does the rest.

Bad input never reaches the domain as anything but a Zuora error envelope: a body over
:data:`MAX_BODY` bytes (413), a body that is not JSON or goes past a limit of :mod:`.intake`
(400), a body not sent as JSON (415), an unknown path (404) or method (405, with ``Allow``), a
missing or wrong bearer token (401, Zuora's ``{"message"}`` shape). A fault of the reference
itself is a 500 with an envelope that says no more than that (the exception goes to the server
log, under the answer's ``processId``), and is a bug.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match
from starlette.routing import Route as StarletteRoute

from reference_impl.billing import Billing
from reference_impl.rejection import Category, Rejection
from reference_impl.server.intake import Refused, decode
from reference_impl.server.openapi import openapi_document
from reference_impl.server.routes import ROUTES, Call, Route
from reference_impl.server.strict import query_refusal, strip
from reference_impl.server.tenants import TENANT_HEADER, TenantRegistry
from reference_impl.wire.api import Reply, checked, refusal
from reference_impl.wire.codec import dumps
from reference_impl.wire.control_api import invalid_request
from schemas.contract import clip

__all__ = ["MAX_BODY", "AuthSettings", "create_app"]

MAX_BODY = 1024 * 1024
#: The methods whose requests take an ``Idempotency-Key`` (Zuora's "Idempotent requests").
KEYED_METHODS = frozenset({"POST", "PATCH"})
#: The code of a fault of the server: category 60, internal error (Zuora's "Error handling").
INTERNAL_ERROR = 90000060
_LOG = logging.getLogger("reference_impl.server")


@dataclass
class AuthSettings:
    """Who may call. With neither a token nor client credentials, every caller is let in.

    A token from ``/oauth/token`` lets its holder in for ``lifetime`` seconds of the ``now``
    clock (monotonic; a test passes its own). At most ``limit`` issued tokens are kept: granting
    one more drops the oldest, so a client that asks again and again cannot grow the store.
    """

    token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    lifetime: float = 3599.0
    limit: int = 1_000
    now: Callable[[], float] = time.monotonic
    _expiry: dict[str, float] = field(default_factory=dict, init=False, repr=False)

    @property
    def required(self) -> bool:
        return self.token is not None or self.client_id is not None

    @property
    def issued(self) -> frozenset[str]:
        """The issued tokens still alive."""
        now = self.now()
        return frozenset(token for token, until in self._expiry.items() if until > now)

    def _drop_expired(self) -> None:
        """Forget the tokens whose time is up; they were issued in order, so they come first."""
        now = self.now()
        while self._expiry:
            oldest = next(iter(self._expiry))
            if self._expiry[oldest] > now:
                return
            del self._expiry[oldest]

    def allows(self, header: str | None) -> bool:
        if not self.required:
            return True
        if not header or not header.startswith("Bearer "):
            return False
        given = header.removeprefix("Bearer ")
        if self.token is not None and secrets.compare_digest(given.encode(), self.token.encode()):
            return True
        self._drop_expired()
        return given in self._expiry

    def grant(self, grant_type: object, client_id: object, client_secret: object) -> str | None:
        """A new access token for valid client credentials, else None."""
        if grant_type != "client_credentials" or self.client_id is None:
            return None
        if client_id != self.client_id or client_secret != self.client_secret:
            return None
        self._drop_expired()
        while len(self._expiry) >= self.limit:
            del self._expiry[next(iter(self._expiry))]
        issued = secrets.token_hex(16)
        self._expiry[issued] = self.now() + self.lifetime
        return issued


class _BadBody(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _json(reply: Reply) -> Response:
    return Response(dumps(reply.body), status_code=reply.status, media_type="application/json")


def _fault(status: int, category: Category, message: str) -> Response:
    return _json(refusal(Rejection("request-invalid", category, message), status))


def _internal_fault(request: Request, error: Exception) -> Response:
    """A fault of the reference itself: the answer says only that an internal error occurred
    (category 60, Zuora's "Error handling") and names the ``processId`` under which the server
    log keeps the exception and its traceback; what went wrong is never sent."""
    process = secrets.token_hex(8).upper()
    _LOG.error("internal error, process %s: %s %s", process, request.method, request.url.path, exc_info=error)
    message = f"An internal error occurred; the server log names it by process id {process}."
    body = {"success": False, "processId": process, "reasons": [{"code": INTERNAL_ERROR, "message": message}]}
    return Response(dumps(body), 500, media_type="application/json")


def _unauthorized() -> Response:
    return Response(dumps({"message": "Authentication error"}), 401, media_type="application/json")


_NOT_JSON = "The request body must be sent as Content-Type application/json."


def _is_json(media_type: str) -> bool:
    """Whether a Content-Type is JSON's: application/json or application/*+json, with parameters."""
    essence = media_type.partition(";")[0].strip().lower()
    return essence == "application/json" or (essence.startswith("application/") and essence.endswith("+json"))


async def _read_body(request: Request) -> object:
    """The decoded JSON body (``{}`` when empty); ``_BadBody`` when too large, not declared as
    JSON (415: a body needs a JSON Content-Type), not JSON or past a limit of :mod:`.intake`."""
    media = request.headers.get("content-type")
    if media is not None and not _is_json(media):
        raise _BadBody(415, _NOT_JSON)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise _BadBody(413, f"The request body is larger than {MAX_BODY} bytes.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise _BadBody(413, f"The request body is larger than {MAX_BODY} bytes.")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        return {}
    if media is None:
        raise _BadBody(415, _NOT_JSON)
    body = decode(raw)
    if isinstance(body, Refused):
        raise _BadBody(400, body.message)
    return body


def _allowed(app: FastAPI, request: Request) -> str:
    """The methods of every route on the request's path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in app.router.routes:
        if isinstance(route, BaseRoute) and route.matches(request.scope)[0] is not Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return ", ".join(sorted(methods))


def _unknown_tenant(tenant_id: str) -> Response:
    rejection = Rejection("tenant-not-found", Category.NOT_FOUND, f"No tenant {tenant_id[:64]!r} exists.")
    return _json(refusal(rejection, 404))


def _mount(
    app: FastAPI, tenants: TenantRegistry, auth: AuthSettings, route: Route, *, zuora_strict: bool
) -> None:
    operation = f"{route.method} {route.path}"

    async def endpoint(request: Request) -> Response:
        if not auth.allows(request.headers.get("authorization")):
            return _unauthorized()
        payload: object = None
        if route.body is not None:
            try:
                payload = await _read_body(request)
            except _BadBody as error:
                return _fault(error.status, Category.INVALID_VALUE, error.message)
        addressed = request.headers.get(TENANT_HEADER)
        tenant = tenants.find(addressed)
        if tenant is None:
            return _unknown_tenant(addressed or "")
        tenant.billing.process_due_bill_runs()
        call = Call(
            tenant,
            dict(request.path_params),
            payload,
            {name: request.query_params.getlist(name) for name in request.query_params},
            request.headers.get("zuora-version"),
            # Zuora's "Idempotent requests": POST and PATCH take a key; other methods are
            # idempotent already, and a key sent with one of them means nothing.
            request.headers.get("idempotency-key") if route.method in KEYED_METHODS else None,
        )
        refused = query_refusal(operation, call.query) if zuora_strict else None
        reply = route.handle(call) if refused is None else refused
        if zuora_strict:
            reply = Reply(reply.status, strip(operation, reply.body))
        return _json(reply)

    _add_route(app, route.path, endpoint, route.method, operation)


def _add_route(
    app: FastAPI, path: str, endpoint: Callable[[Request], Awaitable[Response]], method: str, name: str
) -> None:
    """Mount ``endpoint`` as a plain Starlette route. FastAPI's own route would solve dependencies
    and open an exit stack for every request, which an endpoint that reads the Request itself
    never needs: on loopback that was a fifth of the server's time. The OpenAPI document is made
    from the route table (:mod:`.openapi`), not from these. Only the route's own method is
    answered (Starlette would answer HEAD for a GET route too)."""
    mounted = StarletteRoute(path, endpoint, methods=[method], name=name)
    mounted.methods = {method}
    app.router.routes.append(mounted)


def _mount_tenants(app: FastAPI, tenants: TenantRegistry, auth: AuthSettings) -> None:
    """Control API version 2: isolated tenants, created and deleted."""

    async def create_tenant(request: Request) -> Response:
        if not auth.allows(request.headers.get("authorization")):
            return _unauthorized()
        try:
            asked = await _read_body(request)
        except _BadBody as error:
            return _fault(error.status, Category.INVALID_VALUE, error.message)
        invalid = invalid_request("control-tenant-request", asked)
        if invalid is not None:
            return _json(invalid)  # nothing made
        tenant_id = tenants.create()
        if tenant_id is None:
            message = f"{tenants.limit} tenants are alive; delete one or wait until one expires."
            return _json(refusal(Rejection("tenant-limit", Category.RULE_RESTRICTION, message), 409))
        body = {
            "success": True,
            "tenantId": tenant_id,
            "header": TENANT_HEADER,
            "expiresAfterIdleSeconds": int(tenants.idle_seconds),
        }
        made = tenants.find(tenant_id)
        if made is not None:
            if isinstance(asked, dict) and "now" in asked:
                made.put_clock({"now": asked["now"]})
            if isinstance(asked, dict) and "features" in asked:
                made.put_features(asked["features"])  # a switch the tenant refuses stays as it is
            body["now"] = made.clock.now().isoformat(timespec="seconds")
            features = made.billing.features
            body["features"] = {
                "invoiceSettlement": features.invoice_settlement,
                "orders": features.orders,
                "workflow": features.workflow,
                "invoiceItemSettlement": features.invoice_item_settlement,
            }
        return _json(Reply(201, checked("control-tenant-response", body)))

    async def delete_tenant(request: Request) -> Response:
        if not auth.allows(request.headers.get("authorization")):
            return _unauthorized()
        tenant_id = str(request.path_params["tenant_id"])
        if not tenants.delete(tenant_id):
            return _unknown_tenant(tenant_id)
        return _json(Reply(200, checked("control-ok-response", {"success": True})))

    _add_route(app, "/conformance/v2/tenants", create_tenant, "POST", "create tenant")
    _add_route(app, "/conformance/v2/tenants/{tenant_id}", delete_tenant, "DELETE", "delete tenant")


def create_app(
    implementation: type[Billing] = Billing,
    auth: AuthSettings | None = None,
    *,
    zuora_strict: bool = False,
    isolated_tenants: bool = True,
) -> FastAPI:
    """The reference server for one in-memory tenant of ``implementation``.

    With ``zuora_strict``, every public answer keeps only the fields Zuora's API has
    (:mod:`reference_impl.server.strict`). Without ``isolated_tenants`` the server offers the
    control API's version 1 only (one tenant, reset between scenarios), as an older target would.
    """
    tenants = TenantRegistry(implementation, counted=isolated_tenants)
    settings = auth or AuthSettings()
    title = "billing-conformance reference server"
    description = (
        "Zuora v1 shapes for bill runs, orders and billing documents over the reference "
        "implementation, and the conformance control API under /conformance/v1 and /conformance/v2."
    )
    # With credentials required nothing is open: the OpenAPI document needs them too (below),
    # and the interactive pages, which a browser loads without a token, are off.
    closed = settings.required
    app = FastAPI(
        title=title,
        version="1",
        description=description,
        openapi_url=None if closed else "/openapi.json",
        docs_url=None if closed else "/docs",
        redoc_url=None if closed else "/redoc",
    )
    document = openapi_document(
        ROUTES, title=title, version="1", description=description, isolated_tenants=isolated_tenants
    )
    app.openapi = lambda: document  # type: ignore[method-assign] # made from the route table
    if closed:

        @app.get("/openapi.json", include_in_schema=False)
        async def openapi(request: Request) -> Response:
            if not settings.allows(request.headers.get("authorization")):
                return _unauthorized()
            return JSONResponse(document)

    app.state.tenant = tenants.default
    app.state.tenants = tenants
    for route in ROUTES:
        _mount(app, tenants, settings, route, zuora_strict=zuora_strict)
    if isolated_tenants:
        _mount_tenants(app, tenants, settings)

    @app.post("/oauth/token", tags=["auth"], summary="OAuth 2.0 client credentials")
    async def token(request: Request) -> Response:
        form = await request.form()
        issued = settings.grant(form.get("grant_type"), form.get("client_id"), form.get("client_secret"))
        if issued is None:
            return _unauthorized()
        body = {"access_token": issued, "token_type": "bearer", "expires_in": int(settings.lifetime)}
        return Response(dumps(body), media_type="application/json")

    @app.exception_handler(HTTPException)
    async def http_fault(request: Request, error: HTTPException) -> Response:
        category = Category.NOT_FOUND if error.status_code == 404 else Category.INVALID_VALUE
        response = _fault(error.status_code, category, str(error.detail))
        response.headers.update(error.headers or {})
        if error.status_code == 405:
            response.headers["Allow"] = _allowed(app, request)
        return response

    @app.exception_handler(RequestValidationError)
    async def request_fault(_: Request, error: RequestValidationError) -> Response:
        return _fault(400, Category.INVALID_VALUE, clip(str(error)))

    @app.exception_handler(Exception)
    async def internal_fault(request: Request, error: Exception) -> Response:
        return _internal_fault(request, error)

    return app
