"""A real `hardhat node` is killed and restarted empty under a running service: answers stay JSON
(503 with Retry-After, never a 500) and /healthz says the contract is gone instead of "ok"."""

from __future__ import annotations

import time
from random import Random

from fastapi.testclient import TestClient

from latentkin_core.genome import random_genome
from offchain.api.main import create_app
from offchain.api.services import SUPERSEDED_TTL
from offchain.chain.transactions import Actor
from offchain.deploy.latentkin import deploy
from offchain.market.trader import Trader
from support.chain import node_deployment


def test_a_reset_chain_gives_503_not_500(tmp_path, renderer):
    with node_deployment(tmp_path, bytes(renderer.renderer_hash())) as chain:
        node = chain.node
        app = create_app(chain.settings(tmp_path), renderer=renderer)
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


def test_a_reset_reconciles_the_market_and_keeps_the_old_index_marked(tmp_path, renderer):
    """Sales and listings of the old chain never show on the new one; until the new chain has the contract the
    old index is served, marked superseded; once it has, the index (market included) is the new chain's."""
    with node_deployment(tmp_path, bytes(renderer.renderer_hash()), founders=3, market=True) as chain:
        node, w3 = chain.node, chain.actor.w3
        app = create_app(chain.settings(tmp_path), renderer=renderer)
        services = app.state.services
        seller, buyer = Trader(services.market, w3.eth.accounts[0]), Trader(services.market, w3.eth.accounts[1])
        with TestClient(app) as client:
            sold, listed = seller.list(1, 10**15), seller.list(2, 10**15)
            for valid in (sold, listed):
                assert client.post("/orders", json=valid.order.to_json()).status_code == 201
            buyer.buy(sold.order)
            services.indexer.sync()
            assert [s["buyer"] for s in client.get("/tokens/1/sales").json()["items"]] == [buyer.address]
            assert client.get("/market?tokens=2").json()["items"][0]["listing"] is not None

            node.stop()  # the node dies and comes back empty on the same port: a chain reset
            node.start()
            services.indexer.sync()
            time.sleep(SUPERSEDED_TTL)
            answer = client.get("/tokens/1")  # the old index is still readable, and says what it is
            assert answer.status_code == 200 and "reset" in answer.headers["x-index-superseded"]
            assert client.get("/tokens").json()["items"] and client.get("/tokens/1/sales").headers["x-index-superseded"]
            health = client.get("/healthz").json()
            assert health["status"] == "degraded" and "reset" in health["indexer"]["superseded"]

            fresh = deploy(
                w3,
                w3.eth.accounts[0],
                minters=(w3.eth.accounts[0],),
                market=True,
                renderer_hash=bytes(renderer.renderer_hash()),
                out_dir=tmp_path / "fresh",
            )
            assert fresh.address == services.chain.deployment.address  # the same deployer, nonce and address
            Actor(w3, services.chain.contract, w3.eth.accounts[0]).mint(w3.eth.accounts[2], random_genome(Random(9)))
            services.indexer.sync()  # the new chain proved it replaced the old one: the index is its own now
            time.sleep(SUPERSEDED_TTL)
            answer = client.get("/tokens/1")
            assert answer.status_code == 200 and "x-index-superseded" not in answer.headers
            assert [t["token_id"] for t in client.get("/tokens").json()["items"]] == [1]
            assert client.get("/tokens/1/sales").json()["items"] == []  # the old chain's sale is gone
            market = client.get("/market?tokens=1,2").json()["items"]
            assert [(t["listing"], t["last_sale"]) for t in market] == [(None, None)] * 2  # and its listing
            assert client.get("/orders?token=2").json()["items"] == []
            assert client.get("/healthz").json()["indexer"]["superseded"] is None
