"""The request limit under a real uvicorn (as `latentkin serve` runs it): beyond ``max_concurrency``
requests in progress the answer is JSON 503 with Retry-After, and idle connections never count."""

from __future__ import annotations

import random
import socket
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from latentkin_core.genome import random_genome
from offchain.api.main import create_app
from support.net import wait_until
from support.renderers import HeldRenderer
from support.service import running


@pytest.fixture
def held(renderer):
    held = HeldRenderer(renderer)
    yield held
    held.release.set()


def test_requests_beyond_the_limit_get_json_503_with_retry_after(
    tmp_path, kin_chain, held, service_settings, free_port
):
    settings = service_settings(tmp_path, kin_chain, max_concurrency=2, retry_after=7)
    app = create_app(settings, w3=kin_chain.w3, renderer=held)
    app.state.services.indexer.sync()
    rng = random.Random(11)
    cold = [f"/genomes/{random_genome(rng).to_hex()}/image.png?size=64" for _ in range(2)]
    with running(app, free_port) as base, ThreadPoolExecutor(2) as pool:
        pending = [pool.submit(httpx.get, base + path, timeout=60) for path in cold]
        wait_until(lambda: app.state.services.pool.depth == 2, 20, "two renders to be held")
        shed = httpx.get(base + "/tokens/1")
        assert shed.status_code == 503 and shed.headers["content-type"] == "application/json"
        assert shed.headers["retry-after"] == "7" and "overloaded" in shed.json()["detail"]
        held.release.set()
        assert [f.result().status_code for f in pending] == [200, 200]
        assert httpx.get(base + "/tokens/1").status_code == 200


def test_idle_connections_do_not_lock_other_clients_out(tmp_path, kin_chain, renderer, service_settings, free_port):
    settings = service_settings(tmp_path, kin_chain, max_concurrency=20)
    app = create_app(settings, w3=kin_chain.w3, renderer=renderer)
    app.state.services.indexer.sync()
    with running(app, free_port) as base:
        idle = [socket.create_connection(("127.0.0.1", free_port)) for _ in range(200)]  # 10x the limit
        try:
            for _ in range(5):
                response = httpx.get(base + "/tokens/1", timeout=10)
                assert response.status_code == 200, response.text
        finally:
            for sock in idle:
                sock.close()
