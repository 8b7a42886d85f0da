"""At most ``limit`` requests in progress per worker; one more gets a JSON 503 with Retry-After.

uvicorn's own ``limit_concurrency`` counted open *connections* (idle ones too: 1,000 sockets that
send nothing locked every other client out) and answered in plain text without Retry-After. This
counts requests, and answers like every other error of the API. Idle and slow connections are the
front's job (nginx: client_header_timeout, limit_conn; see deploy/nginx.conf).
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send


class ConcurrencyLimit:
    """Pure-ASGI middleware shedding requests beyond ``limit`` in progress."""

    def __init__(self, app: ASGIApp, limit: int, retry_after: int) -> None:
        self.app = app
        self.limit = limit
        self.retry_after = retry_after
        self.in_progress = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.in_progress >= self.limit:  # one event loop: no lock needed between the check and the count
            await self._overloaded(send)
            return
        self.in_progress += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_progress -= 1

    async def _overloaded(self, send: Send) -> None:
        body = json.dumps({"detail": f"service overloaded: {self.limit} requests in progress, retry later"}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(self.retry_after).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
