"""Pure-ASGI middleware counting requests per route template for /metrics, and marking every answer served from
an index the chain no longer holds (``X-Index-Superseded``, see offchain/index/indexer.py)."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class MetricsMiddleware:
    """Records route, status and latency of every HTTP request in the app's Metrics."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        services = getattr(scope["app"].state, "services", None)

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                superseded = services.superseded() if services is not None else None
                if superseded is not None:
                    headers = list(message.get("headers", []))
                    headers.append((b"x-index-superseded", superseded.encode("latin-1", "replace")))
                    message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", None) or "unmatched"
            if services is not None:
                services.metrics.observe(path, status, time.perf_counter() - start)
