"""ERC-7496 dynamic traits of LatentKin: `fusions` and `restingUntil`, read from the token record by any contract
(here through the LatentKinZone's `traitsHash`), announced when a fusion request changes them, never settable."""

import json
import random
from urllib.parse import unquote

import pytest
from eth_abi import encode
from eth_utils import keccak

from latentkin_core.genome import random_genome
from support import interface_ids

FUSIONS = keccak(text="fusions")
RESTING_UNTIL = keccak(text="restingUntil")


def word(value: int) -> bytes:
    return value.to_bytes(32, "big")


@pytest.fixture
def pair(chain):
    """Alice owns tokens 1 and 2 (random gen-0 genomes)."""
    rng = random.Random(23)
    alice = chain.users[0]
    return chain.mint(alice, random_genome(rng)), chain.mint(alice, random_genome(rng))


def test_erc7496_interface_id_is_the_ercs_and_is_supported(kin):
    assert bytes.fromhex("af332f3e") == interface_ids.ERC7496  # the id ERC-7496 fixes
    assert kin.functions.supportsInterface(interface_ids.ERC7496).call() is True


def test_a_fusion_request_changes_both_traits_and_announces_them(chain, kin, pair):
    a, b = pair
    assert kin.functions.getTraitValues(a, [FUSIONS, RESTING_UNTIL]).call() == [word(0), word(0)]
    receipt = chain.transact(kin.functions.requestFusion(a, b, 0, chain.ANY_PRICE), chain.users[0], chain.FUSION_FEE)
    until = receipt["blockNumber"] + kin.functions.cooldownBlocks(0).call()
    for token in (a, b):
        assert kin.functions.getTraitValue(token, FUSIONS).call() == word(1)
        assert kin.functions.getTraitValue(token, RESTING_UNTIL).call() == word(until)
        assert kin.functions.getTraitValues(token, [RESTING_UNTIL, FUSIONS]).call() == [word(until), word(1)]
    assert chain.events(receipt, "TraitUpdatedList") == [
        {"traitKey": FUSIONS, "tokenIds": [a, b]},
        {"traitKey": RESTING_UNTIL, "tokenIds": [a, b]},
    ]
    # The values are the lineage's: one record, two views.
    assert kin.functions.lineageOf(a).call()[3:5] == (1, until)


def test_completion_and_transfers_leave_the_traits_alone(chain, kin, pair):
    alice, bob = chain.users[:2]
    a, b = pair
    request_id = chain.request_fusion(alice, a, b)
    before = kin.functions.getTraitValues(a, [FUSIONS, RESTING_UNTIL]).call()
    child = chain.complete_fusion(request_id)["childId"]
    receipt = chain.transact(kin.functions.transferFrom(alice, bob, a), alice)
    assert chain.events(receipt, "TraitUpdatedList") == [] and chain.events(receipt, "TraitUpdated") == []
    assert kin.functions.getTraitValues(a, [FUSIONS, RESTING_UNTIL]).call() == before
    assert kin.functions.getTraitValues(child, [FUSIONS, RESTING_UNTIL]).call() == [word(0), word(0)]


def test_other_contracts_read_the_traits(chain, kin, pair):
    """The LatentKinZone reads them through ERC-7496 alone: its hash is of exactly these values."""
    a, b = pair
    zone = chain.deploy_contract("LatentKinZone", kin.address)
    chain.request_fusion(chain.users[0], a, b)
    fusions, until = (
        int.from_bytes(v, "big") for v in kin.functions.getTraitValues(a, [FUSIONS, RESTING_UNTIL]).call()
    )
    assert zone.functions.traitsHash([a]).call() == keccak(encode(["uint256"] * 3, [a, fusions, until]))


def test_unknown_keys_missing_tokens_and_setting_are_refused(chain, kin, pair):
    a, _ = pair
    alice, owner = chain.users[0], chain.owner
    other = keccak(text="colour")
    chain.expect_revert(kin.functions.getTraitValue(a, other), alice, "TraitKeyUnknown", other)
    chain.expect_revert(kin.functions.getTraitValues(a, [FUSIONS, other]), alice, "TraitKeyUnknown", other)
    chain.expect_revert(kin.functions.getTraitValue(99, FUSIONS), alice, "ERC721NonexistentToken", 99)
    chain.expect_revert(kin.functions.getTraitValues(99, [FUSIONS]), alice, "ERC721NonexistentToken", 99)
    for sender in (alice, owner):  # not even the token's or the contract's owner sets a trait
        chain.expect_revert(kin.functions.setTrait(a, FUSIONS, word(0)), sender, "LatentKinTraitNotSettable", FUSIONS)
    chain.expect_revert(kin.functions.setTrait(a, other, word(0)), alice, "TraitKeyUnknown", other)


def test_trait_metadata_names_both_traits_and_asks_marketplaces_to_validate_them(kin):
    uri = kin.functions.getTraitMetadataURI().call()
    prefix = "data:application/json,"
    assert uri.startswith(prefix)
    traits = json.loads(unquote(uri[len(prefix) :]))["traits"]
    assert set(traits) == {"fusions", "restingUntil"}  # keys: keccak256 of these names (ERC-7496)
    assert all(t["validateOnSale"] == "requireEq" and t["dataType"]["type"] == "decimal" for t in traits.values())
    assert traits["fusions"]["dataType"]["maxValue"] == kin.functions.MAX_FUSIONS().call()
