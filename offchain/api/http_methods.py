"""HEAD and OPTIONS for every route, and CORS for pages on other origins.

FastAPI routes answer only the methods they declare, so ``HEAD /tokens/1`` fell through to the
web page's static mount (404) and ``OPTIONS`` was a 405. Marketplaces, wallets' web views and
link checkers use both. :class:`HeadAndOptions` answers HEAD exactly as GET without the body,
and a plain (non-CORS) OPTIONS with 204 and the ``Allow`` header of the routes that match.
CORS itself (preflight and response headers) is Starlette's ``CORSMiddleware``.
"""

from __future__ import annotations

from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PROBED = ("GET", "POST", "PUT", "PATCH", "DELETE")  # what a router route is asked about


class HeadAndOptions:
    """HEAD = GET without a body; OPTIONS (not a CORS preflight) = 204 with ``Allow``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method") if scope["type"] == "http" else None
        if method == "HEAD":
            await self.app(dict(scope, method="GET"), receive, _without_body(send))
        elif method == "OPTIONS" and not _is_preflight(scope):
            allowed = _allowed_methods(scope)
            if allowed:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 204,
                        "headers": [(b"allow", ", ".join(sorted(allowed)).encode())],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
            else:
                await self.app(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _without_body(send: Send) -> Send:
    async def send_headers_only(message: Message) -> None:
        if message["type"] == "http.response.body":
            if not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b""})
            return
        await send(message)

    return send_headers_only


def _is_preflight(scope: Scope) -> bool:
    headers = dict(scope.get("headers", []))
    return b"origin" in headers and b"access-control-request-method" in headers


def _allowed_methods(scope: Scope) -> set[str]:
    """Methods of the app's routes matching the path (GET brings HEAD), plus OPTIONS; empty if none.

    FastAPI wraps each included router in one route without ``methods``: those are asked method by method
    (``POST /orders`` lives beside ``GET /orders``). A mount (the web page's static files) serves GET.
    """
    methods: set[str] = set()
    for route in scope["app"].routes:
        declared = getattr(route, "methods", None)
        if declared or isinstance(route, Mount):
            if route.matches(dict(scope, method="GET"))[0] is not Match.NONE:
                methods |= set(declared or {"GET"})
        else:
            methods |= {m for m in PROBED if route.matches(dict(scope, method=m))[0] is Match.FULL}
    if not methods:
        return set()
    if "GET" in methods:
        methods.add("HEAD")
    return methods | {"OPTIONS"}
