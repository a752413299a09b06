"""Reads official unit data from the `vietnamadminunits` package (MIT; NSO codes, both structures).

Nothing here is typed by hand: codes, names, types and the 2025 succession map all come from the package's
SQLite dataset and its converter table, so a package update brings new official data.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

from .models import Level, Structure

NATION_CODE = "VN"
NATION_NAME = "Việt Nam"
PROVINCE_TYPES = ("Thành phố", "Tỉnh")


@dataclass(frozen=True, slots=True)
class UnitRecord:
    structure: str
    level: str
    code: str
    name: str
    short_name: str
    unit_type: str
    parent_code: str | None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class SuccessionRecord:
    former_code: str  # a former commune, or a former island district that had no communes
    current_code: str
    is_partial: bool
    is_default: bool


def _data_dir():  # noqa: ANN202 - importlib Traversable
    return resources.files("vietnamadminunits") / "data"


def _rows(sql: str) -> list[sqlite3.Row]:
    with resources.as_file(_data_dir() / "dataset.db") as path:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            conn.row_factory = sqlite3.Row
            return conn.execute(sql).fetchall()
        finally:
            conn.close()


def _province_type(name: str) -> str:
    return next((t for t in PROVINCE_TYPES if name.startswith(t + " ")), "Tỉnh")


def current_units() -> Iterator[UnitRecord]:
    """The two-tier structure in force since 1 July 2025: nation → 34 provinces → 3,321 communes."""
    yield UnitRecord(Structure.CURRENT, Level.NATION, NATION_CODE, NATION_NAME, NATION_NAME, "Quốc gia", None)
    rows = _rows("SELECT * FROM admin_units ORDER BY provinceCode, wardCode")
    seen: set[str] = set()
    for r in rows:
        if r["provinceCode"] not in seen:
            seen.add(r["provinceCode"])
            yield UnitRecord(
                Structure.CURRENT, Level.PROVINCE, r["provinceCode"], r["province"], r["provinceShort"],
                _province_type(r["province"]), NATION_CODE, r["provinceLat"], r["provinceLon"],
            )  # fmt: skip
    for r in rows:
        yield UnitRecord(
            Structure.CURRENT, Level.COMMUNE, r["wardCode"], r["ward"], r["wardShort"], r["wardType"],
            r["provinceCode"], r["wardLat"], r["wardLon"],
        )  # fmt: skip


def former_units() -> Iterator[UnitRecord]:
    """The three-tier structure used until 30 June 2025: 63 provinces → districts → communes."""
    rows = _rows("SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode")
    provinces: set[str] = set()
    districts: set[str] = set()
    for r in rows:
        if r["provinceCode"] not in provinces:
            provinces.add(r["provinceCode"])
            yield UnitRecord(
                Structure.FORMER, Level.PROVINCE, r["provinceCode"], r["province"], r["provinceShort"],
                _province_type(r["province"]), None, r["provinceLat"], r["provinceLon"],
            )  # fmt: skip
    for r in rows:
        if r["districtCode"] not in districts:
            districts.add(r["districtCode"])
            yield UnitRecord(
                Structure.FORMER, Level.DISTRICT, r["districtCode"], r["district"], r["districtShort"],
                r["districtType"], r["provinceCode"], r["districtLat"], r["districtLon"],
            )  # fmt: skip
    for r in rows:
        if r["wardCode"]:
            yield UnitRecord(
                Structure.FORMER, Level.COMMUNE, r["wardCode"], r["ward"], r["wardShort"], r["wardType"],
                r["districtCode"], r["wardLat"], r["wardLon"],
            )  # fmt: skip


def successions() -> Iterator[SuccessionRecord]:
    """Former commune → current commune, from the package's 2025 converter table (keys resolved to codes)."""
    with (_data_dir() / "converter_2025.json").open(encoding="utf-8") as fh:
        conv = json.load(fh)
    current = {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in _rows("SELECT * FROM admin_units")}
    former: dict[str, str] = {}
    for r in _rows("SELECT * FROM admin_units_legacy"):
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        # Island districts without communes (Côn Đảo, Lý Sơn…) map as districts.
        former[key] = r["wardCode"] or r["districtCode"]
    for province_key, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, legacy_keys in wards.items():
            for legacy_key in legacy_keys:
                yield SuccessionRecord(former[legacy_key], current[(province_key, ward_key)], False, True)
    for province_key, legacy in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for legacy_key, targets in legacy.items():
            for target in targets:
                yield SuccessionRecord(
                    former[legacy_key],
                    current[(province_key, target["newWardKey"])],
                    True,
                    bool(target["isDefaultNewWard"]),
                )
