"""The order hash and signature in Python are Seaport's: checked against ``getOrderHash`` on the real Seaport 1.6
bytecode, and against its own signature check (a fill succeeds only if Seaport accepts the signature)."""

from __future__ import annotations

import random

import pytest

from offchain.market import build
from offchain.market.order import SignedOrder, as_tuple, current_amount, sign_order
from offchain.market.order_digest import order_hash, order_signer
from support.market import ETH


def _components(order: SignedOrder) -> tuple:
    parameters, _ = as_tuple(order)
    return parameters[:10] + (order.parameters.counter,)


@pytest.mark.parametrize("seed", range(4))
def test_order_hash_is_seaports_get_order_hash(market_kin, seed):
    rng = random.Random(seed)
    seller, buyer = market_kin.accounts[2], market_kin.accounts[3]
    royalty = build.Royalty(market_kin.accounts[0], rng.randrange(10**15), rng.randrange(10**15))
    common = dict(
        collection=market_kin.kin.address,
        token_id=rng.randrange(1, 2**32),
        start_time=rng.randrange(2**40),
        end_time=2**41 + rng.randrange(2**40),
        counter=rng.randrange(2**64),
        salt=rng.randrange(2**256),
    )
    for params in (
        build.listing(seller=seller, start_price=ETH, end_price=ETH // rng.randrange(2, 9), royalty=royalty, **common),
        build.offer(buyer=buyer, price=ETH, weth=market_kin.market.addresses.weth, royalty=royalty, **common),
    ):
        order = SignedOrder(parameters=params, signature="0x" + "00" * 65)
        assert order_hash(params) == bytes(market_kin.market.seaport.functions.getOrderHash(_components(order)).call())


def test_signature_recovers_the_offerer_in_both_forms(market_kin):
    seaport, chain_id = market_kin.market.addresses.seaport, market_kin.w3.eth.chain_id
    key = market_kin.keys[2]
    params = build.listing(
        seller=key.address,
        collection=market_kin.kin.address,
        token_id=1,
        start_price=ETH,
        end_price=ETH,
        royalty=build.Royalty(market_kin.accounts[0], 0, 0),
        start_time=0,
        end_time=2**40,
        counter=0,
        salt=7,
    )
    order = sign_order(params, key, chain_id, seaport)
    assert order_signer(order, chain_id, seaport) == key.address
    signature = bytes.fromhex(order.signature[2:])
    r, s, v = signature[:32], int.from_bytes(signature[32:64], "big"), signature[64]
    compact = SignedOrder(parameters=params, signature="0x" + (r + ((v - 27) << 255 | s).to_bytes(32, "big")).hex())
    assert order_signer(compact, chain_id, seaport) == key.address  # EIP-2098
    assert order_signer(order, chain_id + 1, seaport) != key.address  # another chain's domain
    assert order_signer(order, chain_id, market_kin.kin.address) != key.address  # another verifying contract


@pytest.mark.parametrize(
    "start,end,now,up,expected",
    [
        (100, 100, 50, True, 100),
        (100, 0, 0, True, 100),
        (100, 0, 100, True, 0),
        (100, 0, 33, True, 67),
        (100, 0, 33, False, 67),
        (10, 0, 33, True, 7),
        (10, 0, 33, False, 6),
    ],
)
def test_current_amount_interpolates_like_seaport(start, end, now, up, expected):
    assert current_amount(start, end, 0, 100, now, round_up=up) == expected
