"""A JSON-RPC proxy in front of a node that counts what passes: HTTP round trips and the methods called.

Tests point a service (or a reader) at :attr:`RpcCounter.url` instead of the node's URL, and read how many
requests a piece of work cost the node: every request is forwarded as it is, over real HTTP.
"""

from __future__ import annotations

import collections
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


class RpcCounter:
    """Counts round trips (HTTP requests) and JSON-RPC calls by method, since creation or :meth:`reset`."""

    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.round_trips = 0
        self.methods: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()

    def record(self, body: bytes) -> None:
        """Count one request with this JSON-RPC body (one call or a batch)."""
        payload = json.loads(body)
        calls = payload if isinstance(payload, list) else [payload]
        with self._lock:
            self.round_trips += 1
            self.methods.update(call.get("method", "?") for call in calls)

    def reset(self) -> None:
        """Start counting again from zero."""
        with self._lock:
            self.round_trips = 0
            self.methods.clear()


@contextmanager
def counting_proxy(node_url: str) -> Iterator[RpcCounter]:
    """A proxy on a free port of 127.0.0.1 forwarding every JSON-RPC request to ``node_url`` and counting it."""
    client = httpx.Client(timeout=60)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            counter.record(body)
            answer = client.post(node_url, content=body, headers={"content-type": "application/json"})
            self.send_response(answer.status_code)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        def log_message(self, *args: object) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    counter = RpcCounter(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield counter
    finally:
        server.shutdown()
        server.server_close()
        client.close()
