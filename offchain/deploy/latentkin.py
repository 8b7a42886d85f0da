"""Deploy LatentKin (and on a dev chain the market beside it) and record where
(:class:`offchain.chain.deployment.Deployment`)."""

from __future__ import annotations

from pathlib import Path

from web3 import Web3

from offchain.chain.artifacts import LATENTKIN, load_artifact
from offchain.chain.deployment import Deployment, deployment_path
from offchain.chain.transactions import Sender, send
from offchain.deploy.market import deploy_market


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
    out_dir: Path | None = None,
    market: bool = False,
) -> Deployment:
    """Deploy LatentKin from ``deployer``, configure it, and record it in ``out_dir`` (None: don't).

    The deployer is the initial owner; it grants ``MINTER_ROLE`` to ``minters``, opens the public
    mint if ``public_mint_cap > 0``, sets ``renderer_hash`` if given, and finally hands ownership to
    ``owner`` if that is another address: ownership moves in two steps, so ``owner`` becomes the pending owner
    and takes over when it calls ``acceptOwnership`` (done here when the node manages ``owner``'s key, as on a dev
    chain). With ``market`` it also deploys ConduitController, Seaport 1.6 and WETH9 from their npm packages (for
    dev chains; elsewhere the canonical ones are used) and the collection's LatentKinZone, and records them too.
    A reverted step raises ``TransactionFailedError``.
    """
    artifact = load_artifact(LATENTKIN)
    deployer_address = Web3.to_checksum_address(deployer if isinstance(deployer, str) else deployer.address)
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    receipt = send(w3, deployer, factory.constructor(deployer_address, base_uri, contract_uri, fusion_fee, royalty_bps))
    address = receipt["contractAddress"]
    assert address is not None  # a constructor's receipt names the new contract
    kin = w3.eth.contract(address=address, abi=artifact.abi)

    minter_role = kin.functions.MINTER_ROLE().call()
    for minter in minters:
        send(w3, deployer, kin.functions.grantRole(minter_role, Web3.to_checksum_address(minter)))
    if public_mint_cap or public_mint_price:
        send(w3, deployer, kin.functions.setPublicMint(public_mint_price, public_mint_cap))
    if renderer_hash is not None:
        send(w3, deployer, kin.functions.setRendererHash(renderer_hash))
    if owner is not None and Web3.to_checksum_address(owner) != deployer_address:
        new_owner = Web3.to_checksum_address(owner)
        send(w3, deployer, kin.functions.transferOwnership(new_owner))
        if new_owner in w3.eth.accounts:
            send(w3, new_owner, kin.functions.acceptOwnership())

    deployment = Deployment(
        address,
        w3.eth.chain_id,
        receipt["blockNumber"],
        receipt["transactionHash"].to_0x_hex(),
        market=deploy_market(w3, deployer, address) if market else None,
    )
    if out_dir is not None:
        deployment.write(deployment_path(deployment.chain_id, out_dir))
    return deployment
