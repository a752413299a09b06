"""Rates and weighted choices behind the synthetic registry: per-province profiles, family sizes, groups, risks."""

from __future__ import annotations

from dataclasses import dataclass

from treem.registry.models import Disability

from .names import Pool


@dataclass(frozen=True, slots=True)
class Profile:
    """A province's rates: poverty, special circumstances, missing IDs, unregistered births, grandparent heads."""

    poor: float
    near_poor: float
    special: float
    no_id: float
    unregistered: float
    grandparent_head: float
    situations: Pool = Pool("two_parents 84, single_mother 8, single_father 2, migrant 5, orphan 0.5, no_support 0.5")


PROFILES = {
    "12": Profile(0.12, 0.08, 0.075, 0.12, 0.05, 0.2,
                  Pool("two_parents 84, single_mother 7, single_father 2, migrant 4, orphan 1.3, no_support 1.3")),
    "33": Profile(0.015, 0.025, 0.05, 0.07, 0.01, 0.12),
    "38": Profile(0.025, 0.035, 0.05, 0.07, 0.01, 0.12),
    "75": Profile(0.005, 0.015, 0.05, 0.06, 0.01, 0.1),
}  # fmt: skip
DEFAULT_PROFILE = Profile(0.02, 0.03, 0.05, 0.07, 0.01, 0.12)
KIDS = {"highland": Pool("1 12, 2 25, 3 30, 4 20, 5 13"), "kinh": Pool("1 30, 2 50, 3 17, 4 3"),
        "other": Pool("1 20, 2 40, 3 28, 4 9, 5 3")}  # fmt: skip
OPEN_CODES = Pool("d 40, n 14, h 6, i 3, k 2, l 2, đ 2, e 2, b 1, o 1, m 0.5, g 0.5")
ENDED_CODES = Pool("n 4, h 3, i 3, k 2, o 2, e 1, m 1")
RISK_CODES = Pool("dropout 25, violence 15, child_marriage 12, drowning_injury 12, abandonment 12, exploitation 8,"
                  "unsafe_migration 8, sexual_abuse 4, trafficking 4")  # fmt: skip
MIN_AGE = {"h": 11, "e": 12, "g": 13, "k": 10, "l": 6, "m": 10, "i": 2, "d": 1, "n": 1, "dropout": 10,
           "child_marriage": 12, "exploitation": 10, "unsafe_migration": 13, "trafficking": 12,
           "drowning_injury": 2}  # fmt: skip
SUBTYPES = {"d": Pool("1 2, 2 4, 3 4"), "b": Pool("2"), "e": Pool("1 3, 4"), "g": Pool("2"), "h": Pool("2"),
            "k": Pool("1 4, 5"), "l": Pool("4 3, 3"), "m": Pool("1"), "o": Pool("1")}  # fmt: skip
DISABILITY = {"1": Disability.VERY_SEVERE, "2": Disability.SEVERE, "3": Disability.MILD}
OCCUPATIONS = {"12": Pool("Làm nương rẫy 5, Làm ruộng 4, Trồng chè 2, Buôn bán, Công nhân, Giáo viên"),
               "": Pool("Công nhân 4, Làm ruộng 3, Buôn bán 2, Lao động tự do 2, Viên chức, Lái xe")}  # fmt: skip
NUTRITION = {"12": Pool("normal 67, stunted 22, underweight 8, wasted 3"),
             "": Pool("normal 81, stunted 9, underweight 5, overweight 5")}  # fmt: skip
