"""The ABI shapes of a multicall, encoded and decoded by hand: the calls ``(address,bytes)[]``, the answer
``(uint256,uint256,(bool,bytes)[])`` and the static return values (uints, bools, addresses) of the views an order
check reads (offchain/chain/multicall.py, offchain/market/order_reads.py).

eth-abi builds and walks an encoder or decoder object per value of every call (a burst's order check spent ~0.5 ms
of CPU in it, more than its EIP-712 hash and signature recovery); these shapes are fixed, so each is a few slices
and ``int.from_bytes`` here. Same bytes and values as eth-abi's strict codec, the same errors on short data, bad
pointers or dirty padding (tests/offchain/chain/test_abi_words.py checks both against eth-abi).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from eth_abi.exceptions import InsufficientDataBytes, InvalidPointer, NonEmptyPaddingBytes

WORD = 32
_ZEROS = bytes(WORD)
_PADDING = bytes(WORD - 20)


def _uint(value: int) -> bytes:
    return value.to_bytes(WORD, "big")


@lru_cache(maxsize=1024)
def address_word(address: str) -> bytes:
    """A 0x-hex address as one left-padded word; ValueError unless it is 20 bytes of hex."""
    raw = bytes.fromhex(address[2:]) if address[:2] in ("0x", "0X") else b""
    if len(raw) != 20:
        raise ValueError(f"not a 20-byte 0x-hex address: {address!r}")
    return _PADDING + raw


def encode_calls(calls: Sequence[tuple[str, bytes]]) -> bytes:
    """``eth_abi.encode(["(address,bytes)[]"], [calls])``: the argument of DeploylessMulticall's constructor."""
    heads, tails = [], []
    offset = WORD * len(calls)
    for target, data in calls:
        tail = b"".join((address_word(target), _uint(2 * WORD), _uint(len(data)), data, _ZEROS[: -len(data) % WORD]))
        heads.append(_uint(offset))
        tails.append(tail)
        offset += len(tail)
    return b"".join((_uint(WORD), _uint(len(calls)), *heads, *tails))


def _word(raw: bytes, at: int) -> bytes:
    chunk = raw[at : at + WORD]
    if len(chunk) != WORD or at < 0:
        raise InsufficientDataBytes(f"Tried to read {WORD} bytes at {at}, only got {max(0, len(chunk))} bytes.")
    return chunk


def uint_at(raw: bytes, at: int) -> int:
    """The uint256 word of ``raw`` at byte ``at``; InsufficientDataBytes if ``raw`` ends before it."""
    return int.from_bytes(_word(raw, at), "big")


def bool_at(raw: bytes, at: int) -> bool:
    """The bool word of ``raw`` at byte ``at``; NonEmptyPaddingBytes unless it is 0 or 1."""
    chunk = _word(raw, at)
    if chunk[:-1] != _ZEROS[:-1] or chunk[-1] > 1:
        raise NonEmptyPaddingBytes(f"Boolean must be either 0x0 or 0x1.  Got: {chunk!r}")
    return chunk[-1] == 1


def address_at(raw: bytes, at: int) -> str:
    """The address word of ``raw`` at byte ``at``, lower-case 0x-hex (as eth-abi decodes it);
    NonEmptyPaddingBytes if its 12 leading bytes are not zero."""
    chunk = _word(raw, at)
    if chunk[:12] != _PADDING:
        raise NonEmptyPaddingBytes(f"Padding bytes were not empty: {chunk[:12]!r}")
    return "0x" + chunk[12:].hex()


def _pointer(raw: bytes, base: int, at: int) -> int:
    """``base`` + the offset stored at ``at``; InvalidPointer if that lands outside ``raw``."""
    target = base + uint_at(raw, at)
    if target + WORD > len(raw):
        raise InvalidPointer(f"offset at {at} points past the end of the data ({target} of {len(raw)} bytes)")
    return target


def _bytes_at(raw: bytes, at: int) -> bytes:
    length = uint_at(raw, at)
    data = raw[at + WORD : at + WORD + length]
    if len(data) != length:
        raise InsufficientDataBytes(f"Tried to read {length} bytes, only got {len(data)} bytes.")
    padding = raw[at + WORD + length : at + WORD + length + (-length % WORD)]
    if len(padding) != -length % WORD:
        raise InsufficientDataBytes(f"Tried to read {-length % WORD} padding bytes, only got {len(padding)} bytes.")
    if padding.strip(b"\0"):
        raise NonEmptyPaddingBytes(f"Padding bytes were not empty: {padding!r}")
    return data


def decode_answer(raw: bytes) -> tuple[int, int, list[tuple[bool, bytes]]]:
    """``eth_abi.decode(["uint256", "uint256", "(bool,bytes)[]"], raw)``: DeploylessMulticall's answer, the
    block's number and time and each call's (success, return data)."""
    block, timestamp = uint_at(raw, 0), uint_at(raw, WORD)
    array = _pointer(raw, 0, 2 * WORD)
    count = uint_at(raw, array)
    base = array + WORD
    if base + count * WORD > len(raw):
        raise InsufficientDataBytes(f"{count} results announced, the data ends before their offsets")
    results = []
    for k in range(count):
        start = _pointer(raw, base, base + k * WORD)
        results.append((bool_at(raw, start), _bytes_at(raw, _pointer(raw, start, start + WORD))))
    return block, timestamp, results


_STATIC: dict[str, Callable[[bytes, int], int | bool | str]] = {
    "uint256": uint_at,
    "bool": bool_at,
    "address": address_at,
}


def decode_static(types: Sequence[str], raw: bytes) -> tuple[int | bool | str, ...]:
    """``eth_abi.decode(types, raw)`` for static ``types`` only (``uint256``, ``bool``, ``address``)."""
    return tuple(_STATIC[kind](raw, k * WORD) for k, kind in enumerate(types))
