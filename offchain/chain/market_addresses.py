"""Where the market's contracts live: recorded by ``deploy`` on a dev chain, canonical elsewhere.

Seaport 1.6 and its ConduitController have the same address on every chain they are deployed on
(``CROSS_CHAIN_SEAPORT_V1_6_ADDRESS`` in seaport-js); WETH differs per chain. A Seaport other than the canonical
one comes with its own ConduitController (a Seaport is deployed with one and asks only it for conduits): the
two are configured together, and a mismatched pair is refused (MarketConfigError). The LatentKinZone (restricted orders
that fill only while the character's traits are as signed) is deployed beside the collection: recorded by
``deploy`` on a dev chain, given by settings elsewhere (None: orders are made unprotected).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web3 import Web3

from offchain.errors import MarketConfigError

SEAPORT_V1_6 = "0x0000000000000068F116a894984e2DB1123eB395"
CONDUIT_CONTROLLER = "0x00000000F9490004C11Cef243f5400493c00Ad63"
WETH_BY_CHAIN = {
    1: "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2",  # Ethereum
    11155111: "0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14",  # Sepolia
    10: "0x4200000000000000000000000000000000000006",  # OP Mainnet
    8453: "0x4200000000000000000000000000000000000006",  # Base
}


@dataclass(frozen=True, slots=True)
class MarketAddresses:
    """Seaport, its ConduitController, the WETH that offers are made in and the collection's zone, on one chain."""

    seaport: str
    conduit_controller: str
    weth: str
    zone: str | None = None  # the LatentKinZone that protected orders name

    def to_json(self) -> dict[str, str]:
        """The keys this adds to ``deployments/<chainId>.json``."""
        return {
            "seaport": self.seaport,
            "conduitController": self.conduit_controller,
            "weth": self.weth,
            **({"zone": self.zone} if self.zone else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MarketAddresses | None:
        """The market recorded in a deployment record, None if it records none."""
        if not data.get("seaport"):
            return None
        seaport, controller, weth = (
            Web3.to_checksum_address(data[k]) for k in ("seaport", "conduitController", "weth")
        )
        return cls(seaport, controller, weth, Web3.to_checksum_address(data["zone"]) if data.get("zone") else None)


def canonical_market(
    chain_id: int,
    seaport: str | None = None,
    weth: str | None = None,
    zone: str | None = None,
    conduit_controller: str | None = None,
) -> MarketAddresses | None:
    """The canonical market of ``chain_id`` (``seaport``/``conduit_controller``/``weth``/``zone`` override), None
    where no WETH is known. MarketConfigError when ``seaport`` and ``conduit_controller`` do not make a pair: a
    Seaport other than the canonical one without its controller, or the canonical one with another controller."""
    seaport = Web3.to_checksum_address(seaport or SEAPORT_V1_6)
    canonical = seaport == Web3.to_checksum_address(SEAPORT_V1_6)
    if conduit_controller is None and not canonical:
        raise MarketConfigError(
            f"LATENTKIN_SEAPORT_ADDRESS names a Seaport ({seaport}) other than the canonical Seaport 1.6 "
            f"({SEAPORT_V1_6}): set LATENTKIN_CONDUIT_CONTROLLER_ADDRESS to the ConduitController it was deployed "
            f"with (the canonical controller, {CONDUIT_CONTROLLER}, serves the canonical Seaport only)"
        )
    controller = Web3.to_checksum_address(conduit_controller or CONDUIT_CONTROLLER)
    if canonical and controller != Web3.to_checksum_address(CONDUIT_CONTROLLER):
        raise MarketConfigError(
            f"LATENTKIN_CONDUIT_CONTROLLER_ADDRESS ({controller}) is not the canonical Seaport 1.6's "
            f"ConduitController ({CONDUIT_CONTROLLER}): set LATENTKIN_SEAPORT_ADDRESS to the Seaport deployed with "
            "it, or drop the setting"
        )
    weth = weth or WETH_BY_CHAIN.get(int(chain_id))
    if weth is None:
        return None
    return MarketAddresses(
        seaport, controller, Web3.to_checksum_address(weth), Web3.to_checksum_address(zone) if zone else None
    )
