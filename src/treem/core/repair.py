"""Repair Vietnamese text typed in legacy fonts (TCVN3, VNI) or mis-decoded (UTF-8 read as Windows-1252).

Used by imports (cells of a workbook) and matching (names prepared for comparison): the reading that makes the
most sense as Vietnamese wins, and text that already reads as Unicode Vietnamese is never converted.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
import viparse

from treem.core.text import nfc

__all__ = [
    "LEGACY_ENCODINGS",
    "VIETNAMESE_LETTERS",
    "VOWEL_GROUPS",
    "is_vietnamese_text",
    "looks_unicode",
    "plausible_syllable",
    "repair_text",
    "syllable_score",
]

LEGACY_ENCODINGS = ("tcvn3", "vni")
_MOJIBAKE_HINT = re.compile("[ÃÄÅÆ]|á[º»]")  # UTF-8 lead bytes of Vietnamese letters read as cp1252


def _vietnamese_letters() -> frozenset[str]:
    vowels = "aăâeêioôơuưy"
    tones = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels for t in tones} | set("bcdđghklmnpqrstvxfjwz")
    return frozenset(letters | {c.upper() for c in letters})


VIETNAMESE_LETTERS = _vietnamese_letters()
_NEUTRAL = frozenset(" -'’.,;:/()0123456789")


def is_vietnamese_text(value: str) -> bool:
    """Only letters of the Vietnamese alphabet (precomposed), digits, spaces and common punctuation."""
    return all(c in VIETNAMESE_LETTERS or c in _NEUTRAL for c in unicodedata.normalize("NFC", value))


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWEL_RUN = re.compile("[aăâeêioôơuưy]+")
_WORD = re.compile(r"[^\W\d_]+")
# Vowel groups a Vietnamese syllable can have (tone marks removed); "qu" and "gi" take one more in front.
VOWEL_GROUPS = frozenset(
    ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia",
     "iê", "iu", "oa", "oă", "oe", "oi", "oo", "ôi", "ơi", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ",
     "ưu", "yê", "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu")
)  # fmt: skip
# Letters only Unicode has: legacy font text (TCVN3, VNI) is made of Latin-1 characters and never contains them.
_UNICODE_ONLY = frozenset("ăĂđĐĩĨũŨơƠưƯ") | frozenset(chr(c) for c in range(0x1EA0, 0x1EFA))


def plausible_syllable(word: str) -> bool:
    """Could `word` be one Vietnamese syllable: one vowel group of the language, at most one tone mark, nothing
    after a closing i/y/o/u and no tone on it ("oáy", never "oaỷ" or "aoc")?

    Used to choose between readings of a cell ("Nguyeãn" is VNI for "Nguyễn", not Unicode), never to reject a name.
    """
    base, tone_at, tones = "", -1, 0
    for ch in word.lower():
        parts = unicodedata.normalize("NFD", ch)
        marks = sum(c in _TONE_MARKS for c in parts)
        if marks:
            tones, tone_at = tones + marks, len(base)
        base += unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
    if tones > 1:
        return False
    runs = list(_VOWEL_RUN.finditer(base))
    if len(runs) != 1:
        return not runs and not tones
    run, start = runs[0].group(), runs[0].start()
    head = base[:start]
    glide = (head.endswith("q") and run[0] == "u") or (head == "g" and run[0] == "i")  # the u of qu, the i of gi
    if run not in VOWEL_GROUPS and not (glide and run[1:] in VOWEL_GROUPS):
        return False
    if len(run) > 1 and run[-1] in "iyou" and run not in ("uy", "oo"):  # ends in a glide: no final consonant,
        return start + len(run) == len(base) and tone_at != start + len(run) - 1  # and no tone on the glide
    return True


def syllable_score(text: str) -> int:
    return sum(plausible_syllable(w) for w in _WORD.findall(text))


def looks_unicode(text: str) -> bool:
    """NFC `text` reads as Unicode Vietnamese: its letters are Vietnamese and it has a letter only Unicode has,
    or every word is a plausible syllable. Such text is never converted from a legacy encoding."""
    if not is_vietnamese_text(text):
        return False
    if any(c in _UNICODE_ONLY for c in text):
        return True
    return all(plausible_syllable(w) for w in _WORD.findall(text))


def repair_text(value: str, encoding: str | None = None) -> tuple[str, str | None]:
    """(Unicode NFC text, the repair made or None).

    Text that already reads as Unicode Vietnamese is returned as it is, also in a column detected as legacy
    (a row typed later in a Unicode font): it is never converted twice. There the repair is "kept" when the
    legacy reading would differ, so the row can say so. Otherwise: legacy font text is converted when its column
    was detected as legacy, or when a single cell is impossible as Unicode Vietnamese and a legacy reading of it
    reads as Unicode Vietnamese (the most plausible syllables win; TCVN3 first on a tie); UTF-8 mojibake is
    repaired.
    """
    if value.isascii():  # most cells (dates, numbers, codes): nothing to repair, and not worth a cache entry
        return nfc(value), None
    return _repair_non_ascii(value, encoding)


@functools.lru_cache(maxsize=32_768)
def _repair_non_ascii(value: str, encoding: str | None) -> tuple[str, str | None]:
    text = unicodedata.normalize("NFC", value)
    if looks_unicode(text) and "Ã’" not in text:  # "Ã’" is how "Ò" looks in UTF-8 read as Windows-1252
        if encoding in LEGACY_ENCODINGS and viparse.fix(text, encoding=encoding) != text:
            return nfc(text), "kept"
        return nfc(text), None
    if encoding in LEGACY_ENCODINGS:
        return nfc(viparse.fix(text, encoding=encoding)), encoding
    if _MOJIBAKE_HINT.search(text):
        try:  # undo the mis-decoding exactly when the whole cell is one ("VÅ©" → "Vũ")
            fixed = text.encode("sloppy-windows-1252").decode("utf-8")
        except UnicodeError:  # else let ftfy find the mis-decoded parts
            fixed = ftfy.fix_encoding(text)
        if fixed != text and is_vietnamese_text(fixed):
            return nfc(fixed), "utf8"
    if not any(c in _UNICODE_ONLY for c in text):
        vietnamese = is_vietnamese_text(text)
        best, best_score = None, syllable_score(text) if vietnamese else -1
        for legacy in LEGACY_ENCODINGS:
            fixed = viparse.fix(text, encoding=legacy)
            if fixed != text and looks_unicode(fixed) and (score := syllable_score(fixed)) > best_score:
                best, best_score = (fixed, legacy), score
        if best is not None:
            return nfc(best[0]), best[1]
    return nfc(text), None
