"""Checking an order costs the node one round trip, one multicall ``eth_call`` however many reads it needs, and a
burst of orders no more than one each: on a real `hardhat node` behind a counting proxy, through a real uvicorn
(issue 25, item 5: ten sequential reads per order, each its own HTTP request, capped bursts at 8 orders/s)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import select

from offchain.api.main import create_app
from offchain.market.trader import Trader
from offchain.market.validation import validate_order
from offchain.store.models import MarketOrder
from support.chain import node_deployment
from support.net import free_port
from support.rpc_counter import counting_proxy
from support.service import running

ORDERS = 12
PRICE = 10**15


def test_an_order_costs_the_node_one_round_trip_and_a_burst_one_per_order_at_most(tmp_path, renderer):
    with (
        node_deployment(tmp_path, bytes(renderer.renderer_hash()), founders=ORDERS, market=True) as chain,
        counting_proxy(chain.node.url) as counter,
    ):
        app = create_app(chain.settings(tmp_path, rpc_url=counter.url), renderer=renderer)
        market = app.state.services.market
        seller = Trader(market, chain.actor.w3.eth.accounts[0])
        orders = [seller.list(token, PRICE, salt=1).order for token in range(1, ORDERS + 1)]

        counter.reset()
        validate_order(orders[0], market)
        assert (counter.round_trips, dict(counter.methods)) == (1, {"eth_call": 1})

        with running(app, free_port()) as url, httpx.Client(base_url=url, timeout=60) as client:
            counter.reset()
            assert client.post("/orders", json=orders[0].to_json()).status_code == 201
            assert (counter.round_trips, dict(counter.methods)) == (1, {"eth_call": 1})  # block and time included

            counter.reset()
            with ThreadPoolExecutor(ORDERS) as pool:
                answers = list(pool.map(lambda o: client.post("/orders", json=o.to_json()), orders[1:]))
            assert [a.status_code for a in answers] == [201] * (ORDERS - 1), [a.text for a in answers][:2]
            assert counter.round_trips == counter.methods["eth_call"] <= ORDERS - 1
        with app.state.services.sessions() as session:  # stored at the block they were checked at
            assert set(session.scalars(select(MarketOrder.created_block))) == {chain.actor.w3.eth.block_number}
