"""``billing-conformance serve``: the reference implementation, or a variant of it, over HTTP.

The port is bound before anything is printed, so a busy or unusable address is one line and
exit status 2, never a "serving on ..." that is not true. The socket and the server come from
``reference_impl.server.runner``, the start-up path the tests and the benchmarks use too.
"""

from __future__ import annotations

import argparse
import os
import sys

from billing_conformance.exits import EXIT_REFUSED
from billing_conformance.terminal import for_terminal
from steps.targets import load_implementation
from steps.targets.errors import TargetSpecError

__all__ = ["serve"]


def serve(args: argparse.Namespace) -> int:
    # Only this command needs the server stack.
    from reference_impl import Billing  # noqa: PLC0415
    from reference_impl.server import AuthSettings, create_app  # noqa: PLC0415
    from reference_impl.server.runner import listen, server_for  # noqa: PLC0415

    implementation: type[Billing] = Billing
    served = "the reference implementation"
    try:
        if args.implementation:
            loaded = load_implementation(args.implementation)
            if not issubclass(loaded, Billing):
                raise TargetSpecError(args.implementation, "it is not a subclass of reference_impl.Billing")
            implementation = loaded
            served = f"{args.implementation} (a variant of the reference implementation)"
        auth = AuthSettings(
            token=_credential(args.token_env, "--token-env"),
            client_id=_credential(args.client_id_env, "--client-id-env"),
            client_secret=_credential(args.client_secret_env, "--client-secret-env"),
        )
    except (TargetSpecError, ValueError) as error:
        print(for_terminal(f"refused: {error}"), file=sys.stderr)
        return EXIT_REFUSED
    if (auth.client_id is None) != (auth.client_secret is None):
        print("refused: --client-id-env and --client-secret-env go together", file=sys.stderr)
        return EXIT_REFUSED
    try:
        listening = listen(args.host, args.port)
    except OSError as error:
        said = f"refused: cannot serve on {args.host}:{args.port}: {error.strerror or error}"
        print(for_terminal(said), file=sys.stderr)
        return EXIT_REFUSED
    app = create_app(implementation, auth, zuora_strict=args.zuora_strict)
    port = listening.getsockname()[1]
    print(
        f"serving {served} on http://{args.host}:{port} "
        f"(OpenAPI at /openapi.json, control API at /conformance/v1"
        f"{'; every path needs the credentials, and /docs is off' if auth.required else ''})",
        flush=True,
    )
    server_for(app).run(sockets=[listening])
    return 0


def _credential(variable: str | None, flag: str) -> str | None:
    """The secret held by ``variable`` (None when no variable is named). Authentication fails
    closed: a named variable that is unset or empty is an error, never an open server."""
    if variable is None:
        return None
    value = os.environ.get(variable)
    if not value:
        msg = f"{flag} names {variable}, which holds nothing; the server would run without authentication"
        raise ValueError(msg)
    return value
