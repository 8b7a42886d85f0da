"""Deploy the market on a dev chain from the shipped artifacts: ConduitController, then Seaport 1.6 (whose
constructor takes the controller's address), then WETH9; then, for a collection, its LatentKinZone (restricted
orders that fill only while the characters' traits are as signed)."""

from __future__ import annotations

from typing import Any

from web3 import Web3

from offchain.chain.artifacts import ZONE, load_artifact
from offchain.chain.market_addresses import MarketAddresses
from offchain.chain.transactions import Sender, send


def _deploy(w3: Web3, deployer: Sender, name: str, *args: Any) -> str:
    artifact = load_artifact(name)
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    address = send(w3, deployer, factory.constructor(*args))["contractAddress"]
    assert address is not None  # a constructor's receipt names the new contract
    return Web3.to_checksum_address(address)


def deploy_zone(w3: Web3, deployer: Sender, collection: str) -> str:
    """Deploy a LatentKinZone over ``collection`` from ``deployer``; its address."""
    return _deploy(w3, deployer, ZONE, Web3.to_checksum_address(collection))


def deploy_market(w3: Web3, deployer: Sender, collection: str | None = None) -> MarketAddresses:
    """Deploy ConduitController, Seaport and WETH9 from ``deployer``, and the zone of ``collection`` if given;
    their addresses."""
    controller = _deploy(w3, deployer, "ConduitController")
    seaport = _deploy(w3, deployer, "Seaport", controller)
    weth = _deploy(w3, deployer, "WETH9")
    zone = deploy_zone(w3, deployer, collection) if collection else None
    return MarketAddresses(seaport, controller, weth, zone)
