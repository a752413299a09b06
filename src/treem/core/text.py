"""Vietnamese text helpers: Unicode and whitespace normalisation, search keys, tone placement, name casing."""

from __future__ import annotations

import functools
import re
import unicodedata

from treem.core.errors import CleanError, Message, gettext_noop

__all__ = ["canonical_tones", "clean_name", "fold", "format_address", "name_case", "nfc", "place_keys"]

# Invisible characters that spreadsheets and web forms leave in names and codes.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Legacy converters and some fonts produce the Icelandic eth (Ð/ð) where Vietnamese has Đ/đ.
_ETH = {0x00D0: "Đ", 0x00F0: "đ"}
_CLEAN_TABLE = {**_INVISIBLE, **_ETH}

_APOSTROPHES = "'’‘ʼ`´"
_APOSTROPHE_TABLE = str.maketrans(dict.fromkeys(_APOSTROPHES, "'"))

NAME_MAX_LENGTH = 100
NOTE_MAX_LENGTH = 4_000  # a note (household, child, circumstance, case event): about two typed pages
LONG_TEXT_MAX_LENGTH = 10_000  # what happened, in a case report


def nfc(s: str) -> str:
    """NFC-normalise, drop invisible characters, strip and collapse all whitespace (NBSP, tabs…) to one space.

    U+00D0/U+00F0 (Ð/ð, eth), which legacy-font conversions put where Đ/đ belong, become Đ/đ.
    """
    s = unicodedata.normalize("NFC", s.translate(_CLEAN_TABLE))
    return " ".join(s.split())


def fold(s: str) -> str:
    """Diacritic- and case-insensitive search key: ``fold("Nguyễn Văn A") == "nguyen van a"``.

    Uses compatibility caseless matching (NFKD + casefold), drops combining marks, maps đ to d and collapses
    whitespace, so ``fold("Thanh Hoá") == fold("Thanh Hóa") == "thanh hoa"``. Punctuation is kept.

    Folded word by word (none of these steps looks across whitespace), each distinct word once per process:
    names are made of a few thousand syllables, and imports and search keys fold them over and over.
    """
    return " ".join([f for word in s.split() if (f := _fold_word(word))])


@functools.lru_cache(maxsize=65_536)
def _fold_word(s: str) -> str:
    return fold_uncached(s)


def fold_uncached(s: str) -> str:
    """`fold` of the whole text at once (the definition `fold` is tested against)."""
    t = unicodedata.normalize("NFD", nfc(s))
    t = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", t.casefold()).casefold())
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).replace("đ", "d")
    return " ".join(t.split())


# Tone marks as combining characters: grave, acute, hook above, tilde, dot below.
_TONES = "\u0300\u0301\u0309\u0303\u0323"
_TONED = {
    base: "".join(unicodedata.normalize("NFC", base + tone) for tone in _TONES)
    for base in ("a", "A", "e", "E", "y", "Y")
}
# A plain o/O before a toned a/e, or a plain u/U (not after q: "quý" keeps its mark) before a toned y.
_TONE_RE = re.compile(
    "(?P<first>[oO])(?P<second>[" + _TONED["a"] + _TONED["A"] + _TONED["e"] + _TONED["E"] + "])"
    "|(?<![qQ])(?P<ufirst>[uU])(?P<usecond>[" + _TONED["y"] + _TONED["Y"] + "])"
)


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LM"


def _move_tone(match: re.Match[str]) -> str:
    text = match.string
    end = match.end()
    if end < len(text) and _is_word_char(text[end]):
        return match.group(0)  # not syllable-final: hoàng, ngoài, khuỷu, thuyền keep their marks
    first = match.group("first") or match.group("ufirst")
    second = match.group("second") or match.group("usecond")
    base, tone = list(unicodedata.normalize("NFD", second))  # every toned letter in the class is base + one mark
    return unicodedata.normalize("NFC", first + tone) + base


def canonical_tones(s: str) -> str:
    """Put tone marks of open syllables ending in oa, oe, uy on the first vowel, as official lists do.

    ``Hoà → Hòa``, ``Thuý → Thúy``, ``Khoẻ → Khỏe``, ``Uỷ ban → Ủy ban``; closed syllables and triphthongs
    (hoàng, ngoài, thuyền, khuỷu) and qu- syllables (quý, quỳnh) are left alone. Case is preserved and the
    result is NFC; nothing else (whitespace, punctuation) changes.
    """
    return _TONE_RE.sub(_move_tone, unicodedata.normalize("NFC", s))


def _single(mapped: str, original: str) -> str:
    """Use a case mapping only when it maps one character to one character (keeps the function idempotent)."""
    return mapped if len(mapped) == 1 else original


def name_case(s: str) -> str:
    """Capitalise each part of a proper name: ``"NGUYỄN VĂN AN" → "Nguyễn Văn An"``.

    A part starts after a space or hyphen, or after an apostrophe that follows a single letter
    (``"h'mông" → "H'Mông"``, ``"y'bih" → "Y'Bih"``). Whitespace is normalised as in :func:`nfc`.
    """
    out: list[str] = []
    word_start = True
    letters_in_word = 0
    for ch in nfc(s):
        if ch in " -":
            out.append(ch)
            word_start, letters_in_word = True, 0
            continue
        if ch in _APOSTROPHES and letters_in_word == 1:
            out.append(ch)
            word_start, letters_in_word = True, 0
            continue
        if word_start and ch.isalpha():
            out.append(_single(ch.upper(), ch))
            word_start = False
        else:
            out.append(_single(ch.lower(), ch))
        if ch.isalpha():
            letters_in_word += 1
        else:
            letters_in_word = 2  # "(h'" is not a one-letter prefix
    return nfc("".join(out))


def _quote(chars: list[str]) -> str:
    return ", ".join(f"'{ch}'" for ch in dict.fromkeys(chars))


def clean_name(s: str | None) -> str:
    """Normalise a person's full name (NFC, spaces, apostrophes, casing) or raise :class:`CleanError`."""
    if s is None:
        raise CleanError("name_empty", Message(gettext_noop("No full name given")))
    if not isinstance(s, str):
        raise CleanError(
            "name_type", Message(gettext_noop("The full name must be text, not %(type)s"), type=type(s).__name__)
        )
    t = nfc(s).translate(_APOSTROPHE_TABLE)
    if not t:
        raise CleanError("name_empty", Message(gettext_noop("No full name given")))
    digits = [ch for ch in t if ch.isnumeric()]
    if digits:
        raise CleanError(
            "name_digits",
            Message(
                gettext_noop("The full name has characters that are not allowed (digits %(chars)s): %(value)s"),
                chars=_quote(digits), value=t,
            ),
        )  # fmt: skip
    invalid = [ch for ch in t if not (ch.isalpha() or ch in " -'" or unicodedata.category(ch).startswith("M"))]
    if invalid:
        raise CleanError(
            "name_chars",
            Message(
                gettext_noop("The full name has characters that are not allowed (%(chars)s): %(value)s"),
                chars=_quote(invalid), value=t,
            ),
        )  # fmt: skip
    if not any(ch.isalpha() for ch in t):
        raise CleanError(
            "name_no_letters", Message(gettext_noop("The full name must have letters: %(value)s"), value=t)
        )
    if len(t) > NAME_MAX_LENGTH:
        raise CleanError(
            "name_too_long",
            Message(
                gettext_noop("The full name is longer than %(limit)s characters (%(length)s characters)"),
                limit=NAME_MAX_LENGTH, length=len(t),
            ),
        )  # fmt: skip
    return name_case(t)


# Words that name a unit's type (folded), dropped when comparing places: "Bản Hon" and "Hon" are the same village.
UNIT_TYPE_WORDS = ("thi tran", "dac khu", "to dan pho", "phuong", "xa", "thon", "ban", "ap", "xom", "to")
_BLANK_PARTS = frozenset("-–—.…")


def place_keys(name: str, *, bare_numbers: bool = True) -> frozenset[str]:
    """Keys a place name matches by: folded, tone-canonical, with and without its type word ("Xã", "Bản"…).

    `bare_numbers=False`: what is left without the type word is no key when it is only a number ("Thôn 3" is not
    "3", so it stays apart from "Tổ 3")."""
    key = fold(canonical_tones(name))
    keys = {key}
    for word in UNIT_TYPE_WORDS:
        rest = key.removeprefix(word + " ")
        if rest != key and rest and (bare_numbers or not rest.isdigit()):
            keys.add(rest)
    return frozenset(keys)


def format_address(*parts: str | None) -> str:
    """An address from its parts, nearest first ("Số 12, Tổ 3", the village, the commune): the one place that
    writes an address. Empty parts and dashes are dropped, and so is a place an earlier part already names
    ("Bản Hon, Bản Hon, Xã Khun Há" is "Bản Hon, Xã Khun Há"), compared without case, diacritics or type word."""
    seen: set[str] = set()
    out: list[str] = []
    for part in parts:
        for segment in nfc(part or "").split(","):
            segment = segment.strip()
            if not segment or set(segment) <= _BLANK_PARTS:
                continue
            keys = place_keys(segment, bare_numbers=False)
            if keys & seen:
                continue
            seen |= keys
            out.append(segment)
    return ", ".join(out)
