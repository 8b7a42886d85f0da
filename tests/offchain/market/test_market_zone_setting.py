"""Issue 23: on a chain whose deployment record names no zone (any chain but a dev chain ``latentkin deploy``
deployed the market on), ``LATENTKIN_ZONE_ADDRESS`` names it, so the page, the CLI and the API still make
protected orders there, and the page's /config.json carries it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from offchain.api.main import create_app
from offchain.api.services import market_of
from offchain.chain.reader import ChainReader
from offchain.market.trader import Trader
from support.market import ETH, record_without_market, service_settings


def test_the_zone_setting_protects_orders_where_no_deployment_records_the_zone(market_kin, tmp_path, renderer):
    recorded = market_kin.deployment.market
    assert recorded is not None and recorded.zone is not None
    bare = record_without_market(market_kin, tmp_path)  # a deployment made without the market: no Seaport, no zone
    addresses = {
        "seaport_address": recorded.seaport,
        "conduit_controller_address": recorded.conduit_controller,  # a Seaport comes with its own controller
        "weth_address": recorded.weth,
    }

    unprotected = market_of(
        service_settings(tmp_path, bare, **addresses), ChainReader(market_kin.w3, deployments_dir=bare)
    )
    assert unprotected.addresses.zone is None  # without the setting: open orders, which the book refuses

    settings = service_settings(tmp_path, bare, zone_address=recorded.zone.lower(), **addresses)
    market = market_of(settings, ChainReader(market_kin.w3, deployments_dir=bare))
    assert market.addresses.zone == recorded.zone
    token = market_kin.mint(2)
    listing = Trader(market, market_kin.keys[2]).list(token, ETH)
    assert listing.order.parameters.zone == recorded.zone and int(listing.order.parameters.order_type) >= 2

    app = create_app(settings, w3=market_kin.w3, renderer=renderer)
    with TestClient(app) as client:
        assert client.get("/config.json").json()["zone"] == recorded.zone


def test_a_zone_setting_that_is_no_address_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="zone_address"):
        service_settings(tmp_path, tmp_path, zone_address="0x1234")
