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
from offchain.actions import Actor
from offchain.api.main import create_app
from offchain.chain import ChainReader, http_web3
from offchain.deploy import deploy
from offchain.settings import Settings
from scripts.hardhat_node import HardhatNode
from support.net import free_port, wait_until
from support.service import running

RPC_TIMEOUT = 2.0
LOOKUPS = 100  # unknown ids at once: 2.5x anyio's 40 worker threads


def timed_get(base: str, path: str) -> tuple[httpx.Response, float]:
    start = time.monotonic()
    response = httpx.get(base + path, timeout=60)
    return response, time.monotonic() - start


def test_a_hung_node_never_stalls_indexed_endpoints(tmp_path, renderer):
    node = HardhatNode(free_port(), tmp_path / "node.log")
    node.start()
    try:
        w3 = http_web3(node.url, 30)
        owner = w3.eth.accounts[0]
        deployment = deploy(w3, owner, minters=(owner,), renderer_hash=bytes(renderer.renderer_hash()),
                            out_dir=tmp_path / "deployments")
        actor = Actor(w3, ChainReader(w3, deployment=deployment).contract, owner)
        rng = random.Random(3)
        for _ in range(2):
            actor.mint(owner, random_genome(rng))
        settings = Settings(rpc_url=node.url, rpc_timeout=RPC_TIMEOUT, rpc_cooldown=2 * RPC_TIMEOUT,
                            deployments_dir=tmp_path / "deployments", index_in_service=False,
                            database_url=f"sqlite:///{tmp_path / 'index.sqlite3'}", cache_dir=tmp_path / "cache",
                            web_dir=tmp_path / "no-web", confirmations=0, indexer_stale_after=3600)
        app = create_app(settings, renderer=renderer)
        app.state.services.indexer.sync()
        with running(app, free_port()) as base, ThreadPoolExecutor(LOOKUPS) as pool:
            assert httpx.get(f"{base}/tokens/1").status_code == 200
            os.killpg(node.proc.pid, signal.SIGSTOP)
            try:
                lookups = [pool.submit(timed_get, base, f"/tokens/{100 + k}") for k in range(LOOKUPS)]
                time.sleep(0.3)  # the lookups are in flight (on the node, or refused)
                for path in ("/tokens?limit=2", "/tokens/1"):
                    response, seconds = timed_get(base, path)
                    assert response.status_code == 200, (path, response.text)
                    assert seconds < RPC_TIMEOUT / 2, f"{path} waited {seconds:.2f} s on a hung node"
                answers = [f.result() for f in lookups]
                for response, _ in answers:
                    assert response.status_code == 503 and "unreachable" in response.json()["detail"]
                    assert int(response.headers["retry-after"]) >= 1
                slowest = max(seconds for _, seconds in answers)
                assert slowest < 2 * RPC_TIMEOUT, f"a lookup held its thread {slowest:.1f} s"
                assert app.state.services.chain.breaker.trips >= 1
            finally:
                os.killpg(node.proc.pid, signal.SIGCONT)
            actor.mint(owner, random_genome(rng))  # token 3, not indexed: read live once the node answers
            wait_until(lambda: httpx.get(f"{base}/tokens/3", timeout=30).status_code == 200,
                       4 * RPC_TIMEOUT + 10, "the service to read the chain again")
            assert httpx.get(f"{base}/tokens/4").status_code == 404
    finally:
        if node.proc is not None and node.proc.poll() is None:
            os.killpg(node.proc.pid, signal.SIGCONT)
        node.stop()
