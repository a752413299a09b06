"""Checking the unit table against an official list (the statistics office's CSV), one disagreement a line.

Names are compared after Unicode NFC normalisation and whitespace folding (`treem.core.text.nfc`). The type
word that starts a name (Xã, Phường, Đặc khu, Tỉnh, Thành phố…) is compared without regard to case, because
published lists write "xã"/"XÃ" as often as "Xã" and the type is not part of the unit's identity; the rest
of the name is compared exactly (case and diacritics), because "Hòa"/"Hoà" and "Ba Chẽ"/"Ba Chè" are the kind
of difference the check is for.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from treem.core.text import nfc

from .models import Level, Structure, Unit
from .services import split_type

COLUMNS = ("code", "name", "province_code")
NONE = "-"


class OfficialListError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class OfficialRow:
    line: int
    code: str
    name: str
    province_code: str  # empty on a province's own row


@dataclass(frozen=True, slots=True, order=True)
class Disagreement:
    """`kind` is one of: name, parent, missing-in-treem (in the file only), missing-in-file (in Treem only)."""

    code: str
    kind: str
    treem: str
    official: str

    def line(self) -> str:
        return "\t".join((self.kind, self.code, self.treem or NONE, self.official or NONE))


def _pad(code: str, width: int) -> str:
    """Spreadsheets drop leading zeros (82 for 00082): pad all-digit codes back to their width."""
    code = nfc(code)
    return code.zfill(width) if code.isdigit() else code


def read_official_list(path: Path) -> list[OfficialRow]:
    """Rows of a CSV with the columns `code,name,province_code` (UTF-8, with or without BOM; extra columns are
    ignored). A row with an empty `province_code`, or its own code there, is a province."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [nfc(h).lower() for h in reader.fieldnames or []]
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise OfficialListError(f"{path}: missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}")
            reader.fieldnames = header
            rows = []
            for row in reader:
                code = nfc(row["code"] or "")
                if not code:
                    continue
                province = _pad(row["province_code"] or "", 2)
                is_province = not province or province == _pad(code, 2)
                rows.append(
                    OfficialRow(
                        reader.line_num,
                        _pad(code, 2 if is_province else 5),
                        nfc(row["name"] or ""),
                        "" if is_province else province,
                    )
                )
            return rows
    except UnicodeDecodeError as exc:
        raise OfficialListError(f"{path}: not UTF-8 ({exc.reason})") from exc
    except OSError as exc:
        raise OfficialListError(f"{path}: {exc.strerror}") from exc


def name_key(name: str) -> str:
    """The form two names are compared in: NFC, folded whitespace, the type word in one case."""
    word, rest = split_type(name)
    return f"{word.casefold()} {rest}" if word else nfc(name)


def verify_units(rows: Iterable[OfficialRow], *, structure: str = Structure.CURRENT) -> list[Disagreement]:
    """Every disagreement between Treem's official units and `rows`, sorted by code then kind. Only the
    provinces present in `rows` (by their own row or as the province of a commune) are compared."""
    rows = list(rows)
    provinces = {r.province_code or r.code for r in rows}
    units = {
        u.code: u
        for u in Unit.objects.filter(structure=structure, is_local=False, is_active=True)
        .filter(level__in=[Level.PROVINCE, Level.COMMUNE])
        .select_related("parent")
    }
    out: list[Disagreement] = []
    seen: set[str] = set()
    for r in rows:
        seen.add(r.code)
        unit = units.get(r.code)
        if unit is None:
            out.append(Disagreement(r.code, "missing-in-treem", "", r.name))
            continue
        if name_key(unit.name) != name_key(r.name):
            out.append(Disagreement(r.code, "name", unit.name, r.name))
        parent = unit.parent.code if unit.parent and unit.level != Level.PROVINCE else ""
        if parent != r.province_code:
            out.append(Disagreement(r.code, "parent", parent, r.province_code))
    with_provinces = any(not r.province_code for r in rows)  # a list of communes alone does not miss provinces
    for code, unit in units.items():
        if unit.level == Level.PROVINCE and not with_provinces:
            continue
        province = unit.code if unit.level == Level.PROVINCE else (unit.parent.code if unit.parent else "")
        if code not in seen and province in provinces:
            out.append(Disagreement(code, "missing-in-file", unit.name, ""))
    return sorted(set(out))
