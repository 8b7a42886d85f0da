"""Every gallery filter is served by an index, on SQLite and PostgreSQL: the plan reads an index in id order
(no scan of the table, no sort of every match), and the merged per-nibble reads give the same page as
filtering every row."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select, text

from latentkin_cli.postgres import PostgresCluster
from latentkin_core.genome import Genome
from offchain.store.db import make_engine, make_sessionmaker
from offchain.store.gallery import GalleryQuery, TraitFilter, gallery_tokens
from offchain.store.models import Token
from offchain.store.queries import list_offers
from support.query_plan import query_plan
from support.seed_index import OWNERS, seed_tokens

TOKENS = 20_000
QUERIES = {  # what the gallery asks, and the index that must answer it
    "owner": (GalleryQuery(owner=OWNERS[3]), "ix_tokens_owner_id"),
    "generation": (GalleryQuery(generation=2), "ix_tokens_generation_id"),
    "one nibble": (GalleryQuery(traits=(TraitFilter(5, (15,)),)), "ix_tokens_trait_5_id"),
    "a value of five nibbles": (GalleryQuery(traits=(TraitFilter(2, (0, 1, 2, 3, 4)),)), "ix_tokens_trait_2_id"),
    "two traits": (GalleryQuery(traits=(TraitFilter(2, (9,)), TraitFilter(0, (2, 3)))), "ix_tokens_trait_"),
    "oldest, trait and owner": (
        GalleryQuery(sort="oldest", owner=OWNERS[0], traits=(TraitFilter(7, (3, 4)),)),
        "ix_tokens_",
    ),
}


@pytest.fixture(params=["sqlite", "postgresql"], scope="module")
def seeded(request, tmp_path_factory):
    """An index of 20,000 tokens seeded through SQL (one per database, shared by the module)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('gallery') / 'index.sqlite3'}"
    else:
        url = PostgresCluster(request.getfixturevalue("postgres_server")).create_database(
            "gallery_indexes", replace=True
        )
    engine = make_engine(url)
    seed_tokens(engine, TOKENS)
    yield engine
    engine.dispose()


def _captured_query(engine, q: GalleryQuery):
    """The SELECT gallery_tokens sends for ``q`` (captured from the session)."""
    seen = []

    class Spy:
        def __init__(self, session):
            self.session = session

        def scalars(self, query):
            seen.append(query)
            return self.session.scalars(query)

    with make_sessionmaker(engine)() as session:
        gallery_tokens(Spy(session), q, 24, None)  # type: ignore[arg-type]
    return seen[0]


@pytest.mark.parametrize("case", list(QUERIES))
def test_each_filter_reads_an_index_in_order(seeded, case):
    q, index = QUERIES[case]
    plan = query_plan(seeded, _captured_query(seeded, q))
    if seeded.dialect.name == "sqlite":  # the filter's index; neither a scan of the table nor a sort of every match
        assert index in plan, plan
        assert "SCAN tokens" not in plan and "TEMP B-TREE" not in plan, plan
    else:  # PostgreSQL may walk the key backwards and filter (as cheap, at ~1/16 selectivity), never the table
        assert "Index" in plan and "Seq Scan" not in plan, plan


def test_a_selective_owner_filter_uses_its_index(seeded):
    rare = "0x" + "ab" * 20
    with seeded.begin() as db:
        db.execute(text(f"UPDATE tokens SET owner = '{rare}' WHERE id IN (17, 4242, 9000)"))
        db.execute(text("ANALYZE"))
    plan = query_plan(seeded, _captured_query(seeded, GalleryQuery(owner=rare)))
    assert "ix_tokens_owner_id" in plan and "Seq Scan" not in plan and "SCAN tokens" not in plan, plan
    with make_sessionmaker(seeded)() as session:
        assert [t.id for t in gallery_tokens(session, GalleryQuery(owner=rare), 24, None)] == [9000, 4242, 17]


def test_offers_read_the_offered_ids_in_order(seeded):
    with make_sessionmaker(seeded)() as session:
        query = select(Token).where(Token.id > 0, Token.offer_fuser.is_not(None)).order_by(Token.id).limit(24)
        assert [t.id for t in list_offers(session, None, 24, 0)] == list(range(50, 50 * 25, 50))
    plan = query_plan(seeded, query)
    assert (
        "ix_tokens_offered_id" in plan and "SCAN tokens" not in plan
        if seeded.dialect.name == "sqlite"
        else "Seq Scan" not in plan
    ), plan


def test_the_sqlite_key_is_the_rowid(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'index.sqlite3'}")
    with engine.connect() as db:
        columns = {row[1]: (row[2], row[5]) for row in db.execute(text("PRAGMA table_info(tokens)"))}
        indexes = [row[1] for row in db.execute(text("PRAGMA index_list(tokens)"))]
    engine.dispose()
    assert columns["id"] == ("INTEGER", 1)
    assert not [name for name in indexes if name.startswith("sqlite_autoindex")]  # no second tree for the key


def test_pages_equal_filtering_every_row(seeded):
    rng = random.Random(7)
    with make_sessionmaker(seeded)() as session:
        rows = [(t.id, t.owner, t.generation, Genome.from_hex(t.genome)) for t in session.scalars(select(Token))]
        for _ in range(30):
            traits = tuple(
                TraitFilter(i, tuple(sorted(rng.sample(range(16), rng.choice((1, 2, 5))))))
                for i in rng.sample(range(8), rng.choice((0, 1, 2)))
            )
            q = GalleryQuery(
                sort=rng.choice(("newest", "oldest")),
                owner=rng.choice((None, rng.choice(OWNERS))),
                generation=rng.choice((None, 0, 1)),
                traits=traits,
            )
            cursor = rng.choice((None, TOKENS // 2))
            expected = sorted(
                (
                    i
                    for i, owner, gen, genome in rows
                    if (q.owner is None or owner == q.owner)
                    and (q.generation is None or gen == q.generation)
                    and all(genome.main(t.index) in t.nibbles for t in traits)
                    and (cursor is None or (i < cursor if q.sort == "newest" else i > cursor))
                ),
                reverse=q.sort == "newest",
            )[:24]
            assert [t.id for t in gallery_tokens(session, q, 24, cursor)] == expected, q


def test_an_owner_with_a_trait_of_several_nibbles_reads_the_owner_index_in_order(seeded):
    """Not every one of the owner's tokens showing each nibble, then sorted: PostgreSQL did that (a BitmapAnd of
    the owner and trait indexes per nibble, then sorts), which grows with the collection. Now one read in id
    order that stops after a page of matches: the (owner, id) index, or on PostgreSQL, for an owner of one token
    in 40, the key walked backwards (its cost estimate for heap rows read in key order)."""
    plan = query_plan(
        seeded, _captured_query(seeded, GalleryQuery(owner=OWNERS[7], traits=(TraitFilter(4, (3, 4, 5)),)))
    )
    if seeded.dialect.name == "sqlite":
        assert "ix_tokens_owner_id" in plan and "SCAN tokens" not in plan and "TEMP B-TREE" not in plan, plan
    else:
        assert plan.splitlines()[1].strip().startswith("->  Index Scan"), plan
        assert "Seq Scan" not in plan and "Bitmap" not in plan and "Sort" not in plan, plan


def test_a_rare_owner_with_a_trait_reads_the_owner_index(seeded):
    rare = "0x" + "cd" * 20
    with seeded.begin() as db:
        db.execute(text(f"UPDATE tokens SET owner = '{rare}', trait_4 = '4' WHERE id IN (23, 5001, 15000)"))
        db.execute(text("ANALYZE"))
    q = GalleryQuery(owner=rare, traits=(TraitFilter(4, (3, 4, 5)),))
    plan = query_plan(seeded, _captured_query(seeded, q))
    assert "ix_tokens_owner_id" in plan and "SCAN tokens" not in plan and "Seq Scan" not in plan, plan
    with make_sessionmaker(seeded)() as session:  # (PostgreSQL may sort the owner's three: they are all it reads)
        assert [t.id for t in gallery_tokens(session, q, 24, None)] == [15000, 5001, 23]
