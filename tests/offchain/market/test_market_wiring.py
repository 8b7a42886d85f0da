"""Issue 23's leftovers on the market's configuration: a configured Seaport comes with the ConduitController it
was deployed with (never the canonical controller beside another Seaport), and the configured zone must be this
collection's; both are refused with an error naming the two addresses, before the service starts serving."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from offchain.api.main import create_app
from offchain.api.services import market_of
from offchain.chain.market_addresses import CONDUIT_CONTROLLER, SEAPORT_V1_6, canonical_market
from offchain.chain.reader import ChainReader
from offchain.chain.transactions import send
from offchain.deploy.market import _deploy, deploy_zone
from offchain.errors import MarketConfigError
from support.market import record_without_market, service_settings

OTHER_SEAPORT = "0x" + "5e" * 20
OTHER_CONTROLLER = "0x" + "c0" * 20
MAINNET = 1


def test_the_canonical_seaport_comes_with_the_canonical_controller():
    market = canonical_market(MAINNET)
    assert (market.seaport, market.conduit_controller) == (SEAPORT_V1_6, CONDUIT_CONTROLLER)


def test_another_seaport_without_its_controller_is_refused_naming_both():
    with pytest.raises(MarketConfigError, match="LATENTKIN_CONDUIT_CONTROLLER_ADDRESS") as refused:
        canonical_market(MAINNET, seaport=OTHER_SEAPORT)
    assert OTHER_SEAPORT.lower() in str(refused.value).lower() and SEAPORT_V1_6 in str(refused.value)


def test_another_seaport_takes_the_configured_controller():
    market = canonical_market(MAINNET, seaport=OTHER_SEAPORT, conduit_controller=OTHER_CONTROLLER)
    assert (market.seaport.lower(), market.conduit_controller.lower()) == (OTHER_SEAPORT, OTHER_CONTROLLER)


def test_the_canonical_seaport_with_another_controller_is_refused():
    with pytest.raises(MarketConfigError, match="not the canonical Seaport 1.6's ConduitController"):
        canonical_market(MAINNET, conduit_controller=OTHER_CONTROLLER)


def test_a_configured_seaport_is_paired_with_its_own_controller_on_chain(market_kin, tmp_path):
    recorded = market_kin.deployment.market
    bare = record_without_market(market_kin, tmp_path)
    settings = service_settings(
        tmp_path,
        bare,
        seaport_address=recorded.seaport,
        conduit_controller_address=recorded.conduit_controller,
        weth_address=recorded.weth,
    )
    market = market_of(settings, ChainReader(market_kin.w3, deployments_dir=bare))
    assert market.addresses.conduit_controller == recorded.conduit_controller  # was the canonical one
    market.check_wiring()
    owner = market_kin.accounts[0]
    key = bytes.fromhex(owner[2:]) + b"\x00" * 11 + b"\x01"  # a conduit key starts with its creator's address
    send(market_kin.w3, owner, market.conduit_controller.functions.createConduit(key, owner))
    conduit = market.conduit_controller.functions.getConduit(key).call()[0]
    assert market.operator("0x" + key.hex()) == conduit  # asked of the Seaport's own controller


def test_a_controller_the_seaport_was_not_deployed_with_is_refused_at_start(market_kin, tmp_path, renderer):
    recorded = market_kin.deployment.market
    stranger = _deploy(market_kin.w3, market_kin.keys[0], "ConduitController")
    bare = record_without_market(market_kin, tmp_path)
    settings = service_settings(
        tmp_path,
        bare,
        seaport_address=recorded.seaport,
        conduit_controller_address=stranger,
        weth_address=recorded.weth,
    )
    app = create_app(settings, w3=market_kin.w3, renderer=renderer)
    with pytest.raises(MarketConfigError) as refused, TestClient(app):
        pass
    assert stranger in str(refused.value) and recorded.conduit_controller in str(refused.value)


def test_a_zone_of_another_collection_is_refused_at_start_naming_both(market_kin, tmp_path, renderer):
    recorded = market_kin.deployment.market
    other_collection = recorded.weth  # any address that is not this collection
    foreign_zone = deploy_zone(market_kin.w3, market_kin.keys[0], other_collection)
    bare = record_without_market(market_kin, tmp_path)
    addresses = {
        "seaport_address": recorded.seaport,
        "conduit_controller_address": recorded.conduit_controller,
        "weth_address": recorded.weth,
    }
    app = create_app(
        service_settings(tmp_path, bare, zone_address=foreign_zone, **addresses), w3=market_kin.w3, renderer=renderer
    )
    with pytest.raises(MarketConfigError, match="protects the collection") as refused, TestClient(app):
        pass
    message = str(refused.value)
    assert foreign_zone in message and other_collection in message and market_kin.kin.address in message

    not_a_zone = recorded.weth
    app = create_app(
        service_settings(tmp_path, bare, zone_address=not_a_zone, **addresses), w3=market_kin.w3, renderer=renderer
    )
    with pytest.raises(MarketConfigError, match="is no LatentKinZone"), TestClient(app):
        pass

    app = create_app(
        service_settings(tmp_path, bare, zone_address=recorded.zone, **addresses), w3=market_kin.w3, renderer=renderer
    )
    with TestClient(app) as client:  # this collection's zone: the service starts
        assert client.get("/config.json").json()["zone"] == recorded.zone
