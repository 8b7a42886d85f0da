"""Fusion offers in the index and at ``GET /offers``: set, named, cancelled, used by a fusion,
dropped and revived by transfers (offers belong to the owner who set them), and backfilled
into an index written before offers were indexed."""

from __future__ import annotations

import sqlite3

from fastapi.testclient import TestClient
from sqlalchemy import select

from offchain.api.main import create_app
from offchain.chain.transactions import Actor
from offchain.index.indexer import ROW_VERSION, Indexer, get_state
from offchain.store.db import make_engine, make_sessionmaker, schema_revision
from offchain.store.models import ZERO_ADDRESS, Token
from support.index_schema import rewind_index

PRICE = 10**15


def offers(indexer) -> dict[int, tuple[str | None, str | None]]:
    with indexer.sessions() as s:
        return {t.id: (t.offer_fuser, t.offer_price) for t in s.scalars(select(Token))}


def make_indexer(path, chain) -> Indexer:
    return Indexer(chain.reader, make_sessionmaker(make_engine(f"sqlite:///{path}")), confirmations=0)


def actor(chain, account: int) -> Actor:
    return Actor(chain.w3, chain.reader.contract, chain.accounts[account])


def test_offers_follow_the_chain(tmp_path, fresh_kin):
    chain = fresh_kin
    kin = chain.reader.contract.functions
    owner, player = actor(chain, 0), actor(chain, 1)
    mine = chain.mint(chain.accounts[1])  # #3, the player's
    indexer = make_indexer(tmp_path / "index.sqlite3", chain)
    indexer.sync()
    assert offers(indexer) == {1: (None, None), 2: (None, None), 3: (None, None)}

    owner.send(kin.setFusionOffer(1, ZERO_ADDRESS, PRICE))
    owner.send(kin.setFusionOffer(2, chain.accounts[1], 0))
    indexer.sync()
    assert offers(indexer)[1] == (ZERO_ADDRESS, str(PRICE))
    assert offers(indexer)[2] == (chain.accounts[1], "0")

    owner.send(kin.cancelFusionOffer(2))
    indexer.sync()
    assert offers(indexer)[2] == (None, None)

    # A transfer retires the offer for good: it does not come back with the token (issue 11, finding 6).
    owner.transfer(chain.accounts[2], 1)
    indexer.sync()
    assert offers(indexer)[1] == (None, None)
    actor(chain, 2).transfer(chain.accounts[0], 1)
    indexer.sync()
    assert offers(indexer)[1] == (None, None) and chain.reader.fusion_offer(1) == (ZERO_ADDRESS, 0)
    owner.send(kin.setFusionOffer(1, ZERO_ADDRESS, PRICE))
    indexer.sync()
    assert (
        offers(indexer)[1]
        == (ZERO_ADDRESS, str(PRICE))
        == (chain.reader.fusion_offer(1)[0], str(chain.reader.fusion_offer(1)[1]))
    )

    # Using an offer in a fusion cancels it.
    fee = int(kin.fusionFee().call())
    player.send(kin.requestFusion(mine, 1, 0, fee + PRICE), value=fee + PRICE)
    indexer.sync()
    assert offers(indexer)[1] == (None, None)


def test_offers_endpoint_filters_by_who_may_fuse(tmp_path, fresh_kin, renderer, service_settings):
    chain = fresh_kin
    kin = chain.reader.contract.functions
    owner = actor(chain, 0)
    theirs = chain.mint(chain.accounts[1])  # #3
    owner.send(kin.setFusionOffer(1, ZERO_ADDRESS, PRICE))  # anyone who pays
    owner.send(kin.setFusionOffer(2, chain.accounts[2], 0))  # account 2 only, free
    actor(chain, 1).send(kin.setFusionOffer(theirs, ZERO_ADDRESS, 1))  # account 1's own, to anyone
    app = create_app(service_settings(tmp_path, chain), w3=chain.w3, renderer=renderer)
    app.state.services.indexer.sync()
    with TestClient(app) as client:
        every = client.get("/offers").json()
        assert [(o["token_id"], o["fuser"], o["price_wei"]) for o in every["items"]] == [
            (1, None, str(PRICE)),
            (2, chain.accounts[2], "0"),
            (theirs, None, "1"),
        ]
        assert every["items"][0]["owner"] == chain.accounts[0]
        assert every["items"][0]["image"].startswith("http://testserver/tokens/1/image.png")
        for_1 = client.get("/offers", params={"fuser": chain.accounts[1].lower()}).json()["items"]
        assert [o["token_id"] for o in for_1] == [1]  # not #2 (named for another), not its own #3
        for_2 = client.get("/offers", params={"fuser": chain.accounts[2]}).json()["items"]
        assert [o["token_id"] for o in for_2] == [1, 2, theirs]
        page = client.get("/offers", params={"limit": 2}).json()
        assert [o["token_id"] for o in page["items"]] == [1, 2] and page["next_cursor"] == "2"
        rest = client.get("/offers", params={"limit": 2, "cursor": page["next_cursor"]}).json()
        assert [o["token_id"] for o in rest["items"]] == [theirs] and rest["next_cursor"] is None
        for bad in ({"fuser": "0x1234"}, {"limit": 0}, {"cursor": "-1"}):
            assert client.get("/offers", params=bad).status_code == 422


def test_an_index_from_before_offers_is_upgraded_in_place(tmp_path, fresh_kin):
    chain = fresh_kin
    owner = actor(chain, 0)
    owner.send(chain.reader.contract.functions.setFusionOffer(2, ZERO_ADDRESS, PRICE))
    path = tmp_path / "old.sqlite3"
    make_indexer(path, chain).sync()
    with sqlite3.connect(path) as db:  # turn it into what the version before offers wrote
        rewind_index(db.execute, "0005")  # the gallery's columns and indexes came later
        db.execute("DROP INDEX ix_tokens_offer_fuser")
        db.execute("ALTER TABLE tokens DROP COLUMN offer_fuser")
        db.execute("ALTER TABLE tokens DROP COLUMN offer_price")
        db.execute("ALTER TABLE tokens DROP COLUMN fusion_mode")  # came later still
        db.execute("ALTER TABLE tokens DROP COLUMN completer")  # and after that
        db.execute("DROP TABLE orders")  # then the market's tables
        db.execute("DROP TABLE sales")
        db.execute("DELETE FROM state WHERE key = 'row_version'")
        db.execute("DROP TABLE alembic_version")  # that version had no migrations
        events_before = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    engine = make_engine(f"sqlite:///{path}")  # migrates: adds the columns back, empty
    assert schema_revision(engine) == "0008"
    make_engine(f"sqlite:///{path}").dispose()  # already done: idempotent
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT offer_fuser FROM tokens WHERE id = 2").fetchone() == (None,)
        assert "ix_tokens_offer_fuser" in {r[1] for r in db.execute("PRAGMA index_list(tokens)")}
    indexer = Indexer(chain.reader, make_sessionmaker(engine), confirmations=0)
    indexer.sync()
    assert offers(indexer)[2] == (ZERO_ADDRESS, str(PRICE))  # backfilled from the chain
    with indexer.sessions() as s:
        assert get_state(s, "row_version") == ROW_VERSION
        cursor = int(get_state(s, "cursor"))
        # read as of the cursor, so a reorg below it re-reads the offers too
        assert {t.updated_block for t in s.scalars(select(Token))} == {cursor}
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == events_before  # nothing lost
