"""Issue 23: on a chain whose deployment record names no zone (any chain but a dev chain ``latentkin deploy``
deployed the market on), ``LATENTKIN_ZONE_ADDRESS`` names it, so the page, the CLI and the API still make
protected orders there, and the page's /config.json carries it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from offchain.api.main import create_app
from offchain.api.services import market_of
from offchain.chain.deployment import deployment_path
from offchain.chain.reader import ChainReader
from offchain.market.trader import Trader
from offchain.settings import Settings

ETH = 10**18


def _settings(tmp_path, deployments_dir, **overrides) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'index.sqlite3'}",
        cache_dir=tmp_path / "cache",
        deployments_dir=deployments_dir,
        web_dir=tmp_path / "no-web",
        confirmations=0,
        index_in_service=False,
        indexer_stale_after=3600,
        **overrides,
    )


def test_the_zone_setting_protects_orders_where_no_deployment_records_the_zone(market_kin, tmp_path, renderer):
    recorded = market_kin.deployment.market
    assert recorded is not None and recorded.zone is not None
    bare = tmp_path / "deployments"  # the record of a deployment made without the market: no Seaport, no zone
    replace(market_kin.deployment, market=None).write(deployment_path(market_kin.deployment.chain_id, bare))
    addresses = {
        "seaport_address": recorded.seaport,
        "conduit_controller_address": recorded.conduit_controller,  # a Seaport comes with its own controller
        "weth_address": recorded.weth,
    }

    unprotected = market_of(_settings(tmp_path, bare, **addresses), ChainReader(market_kin.w3, deployments_dir=bare))
    assert unprotected.addresses.zone is None  # without the setting: open orders, which the book refuses

    settings = _settings(tmp_path, bare, zone_address=recorded.zone.lower(), **addresses)
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
        _settings(tmp_path, tmp_path, zone_address="0x1234")
