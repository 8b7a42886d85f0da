"""The contracts' ABI and bytecode as the package ships them: no Node, no Hardhat, no checkout.

``offchain/chain/compiled/<Name>.json`` holds what the service reads and what dev chains deploy:
LatentKin compiled from ``contracts/`` and the market's Seaport 1.6, ConduitController and WETH9 from
their npm packages. They are written at build time by ``python -m offchain.chain.hardhat export``
(``scripts/setup.sh`` runs it) from the list ``offchain.chain.hardhat.EXPORTED``, and a test compiles
the sources again and fails if a shipped file differs (tests/offchain/chain/test_artifacts.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from web3 import Web3
from web3.contract import Contract

from offchain.errors import ContractsBuildError

LATENTKIN = "LatentKin"
ZONE = "LatentKinZone"  # restricted Seaport orders that fill only while the traits are as signed
COMPILED = "compiled"  # the package-data folder beside this module


@dataclass(frozen=True, slots=True)
class Artifact:
    """A compiled contract: its name, ABI, creation bytecode and runtime bytecode (0x-hex)."""

    name: str
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str

    @classmethod
    def from_json(cls, name: str, data: dict[str, Any]) -> Artifact:
        """From a Hardhat/Truffle artifact or a shipped file (``abi``, ``bytecode``, ``deployedBytecode``)."""
        try:
            return cls(name, data["abi"], data["bytecode"], data["deployedBytecode"])
        except (KeyError, TypeError) as exc:
            raise ContractsBuildError(f"artifact of {name!r} is malformed: missing {exc}") from None

    def to_json(self) -> dict[str, Any]:
        """The shipped form."""
        return {
            "contractName": self.name,
            "abi": self.abi,
            "bytecode": self.bytecode,
            "deployedBytecode": self.deployed_bytecode,
        }


def shipped_dir() -> Path:
    """The folder of shipped artifacts inside the installed package."""
    return Path(str(resources.files("offchain.chain") / COMPILED))


def shipped_names() -> list[str]:
    """Names of every shipped contract."""
    return sorted(p.stem for p in shipped_dir().glob("*.json"))


@cache
def load_artifact(name: str, directory: Path | None = None) -> Artifact:
    """ABI and bytecode of contract ``name`` (e.g. ``"LatentKin"``, ``"Seaport"``) from ``directory``
    (default: the shipped ones); :class:`ContractsBuildError` if there is none."""
    path = (directory or shipped_dir()) / f"{name}.json"
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise ContractsBuildError(
            f"no artifact for contract {name!r} in {path.parent} (shipped: {', '.join(shipped_names()) or 'none'})"
        ) from None
    return Artifact.from_json(name, data)


def latentkin_abi() -> list[dict[str, Any]]:
    """The LatentKin ABI: the one ABI loader."""
    return load_artifact(LATENTKIN).abi


def latentkin_at(w3: Web3, address: str) -> Contract:
    """A web3 contract object for the LatentKin at ``address``."""
    return w3.eth.contract(address=Web3.to_checksum_address(address), abi=latentkin_abi())
