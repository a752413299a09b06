from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from treem.core.dates import today_vn
from treem.matching.models import CandidateStatus, MatchCandidate
from treem.registry import services
from treem.registry.models import Child


def _child(actor, household, name, sex, dob, *, precision="day", pid=None, guardian=None):  # noqa: ANN001, ANN202
    guardians = [services.GuardianInput(guardian, "mother")] if guardian else []
    return services.child_register(
        actor=actor, household=household, guardians=guardians,
        data=services.ChildInput(full_name=name, sex=sex, date_of_birth=dob, dob_precision=precision, personal_id=pid),
    )  # fmt: skip


def _pair(a: Child, b: Child, status: str = CandidateStatus.PENDING) -> MatchCandidate:
    a, b = sorted((a, b), key=lambda c: c.pk)
    return MatchCandidate.objects.create(child_a=a, child_b=b, probability=0.9, status=status)


@pytest.fixture
def built(tree, officer, sibling_officer):  # noqa: ANN001, ANN201
    """A hand-built commune (Khun Há) where every measure has a known value, and a cleaner sibling commune."""
    today = today_vn()
    h1 = services.household_create(actor=officer, commune=tree.commune, village=tree.village, head_name="Sùng A Páo")
    h2 = services.household_create(actor=officer, commune=tree.commune, head_name="Lò Văn Pằn")  # no village
    h3 = services.household_create(actor=officer, commune=tree.commune, village=tree.village, head_name="Giàng A Dế")
    services.household_visit_record(actor=officer, household=h1, on=today)
    if today.month > 1 or today.day > 1:  # h3 visited last year only
        services.household_visit_record(actor=officer, household=h3, on=today.replace(year=today.year - 1))
    # 1: complete, verified. 2: no ID, born "in a month", no guardian, no village; not found.
    # 3: no date of birth; not found, then corrected. 4: complete, never checked. 5: moved away (not counted).
    c1 = _child(officer, h1, "Sùng Thị Sua", "F", dt.date(2013, 5, 2), pid="012313000123", guardian="Vàng Thị Mỷ")
    c2 = _child(officer, h2, "Lò Thị Pa", "F", dt.date(2015, 3, 1), precision="month")
    c3 = _child(officer, h3, "Giàng A Tú", "M", None, pid="012216000777", guardian="Giàng Thị Mai")
    c4 = _child(officer, h1, "Sùng A Lử", "M", dt.date(2016, 2, 1), pid="012216000778", guardian="Vàng Thị Mỷ")
    c5 = _child(officer, h1, "Sùng Thị Dợ", "F", dt.date(2012, 1, 1))
    services.child_set_status(actor=officer, child=c5, status="moved_away", on=today)
    services.id_check_record(actor=officer, child=c1, outcome="verified", on=today)
    services.id_check_record(actor=officer, child=c2, outcome="not_found", on=today)
    services.id_check_record(actor=officer, child=c3, outcome="not_found", on=today - dt.timedelta(days=1))
    services.id_check_record(actor=officer, child=c3, outcome="corrected", on=today)
    hs = services.household_create(actor=sibling_officer, commune=tree.sibling, head_name="Lò Văn Tâm")
    s1 = _child(sibling_officer, hs, "Lò Thị Sua", "F", dt.date(2014, 1, 9), pid="012314000456", guardian="Lò Thị Én")
    services.household_visit_record(actor=sibling_officer, household=hs, on=today)
    services.id_check_record(actor=sibling_officer, child=s1, outcome="verified", on=today)
    _pair(c1, c4)  # within the commune: once
    _pair(c2, s1)  # across the two communes: once in each
    _pair(c3, c4, CandidateStatus.DIFFERENT)  # decided: not counted
    Child.objects.filter(commune=tree.commune).update(updated_at=dt.datetime(2026, 1, 10, 3, tzinfo=dt.UTC))
    Child.objects.filter(pk=c4.pk).update(updated_at=dt.datetime(2026, 3, 1, 3, tzinfo=dt.UTC))
    return SimpleNamespace(children=(c1, c2, c3, c4, c5), sibling_child=s1, households=(h1, h2, h3))
