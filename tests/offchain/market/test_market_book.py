"""The order book over HTTP and the indexer that keeps it honest: ``POST /orders`` stores only orders that pass
every check (422 with the reason otherwise, nothing stored), ``GET /orders`` lists open ones, and the indexer
retires orders filled, cancelled, countered, expired, transferred or fused after listing, and records sales."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from offchain.api.main import create_app
from offchain.store.models import MarketOrder
from support.market import ETH, ROYALTY_BPS
from support.renderers import PixelRenderer
from support.service import service_settings


@pytest.fixture
def book(market_kin, tmp_path, request):
    """(client, services) of a service over the market chain, its index fresh for the test: SQLite, or PostgreSQL
    where the test is parametrized with ``indirect=["book"]`` and "postgresql"."""
    overrides = {}
    if getattr(request, "param", "sqlite") == "postgresql":
        overrides["database_url"] = request.getfixturevalue("postgres_url")
    app = create_app(service_settings(tmp_path, market_kin, **overrides), w3=market_kin.w3, renderer=PixelRenderer())
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, app.state.services


def _post(client, valid):
    return client.post("/orders", json=valid.order.to_json())


def _open(client, **query):
    response = client.get("/orders", params=query)
    assert response.status_code == 200, response.text
    return [o["hash"] for o in response.json()["items"]]


def _stored(services) -> int:
    with services.sessions() as session:
        return session.scalar(select(func.count()).select_from(MarketOrder))


def test_a_listing_is_stored_once_and_listed(market_kin, book):
    client, services = book
    token = market_kin.mint(2)
    listing = market_kin.trader(2).list(token, ETH, ETH // 2, duration=3600)
    response = _post(client, listing)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["side"], body["token_id"], body["start_price"], body["end_price"]) == (
        "listing",
        token,
        str(ETH),
        str(ETH // 2),
    )
    assert body["royalty"] == str(ETH * ROYALTY_BPS // 10_000) and body["fusion_count"] == 0
    assert ETH // 2 <= int(body["current_price"]) <= ETH
    assert _post(client, listing).status_code == 200  # the same order again: unchanged
    assert _open(client, token=token) == [listing.hash]
    assert _open(client, maker=market_kin.accounts[2].lower(), side="listing") == [listing.hash]
    assert _open(client, side="offer") == [] and _open(client, token=token + 1) == []


def test_a_forged_order_is_422_with_the_reason_and_nothing_is_stored(market_kin, book):
    client, services = book
    token = market_kin.mint(2)
    body = market_kin.trader(2).list(token, ETH).order.to_json()
    body["parameters"]["consideration"][0]["startAmount"] = "1"  # the seller's price, changed after signing
    body["parameters"]["consideration"][0]["endAmount"] = "1"
    response = client.post("/orders", json=body)
    assert response.status_code == 422
    assert "signature does not verify" in response.json()["detail"][0]["msg"]
    for malformed in ({}, {"parameters": {}, "signature": "0x"}, {**body, "signature": "0x1234"}):
        assert client.post("/orders", json=malformed).status_code == 422
    assert _stored(services) == 0 and _open(client) == []


def test_an_unprotected_listing_is_422_and_not_stored(market_kin, book):
    """Issue 23: the book refuses orders of this collection that the LatentKinZone does not protect."""
    client, services = book
    token = market_kin.mint(2)
    body = market_kin.trader(2).list(token, ETH).order.to_json()
    body["parameters"].update(orderType=0, zone="0x" + "00" * 20, zoneHash="0x" + "00" * 32)
    response = client.post("/orders", json=body)
    assert response.status_code == 422
    assert "unprotected order" in response.json()["detail"][0]["msg"]
    assert _stored(services) == 0


def test_a_sale_retires_the_listing_and_is_recorded_with_its_royalty(market_kin, book):
    client, services = book
    token = market_kin.mint(2)
    listing = market_kin.trader(2).list(token, ETH)
    assert _post(client, listing).status_code == 201
    receipt = market_kin.trader(3).buy(listing.order)
    services.indexer.sync()
    assert _open(client) == []
    (sale,) = client.get(f"/tokens/{token}/sales").json()["items"]
    assert (sale["seller"], sale["buyer"], sale["price"], sale["side"]) == (
        market_kin.accounts[2],
        market_kin.accounts[3],
        str(ETH),
        "listing",
    )
    assert sale["royalty"] == str(ETH * ROYALTY_BPS // 10_000)
    assert sale["tx_hash"] == receipt["transactionHash"].to_0x_hex()
    with services.sessions() as session:
        assert session.get(MarketOrder, listing.hash).status == "filled"


def test_an_accepted_offer_is_a_sale_and_leaves_the_book(market_kin, book):
    client, services = book
    token = market_kin.mint(2)
    offer = market_kin.trader(4).offer(token, ETH // 4)
    assert _post(client, offer).status_code == 201
    assert _open(client, token=token, side="offer") == [offer.hash]
    market_kin.trader(2).accept(offer.order)
    services.indexer.sync()
    assert _open(client) == []
    (sale,) = client.get(f"/tokens/{token}/sales").json()["items"]
    assert (sale["seller"], sale["buyer"], sale["side"]) == (market_kin.accounts[2], market_kin.accounts[4], "offer")
    assert sale["currency"] == market_kin.market.addresses.weth


@pytest.mark.parametrize(
    "change,status",
    [
        ("cancel", "cancelled"),
        ("counter", "counter"),
        ("transfer", "transferred"),
        ("fuse", "fused"),
        ("expire", "expired"),
    ],
)
def test_the_indexer_retires_orders_that_can_no_longer_fill_as_listed(market_kin, book, change, status):
    client, services = book
    token, other = market_kin.mint(2, seed=1), market_kin.mint(2, seed=2)
    listing = market_kin.trader(2).list(token, ETH, duration=3600)
    assert _post(client, listing).status_code == 201
    services.indexer.sync()
    assert _open(client) == [listing.hash]
    seller = market_kin.trader(2)
    if change == "cancel":
        seller.cancel(listing.order)
    elif change == "counter":
        seller.send_call(market_kin.market.seaport.functions.incrementCounter())
    elif change == "transfer":
        market_kin.actor(2).transfer(market_kin.accounts[5], token)
    elif change == "fuse":  # the seller spends one of the token's fusions just before a buyer fills
        market_kin.actor(2).fuse(token, other)
    else:
        market_kin.time_travel(3601)
    services.indexer.sync()
    assert _open(client) == []
    with services.sessions() as session:
        assert session.get(MarketOrder, listing.hash).status == status
    if change in ("cancel", "counter", "transfer", "fuse"):  # and it cannot come back
        assert _post(client, listing).status_code in (200, 422)
        assert _open(client) == []


def test_the_indexer_retires_an_offer_on_a_token_fused_after_it(market_kin, book):
    """Issue 23, finding 2: bids were never retired, so an owner fused a bid-on token and accepted the bid."""
    client, services = book
    token, other = market_kin.mint(2, seed=1), market_kin.mint(2, seed=2)
    offer = market_kin.trader(4).offer(token, ETH // 2, duration=3600)
    assert _post(client, offer).status_code == 201
    services.indexer.sync()
    assert _open(client, side="offer") == [offer.hash]
    market_kin.actor(2).fuse(token, other)
    services.indexer.sync()
    assert _open(client, side="offer") == []
    with services.sessions() as session:
        assert session.get(MarketOrder, offer.hash).status == "fused"
    assert _post(client, offer).status_code in (200, 422) and _open(client) == []


def test_the_book_on_postgresql(market_kin, tmp_path, postgres_url):
    settings = service_settings(tmp_path, market_kin, database_url=postgres_url)
    app = create_app(settings, w3=market_kin.w3, renderer=PixelRenderer())
    with TestClient(app, raise_server_exceptions=False) as client:
        token = market_kin.mint(2)
        offer, listing = market_kin.trader(4).offer(token, ETH // 10), market_kin.trader(2).list(token, ETH)
        assert _post(client, offer).status_code == 201 and _post(client, listing).status_code == 201
        assert set(_open(client, token=token)) == {listing.hash, offer.hash}
        market_kin.trader(3).buy(listing.order)
        app.state.services.indexer.sync()
        assert _open(client, token=token) == [offer.hash]  # the offer stands for the new owner
        assert [s["buyer"] for s in client.get(f"/tokens/{token}/sales").json()["items"]] == [market_kin.accounts[3]]


def test_without_a_market_orders_are_404_and_the_page_is_told(market_kin, client):
    """``client`` serves a deployment recorded without a market (tests/offchain/conftest.py's chain)."""
    order = market_kin.trader(2).list(market_kin.mint(2), ETH).order  # well-formed and signed, wrong service
    response = client.post("/orders", json=order.to_json())
    assert response.status_code == 404 and "no Seaport market" in response.json()["detail"]
    config = client.get("/config.json").json()
    assert config["seaport"] is None and config["weth"] is None
    assert client.get("/orders").json()["items"] == []


def test_config_names_the_market(market_kin, book):
    client, _ = book
    config = client.get("/config.json").json()
    assert (config["seaport"], config["weth"]) == (
        market_kin.market.addresses.seaport,
        market_kin.market.addresses.weth,
    )


def test_the_market_of_several_tokens_at_once(market_kin, book):
    client, services = book
    listed, sold, quiet = market_kin.mint(2, seed=1), market_kin.mint(2, seed=2), market_kin.mint(2, seed=3)
    auction = market_kin.trader(2).list(listed, 2 * ETH, ETH, duration=3600)
    assert _post(client, auction).status_code == 201
    market_kin.trader(3).buy(market_kin.trader(2).list(sold, ETH).order)
    services.indexer.sync()
    response = client.get("/market", params={"tokens": f"{listed},{sold},{quiet},{listed}"})
    assert response.status_code == 200, response.text
    items = {i["token_id"]: i for i in response.json()["items"]}
    assert list(items) == [listed, sold, quiet]
    assert items[listed]["listing"]["hash"] == auction.hash and items[listed]["last_sale"] is None
    assert ETH <= int(items[listed]["listing"]["current_price"]) <= 2 * ETH
    assert items[sold]["listing"] is None and items[sold]["last_sale"]["price"] == str(ETH)
    assert items[quiet] == {"token_id": quiet, "listing": None, "last_sale": None}
    for bad in ("", "0", "1,,2", "x", ",".join(["1"] * 101)):
        assert client.get("/market", params={"tokens": bad}).status_code == 422


def test_a_reorg_undoes_the_sale_and_puts_the_listing_back(market_kin, book):
    client, services = book
    token = market_kin.mint(2)
    listing = market_kin.trader(2).list(token, ETH)
    assert _post(client, listing).status_code == 201
    services.indexer.sync()
    snapshot = market_kin.w3.testing.snapshot()
    market_kin.trader(3).buy(listing.order)  # branch A: sold
    services.indexer.sync()
    assert _open(client) == [] and len(client.get(f"/tokens/{token}/sales").json()["items"]) == 1

    market_kin.w3.testing.revert(snapshot)  # branch B, longer, where nobody bought
    market_kin.w3.testing.mine(3)
    assert services.indexer.step().rolled_back_to is not None
    services.indexer.sync()
    assert _open(client) == [listing.hash]
    assert client.get(f"/tokens/{token}/sales").json()["items"] == []


@pytest.mark.parametrize("book", ["sqlite", "postgresql"], indirect=True)
def test_open_orders_come_cheapest_listing_then_highest_offer(market_kin, book):
    client, _ = book
    tokens = [market_kin.mint(2, seed=s) for s in range(3)]
    listings = [
        market_kin.trader(2).list(t, price) for t, price in zip(tokens, (10 * ETH, ETH // 3, 2 * ETH), strict=True)
    ]
    offers = [market_kin.trader(k).offer(tokens[0], price) for k, price in ((4, ETH // 100), (5, 9 * ETH // 10))]
    for valid in listings + offers:
        assert _post(client, valid).status_code == 201
    expected = [listings[1], listings[2], listings[0], offers[1], offers[0]]  # 1/3, 2, 10 ETH; then 0.9, 0.01 WETH
    assert _open(client) == [v.hash for v in expected]
    assert _open(client, limit=2) == [v.hash for v in expected[:2]]


def test_the_gallery_filters_characters_for_sale(market_kin, book):
    """Issue 23's page gaps: the gallery's "for sale" filter is the owner's active listings in the book."""
    client, services = book
    listed, kept = market_kin.mint(2), market_kin.mint(2)
    assert _post(client, market_kin.trader(2).list(listed, ETH)).status_code == 201
    services.indexer.sync()
    for_sale = [t["token_id"] for t in client.get("/tokens", params={"for_sale": "true"}).json()["items"]]
    others = [t["token_id"] for t in client.get("/tokens", params={"for_sale": "false"}).json()["items"]]
    assert listed in for_sale and kept not in for_sale
    assert kept in others and listed not in others
    assert client.get("/tokens", params={"for_sale": "maybe"}).status_code == 422


@pytest.mark.parametrize("book", ["sqlite", "postgresql"], indirect=True)
def test_the_gallery_sorts_characters_for_sale_by_their_price_now(market_kin, book):
    """Issue 23's page gaps: cheapest or dearest first, only what is for sale, a Dutch auction at its price now
    (Seaport's linear fall at the chain's time), paged by position."""
    client, services = book
    fixed, auction, cheap, kept = (market_kin.mint(2, seed=s) for s in range(4))
    day = 24 * 3600
    for valid in (
        market_kin.trader(2).list(fixed, 2 * ETH),
        market_kin.trader(2).list(auction, 3 * ETH, ETH, duration=day),  # 3 ETH falling to 1 ETH in a day
        market_kin.trader(2).list(cheap, 3 * ETH // 2),
    ):
        assert _post(client, valid).status_code == 201
    services.indexer.sync()

    def order(sort: str, **query) -> list[int]:
        response = client.get("/tokens", params={"sort": sort, **query})
        assert response.status_code == 200, response.text
        return [t["token_id"] for t in response.json()["items"]]

    assert order("cheapest") == [cheap, fixed, auction]  # 1.5, 2, 3 ETH
    assert order("dearest") == [auction, fixed, cheap]
    assert kept not in order("cheapest")  # not for sale: no price to sort by
    market_kin.time_travel(day * 9 // 10)  # the auction is down to 1.2 ETH
    assert order("cheapest") == [auction, cheap, fixed]
    first = client.get("/tokens", params={"sort": "cheapest", "limit": 2}).json()
    assert [t["token_id"] for t in first["items"]] == [auction, cheap] and first["next_cursor"] == "2"
    assert order("cheapest", limit=2, cursor=first["next_cursor"]) == [fixed]
    market_kin.time_travel(day)  # the auction has ended: no longer for sale at any price
    assert order("dearest") == [fixed, cheap]
