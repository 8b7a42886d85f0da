"""ERC-165 interface ids, each computed from its standard's function signatures (XOR of the selectors)."""

from functools import reduce

from eth_utils import function_signature_to_4byte_selector


def interface_id(*signatures: str) -> bytes:
    """The ERC-165 id of an interface with these function signatures: the XOR of their 4-byte selectors."""
    selectors = (int.from_bytes(function_signature_to_4byte_selector(s), "big") for s in signatures)
    return reduce(lambda a, b: a ^ b, selectors, 0).to_bytes(4, "big")


ERC165 = interface_id("supportsInterface(bytes4)")
ERC721 = interface_id(
    "balanceOf(address)",
    "ownerOf(uint256)",
    "safeTransferFrom(address,address,uint256,bytes)",
    "safeTransferFrom(address,address,uint256)",
    "transferFrom(address,address,uint256)",
    "approve(address,uint256)",
    "setApprovalForAll(address,bool)",
    "getApproved(uint256)",
    "isApprovedForAll(address,address)",
)
ERC721_METADATA = interface_id("name()", "symbol()", "tokenURI(uint256)")
ERC721_ENUMERABLE = interface_id("totalSupply()", "tokenOfOwnerByIndex(address,uint256)", "tokenByIndex(uint256)")
ERC2981 = interface_id("royaltyInfo(uint256,uint256)")
ACCESS_CONTROL = interface_id(
    "hasRole(bytes32,address)",
    "getRoleAdmin(bytes32)",
    "grantRole(bytes32,address)",
    "revokeRole(bytes32,address)",
    "renounceRole(bytes32,address)",
)
# ERC-4906 declares only events, so its id cannot be computed from functions: the EIP fixes it.
ERC4906 = bytes.fromhex("49064906")
ERC7496 = interface_id(
    "getTraitValue(uint256,bytes32)",
    "getTraitValues(uint256,bytes32[])",
    "getTraitMetadataURI()",
    "setTrait(uint256,bytes32,bytes32)",
)
_ZONE_PARAMETERS = (
    "(bytes32,address,address,(uint8,address,uint256,uint256)[],"
    "(uint8,address,uint256,uint256,address)[],bytes,bytes32[],uint256,uint256,bytes32)"
)
SEAPORT_ZONE = interface_id(  # Seaport 1.6's ZoneInterface (seaport-types)
    f"authorizeOrder({_ZONE_PARAMETERS})",
    f"validateOrder({_ZONE_PARAMETERS})",
    "getSeaportMetadata()",
    "supportsInterface(bytes4)",
)
