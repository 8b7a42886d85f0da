"""A real `hardhat node` is stopped (SIGSTOP: it accepts connections and never answers) under a real
uvicorn: lookups that need the chain answer 503 + Retry-After without holding worker threads for
the RPC timeout, what is indexed answers at once, and after SIGCONT the service recovers."""

from __future__ import annotations

import os
import random
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from latentkin_core.genome import random_genome
from offchain.api.main import create_app
from support.chain import node_deployment
from support.net import free_port, wait_until
from support.service import running

RPC_TIMEOUT = 2.0
COOLDOWN = 5 * RPC_TIMEOUT  # longer than the lookups take to arrive, even on a busy machine
LOOKUPS = 100  # unknown ids at once: 2.5x anyio's 40 worker threads


def timed_get(http: httpx.Client, path: str) -> tuple[httpx.Response, float]:
    start = time.monotonic()
    response = http.get(path)
    return response, time.monotonic() - start


def test_a_hung_node_never_stalls_indexed_endpoints(tmp_path, renderer):
    with node_deployment(tmp_path, bytes(renderer.renderer_hash()), founders=2) as chain:
        node, actor = chain.node, chain.actor
        settings = chain.settings(tmp_path, rpc_timeout=RPC_TIMEOUT, rpc_cooldown=COOLDOWN)
        app = create_app(settings, renderer=renderer)
        app.state.services.indexer.sync()
        with (
            running(app, free_port()) as base,
            ThreadPoolExecutor(LOOKUPS) as pool,
            httpx.Client(base_url=base, timeout=60, limits=httpx.Limits(max_connections=LOOKUPS)) as many,
            httpx.Client(base_url=base, timeout=60) as one,
        ):
            assert httpx.get(f"{base}/tokens/1").status_code == 200
            os.killpg(node.proc.pid, signal.SIGSTOP)
            try:
                lookups = [pool.submit(timed_get, many, f"/tokens/{100 + k}") for k in range(LOOKUPS)]
                time.sleep(0.3)  # the lookups are in flight (on the node, or refused)
                for path in ("/tokens?limit=2", "/tokens/1"):
                    response, seconds = timed_get(one, path)
                    assert response.status_code == 200, (path, response.text)
                    assert seconds < RPC_TIMEOUT / 2, f"{path} waited {seconds:.2f} s on a hung node"
                for response, _ in [f.result() for f in lookups]:
                    assert response.status_code == 503 and "unreachable" in response.json()["detail"]
                    assert int(response.headers["retry-after"]) >= 1
                metrics = dict(
                    line.rsplit(" ", 1)
                    for line in one.get("/metrics").text.splitlines()
                    if line.startswith("latentkin_chain_breaker_")
                )
                assert float(metrics["latentkin_chain_breaker_open"]) == 1  # lookups now answer without asking
                assert float(metrics["latentkin_chain_breaker_trips"]) >= 1
                # at most max_in_flight lookups ever waited on the node; the others were refused at once
                assert float(metrics["latentkin_chain_breaker_rejected"]) >= LOOKUPS - settings.rpc_max_in_flight
            finally:
                os.killpg(node.proc.pid, signal.SIGCONT)
            actor.mint(actor.sender, random_genome(random.Random(3)))  # token 3, not indexed: read live
            wait_until(
                lambda: httpx.get(f"{base}/tokens/3", timeout=30).status_code == 200,
                COOLDOWN + RPC_TIMEOUT + 10,
                "the service to read the chain again",
            )
            assert httpx.get(f"{base}/tokens/4").status_code == 404
