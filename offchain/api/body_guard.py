"""Request bodies are read whole, within a size, a time and a nesting depth, before any route parses them.

py-evm and py_ecc raise ``sys.setrecursionlimit`` to 100,000 when imported, so CPython's JSON decoder no
longer stops a deep document with RecursionError: ``[`` × 100,000 (200 KB) overflowed the C stack and
killed the process. :class:`BodyGuard` answers 413 for a body over ``max_bytes`` (at once when
Content-Length says so, else as soon as the bytes received pass it), 408 for a body that does not arrive
within ``timeout`` seconds (a slow client holds no route, and no slot of the ConcurrencyLimit), and 422
for nested arrays or objects deeper than ``max_depth`` (whatever the content type: FastAPI parses a body
without one as JSON). The API's only body is a Seaport order: a few KB, nested 4 deep.
"""

from __future__ import annotations

import asyncio
import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A JSON string (to the end of the body if it is not closed, so each match is linear) or a bracket.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\Z)|[\[\]{}]', re.DOTALL)
_OPENING = frozenset(b"[{")


def nested_deeper_than(body: bytes, limit: int) -> bool:
    """Whether arrays and objects nest more than ``limit`` deep in ``body`` (brackets inside strings do not
    count). Linear in the body's length: the scan stops at the first level past ``limit``."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # not even that many opening brackets
    depth = 0
    for match in _TOKENS.finditer(body):
        token = match.group()
        if len(token) != 1 or token == b'"':
            continue
        if token[0] in _OPENING:
            depth += 1
            if depth > limit:
                return True
        else:
            depth = max(depth - 1, 0)
    return False


class _TooLarge(Exception):
    pass


class BodyGuard:
    """Pure-ASGI middleware: the body in full, or 413 / 408 / 422 before the app sees it."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_depth: int, timeout: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_depth = max_depth
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _has_body(scope):
            await self.app(scope, receive, send)
            return
        length = _content_length(scope)
        if length is not None and length > self.max_bytes:
            await _answer(send, 413, f"request body of {length} bytes: at most {self.max_bytes} are accepted")
            return
        try:
            body, last = await asyncio.wait_for(self._read(receive), self.timeout)
        except _TooLarge:
            await _answer(send, 413, f"request body over {self.max_bytes} bytes: at most {self.max_bytes} are accepted")
            return
        except TimeoutError:  # asyncio.wait_for raises the built-in one (Python 3.11)
            await _answer(send, 408, f"request body not received within {self.timeout:g} s")
            return
        if last.get("type") == "http.disconnect":
            return  # the client left: nobody to answer
        if nested_deeper_than(body, self.max_depth):
            await _answer(
                send,
                422,
                [{"loc": ["body"], "type": "value_error", "msg": f"JSON nested deeper than {self.max_depth} levels"}],
            )
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> tuple[bytes, Message]:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"", message
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), message


def _has_body(scope: Scope) -> bool:
    headers = dict(scope.get("headers", []))
    return b"transfer-encoding" in headers or headers.get(b"content-length", b"0") not in (b"0", b"")


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """``receive`` for the app: the body read already, in one message; then the client's own messages."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _answer(send: Send, status: int, detail: object) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status in (408, 413):  # the rest of the body is not read: the connection cannot carry another request
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
