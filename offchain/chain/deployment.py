"""The one deployment record: where LatentKin lives, as ``deployments/<chainId>.json``.

``{"address", "txHash", "block", "chainId", "contract"}``, plus ``"seaport", "conduitController", "weth"`` and
``"zone"`` (the collection's LatentKinZone) where ``deploy`` also deployed the market (dev chains); written by
``deploy`` and read by the chain reader,
the indexer, the command line and the tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from web3 import Web3

from offchain.chain.market_addresses import MarketAddresses
from offchain.errors import DeploymentNotFoundError

CONTRACT_NAME = "LatentKin"


@dataclass(frozen=True, slots=True)
class Deployment:
    """Where a LatentKin contract lives: address, chain id, deployment block and transaction."""

    address: str
    chain_id: int
    block: int = 0
    tx_hash: str = ""
    contract: str = CONTRACT_NAME
    market: MarketAddresses | None = None  # Seaport, ConduitController, WETH, LatentKinZone deployed beside it

    def to_json(self) -> dict[str, Any]:
        """The ``deployments/<chainId>.json`` form."""
        return {
            "address": self.address,
            "txHash": self.tx_hash,
            "block": self.block,
            "chainId": self.chain_id,
            "contract": self.contract,
            **(self.market.to_json() if self.market else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Deployment:
        """Inverse of :meth:`to_json`; :class:`DeploymentNotFoundError` if a field is missing or malformed."""
        try:
            return cls(
                Web3.to_checksum_address(data["address"]),
                int(data["chainId"]),
                int(data.get("block", 0)),
                str(data.get("txHash", "")),
                str(data.get("contract", CONTRACT_NAME)),
                MarketAddresses.from_json(data),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DeploymentNotFoundError(f"malformed deployment record: {exc!r}") from exc

    @classmethod
    def read(cls, path: str | Path) -> Deployment:
        """The record in file ``path``; :class:`DeploymentNotFoundError` if missing or malformed."""
        path = Path(path)
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            raise DeploymentNotFoundError(f"no deployment recorded at {path}") from None
        except OSError as exc:
            raise DeploymentNotFoundError(f"cannot read deployment record {path}: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise DeploymentNotFoundError(f"{path} is not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise DeploymentNotFoundError(f"malformed deployment record in {path}")
        return cls.from_json(data)

    def write(self, path: str | Path) -> Path:
        """Write this record to file ``path`` (folders created); returns the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n")
        return path


def deployment_path(chain_id: int, out_dir: str | Path) -> Path:
    """``<out_dir>/<chainId>.json``."""
    return Path(out_dir) / f"{int(chain_id)}.json"
