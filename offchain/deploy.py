"""Deploy LatentKin and record where: ``deployments/<chainId>.json``.

The record is ``{"address", "txHash", "block", "chainId", "contract"}``; the service and the
indexer find the contract through it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract

from offchain.contracts import REPO_ROOT, load_artifact
from offchain.errors import DeploymentError

CONTRACT_NAME = "LatentKin"
DEPLOYMENTS_DIR = REPO_ROOT / "deployments"

Sender = str | LocalAccount


@dataclass(frozen=True, slots=True)
class Deployment:
    """Where a LatentKin contract lives: address, deploying transaction, its block and the chain id."""

    address: str
    tx_hash: str
    block: int
    chain_id: int
    contract: str = CONTRACT_NAME

    def to_json(self) -> dict[str, Any]:
        """The ``deployments/<chainId>.json`` form."""
        return {"address": self.address, "txHash": self.tx_hash, "block": self.block,
                "chainId": self.chain_id, "contract": self.contract}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Deployment:
        """Inverse of :meth:`to_json`; raises :class:`DeploymentError` if a field is missing or malformed."""
        try:
            return cls(Web3.to_checksum_address(data["address"]), str(data["txHash"]), int(data["block"]),
                       int(data["chainId"]), str(data.get("contract", CONTRACT_NAME)))
        except (KeyError, TypeError, ValueError) as exc:
            raise DeploymentError(f"malformed deployment record: {exc}") from exc


def deployment_path(chain_id: int, out_dir: Path = DEPLOYMENTS_DIR) -> Path:
    """``<out_dir>/<chainId>.json``."""
    return Path(out_dir) / f"{int(chain_id)}.json"


def write_deployment(deployment: Deployment, out_dir: Path = DEPLOYMENTS_DIR) -> Path:
    """Write the record of ``deployment`` and return its path."""
    path = deployment_path(deployment.chain_id, out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(deployment.to_json(), indent=2) + "\n")
    return path


def read_deployment(chain_id: int, out_dir: Path = DEPLOYMENTS_DIR) -> Deployment:
    """The recorded deployment on ``chain_id``; :class:`DeploymentError` if there is none."""
    path = deployment_path(chain_id, out_dir)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise DeploymentError(f"no deployment recorded for chain {chain_id} ({path})") from None
    except json.JSONDecodeError as exc:
        raise DeploymentError(f"{path} is not valid JSON: {exc}") from exc
    return Deployment.from_json(data)


def latentkin_at(w3: Web3, address: str) -> Contract:
    """A web3 contract object for the LatentKin at ``address``."""
    return w3.eth.contract(address=Web3.to_checksum_address(address), abi=load_artifact(CONTRACT_NAME).abi)


def send(w3: Web3, sender: Sender, call: Any, *, value: int = 0, gas: int | None = None) -> dict:
    """Send a contract call or constructor from ``sender`` and wait for it; return the receipt.

    ``sender`` is an address the node holds the key of (eth-tester, ``hardhat node``) or a local
    account that signs here. Raises :class:`DeploymentError` if the transaction reverts.
    """
    address = sender.address if isinstance(sender, LocalAccount) else Web3.to_checksum_address(sender)
    params: dict[str, Any] = {"from": address, "value": value}
    if gas is not None:
        params["gas"] = gas
    if isinstance(sender, LocalAccount):
        params["nonce"] = w3.eth.get_transaction_count(address, "pending")
        tx = call.build_transaction(params)
        tx_hash = w3.eth.send_raw_transaction(sender.sign_transaction(tx).raw_transaction)
    else:
        tx_hash = call.transact(params)
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash)
    if receipt["status"] != 1:
        raise DeploymentError(f"transaction {tx_hash.hex()} reverted")
    return receipt


def deploy(
    w3: Web3,
    deployer: Sender,
    *,
    owner: str | None = None,
    base_uri: str = "",
    contract_uri: str = "",
    fusion_fee: int = 0,
    royalty_bps: int = 500,
    minters: tuple[str, ...] | list[str] = (),
    public_mint_price: int = 0,
    public_mint_cap: int = 0,
    renderer_hash: bytes | None = None,
    out_dir: Path | None = DEPLOYMENTS_DIR,
) -> Deployment:
    """Deploy LatentKin from ``deployer``, configure it, and record it in ``out_dir`` (None: don't).

    The deployer is the initial owner; it grants ``MINTER_ROLE`` to ``minters``, opens the public
    mint if ``public_mint_cap > 0``, sets ``renderer_hash`` if given, and finally hands ownership to
    ``owner`` if that is another address.
    """
    artifact = load_artifact(CONTRACT_NAME)
    deployer_address = deployer.address if isinstance(deployer, LocalAccount) else Web3.to_checksum_address(deployer)
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    receipt = send(w3, deployer, factory.constructor(deployer_address, base_uri, contract_uri, fusion_fee, royalty_bps))
    address = receipt["contractAddress"]
    kin = w3.eth.contract(address=address, abi=artifact.abi)

    minter_role = kin.functions.MINTER_ROLE().call()
    for minter in minters:
        send(w3, deployer, kin.functions.grantRole(minter_role, Web3.to_checksum_address(minter)))
    if public_mint_cap or public_mint_price:
        send(w3, deployer, kin.functions.setPublicMint(public_mint_price, public_mint_cap))
    if renderer_hash is not None:
        send(w3, deployer, kin.functions.setRendererHash(renderer_hash))
    if owner is not None and Web3.to_checksum_address(owner) != deployer_address:
        send(w3, deployer, kin.functions.transferOwnership(Web3.to_checksum_address(owner)))

    deployment = Deployment(address, receipt["transactionHash"].to_0x_hex(), receipt["blockNumber"], w3.eth.chain_id)
    if out_dir is not None:
        write_deployment(deployment, out_dir)
    return deployment
