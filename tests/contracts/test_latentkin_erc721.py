"""ERC-721 behaviour of LatentKin: transfers, approvals, safe transfers, royalties, ERC-165, metadata settings."""

import pytest

from latentkin_core.genome import Genome
from support import interface_ids

ZERO = "0x" + "00" * 20
MAX_UINT = 2**256 - 1


@pytest.fixture
def token(chain):
    """Token 1, owned by the first user."""
    return chain.mint(chain.users[0], Genome(0xC0FFEE, 0x42))


def test_owner_transfers_and_balances_follow(chain, kin, token):
    alice, bob = chain.users[:2]
    receipt = chain.transact(kin.functions.transferFrom(alice, bob, token), alice)
    assert chain.events(receipt, "Transfer") == [{"from": alice, "to": bob, "tokenId": token}]
    assert kin.functions.ownerOf(token).call() == bob
    assert (kin.functions.balanceOf(alice).call(), kin.functions.balanceOf(bob).call()) == (0, 1)
    assert chain.genome(token) == Genome(0xC0FFEE, 0x42)  # the genome travels unchanged


def test_strangers_cannot_transfer_and_from_must_be_the_owner(chain, kin, token):
    alice, bob, carol = chain.users[:3]
    chain.expect_revert(kin.functions.transferFrom(alice, bob, token), bob, "ERC721InsufficientApproval", bob, token)
    chain.expect_revert(
        kin.functions.transferFrom(carol, bob, token), alice, "ERC721IncorrectOwner", carol, token, alice
    )
    chain.expect_revert(kin.functions.transferFrom(alice, ZERO, token), alice, "ERC721InvalidReceiver", ZERO)
    chain.expect_revert(kin.functions.approve(bob, token), carol, "ERC721InvalidApprover", carol)


def test_approved_address_and_operator_may_transfer(chain, kin, token):
    alice, bob, carol = chain.users[:3]
    receipt = chain.transact(kin.functions.approve(bob, token), alice)
    assert chain.events(receipt, "Approval") == [{"owner": alice, "approved": bob, "tokenId": token}]
    chain.transact(kin.functions.transferFrom(alice, carol, token), bob)
    assert kin.functions.getApproved(token).call() == ZERO  # cleared by the transfer
    chain.transact(kin.functions.setApprovalForAll(alice, True), carol)
    assert kin.functions.isApprovedForAll(carol, alice).call()
    chain.transact(kin.functions.transferFrom(carol, alice, token), alice)
    assert kin.functions.ownerOf(token).call() == alice


def test_safe_transfer_calls_the_receiver_and_refuses_non_receivers(chain, kin, token, genome_harness):
    alice = chain.users[0]
    receiver = chain.deploy_contract("ReentrantReceiver", kin.address)
    chain.transact(kin.functions.safeTransferFrom(alice, receiver.address, token), alice)
    assert kin.functions.ownerOf(token).call() == receiver.address
    assert receiver.functions.callbacks().call() == 1
    second = chain.mint(alice, Genome(1, 1))
    # A contract without onERC721Received cannot receive by a safe transfer (a plain one still works).
    chain.expect_revert(
        kin.functions.safeTransferFrom(alice, genome_harness.address, second),
        alice,
        "ERC721InvalidReceiver",
        genome_harness.address,
    )
    chain.transact(kin.functions.transferFrom(alice, genome_harness.address, second), alice)
    assert kin.functions.ownerOf(second).call() == genome_harness.address


def test_royalties_follow_erc2981_and_only_the_owner_sets_them(chain, kin, token):
    """More of OpenZeppelin's ERC-2981 behaviour is in test_latentkin_erc2981.py."""
    alice = chain.users[0]
    assert kin.functions.royaltyInfo(token, 10**18).call() == [chain.owner, 10**18 * chain.ROYALTY_BPS // 10_000]
    receipt = chain.transact(kin.functions.setDefaultRoyalty(alice, 1_000), chain.owner)
    assert chain.events(receipt, "RoyaltyChanged") == [{"receiver": alice, "bps": 1_000}]
    assert kin.functions.royaltyInfo(token, 2_000).call() == [alice, 200]
    chain.expect_revert(
        kin.functions.setDefaultRoyalty(alice, 10_001), chain.owner, "ERC2981InvalidDefaultRoyalty", 10_001, 10_000
    )
    chain.transact(kin.functions.setDefaultRoyalty(alice, 10_000), chain.owner)
    assert kin.functions.royaltyInfo(token, 7).call() == [alice, 7]
    chain.expect_revert(kin.functions.setDefaultRoyalty(alice, 1), alice, "OwnableUnauthorizedAccount", alice)


def test_ownership_moves_in_two_steps(chain, kin):
    """Issue 23, finding 4: a one-step transfer handed every unwithdrawn fee to whatever address was typed."""
    alice, mallory = chain.users[0], chain.users[3]
    receipt = chain.transact(kin.functions.transferOwnership(alice), chain.owner)
    assert chain.events(receipt, "OwnershipTransferStarted") == [{"previousOwner": chain.owner, "newOwner": alice}]
    assert (kin.functions.owner().call(), kin.functions.pendingOwner().call()) == (chain.owner, alice)
    chain.expect_revert(kin.functions.acceptOwnership(), mallory, "OwnableUnauthorizedAccount", mallory)
    chain.transact(kin.functions.transferOwnership(ZERO), chain.owner)  # the owner may withdraw the hand-over
    chain.expect_revert(kin.functions.acceptOwnership(), alice, "OwnableUnauthorizedAccount", alice)
    chain.transact(kin.functions.transferOwnership(alice), chain.owner)
    receipt = chain.transact(kin.functions.acceptOwnership(), alice)
    assert chain.events(receipt, "OwnershipTransferred") == [{"previousOwner": chain.owner, "newOwner": alice}]
    assert (kin.functions.owner().call(), kin.functions.pendingOwner().call()) == (alice, ZERO)


def test_ownership_cannot_be_renounced(chain, kin):
    """Issue 23, finding 4: renouncing stranded the owner's fees, named address(0) the royalty receiver and made
    a pause permanent."""
    chain.request_fusion(
        chain.users[0], chain.mint(chain.users[0], Genome(1, 1)), chain.mint(chain.users[0], Genome(2, 2))
    )
    chain.expect_revert(kin.functions.renounceOwnership(), chain.owner, "LatentKinOwnershipNotRenounceable")
    assert kin.functions.owner().call() == chain.owner
    assert kin.functions.royaltyInfo(1, 10_000).call() == [chain.owner, chain.ROYALTY_BPS]
    assert kin.functions.pendingWithdrawal(chain.owner).call() == chain.FUSION_FEE  # still the owner's to withdraw


def test_the_owner_is_the_only_admin_and_the_role_moves_with_ownership(chain, kin):
    """Finding 3: an extra DEFAULT_ADMIN_ROLE holder survived transferOwnership and could lock the new owner out."""
    alice, mallory = chain.users[0], chain.users[3]
    admin, minter = kin.functions.DEFAULT_ADMIN_ROLE().call(), kin.functions.MINTER_ROLE().call()
    owner = chain.owner
    chain.expect_revert(kin.functions.grantRole(admin, mallory), owner, "LatentKinAdminIsOwner", mallory)
    chain.expect_revert(kin.functions.renounceRole(admin, owner), owner, "LatentKinAdminIsOwner", owner)
    chain.expect_revert(kin.functions.revokeRole(admin, owner), owner, "LatentKinAdminIsOwner", owner)
    chain.transact(kin.functions.grantRole(admin, owner), owner)  # a no-op, allowed
    chain.expect_revert(
        kin.functions.grantRole(minter, mallory), mallory, "AccessControlUnauthorizedAccount", mallory, admin
    )

    chain.transact(kin.functions.transferOwnership(alice), owner)
    receipt = chain.transact(kin.functions.acceptOwnership(), alice)
    assert chain.events(receipt, "RoleRevoked") == [{"role": admin, "account": owner, "sender": alice}]
    assert chain.events(receipt, "RoleGranted") == [{"role": admin, "account": alice, "sender": alice}]
    assert kin.functions.hasRole(admin, alice).call() and not kin.functions.hasRole(admin, owner).call()
    chain.expect_revert(
        kin.functions.grantRole(minter, mallory), owner, "AccessControlUnauthorizedAccount", owner, admin
    )
    chain.transact(kin.functions.revokeRole(minter, chain.minter), alice)  # the new owner manages minters
    assert not kin.functions.hasRole(minter, chain.minter).call()

    chain.transact(kin.functions.transferOwnership(alice), alice)  # to oneself: a no-op that keeps the role
    chain.transact(kin.functions.acceptOwnership(), alice)
    assert kin.functions.hasRole(admin, alice).call()


@pytest.mark.parametrize(
    "interface_id, supported",
    [
        (interface_ids.ERC165, True),
        (interface_ids.ERC721, True),
        (interface_ids.ERC721_METADATA, True),
        (interface_ids.ERC2981, True),
        (interface_ids.ERC4906, True),
        (interface_ids.ERC7496, True),
        (interface_ids.ACCESS_CONTROL, True),
        (interface_ids.ERC721_ENUMERABLE, False),  # not implemented
        (b"\xff\xff\xff\xff", False),  # ERC-165's invalid id
    ],
)
def test_supports_interface(kin, interface_id, supported):
    assert kin.functions.supportsInterface(interface_id).call() is supported


def test_base_uri_and_renderer_hash_changes_refresh_all_metadata(chain, kin, token):
    receipt = chain.transact(kin.functions.setBaseURI("ipfs://kin/"), chain.owner)
    assert chain.events(receipt, "BaseURIChanged") == [{"baseURI": "ipfs://kin/"}]
    assert chain.events(receipt, "BatchMetadataUpdate") == [{"_fromTokenId": 1, "_toTokenId": MAX_UINT}]
    assert kin.functions.tokenURI(token).call() == "ipfs://kin/1"

    new_hash = b"\xab" * 32
    receipt = chain.transact(kin.functions.setRendererHash(new_hash), chain.owner)
    assert chain.events(receipt, "RendererHashChanged") == [{"previousHash": b"\x00" * 32, "newHash": new_hash}]
    assert chain.events(receipt, "BatchMetadataUpdate") == [{"_fromTokenId": 1, "_toTokenId": MAX_UINT}]
    assert kin.functions.rendererHash().call() == new_hash

    receipt = chain.transact(kin.functions.setContractURI("ipfs://kin.json"), chain.owner)
    assert len(chain.events(receipt, "ContractURIUpdated")) == 1
    assert kin.functions.contractURI().call() == "ipfs://kin.json"


def test_fee_setting_is_bounded_and_announced(chain, kin):
    receipt = chain.transact(kin.functions.setFusionFee(7), chain.owner)
    assert chain.events(receipt, "FusionFeeChanged") == [{"fee": 7}]
    assert kin.functions.fusionFee().call() == 7
    chain.expect_revert(kin.functions.setFusionFee(2**96), chain.owner, "SafeCastOverflowedUintDowncast", 96, 2**96)


@pytest.mark.parametrize(
    "setter, args",
    [
        ("setBaseURI", ("x",)),
        ("setContractURI", ("x",)),
        ("setRendererHash", (b"\x01" * 32,)),
        ("setFusionFee", (1,)),
        ("setPublicMint", (1, 1)),
        ("pause", ()),
        ("transferOwnership", (ZERO[:-1] + "1",)),
    ],
)
def test_settings_are_owner_only(chain, kin, setter, args):
    stranger = chain.users[3]
    chain.expect_revert(getattr(kin.functions, setter)(*args), stranger, "OwnableUnauthorizedAccount", stranger)
