"""Reentrancy: a malicious receiver calls back into LatentKin from onERC721Received and from receive()."""

import random

import pytest
from eth_utils import keccak

from latentkin_core.genome import random_genome

REENTRANT = keccak(text="ReentrancyGuardReentrantCall()")[:4]


@pytest.fixture
def attacker(chain, kin):
    """A ReentrantReceiver holding tokens 1 and 2, plus Alice's tokens 3 and 4."""
    receiver = chain.deploy_contract("ReentrantReceiver", kin.address)
    rng = random.Random(3)
    for owner in (receiver.address, receiver.address, chain.users[0], chain.users[0]):
        chain.mint(owner, random_genome(rng))
    return receiver


def _attacker_request(chain, attacker, a, b, value):
    receipt = chain.transact(attacker.functions.requestFusion(a, b), chain.users[1], value)
    return chain.events(receipt, "FusionRequested")[0]["requestId"]


def test_reentering_completion_from_onERC721Received_is_refused(chain, kin, attacker):
    alice = chain.users[0]
    own_request = _attacker_request(chain, attacker, 1, 2, chain.FUSION_FEE)
    other_request = chain.request_fusion(alice, 3, 4)
    chain.mine(2)
    chain.transact(attacker.functions.setAttack(kin.encode_abi("completeFusion", [other_request])), alice)

    fused = chain.complete_fusion(own_request, caller=alice)
    assert kin.functions.ownerOf(fused["childId"]).call() == attacker.address
    assert attacker.functions.callbacks().call() == 1
    assert attacker.functions.attackSucceeded().call() is False
    assert attacker.functions.attackRevertData().call() == REENTRANT
    assert kin.functions.fusionRequest(other_request).call()[0] == alice  # still pending, untouched
    assert kin.functions.totalSupply().call() == 5


def test_reentering_a_request_from_onERC721Received_is_refused(chain, kin, attacker):
    chain.transact(kin.functions.setFusionFee(0), chain.owner)
    own_request = _attacker_request(chain, attacker, 1, 2, 0)
    chain.wait_cooldown(1, 2)  # without the guard, this request would succeed
    chain.transact(attacker.functions.setAttack(kin.encode_abi("requestFusion", [1, 2, 0])), chain.users[0])
    chain.complete_fusion(own_request, caller=chain.users[0])
    assert attacker.functions.attackSucceeded().call() is False
    assert attacker.functions.attackRevertData().call() == REENTRANT
    assert kin.functions.lastTokenId().call() == own_request  # no new request was made


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
