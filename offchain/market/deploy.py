"""Deploy the market on a dev chain: ConduitController, then Seaport 1.6 (whose constructor takes the controller's
address), then WETH9, all from their packaged artifacts; then, for a collection, the LatentKinZone compiled from
``contracts/`` (restricted orders that fill only while the characters' traits are as signed)."""

from __future__ import annotations

from web3 import Web3

from offchain.actions import Sender, send
from offchain.contracts import Artifact, load_artifact
from offchain.market.addresses import MarketAddresses
from offchain.market.artifacts import packaged_artifact

ZONE = "LatentKinZone"


def _deploy(w3: Web3, deployer: Sender, artifact: Artifact, *args) -> str:
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    return Web3.to_checksum_address(send(w3, deployer, factory.constructor(*args))["contractAddress"])


def deploy_zone(w3: Web3, deployer: Sender, collection: str) -> str:
    """Deploy a LatentKinZone over ``collection`` from ``deployer``; its address."""
    return _deploy(w3, deployer, load_artifact(ZONE), Web3.to_checksum_address(collection))


def deploy_market(w3: Web3, deployer: Sender, collection: str | None = None) -> MarketAddresses:
    """Deploy ConduitController, Seaport and WETH9 from ``deployer``, and the zone of ``collection`` if given;
    their addresses."""
    controller = _deploy(w3, deployer, packaged_artifact("ConduitController"))
    seaport = _deploy(w3, deployer, packaged_artifact("Seaport"), controller)
    weth = _deploy(w3, deployer, packaged_artifact("WETH9"))
    zone = deploy_zone(w3, deployer, collection) if collection else None
    return MarketAddresses(seaport, controller, weth, zone)
