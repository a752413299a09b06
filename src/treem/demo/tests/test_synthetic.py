"""The labelled data generator and the weight fitting."""

from __future__ import annotations

import collections

import numpy as np

from treem.core.text import fold
from treem.demo import synthetic, train
from treem.matching.scoring import COMPARISONS, Weights


def test_the_generator_makes_duplicates_and_twins_at_the_advertised_rates() -> None:
    pairs = list(synthetic.generate(6000, seed=3))
    records = {r.record_id: r for r, _t in pairs}
    by_entity = collections.Counter(t.entity for _r, t in pairs)
    copies = sum(k - 1 for k in by_entity.values())
    assert 0.02 < copies / len(pairs) < 0.04
    twins = collections.defaultdict(set)
    for r, t in pairs:
        if t.twin_group >= 0 and not t.noise:
            twins[t.twin_group].add(r.record_id)
    in_twins = sum(len(v) for v in twins.values())
    assert 0.01 < in_twins / len(pairs) < 0.035
    for ids in twins.values():
        a, b = (records[i] for i in sorted(ids))
        assert a.date_of_birth == b.date_of_birth and a.household_code == b.household_code
        assert fold(a.full_name.split()[-1]) != fold(b.full_name.split()[-1])
    assert all(t.noise for _r, t in pairs[len(pairs) - copies :])  # second entries come last


def test_the_same_seed_gives_the_same_data() -> None:
    first = [r for r, _t in synthetic.generate(500, seed=9)]
    assert first == [r for r, _t in synthetic.generate(500, seed=9)]


def test_logistic_fit_finds_the_informative_column() -> None:
    rng = np.random.default_rng(0)
    x = rng.integers(0, 2, size=(4000, 2)).astype(float)
    y = (rng.random(4000) < np.where(x[:, 0] == 1, 0.9, 0.1)).astype(float)
    w = train.fit_logistic(x, y)
    assert w[0] > 3 and abs(w[1]) < 0.5


def test_training_end_to_end_on_a_small_set() -> None:
    data = train.labelled(3000, seed=5)
    x, names = train.design(data.levels)
    fitted = train.to_weights(train.fit_logistic(x, data.match.astype(float)), names)
    assert set(fitted["weights"]) == set(COMPARISONS)
    figures = train.measure(data, Weights.from_dict(fitted))
    assert figures["f1"] > 0.9 and figures["twin_pairs_auto_merge"] == 0
