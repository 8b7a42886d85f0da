"""The JSON-RPC session of ``http_web3``: the environment's proxy is read once, when it is made, and nothing of
the environment per call (requests' ``trust_env`` read ``~/.netrc`` and the proxy variables on every call)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from offchain.chain.reader import http_web3


@contextmanager
def json_rpc_server() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A node answering ``eth_blockNumber`` with 0x7 on 127.0.0.1, and the headers (and request line) of every
    request it got; it answers an absolute URI too, as a proxy would receive it."""
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            request = json.loads(self.rfile.read(int(self.headers["content-length"])))
            seen.append({**{k.lower(): v for k, v in self.headers.items()}, "path": self.path})
            body = json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": "0x7"}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_credentials_in_netrc_are_not_sent(tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password secret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    with json_rpc_server() as (url, seen):
        assert http_web3(url, 5).eth.block_number == 7
    assert len(seen) == 1 and "authorization" not in seen[0]


def test_the_proxy_of_the_environment_is_read_once_when_the_session_is_made(monkeypatch):
    with json_rpc_server() as (proxy, through_proxy), json_rpc_server() as (node, direct):
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        w3 = http_web3(node, 5)
        monkeypatch.delenv("HTTP_PROXY")
        assert w3.eth.block_number == 7 and w3.eth.block_number == 7
        assert [r["path"] for r in through_proxy] == [node + "/"] * 2 and direct == []
        assert http_web3(node, 5).eth.block_number == 7  # made without a proxy: straight to the node
        assert len(direct) == 1
