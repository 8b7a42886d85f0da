"""OpenZeppelin's own ERC-2981 behaviour (``shouldBehaveLikeERC2981``, test/token/common/ERC2981.behavior.js of
openzeppelin-contracts 5), its default-royalty cases case by case against LatentKin, with OpenZeppelin's errors.

The npm package ships no tests, and that suite runs on Hardhat with chai and ethers, so its cases are carried
over here one to one (same names, same figures) on py-evm. What LatentKin deliberately does differently:

* one royalty for the whole collection: there is no ``setTokenRoyalty`` / ``resetTokenRoyalty``, so the
  suite's "token based royalty" cases do not apply;
* the deployer is the first receiver, and a royalty paid to the owner follows ownership when it moves
  (``test_a_royalty_paid_to_the_owner_follows_ownership``); a royalty named to anyone else stays;
* every change emits ``RoyaltyChanged`` (OpenZeppelin's ERC2981 emits nothing).
"""

import pytest

from latentkin_core.genome import Genome
from support import interface_ids

ZERO = "0x" + "00" * 20
ROYALTY_FRACTION = 10
SALE_PRICE = 1000  # the suite's salePrice


@pytest.fixture
def tokens(chain):
    """tokenId1 and tokenId2 of the suite."""
    return chain.mint(chain.users[0], Genome(1, 1)), chain.mint(chain.users[0], Genome(2, 2))


@pytest.fixture
def account1(chain, kin):
    """The suite's ``beforeEach``: the default royalty goes to account1 at 10 basis points."""
    account = chain.users[1]
    chain.transact(kin.functions.setDefaultRoyalty(account, ROYALTY_FRACTION), chain.owner)
    return account


def test_supports_the_erc2981_interface(kin):
    assert kin.functions.supportsInterface(interface_ids.ERC2981).call() is True


def test_checks_royalty_is_set(kin, tokens, account1):
    assert kin.functions.royaltyInfo(tokens[0], SALE_PRICE).call() == [
        account1,
        SALE_PRICE * ROYALTY_FRACTION // 10_000,
    ]


def test_updates_royalty_amount(chain, kin, tokens, account1):
    chain.transact(kin.functions.setDefaultRoyalty(account1, 25), chain.owner)
    assert kin.functions.royaltyInfo(tokens[0], SALE_PRICE).call() == [account1, SALE_PRICE * 25 // 10_000]


def test_holds_same_royalty_value_for_different_tokens(chain, kin, tokens, account1):
    chain.transact(kin.functions.setDefaultRoyalty(account1, 20), chain.owner)
    assert (
        kin.functions.royaltyInfo(tokens[0], SALE_PRICE).call()
        == kin.functions.royaltyInfo(tokens[1], SALE_PRICE).call()
    )


def test_remove_royalty_information(chain, kin, tokens, account1):
    """Issue 23, finding 4: the royalty could not be removed."""
    receipt = chain.transact(kin.functions.deleteDefaultRoyalty(), chain.owner)
    assert chain.events(receipt, "RoyaltyChanged") == [{"receiver": ZERO, "bps": 0}]
    token1, token2 = (kin.functions.royaltyInfo(t, SALE_PRICE).call() for t in tokens)
    assert token1 == token2 == [ZERO, 0]


def test_reverts_if_invalid_parameters(chain, kin, account1):
    """Issue 23, finding 4: a zero receiver was accepted (and then read as "the owner of the day")."""
    chain.expect_revert(
        kin.functions.setDefaultRoyalty(ZERO, ROYALTY_FRACTION),
        chain.owner,
        "ERC2981InvalidDefaultRoyaltyReceiver",
        ZERO,
    )
    chain.expect_revert(
        kin.functions.setDefaultRoyalty(account1, 11_000), chain.owner, "ERC2981InvalidDefaultRoyalty", 11_000, 10_000
    )


def test_only_the_owner_changes_or_removes_the_royalty(chain, kin, account1):
    stranger = chain.users[3]
    chain.expect_revert(kin.functions.setDefaultRoyalty(stranger, 1), stranger, "OwnableUnauthorizedAccount", stranger)
    chain.expect_revert(kin.functions.deleteDefaultRoyalty(), stranger, "OwnableUnauthorizedAccount", stranger)


def test_a_royalty_paid_to_the_owner_follows_ownership(chain, kin, tokens):
    """LatentKin's own rule (an earlier review's finding: after a hand-over the royalties went on paying the
    deployer): the receiver the owner was moves to the new owner when it accepts; a named one stays."""
    alice, bob = chain.users[:2]
    assert kin.functions.royaltyInfo(tokens[0], 10_000).call() == [chain.owner, chain.ROYALTY_BPS]
    chain.transact(kin.functions.transferOwnership(alice), chain.owner)
    assert kin.functions.royaltyInfo(tokens[0], 10_000).call() == [chain.owner, chain.ROYALTY_BPS]  # only pending
    receipt = chain.transact(kin.functions.acceptOwnership(), alice)
    assert chain.events(receipt, "RoyaltyChanged") == [{"receiver": alice, "bps": chain.ROYALTY_BPS}]
    assert kin.functions.royaltyInfo(tokens[0], 10_000).call() == [alice, chain.ROYALTY_BPS]
    chain.transact(kin.functions.setDefaultRoyalty(bob, 100), alice)  # named: stays with bob
    chain.transact(kin.functions.transferOwnership(chain.owner), alice)
    receipt = chain.transact(kin.functions.acceptOwnership(), chain.owner)
    assert chain.events(receipt, "RoyaltyChanged") == []
    assert kin.functions.royaltyInfo(tokens[0], 10_000).call() == [bob, 100]
