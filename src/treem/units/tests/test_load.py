"""Loading the official units: counts asserted against the source package, never typed-in guesses."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from treem.core.text import fold
from treem.units import source
from treem.units.models import Level, Structure, Succession, Unit
from treem.units.selectors import current_successors, unit_search
from treem.units.services import units_load


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    with django_db_blocker.unblock():
        first = units_load()
        yield first
        Succession.objects.all().delete()
        for level in (Level.VILLAGE, Level.COMMUNE, Level.DISTRICT, Level.PROVINCE, Level.NATION):
            Unit.objects.filter(level=level).delete()


def _source_count(records, level: str) -> int:  # noqa: ANN001
    return len({r.code for r in records if r.level == level})


@pytest.mark.django_db
def test_it_loads_the_current_structure_as_the_source_has_it(loaded) -> None:  # noqa: ANN001
    records = list(source.current_units())
    provinces = Unit.objects.filter(structure=Structure.CURRENT, level=Level.PROVINCE)
    communes = Unit.objects.filter(structure=Structure.CURRENT, level=Level.COMMUNE)
    assert provinces.count() == _source_count(records, Level.PROVINCE) == 34
    assert communes.count() == _source_count(records, Level.COMMUNE)
    assert 3300 <= communes.count() <= 3400
    types = {t: communes.filter(unit_type=t).count() for t in ("Xã", "Phường", "Đặc khu")}
    assert sum(types.values()) == communes.count()
    assert all(n > 0 for n in types.values())
    assert not Unit.objects.filter(structure=Structure.CURRENT, level=Level.DISTRICT).exists()


@pytest.mark.django_db
def test_it_loads_the_former_structure_marked_former(loaded) -> None:  # noqa: ANN001
    records = list(source.former_units())
    former = Unit.objects.filter(structure=Structure.FORMER)
    assert former.filter(level=Level.PROVINCE).count() == _source_count(records, Level.PROVINCE) == 63
    assert former.filter(level=Level.DISTRICT).count() == _source_count(records, Level.DISTRICT)
    assert former.filter(level=Level.COMMUNE).count() == _source_count(records, Level.COMMUNE)
    tam_duong = former.get(level=Level.DISTRICT, short_name="Tam Đường", parent__code="12")
    assert tam_duong.unit_type == "Huyện"
    assert tam_duong.full_path == "Tỉnh Lai Châu > Huyện Tam Đường"
    ban_hon = former.get(level=Level.COMMUNE, name="Xã Bản Hon")
    assert ban_hon.parent == tam_duong
    assert ban_hon.path == f"{tam_duong.path}{ban_hon.code}."


@pytest.mark.django_db
def test_paths_give_the_subtree_with_one_prefix_filter(loaded) -> None:  # noqa: ANN001
    lai_chau = Unit.objects.get(structure=Structure.CURRENT, level=Level.PROVINCE, code="12")
    expected = sum(1 for r in source.current_units() if r.level == Level.COMMUNE and r.parent_code == "12")
    subtree = Unit.objects.subtree(lai_chau)
    assert subtree.filter(level=Level.COMMUNE).count() == expected
    assert not subtree.filter(structure=Structure.FORMER).exists()
    assert subtree.exclude(pk=lai_chau.pk).filter(parent__isnull=True).count() == 0


@pytest.mark.django_db
def test_the_succession_map_covers_every_former_commune(loaded) -> None:  # noqa: ANN001
    former_communes = Unit.objects.filter(structure=Structure.FORMER, level=Level.COMMUNE)
    assert not former_communes.filter(successors__isnull=True).exists()
    ban_hon = former_communes.get(name="Xã Bản Hon", parent__short_name="Tam Đường")
    assert [u.name for u in current_successors(ban_hon)] == ["Xã Khun Há"]
    town = former_communes.get(name="Thị trấn Tam Đường")
    assert [u.name for u in current_successors(town)] == ["Xã Bình Lư"]
    # A split commune has several successors, exactly one of them the default.
    split = Succession.objects.filter(is_partial=True).values_list("former_id", flat=True).first()
    rows = Succession.objects.filter(former_id=split)
    assert rows.count() >= 2
    assert rows.filter(is_default=True).count() == 1
    assert Succession.objects.filter(is_partial=True).values("former").distinct().count() == sum(
        1 for _ in {r.former_code for r in source.successions() if r.is_partial}
    )


@pytest.mark.django_db
def test_loading_again_changes_nothing(loaded) -> None:  # noqa: ANN001
    before = Unit.objects.count(), Succession.objects.count()
    again = units_load()
    assert (again.created, again.updated, again.successions_created, again.successions_removed) == (0, 0, 0, 0)
    assert (Unit.objects.count(), Succession.objects.count()) == before
    assert loaded.created == before[0]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["ban giang", "Bản Giang", "BAN GIANG", "  bản   giang "])
def test_search_ignores_diacritics_case_and_spaces(loaded, text: str) -> None:  # noqa: ANN001
    names = [u.full_path for u in unit_search(text)]
    assert "Tỉnh Lai Châu > Huyện Tam Đường > Xã Bản Giang" in names


@pytest.mark.django_db
def test_search_with_diacritics_does_not_match_other_tones(loaded) -> None:  # noqa: ANN001
    # Folding is symmetric, so diacritics in the query never exclude the right unit...
    assert unit_search("Khun Há")[0].short_name == "Khun Há"
    # ...and a word that is not in any name finds nothing.
    assert unit_search("zzqx") == []


@pytest.mark.django_db
def test_search_command_prints_one_tab_separated_line_per_match(loaded, capsys) -> None:  # noqa: ANN001
    call_command("units", "search", "ban", "giang")
    lines = capsys.readouterr().out.strip().splitlines()
    assert "03418\tcommune\tformer\tTỉnh Lai Châu > Huyện Tam Đường > Xã Bản Giang" in lines
    for line in lines:
        code, level, structure, path = line.split("\t")
        assert structure in {"current", "former"}
        assert level in {"province", "district", "commune", "village"}
        assert "giang" in fold(path)
