"""Call data of ``offchain.chain.batch_calls.ContractFunction``: the words written directly for uint256 arguments
are eth-abi's bytes, and anything else still goes through eth-abi (and its errors)."""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_abi.exceptions import EncodingError

from offchain.chain.artifacts import latentkin_abi
from offchain.chain.batch_calls import ContractFunction


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("genomeOf", (1,)),
        ("lineageOf", (2**256 - 1,)),
        ("royaltyInfo", (7, 10**18)),
        ("fusionOutcome", (1, 2, 3, 4, 2**255)),
        ("totalSupply", ()),
        ("cooldownBlocks", (3,)),  # uint16: eth-abi's encoder
        ("isApprovedForAll", ("0x" + "11" * 20, "0x" + "22" * 20)),
    ],
)
def test_call_data_is_the_selector_and_eth_abi_s_encoding(name, args):
    fn = ContractFunction(latentkin_abi(), name)
    assert fn.calldata(*args) == "0x" + (fn.selector + encode(fn.inputs, list(args))).hex()


@pytest.mark.parametrize("bad", [-1, 2**256, True, "1"])
def test_an_argument_no_uint256_holds_is_refused_by_eth_abi(bad):
    with pytest.raises(EncodingError):
        ContractFunction(latentkin_abi(), "genomeOf").calldata(bad)
