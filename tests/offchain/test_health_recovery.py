"""/healthz after a hung node comes back: "ok" within seconds, not after the indexer's backoff (up to
30 polls) ran out with its last error still showing (it stayed "degraded" 12 s and more)."""

from __future__ import annotations

import os
import signal
import time

from fastapi.testclient import TestClient

from offchain.api.main import create_app
from support.chain import node_deployment
from support.net import wait_until

POLL = 1.0  # the indexer backs off 2, 4, 8, 16, then 30 s while the node does not answer
RPC_TIMEOUT = 0.5


def test_healthz_is_ok_soon_after_the_node_answers_again(tmp_path, renderer):
    with node_deployment(tmp_path, bytes(renderer.renderer_hash())) as chain:
        settings = chain.settings(
            tmp_path, index_in_service=True, poll_interval=POLL, rpc_timeout=RPC_TIMEOUT, rpc_cooldown=0
        )
        with TestClient(create_app(settings, renderer=renderer)) as client:
            wait_until(lambda: client.get("/healthz").json()["status"] == "ok", 30, "the service to be ok")
            os.killpg(chain.node.proc.pid, signal.SIGSTOP)
            try:
                wait_until(
                    lambda: client.get("/healthz").json()["indexer"]["last_error"],
                    30,
                    "the indexer to report the hung node",
                )
                time.sleep(17.5)  # four failed attempts: the indexer now waits 16 s, then 30 s
            finally:
                os.killpg(chain.node.proc.pid, signal.SIGCONT)
            back = time.monotonic()
            health = wait_until(
                lambda: (h := client.get("/healthz").json())["status"] == "ok" and h, 30, "/healthz to be ok again"
            )
            assert time.monotonic() - back < 4, f"degraded {time.monotonic() - back:.1f} s after the node came back"
            assert health["indexer"]["last_error"] is None and health["chain"]["reachable"] is True
