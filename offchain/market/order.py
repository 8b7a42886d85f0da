"""A Seaport 1.6 order as seaport-js writes it (``{parameters, signature}``), its EIP-712 form, its hash
and its signer: the order hash is Seaport's ``getOrderHash`` (the EIP-712 struct hash of the
OrderComponents, counter included), the signature is over the EIP-712 digest under Seaport's domain.
"""

from __future__ import annotations

from enum import IntEnum
from functools import lru_cache
from typing import Annotated, Any

from eth_account.signers.local import LocalAccount
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema
from pydantic.alias_generators import to_camel
from web3 import Web3

SEAPORT_NAME = "Seaport"
SEAPORT_VERSION = "1.6"
UINT256_MAX = 2**256 - 1
ZERO_ADDRESS = "0x" + "00" * 20
ZERO_BYTES32 = "0x" + "00" * 32


class ItemType(IntEnum):
    """Seaport's item types."""

    NATIVE = 0
    ERC20 = 1
    ERC721 = 2
    ERC1155 = 3
    ERC721_WITH_CRITERIA = 4
    ERC1155_WITH_CRITERIA = 5


class OrderType(IntEnum):
    """Seaport's order types: open or zone-restricted, whole or partially fillable, or contract orders."""

    FULL_OPEN = 0
    PARTIAL_OPEN = 1
    FULL_RESTRICTED = 2
    PARTIAL_RESTRICTED = 3
    CONTRACT = 4


def _uint256(value: object) -> int:
    """An unsigned 256-bit integer from an int, a decimal string or a 0x-hex string (seaport-js writes both)."""
    if isinstance(value, bool):
        raise ValueError("expected an unsigned integer, not a boolean")
    if isinstance(value, str):
        text = value.strip()
        try:
            value = int(text, 16) if text.lower().startswith("0x") else int(text, 10)
        except ValueError:
            raise ValueError("expected an unsigned integer (decimal or 0x-hex)") from None
    if not isinstance(value, int) or not 0 <= value <= UINT256_MAX:
        raise ValueError("expected an unsigned 256-bit integer")
    return value


def _address(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a 20-byte 0x-hex address")
    return checksummed(value)


@lru_cache(maxsize=4096)
def checksummed(value: str) -> str:
    """``value`` checksummed (remembered: a burst of orders names the same few accounts and contracts, and each
    checksum is a keccak); ValueError if it is not an address or its mixed case is a wrong checksum."""
    if not Web3.is_address(value):
        raise ValueError("expected a 20-byte 0x-hex address")
    return str(Web3.to_checksum_address(value))


def _bytes32(value: object) -> str:
    if not isinstance(value, str) or len(value) != 66 or not value.startswith("0x"):
        raise ValueError("expected 32 bytes as 0x-hex")
    try:
        bytes.fromhex(value[2:])
    except ValueError:
        raise ValueError("expected 32 bytes as 0x-hex") from None
    return value.lower()


Uint256 = Annotated[
    int,
    BeforeValidator(_uint256),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": "^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$"},
                {"type": "integer", "minimum": 0},
            ]
        }
    ),
]
Address = Annotated[
    str, BeforeValidator(_address), WithJsonSchema({"type": "string", "pattern": "^0x[0-9a-fA-F]{40}$"})
]
Bytes32 = Annotated[
    str, BeforeValidator(_bytes32), WithJsonSchema({"type": "string", "pattern": "^0x[0-9a-fA-F]{64}$"})
]


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True)


class OfferItem(_Camel):
    """What the offerer gives."""

    item_type: ItemType
    token: Address
    identifier_or_criteria: Uint256
    start_amount: Uint256
    end_amount: Uint256


class ConsiderationItem(OfferItem):
    """What the offerer (or another recipient) receives."""

    recipient: Address


class OrderParameters(_Camel):
    """Seaport's OrderComponents plus seaport-js's ``totalOriginalConsiderationItems``."""

    offerer: Address
    zone: Address = ZERO_ADDRESS
    offer: list[OfferItem] = Field(max_length=16)
    consideration: list[ConsiderationItem] = Field(max_length=16)
    order_type: OrderType
    start_time: Uint256
    end_time: Uint256
    zone_hash: Bytes32 = ZERO_BYTES32
    salt: Uint256
    conduit_key: Bytes32 = ZERO_BYTES32
    total_original_consideration_items: Uint256 | None = None
    counter: Uint256


class SignedOrder(_Camel):
    """An order and the offerer's signature (65 bytes, or 64 in EIP-2098 form), as seaport-js returns it."""

    parameters: OrderParameters
    signature: str = Field(
        pattern=r"^0x([0-9a-fA-F]{128}|[0-9a-fA-F]{130})$",
        description="65-byte (or 64-byte EIP-2098) signature over the EIP-712 order.",
    )

    def to_json(self) -> dict[str, Any]:
        """The seaport-js form (camelCase keys, amounts as decimal strings)."""
        return self.model_dump(mode="json", by_alias=True)


_ITEM = [
    ("itemType", "uint8"),
    ("token", "address"),
    ("identifierOrCriteria", "uint256"),
    ("startAmount", "uint256"),
    ("endAmount", "uint256"),
]
EIP712_TYPES = {
    "OrderComponents": [
        {"name": n, "type": t}
        for n, t in (
            ("offerer", "address"),
            ("zone", "address"),
            ("offer", "OfferItem[]"),
            ("consideration", "ConsiderationItem[]"),
            ("orderType", "uint8"),
            ("startTime", "uint256"),
            ("endTime", "uint256"),
            ("zoneHash", "bytes32"),
            ("salt", "uint256"),
            ("conduitKey", "bytes32"),
            ("counter", "uint256"),
        )
    ],
    "OfferItem": [{"name": n, "type": t} for n, t in _ITEM],
    "ConsiderationItem": [{"name": n, "type": t} for n, t in [*_ITEM, ("recipient", "address")]],
}


def seaport_domain(chain_id: int, seaport: str) -> dict[str, Any]:
    """Seaport 1.6's EIP-712 domain on ``chain_id`` at ``seaport``."""
    return {
        "name": SEAPORT_NAME,
        "version": SEAPORT_VERSION,
        "chainId": int(chain_id),
        "verifyingContract": Web3.to_checksum_address(seaport),
    }


def _item(item: OfferItem) -> dict[str, Any]:
    out = {
        "itemType": int(item.item_type),
        "token": item.token,
        "identifierOrCriteria": item.identifier_or_criteria,
        "startAmount": item.start_amount,
        "endAmount": item.end_amount,
    }
    if isinstance(item, ConsiderationItem):
        out["recipient"] = item.recipient
    return out


def order_components(params: OrderParameters) -> dict[str, Any]:
    """The EIP-712 ``OrderComponents`` message of ``params``."""
    return {
        "offerer": params.offerer,
        "zone": params.zone,
        "offer": [_item(i) for i in params.offer],
        "consideration": [_item(i) for i in params.consideration],
        "orderType": int(params.order_type),
        "startTime": params.start_time,
        "endTime": params.end_time,
        "zoneHash": bytes.fromhex(params.zone_hash[2:]),
        "salt": params.salt,
        "conduitKey": bytes.fromhex(params.conduit_key[2:]),
        "counter": params.counter,
    }


def typed_data(params: OrderParameters, chain_id: int, seaport: str) -> dict[str, Any]:
    """The full EIP-712 document a wallet signs for ``params``."""
    return {
        "types": EIP712_TYPES,
        "primaryType": "OrderComponents",
        "domain": seaport_domain(chain_id, seaport),
        "message": order_components(params),
    }


def sign_order(params: OrderParameters, account: LocalAccount, chain_id: int, seaport: str) -> SignedOrder:
    """``params`` signed by ``account`` for Seaport at ``seaport`` on ``chain_id``."""
    signed = account.sign_typed_data(full_message=typed_data(params, chain_id, seaport))
    return SignedOrder(parameters=params, signature="0x" + bytes(signed.signature).hex())


def current_amount(start: int, end: int, start_time: int, end_time: int, now: int, *, round_up: bool) -> int:
    """An item's amount at time ``now`` exactly as Seaport computes it (linear from start to end; consideration
    items round up, offer items down)."""
    if start == end:
        return end
    duration = end_time - start_time
    elapsed = min(max(now - start_time, 0), duration)
    total = start * (duration - elapsed) + end * elapsed
    if total == 0:
        return 0
    return (total - int(round_up)) // duration + int(round_up)


def as_tuple(order: SignedOrder) -> tuple[tuple[Any, ...], bytes]:
    """The ``Order`` struct (OrderParameters, signature) as web3 encodes it, for ``fulfillOrder`` and friends."""
    p = order.parameters
    offer = [(int(i.item_type), i.token, i.identifier_or_criteria, i.start_amount, i.end_amount) for i in p.offer]
    consideration = [
        (int(i.item_type), i.token, i.identifier_or_criteria, i.start_amount, i.end_amount, i.recipient)
        for i in p.consideration
    ]
    total = p.total_original_consideration_items
    parameters = (
        p.offerer,
        p.zone,
        offer,
        consideration,
        int(p.order_type),
        p.start_time,
        p.end_time,
        bytes.fromhex(p.zone_hash[2:]),
        p.salt,
        bytes.fromhex(p.conduit_key[2:]),
        len(p.consideration) if total is None else total,
    )
    return parameters, bytes.fromhex(order.signature[2:])
