"""Gen-0 minting: the minter role, pause, views of missing tokens, and the commit-reveal public mint."""

import random

import pytest
from eth_abi import encode
from eth_utils import keccak

from latentkin_core.genome import Genome, genome_from_seed, random_genome

ZERO = "0x" + "00" * 20


@pytest.fixture
def rng():
    return random.Random(7)


def test_minter_mints_gen0_with_its_genome(chain, kin, rng):
    alice = chain.users[0]
    genome = random_genome(rng)
    receipt = chain.transact(kin.functions.mint(alice, genome.code, genome.attrs), chain.minter)
    (transfer,) = chain.events(receipt, "Transfer")
    assert transfer == {"from": ZERO, "to": alice, "tokenId": 1}
    assert kin.functions.ownerOf(1).call() == alice
    assert chain.genome(1) == genome
    assert kin.functions.lineageOf(1).call() == (0, 0, 0, 0, 0, 0)
    assert kin.functions.totalSupply().call() == 1 and kin.functions.lastTokenId().call() == 1
    assert kin.functions.tokenURI(1).call() == chain.BASE_URI + "1"
    assert chain.mint(alice, random_genome(rng)) == 2


def test_only_a_minter_may_mint(chain, kin):
    alice = chain.users[0]
    role = kin.functions.MINTER_ROLE().call()
    chain.expect_revert(kin.functions.mint(alice, 1, 1), alice, "AccessControlUnauthorizedAccount", alice, role)
    chain.expect_revert(
        kin.functions.mint(alice, 1, 1), chain.owner, "AccessControlUnauthorizedAccount", chain.owner, role
    )
    chain.transact(kin.functions.grantRole(role, alice), chain.owner)
    assert chain.mint(alice, Genome(1, 1)) == 1
    chain.transact(kin.functions.revokeRole(role, alice), chain.owner)
    chain.expect_revert(kin.functions.mint(alice, 1, 1), alice, "AccessControlUnauthorizedAccount", alice, role)


def test_mint_to_the_zero_address_reverts(chain, kin):
    chain.expect_revert(kin.functions.mint(ZERO, 1, 1), chain.minter, "ERC721InvalidReceiver", ZERO)


def test_pause_blocks_minting_and_only_the_owner_toggles_it(chain, kin):
    alice = chain.users[0]
    chain.expect_revert(kin.functions.pause(), alice, "OwnableUnauthorizedAccount", alice)
    chain.expect_revert(kin.functions.unpause(), chain.owner, "LatentKinNotPaused")
    receipt = chain.transact(kin.functions.pause(), chain.owner)
    assert chain.events(receipt, "Paused") == [{"account": chain.owner}]
    assert kin.functions.paused().call()
    chain.expect_revert(kin.functions.pause(), chain.owner, "LatentKinPaused")
    chain.expect_revert(kin.functions.mint(alice, 1, 1), chain.minter, "LatentKinPaused")
    chain.expect_revert(
        kin.functions.requestPublicMint(chain.ANY_PRICE), alice, "LatentKinPaused", value=chain.PUBLIC_MINT_PRICE
    )
    receipt = chain.transact(kin.functions.unpause(), chain.owner)
    assert chain.events(receipt, "Unpaused") == [{"account": chain.owner}]
    assert chain.mint(alice, Genome(1, 1)) == 1


@pytest.mark.parametrize("view", ["ownerOf", "genomeOf", "lineageOf", "tokenURI", "fusionOffer"])
def test_views_of_a_missing_token_revert(chain, kin, view):
    chain.expect_revert(getattr(kin.functions, view)(99), chain.owner, "ERC721NonexistentToken", 99)


def _public_request(chain, kin, requester, value=None):
    value = chain.PUBLIC_MINT_PRICE if value is None else value
    receipt = chain.transact(kin.functions.requestPublicMint(chain.ANY_PRICE), requester, value)
    (event,) = chain.events(receipt, "PublicMintRequested")
    return event


def test_public_mint_reveals_a_genome_nobody_could_choose(chain, kin):
    alice, bob = chain.users[:2]
    chain.mint(alice, Genome(1, 1))  # id 1 exists; the public mint reserves id 2
    event = _public_request(chain, kin, alice)
    request_id, reveal = event["requestId"], event["revealBlock"]
    assert request_id == 2 and event["requester"] == alice
    assert reveal == chain.block_number + 1
    assert kin.functions.fusionRequest(2).call() == (alice, 0, 0, reveal, 0)
    assert kin.functions.publicMinted().call() == 1 and kin.functions.totalSupply().call() == 1
    chain.expect_revert(kin.functions.ownerOf(2), alice, "ERC721NonexistentToken", 2)
    chain.expect_revert(kin.functions.completePublicMint(2), bob, "LatentKinRevealTooEarly", 2, reveal)

    chain.mine(1)
    receipt = chain.transact(kin.functions.completePublicMint(2), bob)  # anyone may complete
    (minted,) = chain.events(receipt, "PublicMinted")
    block_hash = chain.w3.eth.get_block(reveal)["hash"]
    expected_seed = int.from_bytes(
        keccak(encode(["bytes32", "address", "uint256"], [block_hash, kin.address, 2])), "big"
    )
    assert minted == {"tokenId": 2, "requestId": 2, "seed": expected_seed, "completer": bob}
    assert kin.functions.ownerOf(2).call() == alice  # to the requester, not the caller
    assert chain.genome(2) == genome_from_seed(expected_seed)
    assert kin.functions.totalSupply().call() == 2
    assert kin.functions.pendingWithdrawal(chain.owner).call() == chain.PUBLIC_MINT_PRICE
    assert kin.functions.fusionRequest(2).call() == (ZERO, 0, 0, 0, 0)
    chain.expect_revert(kin.functions.completePublicMint(2), bob, "LatentKinUnknownRequest", 2)


def test_public_mint_price_cap_and_overpayment(chain, kin):
    alice = chain.users[0]
    price = chain.PUBLIC_MINT_PRICE
    chain.expect_revert(
        kin.functions.requestPublicMint(chain.ANY_PRICE), alice, "LatentKinFeeTooLow", price - 1, price, value=price - 1
    )
    _public_request(chain, kin, alice, value=price + 123)
    assert kin.functions.pendingWithdrawal(alice).call() == 123

    receipt = chain.transact(kin.functions.setPublicMint(price, 1), chain.owner)
    assert chain.events(receipt, "PublicMintChanged") == [{"price": price, "cap": 1}]
    chain.expect_revert(
        kin.functions.requestPublicMint(chain.ANY_PRICE), alice, "LatentKinMintCapReached", 1, value=price
    )
    chain.transact(kin.functions.setPublicMint(0, 0), chain.owner)  # a cap of 0 closes it
    chain.expect_revert(kin.functions.requestPublicMint(chain.ANY_PRICE), alice, "LatentKinMintCapReached", 0, value=0)
    chain.expect_revert(kin.functions.setPublicMint(0, 2**32), chain.owner, "SafeCastOverflowedUintDowncast", 32, 2**32)
    chain.expect_revert(kin.functions.setPublicMint(0, 3), alice, "OwnableUnauthorizedAccount", alice)


def test_public_mint_takes_a_maximum_price(chain, kin):
    """Finding 7: a price raised before the request lands made the requester pay it out of an over-payment."""
    alice = chain.users[0]
    price = chain.PUBLIC_MINT_PRICE
    chain.transact(kin.functions.setPublicMint(price * 2, chain.PUBLIC_MINT_CAP), chain.owner)  # raised meanwhile
    chain.expect_revert(
        kin.functions.requestPublicMint(price), alice, "LatentKinPriceAboveMax", price * 2, price, value=price * 3
    )
    receipt = chain.transact(kin.functions.requestPublicMint(price * 2), alice, price * 3)
    assert len(chain.events(receipt, "PublicMintRequested")) == 1
    assert kin.functions.pendingWithdrawal(alice).call() == price  # the rest is refunded (pull payment)


def test_public_and_fusion_requests_are_not_interchangeable(chain, kin):
    alice = chain.users[0]
    a, b = chain.mint(alice, Genome(1, 1)), chain.mint(alice, Genome(2, 2))
    public_id = _public_request(chain, kin, alice)["requestId"]
    fusion_id = chain.request_fusion(alice, a, b)
    chain.mine(2)
    chain.expect_revert(kin.functions.completeFusion(public_id), alice, "LatentKinUnknownRequest", public_id)
    chain.expect_revert(kin.functions.completePublicMint(fusion_id), alice, "LatentKinUnknownRequest", fusion_id)
    chain.expect_revert(kin.functions.completePublicMint(99), alice, "LatentKinUnknownRequest", 99)
    chain.expect_revert(kin.functions.completePublicMint(a), alice, "LatentKinUnknownRequest", a)  # a token
