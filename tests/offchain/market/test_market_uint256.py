"""Every uint256 field of a validly signed order at 0, 2^63 and 2^256-1, on SQLite and PostgreSQL: accepted and
read back exactly, or a 422 that says where; never a 500 (endTime >= 2^63, seaport-js's default endTime of
2^256-1, and prices whose royalty overflows used to be 500s)."""

from __future__ import annotations

import copy

import pytest
from fastapi.testclient import TestClient

from offchain.api.main import create_app
from offchain.market.order import UINT256_MAX, SignedOrder, sign_order
from support.market import ETH
from support.renderers import PixelRenderer
from support.service import service_settings

EXTREMES = (0, 2**63, UINT256_MAX)
LISTING_FIELDS = (
    "startTime",
    "endTime",
    "salt",
    "counter",
    "totalOriginalConsiderationItems",
    "offer.0.identifierOrCriteria",
    "offer.0.startAmount",
    "offer.0.endAmount",
    *(f"consideration.{i}.{name}" for i in (0, 1) for name in ("identifierOrCriteria", "startAmount", "endAmount")),
)
OFFER_FIELDS = (
    "offer.0.startAmount",
    "offer.0.endAmount",
    "consideration.0.identifierOrCriteria",
    "consideration.1.startAmount",
    "consideration.1.endAmount",
)
SELLER = 2
BUYER = 4


@pytest.fixture(params=["sqlite", "postgresql"])
def client(market_kin, tmp_path, request):
    overrides = {}
    if request.param == "postgresql":
        overrides["database_url"] = request.getfixturevalue("postgres_url")
    app = create_app(service_settings(tmp_path, market_kin, **overrides), w3=market_kin.w3, renderer=PixelRenderer())
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _with(body: dict, path: str, value: int, market_kin, signer: int) -> dict:
    """``body`` with ``parameters.<path>`` set to ``value``, signed again by account ``signer``."""
    changed = copy.deepcopy(body)
    *parents, leaf = path.split(".")
    node = changed["parameters"]
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[leaf] = str(value)
    params = SignedOrder.model_validate(changed).parameters
    signed = sign_order(
        params, market_kin.keys[signer], market_kin.reader.chain_id(), market_kin.market.addresses.seaport
    )
    return signed.to_json()


def _check(client, body: dict, what: str) -> tuple[int, dict]:
    response = client.post("/orders", json=body)
    assert response.status_code in (200, 201, 422), f"{what}: {response.status_code} {response.text[:300]}"
    answer = response.json()
    if response.status_code == 422:
        loc = answer["detail"][0]["loc"]
        assert loc[0] == "body" and len(loc) >= 2 and answer["detail"][0]["msg"], f"{what}: {answer}"
    else:
        again = client.get(f"/orders/{answer['hash']}")
        assert again.status_code == 200, f"{what}: {again.text[:300]}"
        assert again.json()["order"] == body, f"{what}: the stored order differs from the one sent"
        params = body["parameters"]
        assert (again.json()["start_time"], again.json()["end_time"]) == (
            int(params["startTime"]),
            int(params["endTime"]),
        )
        assert client.get("/orders").status_code == 200
    return response.status_code, answer


def test_no_uint256_extreme_of_a_listing_is_a_500(market_kin, client):
    token = market_kin.mint(SELLER)
    listing = market_kin.trader(SELLER).list(token, ETH).order.to_json()
    for path in LISTING_FIELDS:
        for value in EXTREMES:
            _check(client, _with(listing, path, value, market_kin, SELLER), f"listing {path}={value}")


def test_no_uint256_extreme_of_an_offer_is_a_500(market_kin, client):
    token = market_kin.mint(SELLER)
    offer = market_kin.trader(BUYER).offer(token, ETH // 10).order.to_json()
    for path in OFFER_FIELDS:
        for value in EXTREMES:
            _check(client, _with(offer, path, value, market_kin, BUYER), f"offer {path}={value}")


@pytest.mark.parametrize("end_time", [2**63, UINT256_MAX])
def test_an_order_that_never_ends_is_accepted_and_read_back_exactly(market_kin, client, end_time):
    token = market_kin.mint(SELLER)
    listing = market_kin.trader(SELLER).list(token, ETH).order.to_json()
    status, answer = _check(client, _with(listing, "endTime", end_time, market_kin, SELLER), "seaport-js's endTime")
    assert status == 201 and answer["end_time"] == end_time
    assert [o["hash"] for o in client.get("/orders", params={"token": token}).json()["items"]] == [answer["hash"]]


def test_an_order_that_starts_after_2_63_is_read_back_exactly(market_kin, client):
    token = market_kin.mint(SELLER)
    listing = market_kin.trader(SELLER).list(token, ETH).order.to_json()
    never_ending = _with(listing, "endTime", UINT256_MAX, market_kin, SELLER)
    status, answer = _check(client, _with(never_ending, "startTime", 2**63, market_kin, SELLER), "late start")
    assert status == 201 and answer["start_time"] == 2**63


@pytest.mark.parametrize("seller_amount", [2**255, UINT256_MAX])
def test_a_price_past_what_erc2981_or_seaport_can_pay_is_422_naming_the_consideration(
    market_kin, client, seller_amount
):
    token = market_kin.mint(SELLER)
    listing = market_kin.trader(SELLER).list(token, ETH).order.to_json()
    body = _with(
        _with(listing, "consideration.0.startAmount", seller_amount, market_kin, SELLER),
        "consideration.0.endAmount",
        seller_amount,
        market_kin,
        SELLER,
    )
    status, answer = _check(client, body, "huge price")
    assert status == 422 and answer["detail"][0]["loc"] == ["body", "parameters.consideration"], answer
    assert "2^256" in answer["detail"][0]["msg"] or "royalty" in answer["detail"][0]["msg"]
