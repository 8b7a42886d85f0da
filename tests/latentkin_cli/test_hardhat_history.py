"""What `hardhat node` (2.29) does with EIP-2935, and that LatentKin takes the blockhash-then-fallback path there.

Hardhat puts a stand-in at the history address that reverts ("EIP2935 is not supported in Hardhat yet");
with the real bytecode installed (hardhat_setCode) nothing fills its ring buffer, so it answers zero. Either
way the contract reads reveal hashes with blockhash for 256 blocks and then uses the fallback seed.
"""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_utils import keccak
from web3 import Web3
from web3.logs import DISCARD

from offchain.chain.artifacts import latentkin_at
from offchain.chain.reader import http_web3
from offchain.deploy.latentkin import deploy
from support.devchain import HISTORY_ADDRESS


def _real_history_code() -> str:
    from eth.vm.forks.prague.constants import HISTORY_STORAGE_CONTRACT_CODE

    return "0x" + HISTORY_STORAGE_CONTRACT_CODE.hex()


def _seed(block_hash: bytes, address: str, request_id: int) -> int:
    return int.from_bytes(keccak(encode(["bytes32", "address", "uint256"], [block_hash, address, request_id])), "big")


def _history_get(w3: Web3, number: int) -> bytes | str:
    try:
        return bytes(w3.eth.call({"to": HISTORY_ADDRESS, "data": "0x" + number.to_bytes(32, "big").hex()}))
    except Exception as exc:
        return str(exc)


@pytest.fixture(scope="module")
def kin(hardhat_node):
    w3 = http_web3(hardhat_node, 30.0)
    owner = w3.eth.accounts[0]
    deployment = deploy(w3, owner, minters=[owner], out_dir=None)
    contract = latentkin_at(w3, deployment.address)
    for code in range(1, 7):
        contract.functions.mint(owner, code, code).transact({"from": owner})
    return contract


def _fuse_after(w3: Web3, kin, a: int, b: int, blocks: int) -> tuple[int, int, int]:
    """Request a fusion of a and b, let ``blocks`` blocks pass after its reveal block, complete it; returns
    (seed used, reveal seed, fallback seed)."""
    owner = w3.eth.accounts[0]
    kin.functions.requestFusion(a, b, 0, 0).transact({"from": owner})
    request_id = kin.functions.lastTokenId().call()
    reveal = kin.functions.fusionRequest(request_id).call()[3]
    w3.provider.make_request("hardhat_mine", [hex(reveal + blocks - 1 - w3.eth.block_number)])
    tx = kin.functions.completeFusion(request_id).transact({"from": owner})
    receipt = w3.eth.wait_for_transaction_receipt(tx)
    assert receipt["blockNumber"] - reveal == blocks
    (fused,) = kin.events.Fused().process_receipt(receipt, errors=DISCARD)
    reveal_hash = w3.eth.get_block(reveal)["hash"]
    return (
        fused["args"]["seed"],
        _seed(reveal_hash, kin.address, request_id),
        _seed(b"\0" * 32, kin.address, request_id),
    )


def test_hardhat_has_a_reverting_stand_in_and_the_contract_falls_back(hardhat_node, kin):
    w3 = kin.w3
    assert len(w3.eth.get_code(HISTORY_ADDRESS)) > 0
    assert "EIP2935 is not supported in Hardhat" in str(_history_get(w3, w3.eth.block_number - 1))
    used, reveal, _ = _fuse_after(w3, kin, 1, 2, 256)
    assert used == reveal  # blockhash still serves it
    used, reveal, fallback = _fuse_after(w3, kin, 3, 4, 257)
    assert used == fallback != reveal


def test_hardhat_does_not_fill_the_real_history_contract(hardhat_node, kin):
    w3 = kin.w3
    w3.provider.make_request("hardhat_setCode", [HISTORY_ADDRESS, _real_history_code()])
    w3.provider.make_request("hardhat_mine", ["0x5"])
    assert _history_get(w3, w3.eth.block_number - 2) == b"\0" * 32  # no system call stores the parent hash
    used, reveal, fallback = _fuse_after(w3, kin, 5, 6, 300)
    assert used == fallback != reveal
