"""Error answers a page on another origin can read: 413, 422 and even an unexpected 500 carry the CORS header,
and a 422 says what was wrong without sending the input back."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from offchain.api.main import create_app

ORIGIN = {"origin": "https://gallery.example"}


@pytest.fixture
def failing_client(tmp_path, kin_chain, renderer, service_settings):
    """A client of the app with one more route that fails unexpectedly (a bug's 500)."""
    app = create_app(service_settings(tmp_path, kin_chain), w3=kin_chain.w3, renderer=renderer)

    def broken() -> dict:
        raise RuntimeError("a bug")

    app.add_api_route("/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_an_unexpected_500_carries_cors(failing_client):
    response = failing_client.get("/broken", headers=ORIGIN)
    assert response.status_code == 500 and response.json() == {"detail": "internal error"}
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(("body", "status"), [(b"[" * 70_000, 413), (b"[" * 1000, 422), (b'{"signature": 1}', 422)])
def test_refused_bodies_carry_cors(client, body, status):
    response = client.post("/orders", content=body, headers={**ORIGIN, "content-type": "application/json"})
    assert response.status_code == status, response.text[:300]
    assert response.headers["access-control-allow-origin"] == "*"


def test_a_422_names_the_field_without_echoing_the_input(client):
    secret_sized = "0x" + "ab" * 10_000
    response = client.post("/orders", json={"parameters": {"offerer": secret_sized}, "signature": secret_sized})
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert ["body", "parameters", "offerer"] in [e["loc"] for e in errors]
    assert all(set(e) == {"loc", "msg", "type"} for e in errors)
    assert "abab" not in response.text and len(response.content) < 4000
