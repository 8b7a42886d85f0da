"""Clients that hold the server without making requests, straight at uvicorn (``latentkin serve`` without nginx),
with real sockets on 127.0.0.1 and bounded loops: idle sockets, headers or bodies trickled byte by byte,
oversized headers, more connections than allowed. Each is cut off in bounded time, and meanwhile everyone
else is served."""

from __future__ import annotations

import socket
import time
from contextlib import ExitStack, suppress

import httpx
import pytest

from support.net import wait_until
from support.service_process import ServiceProcess, service_process

HEADER_TIMEOUT = 1.0
BODY_TIMEOUT = 1.5
MAX_CONNECTIONS = 40
MAX_CONCURRENCY = 10


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> ServiceProcess:
    with service_process(
        tmp_path_factory.mktemp("slow"),
        header_timeout=str(HEADER_TIMEOUT),
        body_timeout=str(BODY_TIMEOUT),
        keep_alive="1",
        max_connections=str(MAX_CONNECTIONS),
        max_concurrency=str(MAX_CONCURRENCY),
    ) as running:
        yield running


def _connect(service: ServiceProcess) -> socket.socket:
    host, port = service.base_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=5)
    return sock


def _closed_within(sock: socket.socket, seconds: float) -> tuple[bool, bytes]:
    """(whether the server closed ``sock`` within ``seconds``, what it sent before)."""
    sock.settimeout(0.1)
    data = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            part = sock.recv(4096)
        except TimeoutError:
            continue
        except ConnectionResetError:
            return True, data
        if not part:
            return True, data
        data += part
    return False, data


def _healthy(service: ServiceProcess) -> int:
    return httpx.get(f"{service.base_url}/healthz", timeout=5).status_code


def test_an_idle_socket_is_closed(service):
    with _connect(service) as sock:
        closed, sent = _closed_within(sock, HEADER_TIMEOUT + 3)
    assert closed and sent == b""


def test_headers_trickled_byte_by_byte_are_cut_off(service):
    start = time.monotonic()
    with _connect(service) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        closed = False
        for byte in b"X-Slow: " + b"a" * 40:  # one byte every 0.1 s: 4.8 s if nobody stops it
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            time.sleep(0.1)
        closed = closed or _closed_within(sock, 1)[0]
    assert closed and time.monotonic() - start < HEADER_TIMEOUT + 2.5


def test_an_idle_keep_alive_connection_is_closed_after_its_answer(service):
    with _connect(service) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        closed, sent = _closed_within(sock, HEADER_TIMEOUT + 3)
    assert sent.startswith(b"HTTP/1.1 200") and closed


def test_a_body_trickled_byte_by_byte_is_408(service):
    start = time.monotonic()
    with _connect(service) as sock:
        sock.sendall(
            b"POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
        )
        for _ in range(30):  # 3 s of trickle, bounded
            try:
                sock.sendall(b" ")
            except (BrokenPipeError, ConnectionResetError):
                break
            time.sleep(0.1)
        closed, sent = _closed_within(sock, 2)
    assert sent.startswith(b"HTTP/1.1 408") and b"not received within" in sent, sent[:200]
    assert closed and time.monotonic() - start < BODY_TIMEOUT + 3


def test_slow_bodies_do_not_lock_out_other_requests(service):
    """More slow uploads than requests allowed in progress: every other client is still served."""
    with ExitStack() as stack:
        uploads = [stack.enter_context(_connect(service)) for _ in range(3 * MAX_CONCURRENCY)]
        for sock in uploads:
            sock.sendall(
                b"POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n["
            )
        time.sleep(0.2)
        assert [_healthy(service) for _ in range(5)] == [200] * 5
    assert service.answers()


def test_oversized_headers_are_431(service):
    with _connect(service) as sock:
        with suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-Big: " + b"a" * 40_000 + b"\r\n")
        closed, sent = _closed_within(sock, 3)
    assert sent.startswith(b"HTTP/1.1 431") and closed, sent[:200]


def test_connections_beyond_the_limit_are_refused_and_the_rest_expire(service):
    with ExitStack() as stack:
        socks = [stack.enter_context(_connect(service)) for _ in range(MAX_CONNECTIONS + 10)]
        time.sleep(0.3)
        refused = 0
        for sock in socks:
            sock.settimeout(0.05)
            try:
                if sock.recv(4096).startswith(b"HTTP/1.1 503"):
                    refused += 1
            except TimeoutError:
                pass
        assert refused >= 10
        # The idle ones run out of time and free their places.
        wait_until(
            lambda: _healthy(service) == 200,
            HEADER_TIMEOUT + 5,
            "the idle connections to be closed",
            ignore=(httpx.HTTPError,),
        )
    assert service.answers()
