"""``GET /tokens/{id}`` answered from the Catalog's memo before routing (the hot path of tokenURI readers).

A memo hit is bytes already serialised (offchain/api/catalog.py); routing it through Starlette's router, FastAPI's
dependency solver and the exception and body layers cost more than the rest of the answer: a worker spent
~460 µs of CPU per ``/tokens/1`` against ~180 µs for a bare FastAPI endpoint (benchmarks/service.py --pairs,
issue 25 item 8). This middleware sits inside CORS, HEAD handling and the metrics (so a hit gets the same
headers, ``X-Index-Superseded`` and its count under the route's template) and answers a GET of a canonical token
path whose memo is current; everything else, a miss included, goes on to the app unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

TOKEN_PATH = re.compile(r"/tokens/([1-9][0-9]{0,9})")  # the canonical spelling the route accepts (no 0, +, 01)
HEADERS = [(b"content-type", b"application/json")]


class MetadataMemo:
    """Pure-ASGI middleware: memo hits of ``GET /tokens/{id}`` answered at once, the rest passed on."""

    def __init__(self, app: ASGIApp, catalog: Any, route: Any) -> None:
        self.app = app
        self.catalog = catalog
        self.route = route  # the APIRoute of /tokens/{token_id}, named in the scope for the metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            match = TOKEN_PATH.fullmatch(scope["path"])
            body = self.catalog.cached_metadata(int(match.group(1))) if match else None
            if body is not None:
                scope["route"] = self.route
                await send(
                    {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": [*HEADERS, (b"content-length", str(len(body)).encode())],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
