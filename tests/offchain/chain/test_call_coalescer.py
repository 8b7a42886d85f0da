"""Reads of many threads coalesced into multicalls (offchain/chain/call_coalescer.py) on an eth-tester chain: the
reads arriving while a multicall is out go together in the next one, identical calls are sent once, every caller
gets its own answers, and a failed multicall fails every read of its group."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest
from eth_abi import decode, encode
from eth_utils import function_signature_to_4byte_selector

from offchain.chain.call_coalescer import CallCoalescer
from offchain.chain.multicall import Answers, Call, multicall
from offchain.errors import ChainUnavailableError
from support.chain import make_chain
from support.net import wait_until

LATER = 9  # reads that arrive while the first multicall is out


def owner_of(kin: str, token_id: int) -> Call:
    return Call(kin, function_signature_to_4byte_selector("ownerOf(uint256)") + encode(["uint256"], [token_id]))


def test_reads_arriving_while_a_multicall_is_out_go_together_in_the_next(tmp_path):
    chain = make_chain(tmp_path)
    kin = chain.deployment.address
    tokens = [chain.mint(chain.accounts[k % 3]) for k in range(3)]
    first_out, release = threading.Event(), threading.Event()
    sent: list[int] = []

    def send(calls: Sequence[Call]) -> Answers:
        sent.append(len(calls))
        if len(sent) == 1:
            first_out.set()
            release.wait(30)
        return multicall(chain.w3, calls)

    coalescer = CallCoalescer(send, max_sending=1)
    answers: dict[int, Answers] = {}

    def read(k: int) -> None:
        token = tokens[k % len(tokens)]
        answers[k] = coalescer.read([owner_of(kin, token), owner_of(kin, 999)])

    first = threading.Thread(target=read, args=(0,))
    first.start()
    assert first_out.wait(30)
    later = [threading.Thread(target=read, args=(k,)) for k in range(1, LATER + 1)]
    for thread in later:
        thread.start()
    wait_until(lambda: coalescer.waiting == LATER, 30, "the later reads to queue")
    release.set()
    for thread in [first, *later]:
        thread.join(30)
    assert sent == [2, len(tokens) + 1]  # the first alone; then nine reads of four distinct calls in one
    assert coalescer.multicalls == 2
    for k, answer in answers.items():
        owned, missing = answer.results
        assert decode(["address"], owned.data)[0].lower() == chain.accounts[k % 3].lower()
        assert not missing.success  # ownerOf(999) reverts: its own failure, the other calls unaffected
        assert answer.block == chain.w3.eth.block_number


def test_a_failed_multicall_fails_every_read_of_its_group(tmp_path):
    chain = make_chain(tmp_path)
    token = chain.mint()

    def send(calls: Sequence[Call]) -> Answers:
        raise ChainUnavailableError("chain unreachable (test)")

    coalescer = CallCoalescer(send)
    with pytest.raises(ChainUnavailableError):
        coalescer.read([owner_of(chain.deployment.address, token)])
    assert coalescer.multicalls == 1
    assert coalescer.waiting == 0


def test_many_readers_whose_calls_overflow_a_multicall_all_get_their_answers(tmp_path):
    """48 readers of 10 distinct calls each, two multicalls out at most: groups split at MAX_CALLS, a sender's own
    read may wait for a later group, and each caller is woken on its own condition; none is left waiting."""
    chain = make_chain(tmp_path)
    kin = chain.deployment.address
    token = chain.mint(chain.accounts[1])
    coalescer = CallCoalescer(lambda calls: multicall(chain.w3, calls), max_sending=2)
    answers: dict[int, Answers] = {}
    start = threading.Barrier(48)

    def read(k: int) -> None:
        start.wait(30)
        answers[k] = coalescer.read([owner_of(kin, token)] + [owner_of(kin, 10_000 + 10 * k + j) for j in range(9)])

    threads = [threading.Thread(target=read, args=(k,)) for k in range(48)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    assert sorted(answers) == list(range(48))
    for answer in answers.values():
        owned, *missing = answer.results
        assert decode(["address"], owned.data)[0].lower() == chain.accounts[1].lower()
        assert len(missing) == 9 and not any(result.success for result in missing)
    assert 48 * 9 // 80 < coalescer.multicalls <= 48  # 433 distinct calls: at least 6 multicalls
