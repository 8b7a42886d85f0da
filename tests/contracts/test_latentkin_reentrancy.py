"""Reentrancy: a malicious receiver calls back into LatentKin from onERC721Received and from receive()."""

import pytest
from eth_utils import keccak

REENTRANT = keccak(text="ReentrancyGuardReentrantCall()")[:4]


@pytest.fixture
def attacker(chain, kin):
    """A ReentrantReceiver holding tokens 1 and 2, plus Alice's tokens 3 and 4."""
    return chain.deploy_token_holder("ReentrantReceiver", genome_seed=3)


def _attacker_request(chain, attacker, a, b, value):
    receipt = chain.transact(attacker.functions.requestFusion(a, b), chain.users[1], value)
    return chain.events(receipt, "FusionRequested")[0]["requestId"]


def test_completion_never_calls_the_receiver(chain, kin, attacker):
    """Children are minted with _mint: no onERC721Received, so no re-entry (and no veto) from a completion."""
    alice = chain.users[0]
    own_request = _attacker_request(chain, attacker, 1, 2, chain.FUSION_FEE)
    other_request = chain.request_fusion(alice, 3, 4)
    chain.mine(2)
    chain.transact(attacker.functions.setAttack(kin.encode_abi("completeFusion", [other_request])), alice)

    fused = chain.complete_fusion(own_request, caller=alice)
    assert kin.functions.ownerOf(fused["childId"]).call() == attacker.address
    assert attacker.functions.callbacks().call() == 0
    assert kin.functions.fusionRequest(other_request).call()[0] == alice  # still pending, untouched
    assert kin.functions.totalSupply().call() == 5


def test_a_request_from_a_safe_transfer_callback_sees_a_finished_transfer(chain, kin, attacker):
    """Requests carry no re-entrancy guard: they call nothing, and a transfer's callback runs after it is done."""
    alice = chain.users[0]
    chain.transact(kin.functions.setFusionFee(0), chain.owner)
    chain.transact(attacker.functions.setAttack(kin.encode_abi("requestFusion", [3, 1, 0, 0])), alice)
    chain.transact(kin.functions.safeTransferFrom(alice, attacker.address, 3), alice)
    assert attacker.functions.attackSucceeded().call() is True
    assert kin.functions.fusionRequest(5).call()[:3] == (attacker.address, 3, 1)
    assert kin.functions.ownerOf(3).call() == attacker.address


def test_reentering_withdraw_from_receive_pays_once(chain, kin, attacker):
    alice = chain.users[0]
    overpaid = 12345
    _attacker_request(chain, attacker, 1, 2, chain.FUSION_FEE + overpaid)  # the excess is owed to the attacker
    assert kin.functions.pendingWithdrawal(attacker.address).call() == overpaid
    chain.transact(attacker.functions.setAttack(kin.encode_abi("withdraw", [])), alice)
    held = chain.w3.eth.get_balance(kin.address)

    chain.transact(attacker.functions.withdraw(), alice)
    assert attacker.functions.attackRevertData().call() == REENTRANT
    assert chain.w3.eth.get_balance(attacker.address) == overpaid
    assert chain.w3.eth.get_balance(kin.address) == held - overpaid == chain.FUSION_FEE
    assert kin.functions.pendingWithdrawal(attacker.address).call() == 0
