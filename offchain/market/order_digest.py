"""An order's EIP-712 hashes and signer, computed directly: Seaport's ``getOrderHash`` (the struct hash of the
OrderComponents), the digest a wallet signs (under Seaport's domain) and who signed it.

eth-account's ``encode_typed_data`` walks the JSON type document for every message (~5 ms an order, a third of
an order check's CPU in a burst, issue 25); the types of a Seaport order are fixed, so their type hashes are
computed once here and each struct is one eth-abi encoding and one keccak. The same hashes as
:func:`offchain.market.order.typed_data` signed by a wallet (tests/offchain/market/test_market_order.py
checks them against Seaport's own ``getOrderHash`` and eth-account's signatures).
"""

from __future__ import annotations

from functools import lru_cache

from eth_abi import encode
from eth_keys import keys
from eth_keys.exceptions import BadSignature, ValidationError
from eth_utils import keccak

from offchain.market.order import (
    SEAPORT_NAME,
    SEAPORT_VERSION,
    ConsiderationItem,
    OfferItem,
    OrderParameters,
    SignedOrder,
)

_ITEM_FIELDS = "uint8 itemType,address token,uint256 identifierOrCriteria,uint256 startAmount,uint256 endAmount"
_OFFER_ITEM = f"OfferItem({_ITEM_FIELDS})"
_CONSIDERATION_ITEM = f"ConsiderationItem({_ITEM_FIELDS},address recipient)"
_ORDER_COMPONENTS = (
    "OrderComponents(address offerer,address zone,OfferItem[] offer,ConsiderationItem[] consideration,"
    "uint8 orderType,uint256 startTime,uint256 endTime,bytes32 zoneHash,uint256 salt,bytes32 conduitKey,"
    "uint256 counter)"
)
OFFER_ITEM_TYPEHASH = keccak(text=_OFFER_ITEM)
CONSIDERATION_ITEM_TYPEHASH = keccak(text=_CONSIDERATION_ITEM)
ORDER_TYPEHASH = keccak(text=_ORDER_COMPONENTS + _CONSIDERATION_ITEM + _OFFER_ITEM)  # referenced types, sorted
DOMAIN_TYPEHASH = keccak(text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")


def word(value: int | str | bytes) -> bytes:
    """One static ABI word: a uint (up to 2^256-1), a 0x-hex address (left-padded) or up to 32 bytes
    (right-padded, as bytes32). Every field of a Seaport order is one of these, so its EIP-712 encoding is the
    words side by side (what eth-abi writes, without its per-type dispatch)."""
    if isinstance(value, int):
        return value.to_bytes(32, "big")
    if isinstance(value, str):
        return bytes.fromhex(value[2:]).rjust(32, b"\0")
    return value.ljust(32, b"\0")


def _item_hash(item: OfferItem) -> bytes:
    values: list[int | str | bytes] = [
        int(item.item_type),
        item.token,
        item.identifier_or_criteria,
        item.start_amount,
        item.end_amount,
    ]
    if isinstance(item, ConsiderationItem):
        return keccak(CONSIDERATION_ITEM_TYPEHASH + b"".join([word(v) for v in [*values, item.recipient]]))
    return keccak(OFFER_ITEM_TYPEHASH + b"".join([word(v) for v in values]))


def order_hash(params: OrderParameters) -> bytes:
    """Seaport's ``getOrderHash``: the EIP-712 struct hash of the components (the domain does not enter it)."""
    fields: list[int | str | bytes] = [
        ORDER_TYPEHASH,
        params.offerer,
        params.zone,
        keccak(b"".join(_item_hash(i) for i in params.offer)),
        keccak(b"".join(_item_hash(i) for i in params.consideration)),
        int(params.order_type),
        params.start_time,
        params.end_time,
        bytes.fromhex(params.zone_hash[2:]),
        params.salt,
        bytes.fromhex(params.conduit_key[2:]),
        params.counter,
    ]
    return keccak(b"".join([word(v) for v in fields]))


@lru_cache(maxsize=16)
def domain_separator(chain_id: int, seaport: str) -> bytes:
    """Seaport 1.6's EIP-712 domain separator on ``chain_id`` at ``seaport``."""
    return keccak(
        encode(
            ["bytes32", "bytes32", "bytes32", "uint256", "address"],
            [DOMAIN_TYPEHASH, keccak(text=SEAPORT_NAME), keccak(text=SEAPORT_VERSION), chain_id, seaport],
        )
    )


def order_signer(order: SignedOrder, chain_id: int, seaport: str, struct_hash: bytes | None = None) -> str | None:
    """Who signed ``order`` for Seaport at ``seaport`` on ``chain_id`` (None if the signature is malformed);
    ``struct_hash`` is its :func:`order_hash` where the caller has it already."""
    signature = bytes.fromhex(order.signature[2:])
    if len(signature) == 64:  # EIP-2098: r, then the top bit of vs is y-parity
        vs = int.from_bytes(signature[32:], "big")
        signature = signature[:32] + (vs & (2**255 - 1)).to_bytes(32, "big") + bytes([27 + (vs >> 255)])
    digest = keccak(b"\x19\x01" + domain_separator(chain_id, seaport) + (struct_hash or order_hash(order.parameters)))
    if len(signature) != 65 or signature[64] not in (0, 1, 27, 28):
        return None
    v = signature[64] % 27
    try:
        key = keys.Signature(signature[:64] + bytes([v])).recover_public_key_from_msg_hash(digest)
        return str(key.to_checksum_address())
    except (BadSignature, ValidationError, ValueError):
        return None
