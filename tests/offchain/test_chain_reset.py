"""A real `hardhat node` is killed and restarted empty under a running service: answers stay JSON
(503 with Retry-After, never a 500) and /healthz says the contract is gone instead of "ok"."""

from __future__ import annotations

import random

from fastapi.testclient import TestClient

from latentkin_core.genome import random_genome
from offchain.actions import Actor
from offchain.api.main import create_app
from offchain.chain import ChainReader, http_web3
from offchain.deploy import deploy
from offchain.settings import Settings
from scripts.hardhat_node import HardhatNode
from support.net import free_port


def test_a_reset_chain_gives_503_not_500(tmp_path, renderer):
    node = HardhatNode(free_port(), tmp_path / "node.log")
    node.start()
    try:
        w3 = http_web3(node.url, 30)
        owner = w3.eth.accounts[0]
        deployment = deploy(w3, owner, minters=(owner,), renderer_hash=bytes(renderer.renderer_hash()),
                            out_dir=tmp_path / "deployments")
        reader = ChainReader(w3, deployment=deployment)
        Actor(w3, reader.contract, owner).mint(owner, random_genome(random.Random(1)))
        settings = Settings(rpc_url=node.url, deployments_dir=tmp_path / "deployments", index_in_service=False,
                            database_url=f"sqlite:///{tmp_path / 'index.sqlite3'}", cache_dir=tmp_path / "cache",
                            web_dir=tmp_path / "no-web", confirmations=0, indexer_stale_after=3600)
        app = create_app(settings, renderer=renderer)
        app.state.services.indexer.sync()
        with TestClient(app) as client:
            assert client.get("/tokens/1").status_code == 200
            assert client.get("/healthz").json()["status"] == "ok"

            node.stop()  # the node dies and comes back empty on the same port: a chain reset
            node.start()

            for path in ("/tokens/2", "/tokens/2/image.png", "/tokens/2/family", "/fusion/preview?a=1&b=2"):
                response = client.get(path)
                assert response.status_code == 503, (path, response.status_code, response.text)
                assert response.headers["retry-after"] and "no contract" in response.json()["detail"], path
            health = client.get("/healthz").json()
            assert health["status"] == "degraded" and health["chain"]["reachable"] is True
            assert "no contract" in health["chain"]["error"] and health["renderer"]["match"] is None
            assert client.get("/tokens/1").status_code == 200  # what is indexed is still served
    finally:
        node.stop()
