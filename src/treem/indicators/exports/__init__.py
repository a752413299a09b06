"""Exports of stored values: the CSV contract (`csv`), an Excel workbook (`xlsx`), DHIS2 dataValueSets JSON (`dhis2`)
and ADX XML (`adx`), each format's module documenting its layout.

Every format reads the same stored values of a unit's subtree for one period (`Export.collect`); with `suppress` the
small cells and their complementary partners are hidden (`publish.hidden_cells`): shown as "<5"/"x" in the CSV and
the workbook, left out of the DHIS2 and ADX files (a receiving system stores numbers, not marks).
"""

from __future__ import annotations

from ..publish import format_value
from .adx import ADX_DATA_SET, ADX_NS, ADX_SCHEMA, NOT_XML_NAME, SCHEMAS, adx_attribute, adx_schema, write_adx
from .base import EmptyExport, Export, export_rows
from .csv import CSV_COLUMNS, CSV_DIMS, write_csv
from .dhis2 import DHIS2_DEFAULT_COMBO, category_option_combo, dhis2_data_values, write_dhis2
from .xlsx import (
    DENOMINATOR,
    HEAD_ROW,
    INFO_COLUMNS,
    INFO_SHEET,
    INFO_WIDTHS,
    MEASURE_VI,
    NOTE_BLANK,
    NOTE_EXACT,
    NOTE_SUPPRESSED,
    NUMERATOR,
    PERIODICITY_VI,
    SHEET_FORBIDDEN,
    SOURCE_VI,
    TOTAL,
    UNIT_COLUMNS,
    Column,
    Labels,
    Workbook,
    period_label,
    pivot_columns,
    write_xlsx,
)  # fmt: skip

__all__ = [
    "ADX_DATA_SET", "ADX_NS", "ADX_SCHEMA", "CSV_COLUMNS", "CSV_DIMS", "DENOMINATOR", "DHIS2_DEFAULT_COMBO", "HEAD_ROW",
    "INFO_COLUMNS", "INFO_SHEET", "INFO_WIDTHS", "MEASURE_VI", "NOTE_BLANK", "NOTE_EXACT", "NOTE_SUPPRESSED",
    "NOT_XML_NAME", "NUMERATOR", "PERIODICITY_VI", "SCHEMAS", "SHEET_FORBIDDEN", "SOURCE_VI", "TOTAL", "UNIT_COLUMNS",
    "Column", "EmptyExport", "Export", "Labels", "Workbook", "adx_attribute", "adx_schema", "category_option_combo",
    "dhis2_data_values", "export_rows", "format_value", "period_label", "pivot_columns", "write_adx", "write_csv",
    "write_dhis2", "write_xlsx",
]  # fmt: skip
