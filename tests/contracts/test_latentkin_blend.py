"""Fusion modes on chain: blend requested, stored, revealed, emitted and recorded; unknown modes refused."""

import random

import pytest
from eth_abi import encode
from eth_utils import keccak

from latentkin_core.genome import Genome, blend, fuse, random_genome

CROSSOVER, BLEND = 0, 1


@pytest.fixture
def parents(chain):
    """Alice owns tokens 1..4 (random gen-0 genomes)."""
    rng = random.Random(14)
    return [chain.mint(chain.users[0], random_genome(rng)) for _ in range(4)]


def test_blend_fusion_is_stored_revealed_emitted_and_recorded(chain, kin, parents):
    alice = chain.users[0]
    a, b = parents[:2]
    x, y = chain.genome(a), chain.genome(b)
    receipt = chain.transact(kin.functions.requestFusion(a, b, BLEND, chain.ANY_PRICE), alice, chain.FUSION_FEE)
    request_id = chain.events(receipt, "FusionRequested")[0]["requestId"]
    assert kin.functions.fusionRequest(request_id).call() == (alice, a, b, receipt["blockNumber"] + 1, BLEND)
    fused = chain.complete_fusion(request_id)
    assert fused["mode"] == BLEND
    child = chain.genome(request_id)
    assert child == blend(x, y, fused["seed"]) != fuse(x, y, fused["seed"])
    assert Genome(*kin.functions.blendOutcome(x.code, x.attrs, y.code, y.attrs, fused["seed"]).call()) == child
    assert kin.functions.lineageOf(request_id).call() == (a, b, 1, 0, 0, BLEND)
    # The parents' own records keep their mode (gen-0: 0), whatever mode they fuse by.
    assert kin.functions.lineageOf(a).call()[5] == kin.functions.lineageOf(b).call()[5] == CROSSOVER


def test_both_modes_side_by_side_from_the_same_parents(chain, kin, parents):
    alice = chain.users[0]
    a, b, c, d = parents
    crossed = chain.fuse(alice, a, b, CROSSOVER)
    blended = chain.fuse(alice, c, d, BLEND)
    assert kin.functions.lineageOf(crossed).call()[5] == CROSSOVER
    assert kin.functions.lineageOf(blended).call()[5] == BLEND
    # A blended child fuses on like any other, and its children carry their own mode.
    chain.wait_cooldown(crossed, blended)
    grandchild = chain.fuse(alice, blended, crossed, CROSSOVER)
    assert kin.functions.lineageOf(grandchild).call() == (blended, crossed, 2, 0, 0, CROSSOVER)


@pytest.mark.parametrize("mode", [2, 3, 255])
def test_an_unknown_mode_is_refused_with_its_value_and_changes_nothing(chain, kin, parents, mode):
    alice = chain.users[0]
    a, b = parents[:2]
    before = kin.functions.lineageOf(a).call(), kin.functions.lastTokenId().call()
    chain.expect_revert(
        kin.functions.requestFusion(a, b, mode, chain.ANY_PRICE),
        alice,
        "LatentKinUnknownFusionMode",
        mode,
        value=chain.FUSION_FEE,
    )
    assert (kin.functions.lineageOf(a).call(), kin.functions.lastTokenId().call()) == before


def test_the_mode_survives_a_late_completion(chain, kin, parents):
    """A blend request completed after blockhash's 256 blocks (its hash then read from the EIP-2935 history)
    keeps its mode, and the mode bit never leaks into the 31-bit reveal block the seed is taken from."""
    alice = chain.users[0]
    a, b = parents[:2]
    request_id = chain.request_fusion(alice, a, b, mode=BLEND)
    reveal = kin.functions.fusionRequest(request_id).call()[3]
    assert kin.functions.fusionRequest(request_id).call()[4] == BLEND and reveal == chain.block_number + 1
    chain.mine(300)
    fused = chain.complete_fusion(request_id)
    reveal_hash = chain.w3.eth.get_block(reveal)["hash"]
    seed = int.from_bytes(
        keccak(encode(["bytes32", "address", "uint256"], [reveal_hash, kin.address, request_id])), "big"
    )
    assert fused["mode"] == BLEND and fused["seed"] == seed  # never re-armed, never the fallback
    assert chain.genome(request_id) == blend(chain.genome(a), chain.genome(b), fused["seed"])


def test_public_mint_requests_have_mode_zero(chain, kin):
    alice = chain.users[0]
    receipt = chain.transact(kin.functions.requestPublicMint(chain.ANY_PRICE), alice, chain.PUBLIC_MINT_PRICE)
    request_id = chain.events(receipt, "PublicMintRequested")[0]["requestId"]
    assert kin.functions.fusionRequest(request_id).call()[4] == CROSSOVER
