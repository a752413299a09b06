"""**ADX** (IHE QRPH ADX, namespace urn:ihe:qrph:adx:2015): `<adx exported=…>` with one `<group orgUnit= period=
dataSet="TREEM">` per unit holding `<dataValue dataElement= value= SEX="F" AGE_GROUP="0-5"/>`: the period as ISO 8601
start/duration (2025-01-01/P6M), each disaggregation an attribute named by the dimension code in upper case whose
value is the option code (DHIS2 reads them as category code and category option code). Valid against the profile's
generic schema (`schemas/adx/adx_loose.xsd`) and against the data-structure-specific schema `adx_schema()` generates
from the definitions (code lists for data elements and for each disaggregation), as the profile asks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import IO
from xml.sax.saxutils import quoteattr

from django.utils import timezone

from treem.core.periods import Period
from treem.units.models import Unit

from ..models import Dimension, Indicator
from ..publish import Value, format_value
from ..services import parse_disagg
from .base import EmptyExport, Export

ADX_NS = "urn:ihe:qrph:adx:2015"
ADX_DATA_SET = "TREEM"
SCHEMAS = Path(__file__).parent.parent / "schemas"
ADX_SCHEMA = SCHEMAS / "adx" / "adx_loose.xsd"  # the profile's generic schema; `adx_schema()` writes the DSD one
NOT_XML_NAME = re.compile(r"[^A-Za-z0-9_.-]")


@cache
def adx_attribute(dimension: str) -> str:
    """The ADX attribute of a disaggregation: its code in upper case (`age_group` → `AGE_GROUP`), made an XML name."""
    name = NOT_XML_NAME.sub("_", dimension.upper())
    return name if name[:1].isalpha() or name[:1] == "_" else f"_{name}"


def write_adx(
    out: IO[bytes], period: Period, root: Unit, *, suppress: bool = False,
    indicators: Iterable[Indicator] | None = None, exported: dt.datetime | None = None, scope: Unit | None = None,
) -> int:  # fmt: skip
    """Write an ADX document, one group per unit; returns the number of data values. EmptyExport when there is
    nothing to write (the schema asks for at least one group of at least one value)."""
    export = Export.collect(period, root, suppress=suppress, indicators=indicators, scope=scope)
    groups: dict[int, list[tuple[Indicator, Value]]] = defaultdict(list)
    for v, ind, unit in export.published():
        groups[unit.pk].append((ind, v))
    if not groups:
        raise EmptyExport(f"no values for {root.code} in {period}")
    q = cache(quoteattr)  # codes and options repeat: escape each once
    stamp = (exported or timezone.now()).isoformat(timespec="seconds")
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<adx xmlns="{ADX_NS}" exported={q(stamp)}>\n'.encode())
    n = 0
    for unit in sorted((export.units[pk] for pk in groups), key=lambda u: u.path):
        lines = [f"  <group orgUnit={q(unit.code)} period={q(period.iso)} dataSet={q(ADX_DATA_SET)}>"]
        for ind, v in groups[unit.pk]:
            attrs = "".join(f" {adx_attribute(d)}={q(o)}" for d, o in parse_disagg(v.disagg).items())
            lines.append(f'    <dataValue dataElement={q(ind.code)} value="{format_value(v.value)}"{attrs}/>')
        lines.append("  </group>\n")
        out.write("\n".join(lines).encode())
        n += len(lines) - 2
    out.write(b"</adx>\n")
    return n


def adx_schema(indicators: Iterable[Indicator] | None = None) -> bytes:
    """The data-structure-specific ADX schema of Treem's definitions (the profile's "DSD schema"): the data elements
    and every disaggregation's options as code lists, the periods as SDMX time ranges, and no attribute on a data
    value beyond those. It imports the SDMX common schema from `sdmx/SDMXCommon.xsd`: save it beside
    `schemas/adx/adx_loose.xsd` (or validate with that folder as base)."""
    inds = list(indicators) if indicators is not None else list(Indicator.objects.all())
    dims = list(Dimension.objects.prefetch_related("options"))

    def enum(name: str, codes: Iterable[str]) -> str:
        items = "".join(f"\n      <xs:enumeration value={quoteattr(c)}/>" for c in codes)
        return (
            f'\n  <xs:simpleType name="{name}">\n    <xs:restriction base="xs:token">{items}'
            "\n    </xs:restriction>\n  </xs:simpleType>"
        )

    types = enum("DataElementType", sorted({i.code for i in inds}))
    types += enum("DataSetType", [ADX_DATA_SET])
    for d in dims:
        types += enum(f"{adx_attribute(d.code)}_Type", [o.code for o in d.options.all()])
    attributes = "".join(
        f'\n    <xs:attribute name="{adx_attribute(d.code)}" type="{adx_attribute(d.code)}_Type" use="optional"/>'
        for d in dims
    )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="{ADX_NS}"
  xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
  targetNamespace="{ADX_NS}" elementFormDefault="qualified">
  <xs:annotation>
    <xs:documentation>ADX data-structure-specific schema of the Treem indicator set, generated from its definitions.
    </xs:documentation>
  </xs:annotation>
  <xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
    schemaLocation="sdmx/SDMXCommon.xsd"/>{types}
  <xs:simpleType name="periodType">
    <xs:restriction base="common:TimeRangeType"/>
  </xs:simpleType>
  <xs:complexType name="adxType">
    <xs:sequence maxOccurs="unbounded">
      <xs:element name="group" type="groupType"/>
    </xs:sequence>
    <xs:attribute name="exported" use="required" type="xs:dateTime"/>
    <xs:anyAttribute processContents="skip"/>
  </xs:complexType>
  <xs:complexType name="groupType">
    <xs:sequence maxOccurs="unbounded">
      <xs:element name="dataValue" type="dataValueType"/>
    </xs:sequence>
    <xs:attribute name="orgUnit" use="required" type="xs:token"/>
    <xs:attribute name="period" use="required" type="periodType"/>
    <xs:attribute name="dataSet" use="required" type="DataSetType"/>
    <xs:anyAttribute processContents="skip"/>
  </xs:complexType>
  <xs:complexType name="dataValueType">
    <xs:sequence minOccurs="0" maxOccurs="1">
      <xs:element name="annotation"/>
    </xs:sequence>
    <xs:attribute name="dataElement" use="required" type="DataElementType"/>
    <xs:attribute name="value" use="required" type="xs:decimal"/>{attributes}
  </xs:complexType>
  <xs:element name="adx" type="adxType"/>
</xs:schema>
"""
    return text.encode("utf-8")
