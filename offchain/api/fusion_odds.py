"""Fusion odds in a player's words: the core's exact nibble odds gathered into named trait values with
rarity tiers (schema and pure builders; ``GET /fusion/odds``, ``latentkin odds`` and
``GET /tokens/{id}/inheritance`` serve them).

The core (:mod:`latentkin_core.odds`) works on nibbles; several nibbles of a trait may name the same value,
so a value's chance is the sum over its nibbles. Traits are independent of each other (their random bits
are disjoint), so the chance that at least one trait does something is one minus the product of the
chances that none does.
"""

from __future__ import annotations

from math import prod

from pydantic import BaseModel, Field

from latentkin_core.genome import GENES, FusionMode, Genome
from latentkin_core.odds import FusionOdds, fusion_odds, passing_odds
from offchain.token.metadata import FusionModeName, TraitTable

RARE_TIERS = ("rare", "legendary")


class ValueOdds(BaseModel):
    """One named value of a trait and its chance in the child."""

    value: str
    rarity: str
    percent: float = Field(description="Chance (0-100) the child shows this value.")
    hidden_percent: float = Field(description="Chance (0-100) the child carries it hidden (its sub trait).")


class TraitOddsBody(BaseModel):
    """One trait of the child: every value it can show, most likely first."""

    trait: str
    parents: list[str] = Field(description="The values the two parents show, a's first.")
    values: list[ValueOdds]
    rare_percent: float = Field(description="Chance the child shows a rare or legendary value here.")
    new_percent: float = Field(description="Chance the child shows a value neither parent shows.")


class GeneSummary(BaseModel):
    """What the 64 code genes (the face the traits do not name) do, as expected shares of them."""

    like_a_percent: float = Field(description="Expected share (0-100) of genes equal to a's (and not b's).")
    like_b_percent: float = Field(description="Expected share of genes equal to b's (and not a's).")
    shared_percent: float = Field(description="Expected share of genes both parents have and the child keeps.")
    between_percent: float = Field(description="Expected share strictly between the parents' genes.")
    other_percent: float = Field(description="Expected share outside both (mutations).")


class ModeOdds(BaseModel):
    """The exact odds of one fusion mode's child, over every seed the reveal block may give."""

    mode: FusionModeName
    traits: list[TraitOddsBody]
    rare_percent: float = Field(description="Chance the child shows at least one rare or legendary value.")
    new_percent: float = Field(description="Chance the child shows at least one value neither parent shows.")
    mutation_percent: float = Field(description="Chance of at least one mutation (64 code genes and 8 traits).")
    trait_mutation_percent: float = Field(description="Chance that at least one shown trait mutates.")
    genes: GeneSummary


class FusionOddsBody(BaseModel):
    """``GET /fusion/odds``: the odds of a and b's child in the mode asked for, or in both."""

    a: str
    b: str
    modes: list[ModeOdds]


class HiddenTrait(BaseModel):
    """One trait of a character as a parent: what it shows, what it hides, and their chances to pass on."""

    trait: str
    value: str
    hidden: str
    rarity: str
    hidden_rarity: str
    value_percent: float = Field(description="Chance, through this parent alone, that a child shows its value.")
    hidden_surfaces_percent: float = Field(
        description="Chance, through this parent alone, that a child shows "
        "the hidden value (0 when it equals the shown one)."
    )
    hidden_carried_percent: float = Field(description="Chance a child carries the hidden value on, hidden.")


class Inheritance(BaseModel):
    """``GET /tokens/{id}/inheritance``: what a character could pass on to any child, whoever the partner."""

    token_id: int
    traits: list[HiddenTrait]


def _percent(p: float) -> float:
    return 100.0 * p


def _at_least_one(chances: list[float]) -> float:
    return 1.0 - prod(1.0 - p for p in chances)


def _trait_body(
    table: TraitTable, i: int, a: Genome, b: Genome, main: dict[int, float], sub: dict[int, float]
) -> tuple[TraitOddsBody, float, float]:
    shown: dict[str, float] = {}
    hidden: dict[str, float] = {}
    tiers: dict[str, str] = {}
    for nibble in range(16):
        name = table.trait_value(i, nibble)
        tiers.setdefault(name, table.rarity(i, nibble))
        shown[name] = shown.get(name, 0.0) + main.get(nibble, 0.0)
        hidden[name] = hidden.get(name, 0.0) + sub.get(nibble, 0.0)
    parents = [table.trait_value(i, a.main(i)), table.trait_value(i, b.main(i))]
    rare = sum(p for name, p in shown.items() if tiers[name] in RARE_TIERS)
    new = sum(p for name, p in shown.items() if name not in parents)
    values = [
        ValueOdds(value=name, rarity=tiers[name], percent=_percent(p), hidden_percent=_percent(hidden[name]))
        for name, p in sorted(shown.items(), key=lambda item: -item[1])
    ]
    body = TraitOddsBody(
        trait=table.trait_names[i],
        parents=parents,
        values=values,
        rare_percent=_percent(rare),
        new_percent=_percent(new),
    )
    return body, rare, new


def _gene_summary(a: Genome, b: Genome, odds: FusionOdds) -> GeneSummary:
    like_a = like_b = shared = between = other = 0.0
    for gx, gy, gene in zip(a.genes, b.genes, odds.genes, strict=True):
        low, high = min(gx, gy), max(gx, gy)
        for g, p in gene.items():
            if g == gx == gy:
                shared += p
            elif g == gx:
                like_a += p
            elif g == gy:
                like_b += p
            elif low < g < high:
                between += p
            else:
                other += p
    return GeneSummary(
        **{
            f"{k}_percent": _percent(v / GENES)
            for k, v in (
                ("like_a", like_a),
                ("like_b", like_b),
                ("shared", shared),
                ("between", between),
                ("other", other),
            )
        }
    )


def mode_odds(table: TraitTable, a: Genome, b: Genome, mode: FusionMode) -> ModeOdds:
    """The exact odds of a and b's child by ``mode``, by named value and rarity tier."""
    odds = fusion_odds(a, b, mode)
    traits = [_trait_body(table, i, a, b, t.main, t.sub) for i, t in enumerate(odds.traits)]
    return ModeOdds(
        mode=mode.label,
        traits=[t for t, _, _ in traits],
        rare_percent=_percent(_at_least_one([r for _, r, _ in traits])),
        new_percent=_percent(_at_least_one([n for _, _, n in traits])),
        mutation_percent=_percent(odds.mutation),
        trait_mutation_percent=_percent(odds.trait_mutation),
        genes=_gene_summary(a, b, odds),
    )


def odds_body(table: TraitTable, a: Genome, b: Genome, modes: list[FusionMode]) -> FusionOddsBody:
    """``GET /fusion/odds``'s body for the parents' genomes and the modes asked for."""
    return FusionOddsBody(a=a.to_hex(), b=b.to_hex(), modes=[mode_odds(table, a, b, m) for m in modes])


def inheritance(table: TraitTable, token_id: int, genome: Genome) -> Inheritance:
    """What ``genome`` passes on through its own offer: per trait its shown and hidden values and their chances."""
    traits = []
    for i, odds in enumerate(passing_odds(genome)):
        value, hidden = table.trait_value(i, odds.main), table.trait_value(i, odds.sub)
        surfaces = 0.0 if value == hidden else odds.expressed[odds.sub]
        shown = sum(p for n, p in odds.expressed.items() if table.trait_value(i, n) == value)
        carried = sum(p for n, p in odds.carried.items() if table.trait_value(i, n) == hidden)
        traits.append(
            HiddenTrait(
                trait=table.trait_names[i],
                value=value,
                hidden=hidden,
                rarity=table.rarity(i, odds.main),
                hidden_rarity=table.rarity(i, odds.sub),
                value_percent=_percent(shown),
                hidden_surfaces_percent=_percent(surfaces),
                hidden_carried_percent=_percent(carried),
            )
        )
    return Inheritance(token_id=token_id, traits=traits)
