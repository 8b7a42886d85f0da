"""Fusion by commit-reveal: the happy path, who may fuse, cooldowns and limits, the reveal window, pause, fees."""

import random

import pytest
from eth_abi import encode
from eth_utils import keccak

from latentkin_core.genome import fuse, random_genome

ZERO = "0x" + "00" * 20


@pytest.fixture
def family(chain):
    """Alice owns tokens 1 and 2, Bob owns token 3 (random gen-0 genomes)."""
    rng = random.Random(11)
    alice, bob = chain.users[:2]
    return [
        chain.mint(alice, random_genome(rng)),
        chain.mint(alice, random_genome(rng)),
        chain.mint(bob, random_genome(rng)),
    ]


def expected_seed(chain, reveal_block: int, request_id: int) -> int:
    block_hash = chain.w3.eth.get_block(reveal_block)["hash"]
    preimage = encode(["bytes32", "address", "uint256"], [block_hash, chain.kin.address, request_id])
    return int.from_bytes(keccak(preimage), "big")


def test_fusion_happy_path(chain, kin, family):
    alice = chain.users[0]
    a, b, _ = family
    parents = chain.genome(a), chain.genome(b)
    receipt = chain.transact(kin.functions.requestFusion(a, b, 0, chain.ANY_PRICE), alice, chain.FUSION_FEE)
    request_block = receipt["blockNumber"]
    (requested,) = chain.events(receipt, "FusionRequested")
    assert requested == {
        "requestId": 4,
        "requester": alice,
        "parentA": a,
        "parentB": b,
        "revealBlock": request_block + 1,
    }
    # Finding 5: the parents' metadata (fusion count, cooldown) changed, so ERC-4906 says so.
    assert chain.events(receipt, "MetadataUpdate") == [{"_tokenId": a}, {"_tokenId": b}]
    assert kin.functions.fusionRequest(4).call() == (alice, a, b, request_block + 1, 0)
    # Cooldown and fusion count start at the request.
    first_cooldown = kin.functions.cooldownBlocks(0).call()
    assert kin.functions.lineageOf(a).call() == (0, 0, 0, 1, request_block + first_cooldown, 0)
    assert kin.functions.lineageOf(b).call() == (0, 0, 0, 1, request_block + first_cooldown, 0)
    assert kin.functions.totalSupply().call() == 3

    chain.mine(1)  # the reveal block
    receipt = chain.transact(kin.functions.completeFusion(4), chain.users[5])
    (fused,) = chain.events(receipt, "Fused")
    seed = expected_seed(chain, request_block + 1, 4)
    assert fused == {"childId": 4, "parentA": a, "parentB": b, "seed": seed, "mode": 0, "completer": chain.users[5]}
    # The parents' metadata and traits changed at the request, not now: no ERC-4906 event for them.
    assert chain.events(receipt, "MetadataUpdate") == []
    assert chain.genome(4) == fuse(*parents, seed)
    assert (chain.genome(a), chain.genome(b)) == parents  # parents' genomes never change
    assert kin.functions.ownerOf(4).call() == alice
    assert kin.functions.lineageOf(4).call() == (a, b, 1, 0, 0, 0)
    assert kin.functions.totalSupply().call() == 4
    assert kin.functions.fusionRequest(4).call() == (ZERO, 0, 0, 0, 0)
    assert kin.functions.pendingWithdrawal(chain.owner).call() == chain.FUSION_FEE


def test_anyone_may_complete_and_the_child_goes_to_the_requester(chain, kin, family):
    alice, _, carol = chain.users[:3]
    request_id = chain.request_fusion(alice, family[0], family[1])
    fused = chain.complete_fusion(request_id, caller=carol)
    assert kin.functions.ownerOf(fused["childId"]).call() == alice


def test_generation_is_one_more_than_the_older_parent(chain, kin, family):
    alice = chain.users[0]
    child = chain.fuse(alice, family[0], family[1])
    chain.wait_cooldown(family[0])
    grandchild = chain.fuse(alice, child, family[0])
    assert kin.functions.lineageOf(grandchild).call()[:3] == (child, family[0], 2)


def test_a_parent_of_the_last_generation_is_refused_at_request_and_nothing_is_paid(chain, kin, family):
    """Issue 23, finding 5: a generation-65,535 parent used to take the fee, the offer price and both parents'
    fusion and cooldown, then the request could never complete (the child's generation overflowed)."""
    alice, bob = chain.users[:2]
    a, b, c = family
    record_slot = chain.record_slot(c)
    chain.set_storage(kin.address, record_slot, chain.genome(c).attrs | (0xFFFF << 128))  # generation 65,535
    assert kin.functions.lineageOf(c).call()[2] == 0xFFFF
    chain.transact(kin.functions.setFusionOffer(c, ZERO, chain.FUSION_FEE), bob)  # open to anyone, for a price
    balance = chain.w3.eth.get_balance(kin.address)
    chain.expect_revert(
        kin.functions.requestFusion(a, c, 0, chain.ANY_PRICE),
        alice,
        "LatentKinGenerationLimit",
        c,
        value=2 * chain.FUSION_FEE,
    )
    assert chain.w3.eth.get_balance(kin.address) == balance  # no fee, no offer price taken
    assert kin.functions.lineageOf(a).call()[3:5] == (0, 0)  # parent A's fusion count and cooldown untouched
    assert kin.functions.fusionOffer(c).call() == [ZERO, chain.FUSION_FEE]  # the offer is not used up
    chain.set_storage(kin.address, record_slot, chain.genome(c).attrs | (0xFFFE << 128))  # one generation younger
    fused = chain.complete_fusion(chain.request_fusion(alice, a, c, value=2 * chain.FUSION_FEE))
    assert kin.functions.lineageOf(fused["childId"]).call()[2] == 0xFFFF


def test_a_stranger_may_not_fuse_and_missing_tokens_are_refused(chain, kin, family):
    a, b, c = family
    bob, carol = chain.users[1], chain.users[2]
    chain.expect_revert(
        kin.functions.requestFusion(a, b, 0, chain.ANY_PRICE),
        carol,
        "LatentKinNotAuthorized",
        carol,
        a,
        value=chain.FUSION_FEE,
    )
    chain.expect_revert(
        kin.functions.requestFusion(c, a, 0, chain.ANY_PRICE),
        bob,
        "LatentKinNotAuthorized",
        bob,
        a,
        value=chain.FUSION_FEE,
    )
    chain.expect_revert(
        kin.functions.requestFusion(a, 99, 0, chain.ANY_PRICE),
        chain.users[0],
        "ERC721NonexistentToken",
        99,
        value=chain.FUSION_FEE,
    )


def test_approved_and_operators_may_fuse_for_themselves(chain, kin, family):
    alice, bob, carol = chain.users[:3]
    a, b, c = family
    chain.transact(kin.functions.approve(bob, a), alice)  # bob: approved for a, owns c
    child = chain.fuse(bob, a, c)
    assert kin.functions.ownerOf(child).call() == bob
    chain.transact(kin.functions.setApprovalForAll(carol, True), alice)
    chain.wait_cooldown(a, b)
    child = chain.fuse(carol, a, b)
    assert kin.functions.ownerOf(child).call() == carol


def test_a_token_cannot_fuse_with_itself(chain, kin, family):
    chain.expect_revert(
        kin.functions.requestFusion(family[0], family[0], 0, chain.ANY_PRICE),
        chain.users[0],
        "LatentKinSelfFusion",
        family[0],
        value=chain.FUSION_FEE,
    )


def test_parents_rest_on_a_growing_cooldown(chain, kin, family):
    alice, bob = chain.users[:2]
    a, b, c = family
    chain.request_fusion(alice, a, b)
    until = kin.functions.lineageOf(a).call()[4]
    chain.transact(kin.functions.setApprovalForAll(alice, True), bob)
    chain.expect_revert(
        kin.functions.requestFusion(a, c, 0, chain.ANY_PRICE),
        alice,
        "LatentKinOnCooldown",
        a,
        until,
        value=chain.FUSION_FEE,
    )
    chain.expect_revert(
        kin.functions.requestFusion(c, b, 0, chain.ANY_PRICE),
        alice,
        "LatentKinOnCooldown",
        b,
        until,
        value=chain.FUSION_FEE,
    )
    chain.wait_cooldown(a)
    receipt = chain.transact(kin.functions.requestFusion(a, c, 0, chain.ANY_PRICE), alice, chain.FUSION_FEE)
    second = kin.functions.cooldownBlocks(1).call()
    assert kin.functions.lineageOf(a).call()[3:5] == (2, receipt["blockNumber"] + second)
    assert [kin.functions.cooldownBlocks(n).call() for n in (0, 1, 2, 13, 14, 200)] == [4, 8, 16, 32768, 50400, 50400]


def test_fusion_count_is_capped(chain, kin, family):
    alice = chain.users[0]
    a, b, _ = family
    max_fusions = kin.functions.MAX_FUSIONS().call()
    record_slot = chain.record_slot(a)
    attrs = chain.genome(a).attrs
    chain.set_storage(kin.address, record_slot, attrs | ((max_fusions - 1) << 144))  # count 15, no cooldown
    chain.fuse(alice, a, b)
    assert kin.functions.lineageOf(a).call()[3] == max_fusions
    chain.set_storage(kin.address, record_slot, attrs | (max_fusions << 144))  # count 16, cooldown over
    chain.expect_revert(
        kin.functions.requestFusion(a, b, 0, chain.ANY_PRICE), alice, "LatentKinFusionLimit", a, value=chain.FUSION_FEE
    )


def test_reveal_too_early_and_completed_twice(chain, kin, family):
    alice = chain.users[0]
    request_id = chain.request_fusion(alice, family[0], family[1])
    reveal = kin.functions.fusionRequest(request_id).call()[3]
    chain.expect_revert(kin.functions.completeFusion(request_id), alice, "LatentKinRevealTooEarly", request_id, reveal)
    chain.complete_fusion(request_id)
    chain.expect_revert(kin.functions.completeFusion(request_id), alice, "LatentKinUnknownRequest", request_id)
    chain.expect_revert(kin.functions.completeFusion(999), alice, "LatentKinUnknownRequest", 999)
    chain.expect_revert(kin.functions.completeFusion(family[2]), alice, "LatentKinUnknownRequest", family[2])


def test_exactly_256_blocks_later_the_hash_is_still_used(chain, kin, family):
    alice = chain.users[0]
    request_id = chain.request_fusion(alice, family[0], family[1])
    reveal = kin.functions.fusionRequest(request_id).call()[3]
    chain.mine(reveal + 255 - chain.block_number)  # the next transaction runs in block reveal + 256
    fused = chain.complete_fusion(request_id)
    assert fused["seed"] == expected_seed(chain, reveal, request_id)


def test_pause_stops_requests_but_never_a_completion(chain, kin, family):
    """Finding 8: a pause longer than the hash window used to change pending outcomes; completions now go on."""
    alice = chain.users[0]
    request_id = chain.request_fusion(alice, family[0], family[1])
    reveal = kin.functions.fusionRequest(request_id).call()[3]
    chain.mine(1)
    chain.transact(kin.functions.pause(), chain.owner)
    chain.expect_revert(
        kin.functions.requestFusion(family[0], family[2], 0, chain.ANY_PRICE),
        alice,
        "LatentKinPaused",
        value=chain.FUSION_FEE,
    )
    fused = chain.complete_fusion(request_id)
    assert fused["childId"] == request_id and fused["seed"] == expected_seed(chain, reveal, request_id)
    assert kin.functions.paused().call()


def test_fee_too_low_and_overpayment_is_credited(chain, kin, family):
    alice = chain.users[0]
    fee = chain.FUSION_FEE
    chain.expect_revert(
        kin.functions.requestFusion(family[0], family[1], 0, chain.ANY_PRICE),
        alice,
        "LatentKinFeeTooLow",
        fee - 1,
        fee,
        value=fee - 1,
    )
    chain.request_fusion(alice, family[0], family[1], value=fee + 5, max_price=fee)
    assert kin.functions.pendingWithdrawal(alice).call() == 5
    assert kin.functions.pendingWithdrawal(chain.owner).call() == fee
    assert chain.w3.eth.get_balance(kin.address) == fee + 5


def test_the_fee_is_capped_by_the_requesters_maximum(chain, kin, family):
    """Finding 7: a fee raised just before a request landed took the requester's over-payment."""
    alice = chain.users[0]
    fee = chain.FUSION_FEE
    chain.transact(kin.functions.setFusionFee(fee * 3), chain.owner)
    chain.expect_revert(
        kin.functions.requestFusion(family[0], family[1], 0, fee),
        alice,
        "LatentKinPriceAboveMax",
        fee * 3,
        fee,
        value=fee * 5,
    )
    assert kin.functions.pendingWithdrawal(alice).call() == 0
