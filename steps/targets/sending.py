"""One request through a requests session, the lean way the kit sends every request.

``Session.request`` merges the session's settings, the environment's and the call's afresh on
every call: on loopback that was about half of the client's time on a request. The kit reads the
environment once (:class:`steps.targets.transport.HttpClient` does, when it is made) and follows
redirects itself, so :func:`send` prepares the request with the session's headers and cookies and
hands it to the session's adapter directly. The adapter is what ``responses`` replaces in tests, so
a stand-in target sees exactly what a real one would.
"""

from __future__ import annotations

from typing import Any

import requests
from requests.cookies import extract_cookies_to_jar

__all__ = ["send"]


def send(
    session: requests.Session,
    method: str,
    url: str,
    timeout: tuple[float, float],
    *,
    data: object = None,
    headers: dict[str, str] | None = None,
    params: dict[str, Any] | None = None,
) -> requests.Response:
    """The answer to one request, streamed, its redirect not followed. The session's headers
    (the caller's win) and cookies go with it, and the cookies it sets are kept, as
    ``Session.request`` would; its proxies, CA bundle and client certificate are the session's."""
    prepared = requests.PreparedRequest()
    prepared.prepare(
        method=method.upper(),
        url=url,
        headers={**session.headers, **(headers or {})},
        data=data,
        params=params,
        cookies=session.cookies if len(session.cookies) else None,
    )
    adapter = session.get_adapter(url)
    reply: requests.Response = adapter.send(
        prepared,
        stream=True,
        timeout=timeout,
        verify=True if session.verify is None else session.verify,
        cert=session.cert,
        proxies=session.proxies,
    )
    if reply.raw is not None and "set-cookie" in reply.headers:
        extract_cookies_to_jar(session.cookies, prepared, reply.raw)  # type: ignore[no-untyped-call]
    return reply
