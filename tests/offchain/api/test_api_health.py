"""/healthz (renderer hash against the contract's), /metrics, and the renderer-mismatch case."""

from __future__ import annotations

import threading
import time

from fastapi.testclient import TestClient

from offchain.api.main import create_app
from support.net import wait_until


def test_healthz_ok_when_everything_agrees(client, kin_chain, renderer):
    body = client.get("/healthz").json()
    assert body["status"] == "ok", body
    assert body["chain"] == {**body["chain"], "reachable": True, "head": kin_chain.w3.eth.block_number}
    assert body["indexer"]["cursor"] == kin_chain.w3.eth.block_number and body["indexer"]["lag"] == 0
    assert body["renderer"]["hash"] == "0x" + renderer.renderer_hash().hex()
    assert body["renderer"]["contract_hash"] == body["renderer"]["hash"]
    assert body["renderer"]["match"] is True


def test_renderer_mismatch_is_shown_and_logged(tmp_path, fresh_kin, renderer, service_settings, caplog):
    # fresh_kin's contract commits to no renderer (zero hash)
    app = create_app(service_settings(tmp_path, fresh_kin), w3=fresh_kin.w3, renderer=renderer)
    with caplog.at_level("ERROR", logger="latentkin.service"), TestClient(app) as client:
        body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["renderer"]["match"] is False
    assert body["renderer"]["contract_hash"] == "0x" + "00" * 32
    assert any("RENDERER HASH MISMATCH" in r.getMessage() for r in caplog.records)


def test_metrics_count_requests(client):
    client.get("/tokens/1")
    client.get("/tokens/999")
    text = client.get("/metrics").text
    assert 'latentkin_http_requests_total{route="/tokens/{token_id}",status="200"}' in text
    assert 'latentkin_http_requests_total{route="/tokens/{token_id}",status="404"}' in text
    assert "latentkin_render_queue_depth" in text and "latentkin_indexer_block" in text


def test_openapi_documents_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/tokens/{token_id}",
        "/tokens/{token_id}/image.{image_format}",  # png or webp
        "/genomes/{genome_hex}/image.{image_format}",
        "/tokens/{token_id}/family",
        "/fusion/preview",
        "/fusion/preview.png",
        "/tokens",
        "/contract",
        "/healthz",
        "/metrics",
        "/chain/status",
    ):
        assert "get" in paths[path], path


def test_healthz_knows_when_a_separate_indexer_stops(tmp_path, fresh_kin, renderer, service_settings):
    settings = service_settings(tmp_path, fresh_kin, indexer_stale_after=1.5)
    app = create_app(settings, w3=fresh_kin.w3, renderer=renderer)
    with TestClient(app) as client:
        indexer = app.state.services.indexer  # the same code `latentkin index` runs, on its own thread
        stop = threading.Event()
        worker = threading.Thread(target=indexer.run, args=(stop, 0.2), daemon=True)
        worker.start()
        try:
            wait_until(lambda: client.get("/healthz").json()["indexer"]["running"], 20, "the indexer reported")
        finally:
            stop.set()
            worker.join(10)
        stopped_at = time.time()
        wait_until(lambda: not client.get("/healthz").json()["indexer"]["running"], 20, "the indexer went stale")
        body = client.get("/healthz").json()
        assert time.time() - stopped_at >= 1.0  # not before the stale window has passed
        assert body["status"] == "degraded"
        assert "has not reported" in body["indexer"]["last_error"]
