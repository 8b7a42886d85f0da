"""Sales the indexer reads from the chain at uint256 extremes: anyone can sell a latentkin token on Seaport for
2^250 units of a token of their own making, or for items summing past 2^256-1. The index records what makes
sense and keeps going (royaltyInfo's overflow panic on such a price used to stop the indexer at that block for
good), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web3 import Web3

from offchain.api.main import create_app
from offchain.chain.transactions import send
from offchain.market import build
from offchain.market.order import (
    UINT256_MAX,
    ZERO_BYTES32,
    ConsiderationItem,
    ItemType,
    as_tuple,
    sign_order,
)
from support.renderers import PixelRenderer
from support.service import service_settings

SELLER, BUYER = 2, 3
# A contract that answers every call with 32 bytes of 1 (`true`): an "ERC-20" whose transferFrom always succeeds.
ANY_TRUE_RUNTIME = bytes.fromhex("600160005260206000f3")
ANY_TRUE_INIT = bytes.fromhex("600a600c600039600a6000f3") + ANY_TRUE_RUNTIME


@pytest.fixture(params=["sqlite", "postgresql"])
def served(market_kin, tmp_path, request):
    overrides = {}
    if request.param == "postgresql":
        overrides["database_url"] = request.getfixturevalue("postgres_url")
    app = create_app(service_settings(tmp_path, market_kin, **overrides), w3=market_kin.w3, renderer=PixelRenderer())
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, app.state.services


def _fake_token(market_kin) -> str:
    receipt = send(
        market_kin.w3, market_kin.accounts[0], market_kin.w3.eth.contract(abi=[], bytecode=ANY_TRUE_INIT).constructor()
    )
    return Web3.to_checksum_address(receipt["contractAddress"])


def _sell_for(market_kin, token: int, currency: str, amounts: list[int]) -> None:
    """The seller lists ``token`` for ``amounts`` of ``currency`` (each paid to the seller), the buyer fills it."""
    seller = market_kin.trader(SELLER)
    seller.approve_collection()
    now = market_kin.market.now()
    params = build.listing(
        seller=seller.address,
        collection=market_kin.kin.address,
        token_id=token,
        start_price=amounts[0],
        end_price=amounts[0],
        royalty=build.Royalty(seller.address, 0, 0),
        start_time=now - 1,
        end_time=now + 3600,
        counter=market_kin.market.counter(seller.address),
        currency=currency,
    )
    items = [
        ConsiderationItem(
            item_type=ItemType.ERC20,
            token=currency,
            identifier_or_criteria=0,
            start_amount=a,
            end_amount=a,
            recipient=seller.address,
        )
        for a in amounts
    ]
    params = params.model_copy(update={"consideration": items, "total_original_consideration_items": len(items)})
    order = sign_order(
        params, market_kin.keys[SELLER], market_kin.reader.chain_id(), market_kin.market.addresses.seaport
    )
    send(
        market_kin.w3,
        market_kin.keys[BUYER],
        market_kin.market.seaport.functions.fulfillOrder(as_tuple(order), ZERO_BYTES32),
    )
    assert market_kin.market.owner_of(token) == market_kin.accounts[BUYER]


@pytest.mark.parametrize(("amounts", "recorded"), [([2**250], str(2**250)), ([UINT256_MAX, UINT256_MAX], None)])
def test_a_sale_at_an_absurd_price_does_not_stop_the_index(market_kin, served, amounts, recorded):
    client, services = served
    services.indexer.sync()
    sold = market_kin.mint(SELLER)
    _sell_for(market_kin, sold, _fake_token(market_kin), amounts)
    later = market_kin.mint(SELLER, seed=1)
    services.indexer.sync()
    assert services.indexer.status.cursor == market_kin.w3.eth.block_number  # read past the sale
    assert client.get(f"/tokens/{later}").status_code == 200
    assert client.get(f"/tokens/{sold}").json()["owner"] == market_kin.accounts[BUYER]
    sales = client.get(f"/tokens/{sold}/sales")
    assert sales.status_code == 200
    assert [s["price"] for s in sales.json()["items"]] == ([recorded] if recorded else [])
