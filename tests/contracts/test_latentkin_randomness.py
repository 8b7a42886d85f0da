"""Issue 11: nobody can veto or re-roll an outcome. A requester contract that refuses tokens cannot stop a
completion; waiting draws no new outcome (the reveal hash is read through EIP-2935's history contract, and
past its window the fallback seed, fixed at the request, is used); a completer cannot starve the history
read to force the fallback. Each test fails on the contract before the fix (which called onERC721Received
and re-armed expired requests)."""

import random

import pytest
from eth_abi import encode
from eth_tester import EthereumTester, PyEVMBackend
from eth_utils import keccak
from web3 import EthereumTesterProvider, Web3
from web3.logs import DISCARD

from latentkin_core.genome import fuse, genome_from_seed, random_genome
from offchain.deploy.latentkin import deploy
from support.devchain import HISTORY_WINDOW


def seed_of(block_hash: bytes, contract: str, request_id: int) -> int:
    return int.from_bytes(keccak(encode(["bytes32", "address", "uint256"], [block_hash, contract, request_id])), "big")


def reveal_seed(chain, request_id: int) -> int:
    """The seed from the reveal block's hash (mined first if need be); call it while the request is pending."""
    reveal = chain.kin.functions.fusionRequest(request_id).call()[3]
    if chain.block_number < reveal:
        chain.mine(reveal - chain.block_number)
    return seed_of(chain.w3.eth.get_block(reveal)["hash"], chain.kin.address, request_id)


def fallback_seed(chain, request_id: int) -> int:
    return seed_of(b"\x00" * 32, chain.kin.address, request_id)


@pytest.fixture
def veto(chain, kin):
    """The review's veto contract, holding tokens 1 and 2; Alice holds 3 and 4."""
    return chain.deploy_token_holder("VetoReceiver", genome_seed=17)


def test_a_requester_that_refuses_its_child_cannot_stop_the_completion(chain, kin, veto):
    alice = chain.users[0]
    receipt = chain.transact(veto.functions.requestFusion(1, 2), alice, chain.FUSION_FEE)
    request_id = chain.events(receipt, "FusionRequested")[0]["requestId"]
    expected = reveal_seed(chain, request_id)
    fused = chain.complete_fusion(request_id, caller=alice)  # reverted with Vetoed(...) before the fix
    assert fused["seed"] == expected and fused["completer"] == alice
    assert kin.functions.ownerOf(request_id).call() == veto.address
    assert chain.genome(request_id) == fuse(chain.genome(1), chain.genome(2), fused["seed"])
    assert veto.functions.callbacks().call() == 0


def test_a_public_mint_cannot_be_vetoed_either(chain, kin, veto):
    alice = chain.users[0]
    receipt = chain.transact(veto.functions.requestPublicMint(), alice, chain.PUBLIC_MINT_PRICE)
    request_id = chain.events(receipt, "PublicMintRequested")[0]["requestId"]
    chain.mine(1)
    expected = reveal_seed(chain, request_id)
    receipt = chain.transact(kin.functions.completePublicMint(request_id), alice)
    (minted,) = chain.events(receipt, "PublicMinted")
    assert minted["seed"] == expected and minted["completer"] == alice
    assert kin.functions.ownerOf(request_id).call() == veto.address
    assert chain.genome(request_id) == genome_from_seed(minted["seed"])


def test_waiting_past_blockhash_window_draws_no_new_outcome(chain, kin, veto):
    """The review re-rolled by waiting 257 blocks; now the hash comes from the EIP-2935 history contract."""
    alice = chain.users[0]
    request_id = chain.request_fusion(alice, 3, 4)
    expected = reveal_seed(chain, request_id)
    chain.mine(300)  # blockhash() no longer serves the reveal block
    receipt = chain.transact(kin.functions.completeFusion(request_id), alice)
    assert chain.events(receipt, "Fused")[0]["seed"] == expected
    assert kin.functions.fusionRequest(request_id).call()[0] == "0x" + "00" * 20


def test_past_the_history_window_the_fallback_fixed_at_the_request_is_used(chain, kin):
    """Exactly two outcomes exist per request: the reveal one (history serves 8191 blocks) and the fallback."""
    alice, bob = chain.users[:2]
    rng = random.Random(5)
    tokens = [chain.mint(alice, random_genome(rng)) for _ in range(4)]
    late = chain.request_fusion(alice, tokens[0], tokens[1])  # its reveal block is one older than `due`'s
    due = chain.request_fusion(alice, tokens[2], tokens[3])
    reveal = kin.functions.fusionRequest(due).call()[3]
    due_seed, late_reveal_seed = reveal_seed(chain, due), reveal_seed(chain, late)
    chain.mine(reveal + HISTORY_WINDOW - 1 - chain.block_number)  # next block: the reveal is 8191 blocks old
    receipt = chain.transact(kin.functions.completeFusion(due), bob)
    assert receipt["blockNumber"] - reveal == HISTORY_WINDOW
    assert chain.events(receipt, "Fused")[0]["seed"] == due_seed  # the oldest hash the history serves

    receipt = chain.transact(kin.functions.completeFusion(late), bob)  # its reveal is now 8193 blocks old
    seed = chain.events(receipt, "Fused")[0]["seed"]
    assert seed == fallback_seed(chain, late) != late_reveal_seed
    assert chain.genome(late) == fuse(chain.genome(tokens[0]), chain.genome(tokens[1]), seed)


def test_without_a_history_contract_blockhash_serves_256_blocks_then_the_fallback(artifacts):
    """A stock eth-tester chain has no EIP-2935 contract (code is empty): LatentKin falls back to blockhash."""
    tester = EthereumTester(PyEVMBackend())
    w3 = Web3(EthereumTesterProvider(tester))
    owner, alice = w3.eth.accounts[:2]
    deployment = deploy(w3, owner, minters=[owner], out_dir=None)
    kin = w3.eth.contract(address=deployment.address, abi=artifacts["LatentKin"].abi)
    assert w3.eth.get_code("0x0000F90827F1C53a10cb7A02335B175320002935") == b""
    for code in (1, 2, 3, 4):
        kin.functions.mint(alice, code, code).transact({"from": owner})
    seeds = []
    for a, b, wait in ((1, 2, 255), (3, 4, 256)):
        kin.functions.requestFusion(a, b, 0, 0).transact({"from": alice})
        request_id = kin.functions.lastTokenId().call()
        reveal = kin.functions.fusionRequest(request_id).call()[3]
        tester.mine_blocks(reveal + wait - w3.eth.block_number)  # the completion runs `wait + 1` blocks later
        tx = kin.functions.completeFusion(request_id).transact({"from": alice})
        (fused,) = kin.events.Fused().process_receipt(w3.eth.get_transaction_receipt(tx), errors=DISCARD)
        seeds.append(
            (
                fused["args"]["seed"],
                seed_of(w3.eth.get_block(reveal)["hash"], kin.address, request_id),
                seed_of(b"\x00" * 32, kin.address, request_id),
            )
        )
    assert seeds[0][0] == seeds[0][1]  # 256 blocks old: blockhash
    assert seeds[1][0] == seeds[1][2]  # 257 blocks old: the fallback


@pytest.mark.parametrize("batch", [False, True], ids=["completeFusion", "completeRequests"])
def test_a_completer_cannot_starve_the_history_read_to_force_the_fallback(chain, kin, batch):
    """With too little gas for the history call the completion must fail, never succeed with the fallback; in a
    batch too (the request last, after another completion has used up gas)."""
    alice, carol = chain.users[0], chain.users[2]
    rng = random.Random(8)
    a, b, c, d = (chain.mint(alice, random_genome(rng)) for _ in range(4))
    other = chain.request_fusion(alice, c, d)
    request_id = chain.request_fusion(alice, a, b)
    expected = reveal_seed(chain, request_id)
    chain.mine(300)
    call = kin.functions.completeRequests([other, request_id]) if batch else kin.functions.completeFusion(request_id)

    def succeeds(gas: int) -> bool:
        try:
            call.call({"from": carol, "gas": gas}, block_identifier="pending")
            return True
        except Exception:
            return False

    low, high = 21_000, 400_000
    assert succeeds(high) and not succeeds(low)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if succeeds(middle) else (middle, high)
    for gas in (high, high + 1, high + 200, high + 5_000):  # the least gas that completes, and a little more
        snapshot = chain.tester.take_snapshot()
        receipt = chain.w3.eth.get_transaction_receipt(call.transact({"from": carol, "gas": gas}))
        assert receipt["status"] == 1
        assert chain.events(receipt, "Fused")[-1]["seed"] == expected
        chain.tester.revert_to_snapshot(snapshot)
