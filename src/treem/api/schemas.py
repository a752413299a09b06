"""What the API answers and accepts (the OpenAPI document is generated from these)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class Paged(Schema):
    count: int
    page: int
    page_size: int


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    level: str
    unit_type: str
    structure: str
    parent_id: int | None
    path: str
    is_active: bool
    latitude: float | None
    longitude: float | None


class UnitPage(Paged):
    items: list[UnitOut]


class HouseholdOut(Schema):
    id: int
    code: str
    commune_id: int
    village_id: int | None
    address: str
    head_name: str
    is_active: bool
    updated_at: dt.datetime


class HouseholdPage(Paged):
    items: list[HouseholdOut]


class CircumstanceOut(Schema):
    id: int
    child_id: int
    kind: str
    type_code: str
    subtype_code: str | None
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    confidential: bool
    recorded_at: dt.datetime


class CircumstancePage(Paged):
    items: list[CircumstanceOut]


class ChildOut(Schema):
    id: int
    full_name: str
    sex: str
    date_of_birth: dt.date | None
    dob_precision: str
    ethnicity: str
    personal_id: str | None
    id_verified_on: dt.date | None
    household_id: int
    commune_id: int
    village_id: int | None
    status: str
    status_date: dt.date | None
    birth_registered: bool | None
    school_status: str
    disability: str
    nutrition: str
    created_at: dt.datetime
    updated_at: dt.datetime


class ChildDetailOut(ChildOut):
    circumstances: list[CircumstanceOut]


class ChildPage(Paged):
    items: list[ChildOut]


class CaseOut(Schema):
    id: int
    code: str
    commune_id: int
    child_id: int | None
    status: str
    category: str
    setting: str
    abuse_forms: list[str]
    intake_at: dt.datetime
    status_changed_at: dt.datetime
    closed_at: dt.datetime | None


class CaseDetailOut(CaseOut):
    description: str
    in_danger: bool
    serious: bool


class CasePage(Paged):
    items: list[CaseOut]


class IndicatorOut(Schema):
    code: str
    legal_code: str
    name: str
    group: str
    measure: str
    source: str
    periodicity: str
    disaggregations: list[list[str]]
    definition: str


class DataValueOut(Schema):
    indicator: str
    unit_id: int
    unit_code: str
    period: str
    disagg: str
    value: float
    numerator: float | None
    denominator: float | None


class DataValuePage(Paged):
    items: list[DataValueOut]
    suppressed: bool


class CellIn(Schema):
    value: int | None = None
    numerator: int | None = None
    denominator: int | None = None


class FiguresIn(Schema):
    unit_id: int
    period: str
    figures: dict[str, dict[str, CellIn]]


class StoredOut(Schema):
    stored: int


class Dhis2ValueOut(Schema):
    dataElement: str  # noqa: N815 - DHIS2's field names
    period: str
    orgUnit: str  # noqa: N815
    categoryOptionCombo: str  # noqa: N815
    attributeOptionCombo: str  # noqa: N815
    value: str


class Dhis2SetOut(Schema):
    dataValues: list[Dhis2ValueOut]  # noqa: N815
