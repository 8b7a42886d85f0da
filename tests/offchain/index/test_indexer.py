"""The indexer against eth-tester: what it stores matches the chain, it resumes, waits for
confirmations and survives reorgs."""

from __future__ import annotations

import json
import sqlite3

from sqlalchemy import func, select

from latentkin_core.genome import FusionMode, fusion_outcome
from offchain.chain.reader import ChainReader
from offchain.chain.transactions import Actor
from offchain.deploy.latentkin import deploy
from offchain.index.bulk_apply import follows_fusion_rule
from offchain.index.indexer import ROW_VERSION, Indexer, get_state
from offchain.store.db import make_engine, make_sessionmaker
from offchain.store.models import Event, Token
from support.index_schema import rewind_index


def make_indexer(tmp_path, chain, confirmations=0, name="index.sqlite3", batch_blocks=2000):
    sessions = make_sessionmaker(make_engine(f"sqlite:///{tmp_path / name}"))
    return Indexer(chain.reader, sessions, confirmations=confirmations, batch_blocks=batch_blocks)


def tokens(indexer):
    with indexer.sessions() as s:
        return {t.id: t for t in s.scalars(select(Token))}


def test_index_matches_the_chain(tmp_path, kin_chain):
    indexer = make_indexer(tmp_path, kin_chain, batch_blocks=5)  # several batches
    assert indexer.sync() == kin_chain.w3.eth.block_number
    rows = tokens(indexer)
    assert sorted(rows) == list(range(1, 12))
    for token_id, row in rows.items():
        lineage = kin_chain.reader.lineage_of(token_id)
        assert row.genome == kin_chain.reader.genome_of(token_id).to_hex() == kin_chain.genomes[token_id].to_hex()
        assert row.owner == kin_chain.reader.owner_of(token_id)
        assert (row.parent_a, row.parent_b, row.generation, row.fusion_count, row.cooldown_until) == (
            lineage.parent_a,
            lineage.parent_b,
            lineage.generation,
            lineage.fusion_count,
            lineage.cooldown_until,
        )
        assert row.fusion_mode == (lineage.mode if lineage.parent_a else None)
    assert rows[4].owner == kin_chain.accounts[1] and rows[1].owner == kin_chain.accounts[0]
    assert rows[11].generation == 2 and (rows[11].parent_a, rows[11].parent_b) == (9, 10)
    assert rows[1].fusion_count == 1 and rows[1].cooldown_until > 0
    assert (rows[9].fusion_mode, rows[10].fusion_mode, rows[11].fusion_mode) == (0, 1, 0)


def test_fused_children_carry_seed_and_are_verified(tmp_path, kin_chain):
    indexer = make_indexer(tmp_path, kin_chain)
    indexer.sync()
    rows = tokens(indexer)
    for result in kin_chain.fusions:
        child = rows[result.child_id]
        assert int(child.seed, 16) == result.seed
        assert child.genome_verified is True and child.fusion_mode == result.mode
        parents = (kin_chain.genomes[result.parent_a], kin_chain.genomes[result.parent_b])
        assert fusion_outcome(*parents, result.seed, result.mode).to_hex() == child.genome
    assert {r.mode for r in kin_chain.fusions} == {FusionMode.CROSSOVER, FusionMode.BLEND}
    assert rows[1].seed is None and rows[1].genome_verified is None
    with indexer.sessions() as s:
        names = [e.name for e in s.scalars(select(Event).order_by(Event.block_number, Event.log_index))]
        fused = [json.loads(e.args) for e in s.scalars(select(Event).where(Event.name == "Fused"))]
    assert names.count("Fused") == 3 and names.count("Transfer") == 11
    assert "RendererHashChanged" in names
    assert [int(f["childId"]) for f in fused] == [9, 10, 11]
    assert [int(f["mode"]) for f in fused] == [0, 1, 0]


def test_a_genome_made_by_the_other_mode_fails_verification(tmp_path, kin_chain):
    """The check follows the mode of the Fused event: the blended child is not its parents' crossover."""
    indexer = make_indexer(tmp_path, kin_chain)
    indexer.sync()
    with indexer.sessions() as s:
        child, a, b = s.get(Token, 10), s.get(Token, 3), s.get(Token, 5)
        seed = int(child.seed, 16)
        assert child.genome_verified is True
        assert follows_fusion_rule(a.genome, b.genome, child.genome, seed, FusionMode.BLEND) is True
        assert follows_fusion_rule(a.genome, b.genome, child.genome, seed, FusionMode.CROSSOVER) is False


def test_an_index_from_before_fusion_modes_is_upgraded_in_place(tmp_path, kin_chain):
    path = tmp_path / "old.sqlite3"
    make_indexer(tmp_path, kin_chain, name="old.sqlite3").sync()
    with sqlite3.connect(path) as db:  # turn it into what the previous version (schema 0002, rows "2") wrote
        rewind_index(db.execute, "0002")
        before = {k: db.execute(f"SELECT * FROM {k} ORDER BY 1").fetchall() for k in ("tokens", "events")}
        old_columns = [c[1] for c in db.execute("PRAGMA table_info(tokens)")]
    indexer = make_indexer(tmp_path, kin_chain, name="old.sqlite3")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT fusion_mode FROM tokens WHERE id = 10").fetchone() == (None,)  # added, empty
    indexer.sync()
    rows = tokens(indexer)
    assert {i: r.fusion_mode for i, r in rows.items() if r.parent_a} == {9: 0, 10: 1, 11: 0}  # from the chain
    assert all(r.fusion_mode is None for r in rows.values() if not r.parent_a)
    with indexer.sessions() as s:
        assert get_state(s, "row_version") == ROW_VERSION
    with sqlite3.connect(path) as db:  # nothing lost: every old column of every row, and every event
        keep = [i for i, c in enumerate(old_columns) if c not in ("fusion_mode", "completer", "updated_block")]
        after = db.execute(f"SELECT {', '.join(old_columns)} FROM tokens ORDER BY id").fetchall()
        assert [[r[i] for i in keep] for r in after] == [[r[i] for i in keep] for r in before["tokens"]]
        assert db.execute("SELECT * FROM events ORDER BY 1").fetchall() == before["events"]


def test_renderer_hash_is_indexed(tmp_path, kin_chain, renderer):
    indexer = make_indexer(tmp_path, kin_chain)
    indexer.sync()
    with indexer.sessions() as s:
        assert get_state(s, "renderer_hash") == "0x" + renderer.renderer_hash().hex()


def test_waits_for_confirmations(tmp_path, fresh_kin):
    indexer = make_indexer(tmp_path, fresh_kin, confirmations=3)
    head = fresh_kin.w3.eth.block_number
    assert indexer.sync() == head - 3
    minted_last = max(fresh_kin.genomes)
    assert minted_last not in tokens(indexer)  # its block is not confirmed yet
    fresh_kin.w3.testing.mine(3)
    indexer.sync()
    assert minted_last in tokens(indexer)


def test_restart_resumes_from_last_block(tmp_path, fresh_kin):
    first = make_indexer(tmp_path, fresh_kin)
    cursor = first.sync()
    first.sessions.kw["bind"].dispose()
    new_id = fresh_kin.mint()

    second = make_indexer(tmp_path, fresh_kin)  # same SQLite file, new process state
    step = second.step()
    assert step.from_block == cursor + 1  # nothing before the stored cursor is read again
    assert new_id in step.tokens
    assert second.step() is None
    with second.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Event).where(Event.name == "Transfer")) == 3
    assert sorted(tokens(second)) == [1, 2, 3]


def test_reorg_rolls_back_to_the_fork_and_rereads(tmp_path, fresh_kin):
    chain, w3 = fresh_kin, fresh_kin.w3
    indexer = make_indexer(tmp_path, chain)
    indexer.sync()
    fork_block = w3.eth.block_number
    snapshot = w3.testing.snapshot()

    # Branch A: token 3 minted to account 0, token 1 moved to account 2.
    a3 = chain.mint()
    chain.actor.transfer(chain.accounts[2], 1)
    indexer.sync()
    assert tokens(indexer)[3].genome == chain.genomes[a3].to_hex()
    assert tokens(indexer)[1].owner == chain.accounts[2]

    # Branch B replaces it: token 3 with another genome, owned by account 1; token 1 stays put.
    w3.testing.revert(snapshot)
    chain.rng.seed(99)
    b3 = chain.mint(chain.accounts[1])
    w3.testing.mine(3)  # branch B is longer than A
    assert b3 == 3

    result = indexer.step()
    assert result.rolled_back_to == fork_block  # newest block both branches share
    assert indexer.status.reorgs == 1
    indexer.sync()
    rows = tokens(indexer)
    assert rows[3].genome == chain.reader.genome_of(3).to_hex() == chain.genomes[b3].to_hex()
    assert rows[3].owner == chain.accounts[1]
    assert rows[1].owner == chain.accounts[0]
    with indexer.sessions() as s:
        transfers = s.scalar(select(func.count()).select_from(Event).where(Event.name == "Transfer"))
        assert transfers == 3  # the two branch-A transfers are gone
        assert int(get_state(s, "cursor")) == w3.eth.block_number


def test_a_restarted_dev_chain_is_reindexed_from_scratch(tmp_path, fresh_kin, kin_chain):
    # Same chain id and contract address (deterministic deployer), different blocks: a restarted
    # `hardhat node`. No stored block hash matches, so the index starts over.
    indexer = make_indexer(tmp_path, kin_chain)
    indexer.sync()
    assert len(tokens(indexer)) == 11
    other = Indexer(ChainReader(fresh_kin.w3, deployment=fresh_kin.deployment), indexer.sessions, confirmations=0)
    other.sync()
    assert sorted(tokens(other)) == [1, 2]


def test_another_contract_starts_a_fresh_index(tmp_path, fresh_kin):
    indexer = make_indexer(tmp_path, fresh_kin)
    indexer.sync()
    w3 = fresh_kin.w3
    record = deploy(w3, w3.eth.accounts[0], minters=(w3.eth.accounts[0],), out_dir=None)
    reader = ChainReader(w3, deployment=record)
    Actor(w3, reader.contract, w3.eth.accounts[0]).mint(w3.eth.accounts[3], fresh_kin.genomes[1])
    other = Indexer(reader, indexer.sessions, confirmations=0)
    other.sync()
    rows = tokens(other)
    assert sorted(rows) == [1] and rows[1].owner == w3.eth.accounts[3]


def test_a_pending_fusion_request_updates_the_parents(tmp_path, fresh_kin):
    indexer = make_indexer(tmp_path, fresh_kin)
    indexer.sync()
    assert tokens(indexer)[1].fusion_count == 0
    request_id, _ = fresh_kin.actor.request_fusion(1, 2)  # not completed
    indexer.sync()
    rows = tokens(indexer)
    for parent in (1, 2):
        lineage = fresh_kin.reader.lineage_of(parent)
        assert rows[parent].fusion_count == lineage.fusion_count == 1
        assert rows[parent].cooldown_until == lineage.cooldown_until > 0
    assert request_id not in rows  # the child's id is reserved, not minted
