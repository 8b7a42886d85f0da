"""Apply a range of LatentKin events to the index in bulk: what the events carry is read from them, the rest
in one batch of contract calls, and the rows are written with one statement per table.

What each event tells (``contracts/LatentKin.sol``):

* ``Transfer``: the owner (the last one in the range wins); ``from`` = 0 is a mint at that block.
* ``FusionOfferSet`` / ``FusionOfferCancelled``: the owner's fusion offer (every change of it emits one:
  a transfer or a fusion that uses the offer up emits ``FusionOfferCancelled``).
* ``Fused`` / ``PublicMinted``: the seed, who completed it, and the fusion mode.
* The lineage (parents, generation, fusions, cooldown, mode) changes only with ``FusionRequested`` and
  ``Fused`` (``MetadataUpdate`` names the parents of both): those tokens' lineage is read; a gen-0 token
  minted in the range and not fused in it has the all-zero lineage.
* The genome is read once, when a token first appears.

So a catch-up over mints and transfers costs one ``genomeOf`` per new token, all in JSON-RPC batches,
instead of four sequential calls per touched token.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from latentkin_core.genome import FusionMode, Genome, fusion_outcome
from offchain.chain.reader import ChainEvent, ChainReader, Lineage
from offchain.store.models import ZERO_ADDRESS, Token

log = logging.getLogger("latentkin.indexer")

CHUNK = 5000  # ids per IN (...) list
NO_LINEAGE = Lineage(0, 0, 0, 0, 0, 0)
Offer = tuple[str, str] | None  # (fuser, price in wei as decimal) or none


@dataclass
class EventFacts:
    """What a range of events says about each token."""

    touched: set[int] = field(default_factory=set)
    minted: dict[int, int] = field(default_factory=dict)  # id -> block of its mint
    owners: dict[int, str] = field(default_factory=dict)
    offers: dict[int, Offer] = field(default_factory=dict)
    lineage_changed: set[int] = field(default_factory=set)
    seeds: dict[int, int] = field(default_factory=dict)
    completers: dict[int, str] = field(default_factory=dict)
    modes: dict[int, FusionMode] = field(default_factory=dict)
    renderer_hash: str | None = None


def read_facts(events: list[ChainEvent]) -> EventFacts:
    """Fold ``events`` (in chain order) into what they say about each token."""
    facts = EventFacts()
    for ev in events:
        args = ev.args
        if ev.name == "Transfer":
            token_id = int(args["tokenId"])
            facts.touched.add(token_id)
            facts.owners[token_id] = str(args["to"])
            if args["from"] == ZERO_ADDRESS:
                facts.minted[token_id] = ev.block_number
        elif ev.name == "FusionRequested":
            parents = (int(args["parentA"]), int(args["parentB"]))
            facts.touched.update(parents)
            facts.lineage_changed.update(parents)
        elif ev.name == "Fused":
            child = int(args["childId"])
            facts.seeds[child] = int(args["seed"])
            facts.completers[child] = str(args["completer"])
            facts.modes[child] = FusionMode(int(args["mode"]))
            family = (child, int(args["parentA"]), int(args["parentB"]))
            facts.touched.update(family)
            facts.lineage_changed.update(family)
        elif ev.name == "PublicMinted":
            token_id = int(args["tokenId"])
            facts.seeds[token_id] = int(args["seed"])
            facts.completers[token_id] = str(args["completer"])
            facts.touched.add(token_id)
        elif ev.name == "MetadataUpdate":
            facts.touched.add(int(args["_tokenId"]))
            facts.lineage_changed.add(int(args["_tokenId"]))
        elif ev.name == "FusionOfferSet":
            facts.touched.add(int(args["tokenId"]))
            facts.offers[int(args["tokenId"])] = (str(args["fuser"]), str(int(args["price"])))
        elif ev.name == "FusionOfferCancelled":
            facts.touched.add(int(args["tokenId"]))
            facts.offers[int(args["tokenId"])] = None
        elif ev.name == "RendererHashChanged":
            facts.renderer_hash = "0x" + bytes(args["newHash"]).hex()
    return facts


def stored_tokens(session: Session, ids: set[int]) -> dict[int, Token]:
    """The indexed rows of ``ids``, by id, in a few ``IN`` queries."""
    ordered = sorted(ids)
    rows: dict[int, Token] = {}
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        rows.update((t.id, t) for t in session.scalars(select(Token).where(Token.id.in_(chunk))))
    return rows


def apply_facts(session: Session, chain: ChainReader, facts: EventFacts, block: int) -> None:
    """Bring every token ``facts`` touches up to ``block``: new rows inserted in one statement, stored ones
    updated; fused children checked against the Python fusion rule."""
    rows = stored_tokens(session, facts.touched)
    new = sorted(i for i in facts.minted if i not in rows)
    lineage_ids = sorted(i for i in facts.lineage_changed if i in rows or i in facts.minted)
    lineages, genomes = chain.lineages_and_genomes(lineage_ids, new, block)
    genome_hex = {i: g.to_hex() for i, g in genomes.items()} | {i: r.genome for i, r in rows.items()}
    inserts: list[dict[str, Any]] = []
    for token_id in new:
        lineage = lineages.get(token_id, NO_LINEAGE)
        offer = facts.offers.get(token_id)
        inserts.append(
            dict(
                id=token_id,
                owner=facts.owners[token_id],
                genome=genome_hex[token_id],
                parent_a=lineage.parent_a,
                parent_b=lineage.parent_b,
                generation=lineage.generation,
                fusion_count=lineage.fusion_count,
                cooldown_until=lineage.cooldown_until,
                fusion_mode=_mode(lineage),
                minted_block=facts.minted[token_id],
                updated_block=block,
                offer_fuser=offer[0] if offer else None,
                offer_price=offer[1] if offer else None,
                seed=None,
                completer=None,
                genome_verified=None,
            )
            | _completion(facts, token_id, lineage, genome_hex)
        )
    for start in range(0, len(inserts), CHUNK):
        session.execute(insert(Token), inserts[start : start + CHUNK])
    for token_id, row in rows.items():
        if token_id in facts.owners:
            row.owner = facts.owners[token_id]
        if token_id in facts.offers:
            offer = facts.offers[token_id]
            row.offer_fuser, row.offer_price = offer if offer else (None, None)
        if token_id in lineages:
            lineage = lineages[token_id]
            row.parent_a, row.parent_b = lineage.parent_a, lineage.parent_b
            row.generation, row.fusion_count = lineage.generation, lineage.fusion_count
            row.cooldown_until, row.fusion_mode = lineage.cooldown_until, _mode(lineage)
        for key, value in _completion(facts, token_id, lineages.get(token_id), genome_hex).items():
            setattr(row, key, value)
        row.updated_block = block
    session.flush()


def follows_fusion_rule(parent_a: str, parent_b: str, child: str, seed: int, mode: FusionMode) -> bool:
    """Whether genome ``child`` (hex) is what the Python fusion rule of ``mode`` makes of the parents under ``seed``."""
    return fusion_outcome(Genome.from_hex(parent_a), Genome.from_hex(parent_b), seed, mode).to_hex() == child


def _mode(lineage: Lineage) -> int | None:
    return lineage.mode if lineage.parent_a and lineage.parent_b else None


def _completion(
    facts: EventFacts, token_id: int, lineage: Lineage | None, genome_hex: dict[int, str]
) -> dict[str, Any]:
    """Seed, completer and (for a fused child) whether its genome follows the fusion rule of its mode."""
    if token_id not in facts.seeds:
        return {}
    seed = facts.seeds[token_id]
    out: dict[str, Any] = {"seed": f"{seed:064x}", "completer": facts.completers[token_id], "genome_verified": None}
    if lineage is not None and lineage.parent_a and lineage.parent_b:
        parents = genome_hex.get(lineage.parent_a), genome_hex.get(lineage.parent_b)
        if parents[0] is not None and parents[1] is not None:
            mode = facts.modes.get(token_id, FusionMode.CROSSOVER)
            out["genome_verified"] = follows_fusion_rule(parents[0], parents[1], genome_hex[token_id], seed, mode)
            out["genome_verified"] &= lineage.mode == mode
            if not out["genome_verified"]:
                log.error("token %d: on-chain genome or mode differs from %s(parents, seed)", token_id, mode.label)
    return out
