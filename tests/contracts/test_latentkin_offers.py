"""Fusion offers (CryptoKitties' siring approval) and pull-payment withdrawals."""

import random

import pytest

from latentkin_core.genome import random_genome

ZERO = "0x" + "00" * 20


@pytest.fixture
def tokens(chain):
    """Alice owns token 1, Bob owns token 2."""
    rng = random.Random(5)
    alice, bob = chain.users[:2]
    return chain.mint(alice, random_genome(rng)), chain.mint(bob, random_genome(rng))


def test_an_offer_to_one_address_is_paid_to_the_owner_and_used_up(chain, kin, tokens):
    alice, bob = chain.users[:2]
    mine, theirs = tokens
    receipt = chain.transact(kin.functions.setFusionOffer(theirs, alice, 300), bob)
    assert chain.events(receipt, "FusionOfferSet") == [{"tokenId": theirs, "owner": bob, "fuser": alice, "price": 300}]
    assert kin.functions.fusionOffer(theirs).call() == [alice, 300]
    required = chain.FUSION_FEE + 300
    chain.expect_revert(
        kin.functions.requestFusion(mine, theirs, 0, chain.ANY_PRICE),
        alice,
        "LatentKinFeeTooLow",
        required - 1,
        required,
        value=required - 1,
    )

    receipt = chain.transact(kin.functions.requestFusion(mine, theirs, 0, chain.ANY_PRICE), alice, required)
    assert chain.events(receipt, "FusionOfferCancelled") == [{"tokenId": theirs}]
    assert kin.functions.fusionOffer(theirs).call() == [ZERO, 0]
    assert kin.functions.pendingWithdrawal(bob).call() == 300
    assert kin.functions.pendingWithdrawal(chain.owner).call() == chain.FUSION_FEE
    child = chain.complete_fusion(chain.events(receipt, "FusionRequested")[0]["requestId"])["childId"]
    assert kin.functions.ownerOf(child).call() == alice

    chain.wait_cooldown(mine, theirs)  # the offer was single-use
    chain.expect_revert(
        kin.functions.requestFusion(mine, theirs, 0, chain.ANY_PRICE),
        alice,
        "LatentKinNotAuthorized",
        alice,
        theirs,
        value=required,
    )


def test_an_offer_to_anyone_needs_a_price(chain, kin, tokens):
    alice, bob, carol = chain.users[:3]
    mine, theirs = tokens
    chain.expect_revert(kin.functions.setFusionOffer(theirs, ZERO, 0), bob, "LatentKinInvalidOffer", theirs)
    chain.transact(kin.functions.setFusionOffer(theirs, ZERO, 50), bob)
    chain.transact(kin.functions.approve(carol, mine), alice)
    # carol: approved for mine, pays the open offer on theirs
    chain.complete_fusion(chain.request_fusion(carol, mine, theirs, value=chain.FUSION_FEE + 50))
    assert kin.functions.pendingWithdrawal(bob).call() == 50


def test_only_the_owner_manages_offers_and_a_transfer_retires_them(chain, kin, tokens):
    alice, bob, carol = chain.users[:3]
    mine, theirs = tokens
    chain.expect_revert(kin.functions.setFusionOffer(theirs, alice, 1), alice, "LatentKinNotTokenOwner", alice, theirs)
    chain.expect_revert(kin.functions.cancelFusionOffer(theirs), alice, "LatentKinNotTokenOwner", alice, theirs)
    chain.expect_revert(
        kin.functions.setFusionOffer(theirs, alice, 2**96), bob, "SafeCastOverflowedUintDowncast", 96, 2**96
    )

    chain.transact(kin.functions.setFusionOffer(theirs, alice, 1), bob)
    chain.transact(kin.functions.transferFrom(bob, carol, theirs), bob)
    assert kin.functions.fusionOffer(theirs).call() == [ZERO, 0]  # carol made no offer
    chain.expect_revert(
        kin.functions.requestFusion(mine, theirs, 0, chain.ANY_PRICE),
        alice,
        "LatentKinNotAuthorized",
        alice,
        theirs,
        value=chain.FUSION_FEE + 1,
    )

    chain.transact(kin.functions.setFusionOffer(theirs, alice, 1), carol)
    receipt = chain.transact(kin.functions.cancelFusionOffer(theirs), carol)
    assert chain.events(receipt, "FusionOfferCancelled") == [{"tokenId": theirs}]
    assert kin.functions.fusionOffer(theirs).call() == [ZERO, 0]


def test_withdrawals_pay_what_is_owed_once(chain, kin, tokens):
    alice, bob = chain.users[:2]
    mine, theirs = tokens
    chain.transact(kin.functions.setFusionOffer(theirs, alice, 10**15), bob)
    chain.request_fusion(alice, mine, theirs, value=chain.FUSION_FEE + 10**15 + 7)
    w3 = chain.w3
    assert w3.eth.get_balance(kin.address) == chain.FUSION_FEE + 10**15 + 7

    for account, owed in ((bob, 10**15), (alice, 7), (chain.owner, chain.FUSION_FEE)):
        assert kin.functions.pendingWithdrawal(account).call() == owed
        before = w3.eth.get_balance(account)
        receipt = chain.transact(kin.functions.withdraw(), account)
        assert chain.events(receipt, "Withdrawn") == [{"account": account, "amount": owed}]
        gas_cost = receipt["gasUsed"] * receipt["effectiveGasPrice"]
        assert w3.eth.get_balance(account) == before + owed - gas_cost
        assert kin.functions.pendingWithdrawal(account).call() == 0
        chain.expect_revert(kin.functions.withdraw(), account, "LatentKinNothingToWithdraw", account)
    assert w3.eth.get_balance(kin.address) == 0


def test_the_owner_also_collects_its_own_offer_income(chain, kin):
    alice = chain.users[0]
    rng = random.Random(9)
    owners_token, alices_token = chain.mint(chain.owner, random_genome(rng)), chain.mint(alice, random_genome(rng))
    chain.transact(kin.functions.setFusionOffer(owners_token, alice, 20), chain.owner)
    chain.request_fusion(alice, alices_token, owners_token, value=chain.FUSION_FEE + 20)
    assert kin.functions.pendingWithdrawal(chain.owner).call() == chain.FUSION_FEE + 20
    receipt = chain.transact(kin.functions.withdraw(), chain.owner)
    assert chain.events(receipt, "Withdrawn") == [{"account": chain.owner, "amount": chain.FUSION_FEE + 20}]
    assert chain.w3.eth.get_balance(kin.address) == 0


def test_an_offer_dies_with_a_transfer_and_does_not_revive(chain, kin, tokens):
    """Finding 6: an offer used to come back when its token returned to the owner who made it."""
    alice, bob, carol = chain.users[:3]
    mine, theirs = tokens
    chain.transact(kin.functions.setFusionOffer(theirs, alice, 1), bob)
    receipt = chain.transact(kin.functions.transferFrom(bob, carol, theirs), bob)
    assert chain.events(receipt, "FusionOfferCancelled") == [{"tokenId": theirs}]
    chain.transact(kin.functions.transferFrom(carol, bob, theirs), carol)  # back to bob
    assert kin.functions.fusionOffer(theirs).call() == [ZERO, 0]
    chain.expect_revert(
        kin.functions.requestFusion(mine, theirs, 0, chain.ANY_PRICE),
        alice,
        "LatentKinNotAuthorized",
        alice,
        theirs,
        value=chain.FUSION_FEE + 1,
    )
    receipt = chain.transact(kin.functions.transferFrom(bob, carol, theirs), bob)  # no offer: no event
    assert chain.events(receipt, "FusionOfferCancelled") == []


def test_a_price_raised_before_the_request_lands_makes_it_revert(chain, kin, tokens):
    """Finding 7: the offer owner raised the price just before a pending request and took the over-payment."""
    alice, bob = chain.users[:2]
    mine, theirs = tokens
    chain.transact(kin.functions.setFusionOffer(theirs, alice, 300), bob)
    agreed = chain.FUSION_FEE + 300
    chain.transact(kin.functions.setFusionOffer(theirs, alice, 5_000), bob)  # front-runs alice's request
    chain.expect_revert(
        kin.functions.requestFusion(mine, theirs, 0, agreed),
        alice,
        "LatentKinPriceAboveMax",
        chain.FUSION_FEE + 5_000,
        agreed,
        value=agreed + 10_000,
    )
    assert kin.functions.pendingWithdrawal(bob).call() == 0
    chain.request_fusion(alice, mine, theirs, value=agreed + 10_000, max_price=chain.FUSION_FEE + 5_000)
    assert kin.functions.pendingWithdrawal(bob).call() == 5_000
    assert kin.functions.pendingWithdrawal(alice).call() == 10_000 - 4_700  # the rest is refunded
