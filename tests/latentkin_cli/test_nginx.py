"""deploy/nginx.conf run for real (Debian's nginx, unprivileged, latentkin_cli/nginx.py) in front of a real
uvicorn: it proxies with CORS, caches immutable images, drops idle clients, and its own refusals
(connection limit, no upstream) are JSON 503 with Retry-After like the API's."""

from __future__ import annotations

import json
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from latentkin_cli.nginx import Nginx, NginxOptions
from offchain.api.main import create_app
from offchain.settings import Settings
from support.chain import make_chain
from support.net import free_port, wait_until
from support.renderers import HeldRenderer, PixelRenderer
from support.service import running, service_settings

JSON = {"Content-Type": "application/json"}


@contextmanager
def nginx(tmp_path, upstream_port: int, **options) -> Iterator[str]:
    port = free_port()
    front = Nginx(
        NginxOptions(
            listen=f"127.0.0.1:{port}",
            upstream=f"127.0.0.1:{upstream_port}",
            prefix=tmp_path / f"nginx-{port}",
            retry_after=4,
            **options,
        )
    )
    front.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        front.stop()
        assert front.proc.poll() is not None


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    chain = make_chain(tmp_path_factory.mktemp("deployments"), PixelRenderer.HASH)
    chain.mint()
    return chain


@pytest.fixture
def api(tmp_path, chain):
    """(held renderer, app) over the chain, indexed; the renderer holds renders until released."""
    held = HeldRenderer(PixelRenderer())
    app = create_app(service_settings(tmp_path, chain), w3=chain.w3, renderer=held)
    app.state.services.indexer.sync()
    yield held, app
    held.release.set()


def test_nginx_proxies_with_cors_and_caches_immutable_images(tmp_path, api):
    held, app = api
    held.release.set()
    upstream = free_port()
    with running(app, upstream), nginx(tmp_path, upstream) as base, httpx.Client(base_url=base) as http:
        token = http.get("/tokens/1", headers={"Origin": "https://market.test"})
        assert token.status_code == 200 and token.json()["name"].endswith("#1")
        assert token.headers["access-control-allow-origin"] == "*"
        image = token.json()["image"].replace("http://testserver", "")
        assert "v=" in image
        first, second = http.get(image), http.get(image)
        assert first.content == second.content and first.content.startswith(b"\x89PNG")
        assert (first.headers["x-cache-status"], second.headers["x-cache-status"]) == ("MISS", "HIT")
        assert "immutable" in second.headers["cache-control"]
        assert held.renderer.calls == 1  # the second came from nginx's cache, not the app


def test_nginx_sends_drawn_images_from_the_workers_disk_cache(tmp_path, chain):
    """A content-addressed image the app has drawn is a file nginx sends itself (issue 25 item 8: a cached image
    at 0.63-0.67 of a static file through the proxy cache); any other image request still reaches the app."""
    shared = Path(tempfile.mkdtemp(prefix="latentkin-images-"))  # nginx may run as www-data: a directory it reaches
    shared.chmod(0o755)
    renderer = PixelRenderer()
    app = create_app(service_settings(tmp_path, chain, cache_dir=shared / "cache"), w3=chain.w3, renderer=renderer)
    app.state.services.indexer.sync()
    upstream = free_port()
    try:
        with running(app, upstream), nginx(tmp_path, upstream, image_root=shared / "cache") as base:
            image = httpx.get(f"{base}/tokens/1").json()["image"].replace("http://testserver", "")
            first, second = httpx.get(base + image), httpx.get(base + image)
            assert first.headers["x-cache-status"] == "MISS" and second.headers["x-cache-status"] == "DISK"
            assert second.content == first.content and second.content.startswith(b"\x89PNG")
            assert second.headers["content-type"] == "image/png"
            assert "immutable" in second.headers["cache-control"]
            assert second.headers["access-control-allow-origin"] == "*"
            assert renderer.calls == 1
            webp = httpx.get(base + image.replace("image.png", "image.webp"))
            assert webp.headers["content-type"] == "image/webp"
            again = httpx.get(base + image.replace("image.png", "image.webp"))
            assert again.headers["x-cache-status"] == "DISK" and again.content == webp.content
            # not a file nginx may send: a longer hash prefix, a path-like v, an unknown renderer, a preflight
            full = image.split("&v=")[0] + "&v=" + app.state.services.renderer_hash.hex()
            assert httpx.get(base + full).headers["x-cache-status"] in ("MISS", "HIT")
            sneaky = image.split("&v=")[0] + "&v=../../../etc"
            assert httpx.get(base + sneaky).status_code == 422  # the app's answer: v is hex digits
            unknown = image.split("&v=")[0] + "&v=" + "ab" * 8
            assert httpx.get(base + unknown).status_code == 404
            preflight = httpx.options(
                base + image, headers={"Origin": "https://market.test", "Access-Control-Request-Method": "GET"}
            )
            assert preflight.status_code == 200 and preflight.headers["access-control-max-age"] == "86400"  # the app's
            assert renderer.calls == 1
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_idle_clients_are_dropped_by_the_front(tmp_path, api):
    held, app = api
    upstream = free_port()
    with running(app, upstream), nginx(tmp_path, upstream, client_timeout=1) as base:
        port = int(base.rsplit(":", 1)[1])
        idle = socket.create_connection(("127.0.0.1", port))
        idle.settimeout(10)
        start = time.monotonic()
        assert idle.recv(1) == b""  # closed by nginx (client_header_timeout), without an answer
        assert time.monotonic() - start < 5
        idle.close()


def test_the_fronts_own_refusals_are_json_503_with_retry_after(tmp_path, api):
    held, app = api
    upstream = free_port()
    with running(app, upstream), nginx(tmp_path, upstream, conn_per_client=1) as base, ThreadPoolExecutor(1) as pool:
        cold = pool.submit(httpx.get, f"{base}/genomes/{'cd' * 40}/image.png?size=64", timeout=60)
        wait_until(lambda: app.state.services.pool.depth == 1, 20, "a render in progress behind nginx")
        refused = httpx.get(f"{base}/tokens/1")  # a second connection from this client while one is in progress
        assert refused.status_code == 503 and refused.headers["content-type"] == "application/json"
        assert refused.headers["retry-after"] == "4" and "too many connections" in refused.json()["detail"]
        assert refused.headers["access-control-allow-origin"] == "*"
        held.release.set()
        assert cold.result().status_code == 200
    with nginx(tmp_path, free_port()) as base:  # no API worker behind it at all
        down = httpx.get(f"{base}/tokens/1")
        assert down.status_code == 503 and down.headers["retry-after"] == "4"
        assert "no API worker" in down.json()["detail"]


def _raw(base: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``request`` as is; (status, headers, body) of the answer."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def test_the_fronts_own_bad_request_answers_are_json(tmp_path, api):
    _, app = api
    upstream = free_port()
    too_large = Settings().max_body_bytes + 1
    with running(app, upstream), nginx(tmp_path, upstream) as base:
        cases = {
            400: b"GARBAGE\r\n\r\n",
            431: b"GET /tokens/1 HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\nConnection: close\r\n\r\n",
            413: b"POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
            + str(too_large).encode()
            + b"\r\nConnection: close\r\n\r\n"
            + b" " * too_large,
            414: b"GET /tokens?" + b"a" * 40_000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        }
        for expected, request in cases.items():
            status, headers, body = _raw(base, request)
            assert status == expected, (expected, status, body[:200])
            assert headers["content-type"] == "application/json" and json.loads(body)["detail"], (expected, body)
            assert headers["access-control-allow-origin"] == "*"
        assert httpx.get(f"{base}/tokens/1").status_code == 200  # still serving


def test_the_front_passes_every_order_body_the_api_accepts(tmp_path, api):
    """POST /orders through nginx: a body over nginx's old 16 KB limit but within the workers' own limit
    reaches the API and gets the API's answer, not the front's 413; nginx's limit is the workers' limit."""
    _, app = api
    upstream = free_port()
    limit = app.state.services.settings.max_body_bytes
    body = b'{"signature": "0x"}' + b" " * 20_000
    with running(app, upstream), nginx(tmp_path, upstream) as base:
        direct = httpx.post(f"http://127.0.0.1:{upstream}/orders", content=body, headers=JSON)
        front = httpx.post(f"{base}/orders", content=body, headers=JSON)
        assert direct.status_code == 422 and direct.json()["detail"][0]["loc"] == ["body", "parameters"]  # read
        assert (front.status_code, front.json()) == (direct.status_code, direct.json())
        at_limit = httpx.post(f"{base}/orders", content=b"{}" + b" " * (limit - 2), headers=JSON)
        assert at_limit.status_code == 422  # the API's answer, the front let it through
        over = httpx.post(f"{base}/orders", content=b"{}" + b" " * (limit - 1), headers=JSON)
        assert over.status_code == 413 and over.json()["detail"] == "request body too large"  # the front's own
