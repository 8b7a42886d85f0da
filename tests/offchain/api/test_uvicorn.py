"""The service under a real uvicorn on 127.0.0.1: serving, and a bounded flood of cold renders that
must queue or get 503 + Retry-After, never a 500 and never an unbounded queue."""

from __future__ import annotations

import io
import random
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from PIL import Image

from latentkin_core.genome import random_genome
from offchain.api.main import create_app
from support.net import wait_until
from support.renderers import HeldRenderer
from support.service import running


@pytest.fixture
def held_renderer(renderer):
    held = HeldRenderer(renderer)
    yield held
    held.release.set()


@pytest.fixture
def small_queue_app(tmp_path, kin_chain, held_renderer, service_settings):
    settings = service_settings(tmp_path, kin_chain, render_queue_max=4, render_batch_max=2, retry_after=3)
    app = create_app(settings, w3=kin_chain.w3, renderer=held_renderer)
    app.state.services.indexer.sync()
    return app


def test_real_server_serves_metadata_and_images(small_queue_app, held_renderer, kin_chain, free_port):
    held_renderer.release.set()
    with running(small_queue_app, free_port) as base, httpx.Client(base_url=base, timeout=30) as http:
        meta = http.get("/tokens/11")
        assert meta.status_code == 200 and meta.json()["genome"] == kin_chain.genomes[11].to_hex()
        image = http.get("/tokens/11/image.png", params={"size": 128})
        assert Image.open(io.BytesIO(image.content)).size == (128, 128)
        assert http.get("/tokens/11/image.png", params={"size": 128}).content == image.content
        assert http.get("/healthz").json()["status"] == "ok"


def test_a_flood_of_cold_renders_is_shed_with_503(small_queue_app, held_renderer, free_port):
    rng = random.Random(7)
    paths = [
        f"/genomes/{random_genome(rng).to_hex()}/image.png?size=256" for _ in range(60)
    ]  # 4x the 64 px test renderer
    pool = small_queue_app.state.services.pool
    depths: list[int] = []
    with (
        running(small_queue_app, free_port) as base,
        httpx.Client(base_url=base, timeout=60, limits=httpx.Limits(max_connections=30)) as http,
    ):

        def fetch(path):
            depths.append(pool.depth)
            return http.get(path)

        with ThreadPoolExecutor(30) as workers:
            pending = [workers.submit(fetch, path) for path in paths]
            # The renderer is busy: the queue fills up and the rest of the flood is refused.
            wait_until(lambda: pool.rejected > 0, 30, "the full render queue to refuse a request")
            held_renderer.release.set()
            responses = [f.result() for f in pending]
        statuses = [r.status_code for r in responses]
        assert set(statuses) <= {200, 503}, statuses
        assert statuses.count(200) >= 4 and statuses.count(503) >= 1
        for response in responses:
            if response.status_code == 503:
                assert response.headers["retry-after"] == "3"
                assert "queue" in response.json()["detail"]
        assert max(depths) <= 4  # never more than queue_max renders waiting
        # still healthy, and a shed request succeeds when retried
        retry = paths[statuses.index(503)]
        assert http.get(retry).status_code == 200
        assert http.get("/healthz").status_code == 200
