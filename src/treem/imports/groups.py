"""Special-circumstance groups as communes write them in their lists.

A group cell may hold the letter of Luật Trẻ em Art. 10 ("a", "Nhóm d", "đ", "điểm h"), the law's words ("Trẻ em
mồ côi cả cha và mẹ"), or the short forms communes write ("Khuyết tật", "Bị bỏ rơi", "Nhiễm HIV/AIDS", "Bỏ học
kiếm sống"), several in one cell ("a, d", "Khuyết tật; HIV", "mồ côi cả cha và mẹ và khuyết tật"); or a workbook
has one column per group with an `x` in it (`parse_mark`).

The vocabulary is data: each group's letter, its name in the law (`CircumstanceType.name_vi`) and the words
communes write (`CircumstanceType.synonyms`, seeded from registry/fixtures/circumstance_synonyms.json and extended
by an administrator). Words are compared without case or diacritics (the letter đ stays apart from d: "đ" and
Telex "dd" are group đ, "d" is group d). Every word of a cell must be understood: an unknown one is a CleanError
naming it, never dropped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from treem.core.errors import CleanError, Message, gettext_noop
from treem.core.text import fold, nfc

SPECIAL_LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o")

# One column per group (marked x): the field of each letter (đ spelt "dd" in the field name, as in Telex).
LETTER_FIELDS: dict[str, str] = {f"group_{'dd' if code == 'đ' else code}": code for code in SPECIAL_LETTERS}
FIELD_OF_LETTER: dict[str, str] = {code: field for field, code in LETTER_FIELDS.items()}

# Words that may stand around the groups without naming one: "Nhóm a", "điểm b khoản 1 Điều 10", "trẻ em bị bỏ
# rơi", "phải bỏ học kiếm sống", "a và d". A phrase of the vocabulary that starts with one of them wins over it.
FILLERS = ("nhom", "diem", "va", "tre", "em", "thuoc", "bi", "phai", "khoan 1", "dieu 10", "luat tre em",
           "hoan canh dac biet", "co hoan canh dac biet", "hcdb")  # fmt: skip
# A whole cell that says "none".
NONE_CELLS = frozenset({"khong", "khong co", "khong thuoc nhom nao", "0"})

_WORD = re.compile(r"[^\W_]+")

# Row messages are stored as msgids (ImportIssue.messages) and translated when shown: the message earlier versions
# stored for an unknown group stays in the catalogue.
STORED_MESSAGES = (gettext_noop("Special circumstance group %(value)s is not in Article 10 of the Law on Children"),)

MARKS_YES = frozenset({"x", "v", "co", "1", "yes", "true", "dung", "\u2713", "\u2714", "\u2611", "\u2612", "\u25cf"})
MARKS_NO = frozenset({"", "0", "khong", "-", "no", "false"})


@dataclass(frozen=True, eq=False)  # compared (and cached) by identity: `vocabulary` returns one per data
class GroupVocabulary:
    """The words of every group, compiled: folded word tuples -> the groups they name (None: a filler)."""

    phrases: dict[tuple[str, ...], tuple[str, ...] | None]
    letters: frozenset[str]
    names: dict[str, str]  # code -> name in the law (Vietnamese)
    confidential: frozenset[str]  # groups that are case data: recorded from a case, never imported
    longest: int

    def parse(self, value: str) -> list[str]:
        """The group codes a cell names, in order, each once; CleanError naming the words it cannot read."""
        text = nfc(value)
        words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
        folded = [fold(raw) for _s, _e, raw in words]
        if " ".join(folded) in NONE_CELLS:
            return []
        codes: list[str] = []
        unknown: list[tuple[int, int]] = []  # spans of the text, runs of unknown words
        ambiguous: list[tuple[str, tuple[str, ...]]] = []
        last_unknown = False
        i = 0
        while i < len(words):
            found = self._phrase_at(folded, i)
            if found is not None:
                size, named = found
                if named is not None and len(named) > 1:
                    ambiguous.append((text[words[i][0] : words[i + size - 1][1]], named))
                elif named is not None:
                    codes.append(named[0])
                i, last_unknown = i + size, False
                continue
            start, end, raw = words[i]
            letter = "đ" if raw == "dd" else raw
            if letter in self.letters:
                codes.append(letter)
                last_unknown = False
            elif last_unknown and not text[unknown[-1][1] : start].strip():
                unknown[-1] = (unknown[-1][0], end)  # the same run: words only spaces apart
            else:
                unknown.append((start, end))
                last_unknown = True
            i += 1
        if unknown:
            shown = ", ".join(repr(text[s:e]) for s, e in unknown)
            raise CleanError(
                "group_unknown",
                Message(
                    gettext_noop(
                        "Cannot read the special circumstance group %(value)s: write its letter in Article 10 of "
                        "the Law on Children (a, b, c, d, đ, e, g, h, i, k, l, m, n, o) or its name"
                    ),
                    value=shown,
                ),
            )
        if ambiguous:
            words_, named = ambiguous[0]
            raise CleanError(
                "group_ambiguous",
                Message(
                    gettext_noop("%(value)s may mean group %(groups)s: write the group's letter"),
                    value=repr(words_), groups=", ".join(named),
                ),
            )  # fmt: skip
        return list(dict.fromkeys(codes))

    def _phrase_at(self, folded: list[str], i: int) -> tuple[int, tuple[str, ...] | None] | None:
        """The longest phrase starting at word i: (its length in words, the groups it names or None)."""
        for size in range(min(self.longest, len(folded) - i), 0, -1):
            key = tuple(folded[i : i + size])
            if key in self.phrases:
                return size, self.phrases[key]
        return None


def phrase_key(text: str) -> tuple[str, ...]:
    """A phrase as folded words: "Nhiễm HIV/AIDS" -> ("nhiem", "hiv", "aids")."""
    return tuple(fold(word) for word in _WORD.findall(nfc(text)))


@functools.lru_cache(maxsize=32)
def build_vocabulary(groups: tuple[tuple[str, str, tuple[str, ...], bool], ...]) -> GroupVocabulary:
    """Compile (code, name in the law, synonyms, confidential) rows; the same rows give the same object."""
    named: dict[tuple[str, ...], list[str]] = {}
    for code, name, synonyms, _confidential in groups:
        for phrase in (name, *synonyms):
            key = phrase_key(phrase)
            if key and code not in named.setdefault(key, []):
                named[key].append(code)
    phrases: dict[tuple[str, ...], tuple[str, ...] | None] = {phrase_key(f): None for f in FILLERS}
    phrases.update({key: tuple(codes) for key, codes in named.items()})
    return GroupVocabulary(
        phrases=phrases,
        letters=frozenset(code for code, *_rest in groups if code in SPECIAL_LETTERS),
        names={code: name for code, name, *_rest in groups},
        confidential=frozenset(code for code, _n, _s, confidential in groups if confidential),
        longest=max(len(key) for key in phrases),
    )


def _rows(types: Iterable[Any]) -> tuple[tuple[str, str, tuple[str, ...], bool], ...]:
    return tuple(
        (t.code, t.name_vi, tuple(str(s) for s in (t.synonyms or []) if isinstance(s, str)), bool(t.confidential))
        for t in types
    )


def vocabulary() -> GroupVocabulary:
    """The vocabulary of the active special-circumstance groups as the database holds them."""
    from treem.registry.models import CircumstanceKind, CircumstanceType  # noqa: PLC0415 - the cleaners need no DB

    types = CircumstanceType.objects.filter(kind=CircumstanceKind.SPECIAL, is_active=True).order_by("sort_order")
    return build_vocabulary(_rows(types.only("code", "name_vi", "synonyms", "confidential")))


@functools.cache
def fixture_vocabulary() -> GroupVocabulary:
    """The vocabulary the fixtures ship (for guessing headers and for code without a database)."""
    import json  # noqa: PLC0415

    from treem.registry.reference import FIXTURE, circumstance_synonyms  # noqa: PLC0415

    synonyms = circumstance_synonyms().get("special", {})
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))["special"]
    return build_vocabulary(
        tuple((r["code"], r["name_vi"], tuple(synonyms.get(r["code"], [])), bool(r.get("confidential"))) for r in rows)
    )


def parse_mark(value: Any) -> bool:
    """Whether a cell of a group's own column marks the child as in the group: "x", "X", "✓", "có", 1 -> True;
    empty, "0", "không", "-" -> False; anything else is a CleanError naming it."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = fold(str(value)).strip(" .")
    if key in MARKS_YES:
        return True
    if key in MARKS_NO:
        return False
    raise CleanError(
        "mark_unknown",
        Message(
            gettext_noop(
                "Write x in a group's column when the child is in that group, or leave it empty (not %(value)s)"
            ),
            value=repr(str(value)[:40]),
        ),
    )
