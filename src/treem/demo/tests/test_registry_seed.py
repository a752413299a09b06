"""Synthetic registry data for the demo: sizes, ethnic mix, special circumstances, twins, IDs, re-runs, names."""

from __future__ import annotations

import collections
import datetime as dt
import random
import unicodedata
from types import SimpleNamespace

import pytest

from treem.accounts import roles
from treem.core.dates import today_vn
from treem.core.ids import check_personal_id
from treem.core.text import fold, name_case
from treem.demo import names, registry
from treem.demo.units import DemoArea
from treem.registry.models import (
    Child,
    Circumstance,
    Guardianship,
    Household,
    HouseholdPoverty,
    Person,
    SchoolStatus,
)
from treem.registry.services import child_search_text
from treem.units.services import village_add

TODAY = today_vn()


@pytest.fixture
def areas(tree, monkeypatch) -> SimpleNamespace:  # noqa: ANN001
    """Lai Châu: Khun Há (Bản Hon, Bản Lầm) and Bình Lư; Đồng Nai: Long Khánh; two more villages each."""
    for i in (1, 2):
        village_add(commune=tree.sibling, name=f"Bình Lư {i}", unit_type="Bản")
        village_add(commune=tree.far_commune, name=str(i), unit_type="Tổ dân phố")
    demo = [DemoArea(tree.province, [tree.commune, tree.sibling]), DemoArea(tree.other_province, [tree.far_commune])]
    monkeypatch.setattr(registry, "demo_areas", lambda: demo)
    return tree


@pytest.fixture
def actor(areas, make_user):  # noqa: ANN001, ANN201
    return make_user(roles.COMMUNE_OFFICER, areas.commune)


@pytest.fixture
def seeded(areas, actor) -> registry.RegistryStats:  # noqa: ANN001
    return registry.seed_registry(children=300, actor=actor)


def _open_special() -> set[int]:
    return set(Circumstance.objects.on(TODAY).filter(type__kind="special").values_list("child_id", flat=True))


def _age(dob: dt.date) -> int:
    return TODAY.year - dob.year - ((TODAY.month, TODAY.day) < (dob.month, dob.day))


# --- names (no database) --------------------------------------------------------------------------------------


def test_kinh_surnames_follow_their_real_weights() -> None:
    rng = random.Random(1)  # noqa: S311
    surnames = collections.Counter(names.pick_surname(rng, "Kinh") for _ in range(4000))
    assert 0.33 < surnames["Nguyễn"] / 4000 < 0.45
    assert surnames["Trần"] > surnames["Đặng"] > 0
    south = collections.Counter(names.pick_surname(rng, "Kinh", south=True) for _ in range(2000))
    assert south["Huỳnh"] and south["Võ"] and not south["Hoàng"] and not south["Vũ"]


def test_mong_names_have_a_for_men_and_thi_or_my_for_women() -> None:
    rng = random.Random(2)  # noqa: S311
    men = [names.make_name(rng, "Mông", "M", born=1990) for _ in range(300)]
    women = [names.make_name(rng, "Mông", "F", born=1990) for _ in range(300)]
    assert sum(n.middle == "A" for n in men) > 200
    assert {n.middle for n in women} <= {"Thị", "Mỷ"}
    assert all(n.given != n.middle for n in women)
    assert {n.surname for n in men} <= {"Giàng", "Sùng", "Vàng", "Lý", "Thào", "Mùa", "Hầu", "Sình", "Cứ", "Hạng",
                                        "Vừ", "Chá", "Tráng"}  # fmt: skip


def test_names_are_deterministic_for_a_seed() -> None:
    def draw(seed: int) -> list[str]:
        rng = random.Random(seed)  # noqa: S311
        return [names.make_name(rng, "Thái", "F", born=2012).full for _ in range(20)]

    assert draw(7) == draw(7)
    assert draw(7) != draw(8)


def test_province_mix_lai_chau_minorities_elsewhere_kinh() -> None:
    rng = random.Random(3)  # noqa: S311
    lai_chau = collections.Counter(names.pick_ethnicity(rng, "12", "Khun Há") for _ in range(5000))
    assert 0.27 < lai_chau["Thái"] / 5000 < 0.37 and 0.2 < lai_chau["Mông"] / 5000 < 0.3
    assert 0.1 < lai_chau["Kinh"] / 5000 < 0.2 and lai_chau["Hà Nhì"] and lai_chau["Dao"]
    muong_te = collections.Counter(names.pick_ethnicity(rng, "12", "Mù Cả") for _ in range(5000))
    assert muong_te["Hà Nhì"] > 2 * lai_chau["Hà Nhì"] and muong_te["Cống"] and muong_te["Si La"]
    dong_nai = collections.Counter(names.pick_ethnicity(rng, "75") for _ in range(5000))
    assert dong_nai["Kinh"] / 5000 > 0.93 and dong_nai["Hoa"] and dong_nai["Khmer"] and dong_nai["Chơ Ro"]


# --- the seeded registry --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_counts_match_the_request(seeded, areas, actor) -> None:  # noqa: ANN001
    assert seeded.children == Child.objects.count() == 300
    assert seeded.households == Household.objects.count()
    assert seeded.adults == Person.objects.count()
    assert seeded.poor == HouseholdPoverty.objects.filter(status="poor", valid_to=None).count()
    assert seeded.special == len(_open_special())
    hon = Child.objects.filter(village=areas.village).count()
    assert hon >= 40  # the demo users work in Bản Hon
    assert Child.objects.filter(commune=areas.commune, search_text__contains=" sua").exists()
    assert Child.objects.filter(village=None).count() < 0.2 * 300  # most households live in villages
    assert Child.history.filter(history_user=actor).count() == 300
    assert Household.history.count() == seeded.households
    assert Circumstance.history.count() == Circumstance.objects.count() > 0


@pytest.mark.django_db
def test_every_child_is_placed_keyed_and_cared_for(seeded) -> None:  # noqa: ANN001
    for child in Child.objects.select_related("household__head", "village", "commune"):
        assert child.unit_path == (child.village or child.commune).path == child.household.unit_path
        assert child.name_key == fold(child.full_name)
        assert set(child.search_text.split()) == set(child_search_text(child).split())
        assert child.household.head is not None and child.household.head_name == child.household.head.full_name
        links = list(child.guardianships.all())
        assert {g.relation for g in links} & {"father", "mother"}
        assert sum(g.is_primary_caregiver for g in links) == 1
        assert all(g.lives_with_child for g in links if g.is_primary_caregiver)
        assert 0 <= _age(child.date_of_birth) < 18


@pytest.mark.django_db
def test_ethnic_mix_lai_chau_mostly_minorities_dong_nai_mostly_kinh(seeded, areas) -> None:  # noqa: ANN001
    lai_chau = Child.objects.filter(unit_path__startswith=areas.province.path)
    dong_nai = Child.objects.filter(unit_path__startswith=areas.other_province.path)
    assert lai_chau.exclude(ethnicity="Kinh").count() > 0.7 * lai_chau.count()
    assert len(set(lai_chau.values_list("ethnicity", flat=True))) >= 5
    assert dong_nai.filter(ethnicity="Kinh").count() > 0.85 * dong_nai.count()


@pytest.mark.django_db
def test_children_take_the_fathers_surname(seeded) -> None:  # noqa: ANN001
    fathers = Guardianship.objects.filter(relation="father").select_related("child", "person")
    assert fathers.count() > 200
    for link in fathers:
        assert link.child.full_name.split()[0] == link.person.full_name.split()[0]


@pytest.mark.django_db
def test_special_circumstances_share_dates_and_risks(seeded) -> None:  # noqa: ANN001
    share = len(_open_special()) / 300
    assert 0.03 <= share <= 0.10
    rows = list(Circumstance.objects.select_related("child", "type"))
    assert {c.type.kind for c in rows} == {"special", "risk"}
    for c in rows:
        assert c.child.date_of_birth <= c.valid_from <= TODAY
        assert c.valid_to is None or c.valid_from <= c.valid_to <= TODAY
        if c.type.kind == "special":
            assert _age(c.child.date_of_birth) < 16
    assert any(c.valid_to for c in rows)  # some periods are over
    assert 3 <= len({c.child_id for c in rows if c.type.kind == "risk"}) <= 20
    disabled = Child.objects.filter(circumstances__type__code="d", circumstances__valid_to=None)
    assert all(child.disability for child in disabled)


@pytest.mark.django_db
def test_twins_share_birth_and_parents_with_different_given_names(seeded) -> None:  # noqa: ANN001
    by_birth = collections.defaultdict(list)
    for child in Child.objects.prefetch_related("guardianships"):
        by_birth[(child.household_id, child.date_of_birth)].append(child)
    twins = [group for group in by_birth.values() if len(group) == 2]
    assert twins
    for a, b in twins:
        assert a.full_name.split()[-1] != b.full_name.split()[-1]
        assert {g.person_id for g in a.guardianships.all()} == {g.person_id for g in b.guardianships.all()}


@pytest.mark.django_db
def test_personal_ids_are_unique_well_formed_and_sometimes_missing(seeded) -> None:  # noqa: ANN001
    people = [*Child.objects.all(), *Person.objects.all()]
    ids = [p.personal_id for p in people if p.personal_id]
    assert len(ids) == len(set(ids))
    for p in people:
        if p.personal_id:
            assert len(p.personal_id) == 12 and p.personal_id.isdigit() and p.personal_id.startswith("0")
            assert check_personal_id(p.personal_id, date_of_birth=p.date_of_birth, sex=p.sex) == []
    missing = Child.objects.filter(personal_id=None).count()
    assert 0.04 * 300 <= missing <= 0.2 * 300  # the Đề án 06 cleaning journey needs some
    assert not Child.objects.filter(birth_registered=False).exclude(personal_id=None).exists()


@pytest.mark.django_db
def test_school_status_fits_age(seeded) -> None:  # noqa: ANN001
    for child in Child.objects.all():
        age = _age(child.date_of_birth)
        if age < 3:
            assert child.school_status == SchoolStatus.NOT_OF_AGE
        elif 6 <= age < 11:
            assert child.school_status in (SchoolStatus.PRIMARY, SchoolStatus.NEVER_ENROLLED)
        elif 11 <= age < 15:
            assert child.school_status in (
                SchoolStatus.LOWER_SECONDARY, SchoolStatus.DROPPED_OUT, SchoolStatus.NEVER_ENROLLED
            )  # fmt: skip


@pytest.mark.django_db
def test_names_are_nfc_and_properly_cased(seeded) -> None:  # noqa: ANN001
    full_names = [
        *Child.objects.values_list("full_name", flat=True),
        *Person.objects.values_list("full_name", flat=True),
    ]
    for name in full_names:
        assert unicodedata.is_normalized("NFC", name)
        assert name_case(name) == name and "  " not in name and len(name.split()) >= 2


@pytest.mark.django_db
def test_rerunning_adds_nothing_and_a_larger_request_adds_the_difference(areas, actor) -> None:  # noqa: ANN001
    registry.seed_registry(children=200, actor=actor)
    again = registry.seed_registry(children=200, actor=actor)
    assert (again.children, again.households, again.existing) == (0, 0, 200)
    assert registry.seed_registry(children=150).children == 0
    more = registry.seed_registry(children=260, actor=actor)
    assert (more.children, more.existing) == (60, 200)
    assert Child.objects.count() == 260
    assert (
        Child.objects.filter(search_text__contains=" sua", full_name="Sùng Thị Sua", village=areas.village).count() == 1
    )
    codes = list(Household.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))


@pytest.mark.django_db
def test_two_thousand_children_in_one_seed(areas) -> None:  # noqa: ANN001
    stats = registry.seed_registry(children=2000)
    assert stats.children == Child.objects.count() == 2000
