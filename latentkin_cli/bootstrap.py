"""Deploying LatentKin the way the service expects it: URIs pointing at the service, sender as minter, and on a
dev chain the market (Seaport 1.6, ConduitController, WETH9) beside it."""

from __future__ import annotations

from web3 import Web3

from offchain.chain.deployment import Deployment
from offchain.chain.transactions import is_dev_chain
from offchain.deploy.latentkin import deploy
from offchain.settings import Settings


def deploy_latentkin(
    w3: Web3,
    sender: str,
    settings: Settings,
    *,
    fusion_fee: int = 0,
    public_mint_price: int = 0,
    public_mint_cap: int = 0,
    renderer_hash: bytes | None = None,
) -> Deployment:
    """Deploy with tokenURI = ``<public_base_url>/tokens/<id>`` and contractURI = ``…/contract``.

    The record goes to ``settings.deployment_file`` if set, else ``deployments_dir/<chainId>.json``.
    """
    base = settings.public_base_url
    out_dir = settings.deployment_file.parent if settings.deployment_file else settings.deployments_dir
    deployment = deploy(
        w3,
        sender,
        base_uri=f"{base}/tokens/",
        contract_uri=f"{base}/contract",
        fusion_fee=fusion_fee,
        minters=(sender,),
        renderer_hash=renderer_hash,
        public_mint_price=public_mint_price,
        public_mint_cap=public_mint_cap,
        out_dir=out_dir,
        market=is_dev_chain(w3),
    )
    if settings.deployment_file is not None:
        deployment.write(settings.deployment_file)
    return deployment
