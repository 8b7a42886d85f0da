"""Hostile request bodies against the service as a real process: deep nesting, oversized, chunked without a
length, huge strings and numbers, wrong content types. Each is a clear 4xx, small, and the process stays up
(``[`` × 100,000 used to overflow the C stack in the JSON decoder and kill it)."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from offchain.api.body_guard import nested_deeper_than
from support.service_process import ServiceProcess, service_process

MAX_BODY = 64 * 1024


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> ServiceProcess:
    with service_process(tmp_path_factory.mktemp("hostile")) as running:
        yield running


def _post(service: ServiceProcess, body: bytes, content_type: str = "application/json") -> httpx.Response:
    return httpx.post(f"{service.base_url}/orders", content=body, headers={"content-type": content_type}, timeout=30)


def _refused(response: httpx.Response, status: int, words: str) -> None:
    assert response.status_code == status, response.text[:300]
    assert words in response.text and len(response.content) < 2000


def test_the_200_kb_bracket_bomb_is_413_and_the_process_lives(service):
    response = _post(service, b"[" * 100_000 + b"]" * 100_000)
    _refused(response, 413, "at most 65536")
    assert service.answers(), service.output()


def test_the_depth_guard_holds_without_the_size_limit(tmp_path):
    """A deployment that raises the body limit still never hands a deep document to the JSON decoder."""
    with service_process(tmp_path, max_body_bytes=str(1 << 20)) as service:
        _refused(_post(service, b"[" * 100_000 + b"]" * 100_000), 422, "nested deeper than 32")
        assert service.answers(), service.output()


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 30_000 + b"]" * 30_000,  # 60 KB: under the size limit, far too deep
        b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
        b'{"parameters": ' + b"[" * 50_000,  # never closed
        b'[{"x": [' * 5_000,
    ],
)
def test_deep_nesting_under_the_size_limit_is_422(service, body):
    assert len(body) <= MAX_BODY
    _refused(_post(service, body), 422, "nested deeper than 32")
    assert service.answers(), service.output()


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_deep_nesting_in_any_content_type_is_refused(service, content_type):
    _refused(_post(service, b"[" * 30_000, content_type), 422, "nested deeper than 32")
    assert service.answers()


def test_a_chunked_body_without_a_length_is_cut_at_the_limit(service):
    host, port = service.base_url.removeprefix("http://").split(":")
    chunk = b"[" * 8192
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        try:
            for _ in range(64):  # 512 KB offered, bounded
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed: what it said is read below
        answer = _read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"at most 65536" in answer
    assert service.answers()


def test_large_inputs_are_never_echoed(service):
    huge_string = b'{"parameters": {"offerer": "' + b"A" * 60_000 + b'"}, "signature": "0x"}'
    _refused(_post(service, huge_string), 422, "offerer")
    wrong_type = b"x" * 60_000
    _refused(_post(service, wrong_type, "text/plain"), 422, "body")
    huge_key = b'{"' + b"k" * 60_000 + b'": 1}'
    _refused(_post(service, huge_key), 422, "parameters")
    assert service.answers()


@pytest.mark.parametrize("number", [b"1" + b"0" * 5000, b"1e400", b"-1" + b"0" * 4000])
def test_huge_json_numbers_are_4xx(service, number):
    body = b'{"parameters": {"salt": ' + number + b', "startTime": ' + number + b'}, "signature": "0x"}'
    response = _post(service, body)
    assert 400 <= response.status_code < 500 and len(response.content) < 2000, response.text[:300]
    assert service.answers()


def test_an_announced_oversized_body_is_413_before_it_is_sent(service):
    host, port = service.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 16777216\r\n\r\n"
        )  # 16 MB announced, not one byte of it sent
        answer = _read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 413") and b"16777216 bytes" in answer, answer[:200]


def _read_answer(sock: socket.socket, limit: int = 64 * 1024) -> bytes:
    """What the server sent until it closed (or 10 s of silence), at most ``limit`` bytes."""
    data = b""
    deadline = time.monotonic() + 10
    while len(data) < limit and time.monotonic() < deadline:
        try:
            part = sock.recv(4096)
        except (ConnectionResetError, TimeoutError):
            break
        if not part:
            break
        data += part
        if b"\r\n\r\n" in data and data.endswith(b"}"):
            break
    return data


def test_nesting_is_measured_outside_strings_only():
    assert not nested_deeper_than(b'{"a": "[[[[[[[[[[", "b": "\\"[[[[[[[["}', 4)
    assert nested_deeper_than(b"[[[[[]]]]]", 4) and not nested_deeper_than(b"[[[[]]]][[[[]]]]", 4)
    assert nested_deeper_than(b'{"a": {"b": {"c": {"d": {"e": 1}}}}}', 4)


def test_the_nesting_scan_is_linear_on_unclosed_escaped_strings():
    body = b'"' + b'\\"' * 30_000 + b"[" * 100
    start = time.perf_counter()
    assert not nested_deeper_than(body, 4)  # all inside one string that never closes
    assert nested_deeper_than(b"[" * 100 + body, 4)
    assert time.perf_counter() - start < 0.5
