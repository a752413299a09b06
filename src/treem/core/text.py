"""Vietnamese text helpers (placeholder until the full module lands): NFC and diacritic folding."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(s: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", s or "")).strip()


def fold(s: str) -> str:
    decomposed = unicodedata.normalize("NFD", (s or "").replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.lower()).strip()
