"""Issue 23, finding 3: ``completeRequests`` completes many requests, fusions and public mints mixed, in one
transaction, each exactly as its single completion would; an id it cannot complete (already completed by anyone,
never made, not revealed yet) is skipped with ``CompletionSkipped``, never reverting the batch."""

import random

from latentkin_core.genome import random_genome
from support.chain import rolled_back

ZERO = "0x" + "00" * 20


def _public_request(chain, requester: str) -> int:
    receipt = chain.transact(chain.kin.functions.requestPublicMint(chain.ANY_PRICE), requester, chain.PUBLIC_MINT_PRICE)
    return chain.events(receipt, "PublicMintRequested")[0]["requestId"]


def _mixed_requests(chain, requester: str, seed: int) -> list[int]:
    """Two crossover fusions, a blend fusion and two public mints, interleaved, all pending; their reveal blocks
    are mined on return."""
    rng = random.Random(seed)
    parents = [chain.mint(requester, random_genome(rng)) for _ in range(6)]
    ids = [
        chain.request_fusion(requester, parents[0], parents[1]),
        _public_request(chain, requester),
        chain.request_fusion(requester, parents[2], parents[3], mode=1),
        _public_request(chain, requester),
        chain.request_fusion(requester, parents[4], parents[5]),
    ]
    chain.mine(1)
    return ids


def _outcome(chain, receipt: dict) -> dict[int, tuple]:
    """Per completed id: (seed, genome, owner), read from the receipt's Fused and PublicMinted events."""
    seeds = {e["childId"]: e["seed"] for e in chain.events(receipt, "Fused")}
    seeds |= {e["requestId"]: e["seed"] for e in chain.events(receipt, "PublicMinted")}
    return {i: (s, chain.genome(i), chain.kin.functions.ownerOf(i).call()) for i, s in seeds.items()}


def test_a_batch_of_fusions_and_mints_completes_each_as_its_single_completion_would(chain, kin):
    alice, keeper = chain.users[0], chain.users[5]
    ids = _mixed_requests(chain, alice, seed=31)
    alone = {}
    with rolled_back(chain.tester):
        for request_id in ids:
            complete = (
                kin.functions.completeFusion if request_id not in (ids[1], ids[3]) else kin.functions.completePublicMint
            )
            alone |= _outcome(chain, chain.transact(complete(request_id), keeper))

    assert kin.functions.completeRequests(ids).call({"from": keeper}, block_identifier="pending") == len(ids)
    receipt = chain.transact(kin.functions.completeRequests(ids), keeper)
    assert _outcome(chain, receipt) == alone  # same seeds, genomes and owners (the requester, not the keeper)
    assert len(alone) == len(ids) and {owner for _, _, owner in alone.values()} == {alice}
    assert [e["completer"] for e in chain.events(receipt, "Fused")] == [keeper] * 3
    assert [e["mode"] for e in chain.events(receipt, "Fused")] == [0, 1, 0]
    assert chain.events(receipt, "CompletionSkipped") == []
    assert kin.functions.totalSupply().call() == 6 + len(ids)
    assert all(kin.functions.fusionRequest(i).call()[0] == ZERO for i in ids)


def test_ids_it_cannot_complete_are_skipped_and_say_why(chain, kin):
    alice, keeper = chain.users[0], chain.users[5]
    ids = _mixed_requests(chain, alice, seed=32)
    chain.transact(kin.functions.completeFusion(ids[0]), alice)  # completed already
    unrevealed = _public_request(chain, alice)  # its reveal block is the next one: the batch's own block
    reveal = kin.functions.fusionRequest(unrevealed).call()[3]
    token, never_made = 2, 10**6
    batch = [ids[0], never_made, ids[1], unrevealed, token, ids[2], ids[2], ids[3], ids[4]]

    receipt = chain.transact(kin.functions.completeRequests(batch), keeper)
    assert receipt["blockNumber"] == reveal  # so the unrevealed request could not be completed in it
    assert chain.events(receipt, "CompletionSkipped") == [
        {"requestId": ids[0], "revealBlock": 0},
        {"requestId": never_made, "revealBlock": 0},
        {"requestId": unrevealed, "revealBlock": reveal},
        {"requestId": token, "revealBlock": 0},  # an existing token is no pending request
        {"requestId": ids[2], "revealBlock": 0},  # given twice: completed once, then skipped
    ]
    assert sorted(_outcome(chain, receipt)) == sorted(ids[1:])
    assert kin.functions.fusionRequest(unrevealed).call()[0] == alice  # still pending: a later batch completes it
    receipt = chain.transact(kin.functions.completeRequests([unrevealed]), keeper)
    assert list(_outcome(chain, receipt)) == [unrevealed]
    empty = chain.transact(kin.functions.completeRequests([]), keeper)
    assert empty["status"] == 1 and chain.events(empty, "CompletionSkipped") == []


def test_a_front_runner_completing_one_id_does_not_revert_the_batch(chain, kin):
    """The keeper's batch is simulated, then someone completes one of its ids first (same request, earlier
    transaction): the batch still completes the others; the front-runner's id is skipped."""
    alice, keeper, front_runner = chain.users[0], chain.users[5], chain.users[6]
    ids = _mixed_requests(chain, alice, seed=33)
    assert kin.functions.completeRequests(ids).call({"from": keeper}, block_identifier="pending") == len(ids)
    chain.transact(kin.functions.completePublicMint(ids[3]), front_runner)

    assert kin.functions.completeRequests(ids).call({"from": keeper}, block_identifier="pending") == len(ids) - 1
    receipt = chain.transact(kin.functions.completeRequests(ids), keeper)
    assert receipt["status"] == 1
    assert sorted(_outcome(chain, receipt)) == sorted(set(ids) - {ids[3]})
    assert chain.events(receipt, "CompletionSkipped") == [{"requestId": ids[3], "revealBlock": 0}]
    (minted,) = kin.events.PublicMinted().get_logs(from_block=0, argument_filters={"tokenId": ids[3]})
    assert minted["args"]["completer"] == front_runner


def test_batches_complete_while_paused(chain, kin):
    alice, keeper = chain.users[0], chain.users[5]
    ids = _mixed_requests(chain, alice, seed=34)
    chain.transact(kin.functions.pause(), chain.owner)
    receipt = chain.transact(kin.functions.completeRequests(ids), keeper)
    assert sorted(_outcome(chain, receipt)) == sorted(ids)


def test_a_batch_costs_less_per_request_than_single_completions(chain, kin):
    """Gas per completed request (the figures of benchmarks/gas.txt come from benchmarks/gas.py)."""
    alice, keeper = chain.users[0], chain.users[5]
    ids = _mixed_requests(chain, alice, seed=35)
    with rolled_back(chain.tester):
        alone = sum(
            chain.transact(kin.functions.completeRequests([request_id]), keeper)["gasUsed"] for request_id in ids
        )
    batch = chain.transact(kin.functions.completeRequests(ids), keeper)["gasUsed"]
    assert batch < 0.8 * alone, f"a batch of {len(ids)}: {batch:,} gas, alone {alone:,}"
