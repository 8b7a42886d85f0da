"""The indexer's catch-up over a real `hardhat node` reads in bulk: the rows equal what the contract says token
by token (the old path: owner, lineage, genome and offer, one call each), in a handful of JSON-RPC round
trips for hundreds of tokens, not four per token."""

from __future__ import annotations

import collections

import pytest
from sqlalchemy import select

from offchain.chain.reader import ChainReader, http_web3
from offchain.deploy.latentkin import deploy
from offchain.index.indexer import Indexer
from offchain.store.db import make_engine, make_sessionmaker
from offchain.store.models import ZERO_ADDRESS, Token
from support.bulk_chain import BulkChain
from support.chain import hardhat_node

TOKENS, FUSIONS = 240, 4


class CountingProvider:
    """Counts the JSON-RPC round trips a provider makes (a batch is one)."""

    def __init__(self, provider) -> None:
        self.trips: collections.Counter[str] = collections.Counter()
        make_request, make_batch_request = provider.make_request, provider.make_batch_request

        def counted(method, params):
            self.trips[str(method)] += 1
            return make_request(method, params)

        def counted_batch(requests):
            self.trips["batch"] += 1
            return make_batch_request(requests)

        provider.make_request, provider.make_batch_request = counted, counted_batch


@pytest.fixture(scope="module")
def populated(tmp_path_factory):
    """A hardhat node with 240 founders, transfers, offers (some withdrawn) and 4 fusions."""
    directory = tmp_path_factory.mktemp("bulk")
    with hardhat_node(directory) as url:
        w3 = http_web3(url, 60)
        owner = w3.eth.accounts[0]
        deployment = deploy(w3, owner, minters=(owner,), out_dir=directory / "deployments")
        reader = ChainReader(w3, deployment=deployment)
        BulkChain(url, reader.contract, owner, list(w3.eth.accounts[1:5])).populate(TOKENS, FUSIONS, per_block=40)
        yield reader, directory


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_catch_up_reads_in_bulk_and_matches_the_chain(populated, database, request):
    reader, directory = populated
    url = (
        f"sqlite:///{directory / 'index.sqlite3'}" if database == "sqlite" else request.getfixturevalue("postgres_url")
    )
    counter = CountingProvider(reader.w3.provider)
    indexer = Indexer(reader, make_sessionmaker(make_engine(url)), confirmations=0)
    cursor = indexer.sync()
    with indexer.sessions() as session:
        rows = {t.id: t for t in session.scalars(select(Token))}
    assert len(rows) == TOKENS + FUSIONS
    trips = sum(counter.trips.values())
    assert counter.trips["batch"] >= 1 and trips < 40, counter.trips  # was ~4 calls per token: ~1,000
    for token_id, row in rows.items():  # token by token, as the old path read them
        info = reader.token(token_id, cursor)
        fuser, price = reader.fusion_offer(token_id, cursor)
        offered = price > 0 or fuser != ZERO_ADDRESS
        assert (
            row.owner,
            row.genome,
            row.parent_a,
            row.parent_b,
            row.generation,
            row.fusion_count,
            row.cooldown_until,
            row.fusion_mode,
        ) == (
            info.owner,
            info.genome.to_hex(),
            info.parent_a,
            info.parent_b,
            info.generation,
            info.fusion_count,
            info.cooldown_until,
            info.fusion_mode,
        ), token_id
        assert (row.offer_fuser, row.offer_price) == ((fuser, str(price)) if offered else (None, None)), token_id
        assert row.trait_3 == row.genome[79 - 6]  # the decoded column follows the genome
    children = [r for r in rows.values() if r.parent_a]
    assert len(children) == FUSIONS and all(r.genome_verified and r.seed for r in children)
    assert sum(1 for r in rows.values() if r.offer_fuser is not None) > 10
    assert len({r.owner for r in rows.values()}) == 5  # transfers followed
