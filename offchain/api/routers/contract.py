"""Collection-level metadata (contractURI, ERC-7572)."""

from __future__ import annotations

from fastapi import APIRouter

from offchain.api.deps import ServicesDep
from offchain.api.schemas import ContractMetadata, ErrorBody, TraitValues, WebConfig
from offchain.errors import ChainUnavailableError, DeploymentNotFoundError, MarketNotDeployedError
from offchain.token.metadata import TraitTable, token_image_url, trait_values

router = APIRouter(tags=["contract"])


@router.get("/contract", response_model=ContractMetadata)
def contract(services: ServicesDep) -> ContractMetadata:
    """What contractURI points at; served even while the chain is down."""
    base = services.settings.public_base_url
    try:
        deployment = services.chain.deployment
        address, chain_id = deployment.address, deployment.chain_id
    except (ChainUnavailableError, DeploymentNotFoundError):
        address, chain_id = None, None
    return ContractMetadata(
        name="latentkin",
        symbol="LKIN",
        description="Characters that live on Ethereum as a 320-bit genome, fuse on chain into "
        "children that inherit their traits, and are drawn by a generative model.",
        image=token_image_url(base, 1, max(services.image_sizes())),  # the largest the active renderer serves
        external_link=f"{base}/",
        address=address,
        chain_id=chain_id,
    )


CHAIN_NAMES = {1: "Ethereum", 11155111: "Sepolia", 31337: "Hardhat (local)"}


@router.get("/config.json", response_model=WebConfig, responses={503: {"model": ErrorBody}})
def web_config(services: ServicesDep) -> WebConfig:
    """Which chain and contract the web page's wallet should talk to."""
    deployment = services.chain.deployment
    try:
        market = services.market.addresses
    except MarketNotDeployedError:
        market = None
    return WebConfig(
        chainId=deployment.chain_id,
        address=deployment.address,
        chainName=CHAIN_NAMES.get(deployment.chain_id, f"chain {deployment.chain_id}"),
        rpcUrl=services.settings.public_rpc_url,
        imageSizes=services.image_sizes(),
        seaport=market.seaport if market else None,
        weth=market.weth if market else None,
        zone=market.zone if market else None,
        traits=trait_vocabulary(services.table),
    )


def trait_vocabulary(table: TraitTable) -> list[TraitValues]:
    """Each trait's name and its distinct values, in nibble order."""
    return [TraitValues(name=name, values=trait_values(table, i)) for i, name in enumerate(table.trait_names)]
