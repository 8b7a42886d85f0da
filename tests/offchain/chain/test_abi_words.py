"""The multicall's hand-written ABI codec (offchain/chain/abi_words.py) writes and reads the same bytes and values
as eth-abi, and refuses what eth-abi's strict decoder refuses."""

from __future__ import annotations

import pytest
from eth_abi import decode, encode
from eth_abi.exceptions import DecodingError
from hypothesis import given, settings
from hypothesis import strategies as st

from offchain.chain.abi_words import decode_answer, decode_static, encode_calls

addresses = st.binary(min_size=20, max_size=20).map(lambda raw: "0x" + raw.hex())
calls = st.lists(st.tuples(addresses, st.binary(max_size=100)), max_size=12)
results = st.lists(st.tuples(st.booleans(), st.binary(max_size=100)), max_size=12)
uints = st.integers(min_value=0, max_value=2**256 - 1)
ANSWER = ["uint256", "uint256", "(bool,bytes)[]"]


@settings(max_examples=200, deadline=None)
@given(calls)
def test_calls_are_encoded_as_eth_abi_encodes_them(batch):
    assert encode_calls(batch) == encode(["(address,bytes)[]"], [batch])


@settings(max_examples=200, deadline=None)
@given(uints, uints, results)
def test_an_answer_is_decoded_as_eth_abi_decodes_it(block, timestamp, answers):
    raw = encode(ANSWER, [block, timestamp, answers])
    assert decode_answer(raw) == (block, timestamp, answers)
    assert decode(ANSWER, raw) == (block, timestamp, tuple(answers))


@settings(max_examples=200, deadline=None)
@given(uints, st.booleans(), addresses)
def test_static_return_values_are_decoded_as_eth_abi_decodes_them(number, flag, address):
    kinds = ["uint256", "bool", "address"]
    raw = encode(kinds, [number, flag, address]) + b"\x07" * 5  # trailing bytes are ignored, as eth-abi does
    assert decode_static(kinds, raw) == decode(kinds, raw) == (number, flag, address)


def _answer_bytes() -> bytes:
    return encode(ANSWER, [7, 8, [(False, b""), (True, b"\x01" * 33)]])


@pytest.mark.parametrize(
    ("kinds", "raw"),
    [
        (["uint256"], bytes(31)),  # short
        (["bool"], bytes(31) + b"\x02"),  # neither 0 nor 1
        (["bool"], b"\x01" + bytes(30) + b"\x01"),  # dirty padding
        (["address"], b"\x01" * 32),  # dirty padding
    ],
)
def test_malformed_static_values_are_refused_like_eth_abi(kinds, raw):
    with pytest.raises(DecodingError):
        decode(kinds, raw)
    with pytest.raises(DecodingError):
        decode_static(kinds, raw)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: raw[:-1],  # the last result's padding cut short
        lambda raw: raw[:100],  # truncated inside the offsets
        lambda raw: raw[:64] + (10**6).to_bytes(32, "big") + raw[96:],  # the array's offset points past the end
        lambda raw: raw[:-31] + b"\x01" + bytes(30),  # non-zero padding after a result's bytes
    ],
)
def test_malformed_answers_are_refused_like_eth_abi(mangle):
    raw = mangle(_answer_bytes())
    with pytest.raises(DecodingError):
        decode(ANSWER, raw)
    with pytest.raises(DecodingError):
        decode_answer(raw)


def test_a_target_that_is_not_an_address_is_refused():
    with pytest.raises(ValueError, match="20-byte"):
        encode_calls([("0x1234", b"")])
