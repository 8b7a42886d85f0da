"""A real `hardhat node` is killed and restarted empty under a running service: answers stay JSON
(503 with Retry-After, never a 500) and /healthz says the contract is gone instead of "ok"."""

from __future__ import annotations

from fastapi.testclient import TestClient

from offchain.api.main import create_app
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
