"""The index and the service on PostgreSQL (a real server, see ``postgres_server``): the same rows
as on SQLite, the in-place upgrade of an older index, and the API reading from it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from offchain.api.main import create_app
from offchain.chain.transactions import Actor
from offchain.index.indexer import Indexer, get_state
from offchain.store.db import make_engine, make_sessionmaker
from offchain.store.models import ZERO_ADDRESS, Event, Token


def index(url: str, chain) -> Indexer:
    indexer = Indexer(chain.reader, make_sessionmaker(make_engine(url)), confirmations=0)
    indexer.sync()
    return indexer


def snapshot(indexer: Indexer) -> tuple[dict, int, str | None]:
    """Every token row as a dict, the number of events and the cursor (then closes the database)."""
    columns = [c.name for c in Token.__table__.columns]
    with indexer.sessions() as s:
        rows = {t.id: {c: getattr(t, c) for c in columns} for t in s.scalars(select(Token))}
        result = rows, s.scalar(select(func.count()).select_from(Event)), get_state(s, "cursor")
    indexer.sessions.kw["bind"].dispose()
    return result


def test_postgres_index_equals_the_sqlite_index(tmp_path, kin_chain, postgres_url):
    on_postgres = snapshot(index(postgres_url, kin_chain))
    on_sqlite = snapshot(index(f"sqlite:///{tmp_path / 'index.sqlite3'}", kin_chain))
    assert on_postgres == on_sqlite
    rows, events, cursor = on_postgres
    assert len(rows) == 11 and events > 11 and int(cursor) == kin_chain.w3.eth.block_number
    assert rows[11]["genome_verified"] is True and rows[11]["generation"] == 2


def test_an_older_postgres_index_is_upgraded_in_place(fresh_kin, postgres_url):
    Actor(fresh_kin.w3, fresh_kin.reader.contract, fresh_kin.accounts[0]).send(
        fresh_kin.reader.contract.functions.setFusionOffer(1, ZERO_ADDRESS, 5)
    )
    engine = make_engine(postgres_url)
    Indexer(fresh_kin.reader, make_sessionmaker(engine), confirmations=0).sync()
    with engine.begin() as db:  # what the version before offers (and before migrations) wrote
        db.execute(
            text(
                "ALTER TABLE tokens DROP COLUMN rarity, DROP COLUMN offer_fuser, DROP COLUMN offer_price, "
                "DROP COLUMN fusion_mode, DROP COLUMN completer, "
                + ", ".join(f"DROP COLUMN trait_{i}" for i in range(8))
            )
        )
        db.execute(text("DROP INDEX ix_tokens_owner_id, ix_tokens_generation_id"))
        db.execute(text("CREATE INDEX ix_tokens_owner ON tokens (owner)"))
        db.execute(text("DROP TABLE orders, sales"))  # the market's tables came later still
        db.execute(text("DELETE FROM state WHERE key = 'row_version'"))
        db.execute(text("DROP TABLE alembic_version"))
    engine.dispose()
    indexer = index(postgres_url, fresh_kin)  # make_engine migrates (adds the columns), sync backfills them
    rows, events, _ = snapshot(indexer)
    assert (rows[1]["offer_fuser"], rows[1]["offer_price"]) == (ZERO_ADDRESS, "5")
    assert (rows[2]["offer_fuser"], rows[2]["offer_price"]) == (None, None)
    assert events == 3  # two mints and the offer: nothing stored was dropped


def test_the_service_reads_from_postgres(tmp_path, kin_chain, renderer, postgres_url, service_settings):
    app = create_app(
        service_settings(tmp_path, kin_chain, database_url=postgres_url), w3=kin_chain.w3, renderer=renderer
    )
    app.state.services.indexer.sync()
    with TestClient(app) as client:
        page = client.get("/tokens", params={"limit": 4, "sort": "oldest"}).json()
        assert [t["token_id"] for t in page["items"]] == [1, 2, 3, 4] and page["next_cursor"] == "4"
        owned = client.get("/tokens", params={"owner": kin_chain.accounts[1]}).json()["items"]
        assert [t["token_id"] for t in owned] == [8, 4]  # newest first
        # The gallery's trait and readiness filters run in SQL: the same answers on PostgreSQL.
        table = app.state.services.table
        value = table.trait_value(2, kin_chain.genomes[11].main(2))
        expected = [t for t in range(11, 0, -1) if table.trait_value(2, kin_chain.genomes[t].main(2)) == value]
        filtered = client.get("/tokens", params={"trait": f"{table.trait_names[2]}:{value}"}).json()["items"]
        assert [t["token_id"] for t in filtered] == expected
        head = kin_chain.reader.head()
        resting = [t for t in range(11, 0, -1) if kin_chain.reader.lineage_of(t).cooldown_until > head]
        assert [t["token_id"] for t in client.get("/tokens", params={"ready": "false"}).json()["items"]] == resting
        child = client.get("/tokens/11").json()
        assert child["genome"] == kin_chain.genomes[11].to_hex()
        family = client.get("/tokens/11/family", params={"depth": 2}).json()
        assert family["token_id"] == 11
        assert client.get("/offers").json() == {"items": [], "next_cursor": None}
        assert client.get("/tokens/99").status_code == 404
    app.state.services.engine.dispose()
