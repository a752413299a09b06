"""The rapid report (báo cáo nhanh) of a new case to the province: no name, no identifying detail."""

from __future__ import annotations

from treem.units.models import Level

from ..models import (
    AbuseForm,
    Case,
    RapidAlert,
)

# The rapid report's age groups (upper limit, label); 16–17 is a young person (Luật Trẻ em Art. 1), not a child.
RAPID_AGE_BANDS = ((6, "dưới 6 tuổi"), (11, "6–10 tuổi"), (16, "11–15 tuổi"), (200, "từ 16 đến dưới 18 tuổi"))


def rapid_alert(case: Case) -> None:
    """Báo cáo nhanh to the province: form, commune, age group and sex only; never a name."""
    province = case.commune.parent
    while province is not None and province.level != Level.PROVINCE and province.parent_id:
        province = province.parent  # former tree: commune → district → province
    assert province is not None  # noqa: S101 - a commune belongs to a province
    age = case.child_age_at_intake
    band = "không rõ tuổi" if age is None else next(label for limit, label in RAPID_AGE_BANDS if age < limit)
    who = "người chưa thành niên" if case.is_young_person else "trẻ"
    forms = ", ".join(str(AbuseForm(f).label) for f in case.abuse_forms)
    sex = {"M": "nam", "F": "nữ"}.get(case.child_sex, "không rõ giới tính")
    summary = (
        f"Vụ việc mới{' nghiêm trọng' if case.serious else ''} tại {case.commune.name}: {forms or 'xâm hại'}; "
        f"{who} {sex}, {band}; "
        f"ngày {case.intake_at:%d/%m/%Y}"
    )
    RapidAlert.objects.create(province=province, unit_path=province.path, case=case, summary=summary)
