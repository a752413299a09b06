"""Fit the matcher's weights on labelled synthetic data and write them, with how they score, to ``weights.json``.

    .venv/bin/python -m treem.demo.train                    # 200,000 records to fit, 200,000 others to test
    .venv/bin/python -m treem.demo.train --records 50000 --dry-run

The model is a logistic regression over the one-hot comparison levels of every candidate pair that blocking
proposes (so it learns from the pairs it will really see, twins and siblings included), fitted by Newton's method
with a small L2 penalty. Level 0 (``missing``) of each comparison is the reference and weighs 0. A weight is a log
odds ratio: +4 on ``given_name.exact`` means an exact given name multiplies the odds of a match by e⁴ ≈ 55,
other comparisons being equal. Measurements use a different seed from the fit.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass

import numpy as np

from treem.core.dates import today_vn
from treem.demo import synthetic
from treem.matching import engine
from treem.matching.blocking import candidate_pairs
from treem.matching.prepare import ColumnBuilder, Columns
from treem.matching.scoring import COMPARISONS, WEIGHTS_FILE, Comparer, Levels, Weights, probabilities

L2 = 0.1
ITERATIONS = 30
FIT_SEED, TEST_SEED = 1, 2


@dataclass
class Labelled:
    columns: Columns
    levels: Levels
    match: np.ndarray  # bool per candidate pair
    twins: np.ndarray  # bool: the two records are twins (different children of one twin birth)
    true_pairs: int  # every true pair, found by blocking or not


def labelled(n: int, seed: int) -> Labelled:
    builder, entity, twin = ColumnBuilder(), [], []
    for record, truth in synthetic.generate(n, seed=seed):
        builder.add(record)
        entity.append(truth.entity)
        twin.append(truth.twin_group)
    c = builder.build()
    ent, tw = np.array(entity), np.array(twin)
    a, b, _per_pass = candidate_pairs(c)
    sizes = np.bincount(ent)
    true_pairs = int((sizes * (sizes - 1) // 2).sum())
    match = ent[a] == ent[b]
    twins = ~match & (tw[a] == tw[b]) & (tw[a] >= 0)
    return Labelled(c, Comparer(c).levels(a, b), match, twins, true_pairs)


def design(levels: Levels) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """One-hot columns for every non-reference level."""
    columns, names = [], []
    for name, level_names in COMPARISONS.items():
        for i, level in enumerate(level_names[1:], start=1):
            columns.append(levels[name] == i)
            names.append((name, level))
    return np.column_stack(columns).astype(np.float64), names


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2, iterations: int = ITERATIONS) -> np.ndarray:
    """Newton–Raphson for L2-penalised logistic regression; the last coefficient is the intercept."""
    x = np.column_stack([x, np.ones(len(x))])
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -40, 40)))
        gradient = x.T @ (y - p) - penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w += step
        if np.abs(step).max() < 1e-6:
            break
    return w


def to_weights(w: np.ndarray, names: list[tuple[str, str]]) -> dict:
    weights: dict[str, dict[str, float]] = {name: {} for name in COMPARISONS}
    for (name, level), value in zip(names, w[:-1], strict=True):
        weights[name][level] = round(float(value), 3)
    return {"intercept": round(float(w[-1]), 3), "weights": weights}


def measure(data: Labelled, weights: Weights) -> dict[str, float | int]:
    p, _guarded = probabilities(data.levels, weights)
    flagged = p >= engine.REVIEW
    tp = int((flagged & data.match).sum())
    precision = tp / max(1, int(flagged.sum()))
    recall = tp / max(1, data.true_pairs)
    id_exact = data.levels["personal_id"] == 1
    auto = (p >= engine.AUTO_MERGE) & id_exact
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / max(1e-9, precision + recall), 4),
        "true_pairs": data.true_pairs,
        "candidate_pairs": len(p),
        "twin_pairs_in_candidates": int(data.twins.sum()),
        "twin_pairs_at_review": int((flagged & data.twins).sum()),
        "twin_pairs_auto_merge": int((auto & data.twins).sum()),
        "wrong_auto_merges": int((auto & ~data.match).sum()),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--dry-run", action="store_true", help="Print the weights and figures; write nothing.")
    args = parser.parse_args(argv)
    fit = labelled(args.records, FIT_SEED)
    x, names = design(fit.levels)
    w = fit_logistic(x, fit.match.astype(np.float64))
    data = to_weights(w, names)
    test = labelled(args.records, TEST_SEED)
    data = {
        "about": (
            "Log-odds weight of each comparison level (level 'missing' is the reference, 0); "
            "p = 1/(1+exp(-(intercept + sum of weights))). Fitted by treem.demo.train; do not edit by hand."
        ),
        **data,
        "fitted_on": {
            "generator": "treem.demo.synthetic",
            "records": args.records,
            "seed": FIT_SEED,
            "candidate_pairs": len(fit.match),
            "matches": int(fit.match.sum()),
            "l2": L2,
            "date": today_vn().isoformat(),
        },  # fmt: skip
        "measured_on": {
            "records": args.records,
            "seed": TEST_SEED,
            "review": engine.REVIEW,
            "auto_merge": engine.AUTO_MERGE,
            **measure(test, Weights.from_dict(data)),
        },  # fmt: skip
    }
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if args.dry_run:
        sys.stdout.write(text)
    else:
        WEIGHTS_FILE.write_text(text, encoding="utf-8")
        sys.stdout.write(f"{WEIGHTS_FILE}: {json.dumps(data['measured_on'])}\n")


if __name__ == "__main__":
    main()
