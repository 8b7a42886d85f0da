"""GET /fusion/odds and GET /tokens/{id}/inheritance: the core's exact odds by named value and rarity tier."""

from __future__ import annotations

from fractions import Fraction

import pytest

from latentkin_core.genome import FusionMode
from latentkin_core.odds import marginals, mutation_chance, trait_distribution
from renderer.table import load_table

RARE = ("rare", "legendary")


def _exact_by_name(table, i, a, b) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
    """Exact chance of each named value shown and hidden in trait i, from the core's joint distribution."""
    main, sub = marginals(trait_distribution(a.main(i), a.sub(i), b.main(i), b.sub(i)))
    shown: dict[str, Fraction] = {}
    hidden: dict[str, Fraction] = {}
    for nibble in range(16):
        name = table.trait_value(i, nibble)
        shown[name] = shown.get(name, Fraction(0)) + main.get(nibble, Fraction(0))
        hidden[name] = hidden.get(name, Fraction(0)) + sub.get(nibble, Fraction(0))
    return shown, hidden


def test_odds_of_two_tokens_in_both_modes_are_the_exact_odds_by_name(client, kin_chain):
    response = client.get("/fusion/odds", params={"a": 1, "b": 3})
    assert response.status_code == 200, response.text
    body = response.json()
    a, b = kin_chain.genomes[1], kin_chain.genomes[3]
    table = load_table()
    assert (body["a"], body["b"]) == (a.to_hex(), b.to_hex())
    assert [m["mode"] for m in body["modes"]] == ["crossover", "blend"]
    for mode in body["modes"]:
        assert mode["mutation_percent"] == pytest.approx(100 * float(mutation_chance()), rel=1e-12)
        assert mode["trait_mutation_percent"] == pytest.approx(100 * float(1 - Fraction(31, 32) ** 8), rel=1e-12)
        no_rare, no_new = Fraction(1), Fraction(1)
        for i, trait in enumerate(mode["traits"]):
            shown, hidden = _exact_by_name(table, i, a, b)
            parents = [table.trait_value(i, a.main(i)), table.trait_value(i, b.main(i))]
            assert trait["trait"] == table.trait_names[i] and trait["parents"] == parents
            assert [v["value"] for v in trait["values"]] == sorted(shown, key=lambda n: -shown[n])
            for v in trait["values"]:
                assert v["percent"] == pytest.approx(100 * float(shown[v["value"]]), rel=1e-12)
                assert v["hidden_percent"] == pytest.approx(100 * float(hidden[v["value"]]), abs=1e-12)
                assert v["rarity"] == table.rarity(i, table.nibbles_of(i, table.value_names[i].index(v["value"]))[0])
            rare = sum(
                (
                    p
                    for n, p in shown.items()
                    if any(table.rarity(i, k) in RARE for k in range(16) if table.trait_value(i, k) == n)
                ),
                Fraction(0),
            )
            new = sum((p for n, p in shown.items() if n not in parents), Fraction(0))
            assert trait["rare_percent"] == pytest.approx(100 * float(rare), abs=1e-12)
            assert trait["new_percent"] == pytest.approx(100 * float(new), abs=1e-12)
            no_rare, no_new = no_rare * (1 - rare), no_new * (1 - new)
        assert mode["rare_percent"] == pytest.approx(100 * float(1 - no_rare), rel=1e-9)
        assert mode["new_percent"] == pytest.approx(100 * float(1 - no_new), rel=1e-9)
    crossover, blend = body["modes"]
    assert crossover["traits"] == blend["traits"]  # the modes differ in the code genes only
    assert crossover["genes"] != blend["genes"]
    genes = [crossover["genes"], blend["genes"]]
    for summary in genes:
        assert sum(summary.values()) == pytest.approx(100, abs=1e-9)
    # crossover lands between the parents only by a mutation; blend mostly does (the parents' genes differ)
    assert crossover["genes"]["between_percent"] < 2 and blend["genes"]["between_percent"] > 20
    assert crossover["genes"]["like_a_percent"] == pytest.approx(crossover["genes"]["like_b_percent"], abs=5)


def test_one_mode_and_genomes_by_hex(client, kin_chain):
    a, b = kin_chain.genomes[2], kin_chain.genomes[5]
    by_id = client.get("/fusion/odds", params={"a": 2, "b": 5, "mode": "blend"}).json()
    by_hex = client.get("/fusion/odds", params={"a": a.to_hex(), "b": "0x" + b.to_hex(), "mode": "blend"}).json()
    assert by_id == by_hex and [m["mode"] for m in by_id["modes"]] == ["blend"]
    both = client.get("/fusion/odds", params={"a": 2, "b": 5}).json()
    assert both["modes"][1] == by_id["modes"][0]


def test_identical_genomes_keep_their_values(client, kin_chain):
    genome = kin_chain.genomes[4].to_hex()
    body = client.get("/fusion/odds", params={"a": genome, "b": genome, "mode": "crossover"}).json()
    (mode,) = body["modes"]
    genes = mode["genes"]
    assert genes["shared_percent"] == pytest.approx(100 * 31 / 32, abs=1e-9)  # every gene kept unless mutated
    for trait in mode["traits"]:
        assert trait["values"][0]["value"] == trait["parents"][0] == trait["parents"][1]


def test_odds_errors_are_clear(client):
    missing = client.get("/fusion/odds", params={"a": 1, "b": 999})
    assert missing.status_code == 404 and "999" in missing.json()["detail"]
    bad_mode = client.get("/fusion/odds", params={"a": 1, "b": 3, "mode": "average"})
    assert bad_mode.status_code == 422
    message = bad_mode.json()["detail"][0]["msg"]
    assert "crossover" in message and "blend" in message
    assert client.get("/fusion/odds", params={"a": 1, "b": 1}).status_code == 409
    assert client.get("/fusion/odds", params={"a": "01", "b": 3}).status_code == 422
    assert client.get("/fusion/odds", params={"a": 1}).status_code == 422


def test_inheritance_shows_hidden_traits_and_their_chance_to_surface(client, kin_chain):
    response = client.get("/tokens/9/inheritance")
    assert response.status_code == 200, response.text
    body = response.json()
    genome, table = kin_chain.genomes[9], load_table()
    assert body["token_id"] == 9 and len(body["traits"]) == 8
    for i, trait in enumerate(body["traits"]):
        value, hidden = table.trait_value(i, genome.main(i)), table.trait_value(i, genome.sub(i))
        assert (trait["value"], trait["hidden"]) == (value, hidden)
        assert trait["rarity"] == table.rarity(i, genome.main(i))
        assert trait["hidden_rarity"] == table.rarity(i, genome.sub(i))
        if value == hidden:  # offered either way, shown by the child when its offer lands on top, unmutated
            assert trait["value_percent"] == pytest.approx(100 * 31 / 64)
            assert trait["hidden_surfaces_percent"] == 0 and trait["hidden_carried_percent"] == 50
        else:  # offered 1/4, on top 1/2, unmutated 31/32
            assert trait["value_percent"] == pytest.approx(100 * 3 / 8 * 31 / 32)
            assert trait["hidden_surfaces_percent"] == pytest.approx(100 * 1 / 8 * 31 / 32)
            assert trait["hidden_carried_percent"] == pytest.approx(100 / 8)
    assert client.get("/tokens/999/inheritance").status_code == 404
    assert client.get("/tokens/0/inheritance").status_code == 422


def test_the_modes_in_the_odds_are_the_core_modes():
    from typing import get_args

    from offchain.api.fusion_odds import ModeOdds

    assert get_args(ModeOdds.model_fields["mode"].annotation) == tuple(m.label for m in FusionMode)
