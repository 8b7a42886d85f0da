"""ChainReader reads a token not indexed yet in one pass: the owner read is the existence check."""

from __future__ import annotations

import pytest
from web3.middleware import Web3Middleware

from offchain.errors import NotFoundError


@pytest.fixture
def eth_calls(fresh_kin):
    """The JSON-RPC methods the reader's Web3 sends, in order (a counting middleware)."""
    calls: list[str] = []

    class Counting(Web3Middleware):
        def wrap_make_request(self, make_request):
            def counted(method, params):
                calls.append(method)
                return make_request(method, params)

            return counted

    fresh_kin.w3.middleware_onion.add(Counting, "count-calls")
    yield calls
    fresh_kin.w3.middleware_onion.remove("count-calls")


def test_a_token_is_three_calls_and_an_unknown_one_a_single_reverting_call(fresh_kin, eth_calls):
    _ = fresh_kin.reader.contract  # resolve the deployment first (no RPC with an explicit one)
    eth_calls.clear()
    info = fresh_kin.reader.token(2)
    assert (info.id, info.owner, info.genome) == (2, fresh_kin.accounts[0], fresh_kin.genomes[2])
    assert (info.parents, info.generation, info.seed) == ([], 0, None)
    assert eth_calls.count("eth_call") == 3
    eth_calls.clear()
    with pytest.raises(NotFoundError, match="token 99 does not exist"):
        fresh_kin.reader.token(99)
    assert eth_calls.count("eth_call") == 1
