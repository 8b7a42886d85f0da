"""uvicorn's HTTP protocol with the limits a server facing clients directly needs (``latentkin serve`` without
nginx): a bounded number of connections, a deadline for a request's headers, and a bound on their size.

uvicorn alone kept a socket that sent nothing open forever (its keep-alive timeout starts only after a
first response), let a client trickle headers byte by byte (each byte restarts nothing, but nothing ends
it either), and accepted any number of connections. Here each connection must deliver a request's headers
within ``header_timeout`` seconds of connecting or of its previous response, in at most
``max_header_bytes``, or it is closed; a connection beyond ``max_connections`` is answered 503 and closed
at once. Request bodies get their own size and time limits in the app (offchain/api/body_guard.py), and idle
keep-alive connections close after ``keep_alive`` seconds (uvicorn's ``timeout_keep_alive``).
"""

from __future__ import annotations

import asyncio
import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base  # httptools is a dependency

from offchain.settings import Settings


def _answer(status: int, reason: str, detail: str) -> bytes:
    body = json.dumps({"detail": detail}).encode()
    return (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    ).encode() + body


class GuardedProtocol(_Base):
    """uvicorn's HTTP/1.1 protocol, closing connections that hold the server without making requests."""

    header_timeout = 10.0
    max_header_bytes = 32 * 1024
    max_connections = 2048

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Count the connection; refuse it if there are too many, else start its header deadline."""
        super().connection_made(transport)
        self._header_timer: asyncio.TimerHandle | None = None
        self._header_bytes = 0
        if len(self.connections) > self.max_connections:
            transport.write(
                _answer(503, "Service Unavailable", f"more than {self.max_connections} connections open, retry later")
            )
            transport.close()
            return
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the deadline with the connection."""
        self._disarm_header_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Feed the parser, and close a connection whose headers outgrow ``max_header_bytes``."""
        waiting = not self._request_in_progress()
        super().data_received(data)
        if not waiting or self.transport.is_closing():
            return
        if self._request_in_progress():
            self._header_bytes = 0
            return
        self._header_bytes += len(data)
        if self._header_bytes > self.max_header_bytes:
            self.transport.write(
                _answer(431, "Request Header Fields Too Large", f"request headers over {self.max_header_bytes} bytes")
            )
            self.transport.close()

    def on_response_complete(self) -> None:
        """The next request's headers get ``header_timeout`` seconds from here."""
        super().on_response_complete()
        self._header_bytes = 0
        if not self.transport.is_closing():
            self._arm_header_timer()

    def _request_in_progress(self) -> bool:
        return (self.cycle is not None and not self.cycle.response_complete) or bool(getattr(self, "pipeline", ()))

    def _arm_header_timer(self) -> None:
        self._disarm_header_timer()
        self._header_timer = self.loop.call_later(self.header_timeout, self._header_deadline)

    def _disarm_header_timer(self) -> None:
        timer = getattr(self, "_header_timer", None)
        if timer is not None:
            timer.cancel()
            self._header_timer = None

    def _header_deadline(self) -> None:
        self._header_timer = None
        if not self._request_in_progress() and not self.transport.is_closing():
            self.transport.close()  # no complete request in time: idle, or trickling its headers


def guarded_protocol(settings: Settings) -> type[GuardedProtocol]:
    """:class:`GuardedProtocol` with the limits of ``settings``."""
    return type(
        "GuardedProtocol",
        (GuardedProtocol,),
        {
            "header_timeout": settings.header_timeout,
            "max_header_bytes": settings.max_header_bytes,
            "max_connections": settings.max_connections,
            "__module__": __name__,
        },
    )


def __getattr__(name: str) -> type[GuardedProtocol]:
    """``WorkerProtocol``: the protocol of a worker process, limits from its ``LATENTKIN_*`` environment (uvicorn
    imports it by name in each worker; a class made in the parent could not be sent there)."""
    if name == "WorkerProtocol":
        return guarded_protocol(Settings())
    raise AttributeError(name)
