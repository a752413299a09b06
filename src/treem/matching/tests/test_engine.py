"""The engine alone (no database): blocking, comparison levels, the probability and the twin guard."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treem.demo.synthetic import old_tone_placement, strip_diacritics, tcvn3_damage
from treem.matching import engine
from treem.matching.blocking import candidate_pairs
from treem.matching.engine import Record
from treem.matching.prepare import prepare, split_name
from treem.matching.scoring import COMPARISONS, TWIN_CAP, load_weights

LAN = Record(
    "1", full_name="Nguyễn Thị Lan", date_of_birth="2015-03-07", sex="F", ethnicity="Kinh",
    personal_id="033315001234", guardian_name="Nguyễn Văn Hùng", village="Thôn Đông", commune_code="10001",
    household_code="H1",
)  # fmt: skip


def other(**changes: str) -> Record:
    return dataclasses.replace(LAN, **{"record_id": "2", **changes})


def pair_found(a: Record, b: Record, *noise: Record) -> bool:
    c = prepare([a, *noise, b])
    first, second, _passes = candidate_pairs(c)
    return bool(np.any((first == 0) & (second == len(noise) + 1)))


# Unrelated children of the same commune, so that blocks are not trivially small.
CROWD = [
    Record(str(10 + i), full_name=f"Trần Văn {name}", date_of_birth=f"201{i % 10}-0{1 + i % 9}-1{i % 10}", sex="M",
           commune_code="10001", personal_id=f"0332{i % 10}{i % 10}00{i:04d}")
    for i, name in enumerate(["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khoa", "Long", "Minh", "Nam"] * 3)
]  # fmt: skip


@pytest.mark.parametrize(
    "changes",
    [
        {"personal_id": "033315001284"},  # one digit re-typed
        {"personal_id": "033315002134"},  # two digits swapped
        {"date_of_birth": "2015-07-03"},  # day and month swapped
        {"date_of_birth": "2015-03-08"},  # one day off
        {"full_name": "Nguyen Thi Lan", "commune_code": "20002", "household_code": "H9"},  # moved, no diacritics
    ],
)
def test_blocking_finds_the_usual_errors(changes: dict[str, str]) -> None:
    assert pair_found(LAN, other(**changes), *CROWD)


def test_an_id_typo_alone_is_enough_to_compare_children_far_apart() -> None:
    moved = other(personal_id="033315001284", date_of_birth="2016-01-01", full_name="Nguyễn Thị Lam",
                  commune_code="20002", guardian_name="", household_code="H9")  # fmt: skip
    assert pair_found(LAN, moved, *CROWD)


@pytest.mark.parametrize(
    ("raw", "family", "middle", "given"),
    [
        ("NGUYỄN  THỊ  HOÀ ", "nguyễn", "thị", "hòa"),
        ("Nguyễn Thị Hoà", "nguyễn", "thị", "hòa"),  # old tone placement
        (tcvn3_damage("Đặng Thị Thủy"), "đặng", "thị", "thủy"),  # a .VnTime font read as Unicode
        ("Lan", "", "", "lan"),
        ("Sùng A Páo", "sùng", "a", "páo"),
    ],
)
def test_names_are_repaired_and_split(raw: str, family: str, middle: str, given: str) -> None:
    parts = split_name(raw)
    assert (parts.family, parts.middle, parts.given) == (family, middle, given)


@pytest.mark.parametrize(
    "changes",
    [
        {"full_name": strip_diacritics(LAN.full_name)},
        {"full_name": tcvn3_damage(LAN.full_name), "guardian_name": tcvn3_damage(LAN.guardian_name)},
        {"full_name": "NGUYỄN THỊ LAN", "date_of_birth": "2015-07-03"},
        {"full_name": "Nguyễn Thị Lna", "personal_id": ""},
        {"personal_id": "033315001284", "village": "Thôn Tây", "household_code": "H2"},
    ],
)
def test_a_child_entered_twice_with_errors_goes_to_review(changes: dict[str, str]) -> None:
    assert engine.score_pair(LAN, other(**changes)).probability >= engine.REVIEW


def test_twins_with_different_given_names_score_below_review() -> None:
    twin = other(full_name="Nguyễn Thị Hoa", personal_id="033315009876")
    scored = engine.score_pair(LAN, twin)
    assert scored.twin_guard
    assert scored.probability <= TWIN_CAP < engine.REVIEW
    assert scored.decision == ""


def test_twins_never_merge_even_with_the_same_id_copied_onto_both() -> None:
    twin = other(full_name="Nguyễn Thị Hoa")  # a clerk copied the sister's ID
    scored = engine.score_pair(LAN, twin)
    assert scored.twin_guard and scored.decision == ""


def test_siblings_are_not_duplicates() -> None:
    sibling = other(full_name="Nguyễn Văn Nam", sex="M", date_of_birth="2012-09-01", personal_id="033212005555")
    assert engine.score_pair(LAN, sibling).probability < engine.REVIEW


def test_merge_needs_the_same_valid_id() -> None:
    again = other(full_name="Nguyen Thi Lan")
    assert engine.score_pair(LAN, again).decision == engine.MERGE
    assert engine.score_pair(LAN, other(full_name="Nguyen Thi Lan", personal_id="")).decision == "review"
    # Same ID, but the province code does not exist: an ID nobody issued is no proof.
    bad = dataclasses.replace(LAN, personal_id="999315001234")
    assert engine.score_pair(bad, dataclasses.replace(bad, record_id="2")).decision == "review"


def test_levels_cover_every_comparison() -> None:
    features = engine.score_pair(LAN, other()).features
    assert set(features) == set(COMPARISONS)
    assert features["given_name"] == "exact" and features["personal_id"] == "exact"
    assert set(load_weights().tables) == set(COMPARISONS)


def test_old_tone_placement_is_the_same_name() -> None:
    assert old_tone_placement("Hòa Thúy") == "Hoà Thuý"
    assert engine.score_pair(other(full_name="Nguyễn Thị Hòa"), other(full_name="Nguyễn Thị Hoà", record_id="3")
                             ).features["given_name"] == "exact"  # fmt: skip


names = st.sampled_from(["Nguyễn Thị Lan", "Nguyen Thi Lan", "Trần Văn Hùng", "Lò Thị Ún", "Sùng A Páo", "", "Lan"])
dates = st.sampled_from(["2015-03-07", "2015-07-03", "2015-03-08", "2014-01-01", "", "not a date"])
ids = st.sampled_from(["033315001234", "033315001284", "033315002134", "012313000123", "", "12345"])
records = st.builds(
    Record, record_id=st.just("x"), full_name=names, date_of_birth=dates, sex=st.sampled_from(["M", "F", ""]),
    personal_id=ids, guardian_name=st.sampled_from(["Nguyễn Văn Hùng", "Nguyen Van Hung; Lê Thị Mai", ""]),
    village=st.sampled_from(["Thôn Đông", "thon dong", ""]), commune_code=st.sampled_from(["10001", "20002", ""]),
    household_code=st.sampled_from(["H1", "H2", ""]),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(records, records)
def test_the_score_is_symmetric_and_a_probability(a: Record, b: Record) -> None:
    a, b = dataclasses.replace(a, record_id="a"), dataclasses.replace(b, record_id="b")
    ab, ba = engine.score_pair(a, b), engine.score_pair(b, a)
    assert 0.0 <= ab.probability <= 1.0
    assert ab.probability == pytest.approx(ba.probability, abs=1e-12)
    assert ab.features == ba.features and ab.decision == ba.decision


def test_an_oversized_block_is_compared_by_sorted_neighbourhood() -> None:
    from treem.matching import blocking

    n = blocking.MAX_BLOCK + 10
    key, valid = np.zeros(n, dtype=np.uint64), np.ones(n, dtype=bool)
    codes = blocking.pairs_in_blocks(key, valid, np.arange(n), n)
    assert len(codes) == sum(min(blocking.WINDOW, n - 1 - i) for i in range(n))
    assert n * 1 + 2 in set(codes.tolist())  # neighbours 1 and 2 are compared, 1 and 40 are not
    assert 1 * n + 40 not in set(codes.tolist())


words = st.sampled_from(["lan", "lân", "lam", "lna", "hùng", "dũng", "hung", "minh", "linh", "thị", "thi", "văn", "a"])


@settings(max_examples=100, deadline=None)
@given(words, words, words, words)
def test_vectorised_levels_follow_the_documented_rule(fa: str, ga: str, fb: str, gb: str) -> None:
    from treem.core.text import fold
    from treem.matching.scoring import Comparer, name_level

    a, b = Record("a", full_name=f"{fa} văn {ga}"), Record("b", full_name=f"{fb} văn {gb}")
    c = prepare([a, b])
    levels = Comparer(c).levels(np.array([0]), np.array([1]))
    accented = bool(c.accented[0] and c.accented[1])
    for part, x, y in (("family_name", fa, fb), ("given_name", ga, gb)):
        assert COMPARISONS[part][levels[part][0]] == name_level(x, y, fold(x), fold(y), accented)


def test_the_engine_runs_without_django() -> None:
    import subprocess
    import sys

    code = "import sys, treem.matching.engine; sys.exit(any(m.startswith('django') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0  # noqa: S603
