"""Group c (trẻ em không nơi nương tựa) gets the 12 sub-types of NĐ 56/2017 Art. 5, clause for clause.

The earlier list did not follow the clauses: clause 2 was split in two (facility / unable to care), clauses 5 and
6 were merged into one ("one parent missing, the other in one of the cases above"), clause 10 was missing, and
clause 12 was split in two (rights restricted / separated). Existing sub-type rows are relabelled in place where a
clause has one, and every circumstance (and its history rows) is moved to the clause that covers it:

    old 1 → 1, 2 → 2, 3 → 2, 4 → 3, 5 → 4, 6 → 8, 7 → 7, 8 → 9, 10 → 11, 11 → 12, 12 → 12.

Old 9 covers clause 5 *or* 6 and the data cannot tell which: those circumstances keep the group, lose the sub-type,
and get a note naming the old sub-type and the two clauses, so an officer re-classifies them; nothing is deleted
but the emptied old sub-type rows. Rows are recognised by their old Vietnamese name, so a database that already
has the new list (a fresh install, where 0002 loads the current fixture) or that an administrator relabelled is
left as it is.
"""

from django.db import migrations

OLD_NAMES = {
    "1": "Mồ côi cha hoặc mẹ, người còn lại mất tích",
    "2": "Mồ côi cha hoặc mẹ, người còn lại đang ở cơ sở trợ giúp xã hội",
    "3": "Mồ côi cha hoặc mẹ, người còn lại không đủ năng lực chăm sóc",
    "4": "Mồ côi cha hoặc mẹ, người còn lại đang chấp hành án phạt tù hoặc biện pháp xử lý hành chính",
    "5": "Cả cha và mẹ mất tích",
    "6": "Cả cha và mẹ đang ở cơ sở trợ giúp xã hội",
    "7": "Cả cha và mẹ không đủ năng lực chăm sóc",
    "8": "Cả cha và mẹ đang chấp hành án phạt tù hoặc biện pháp xử lý hành chính",
    "9": "Cha hoặc mẹ mất tích, người còn lại thuộc các trường hợp trên",
    "10": "Sống cùng cha mẹ nhưng cha mẹ là trẻ em",
    "11": "Cha mẹ bị hạn chế quyền của cha mẹ",
    "12": "Bị cách ly khỏi cha mẹ theo quy định của pháp luật",
}
OLD_TO_CLAUSE = {
    "1": "1", "2": "2", "3": "2", "4": "3", "5": "4", "6": "8", "7": "7", "8": "9", "9": None, "10": "11",
    "11": "12", "12": "12",
}  # fmt: skip
AMBIGUOUS_NOTE = (
    "[Chuyển đổi phân loại theo Điều 5 NĐ 56/2017] Phân loại cũ: “{name}” — cần xác định lại là khoản 5 "
    "(người còn lại ở cơ sở trợ giúp xã hội) hay khoản 6 (người còn lại chấp hành án phạt tù, ở cơ sở giáo dục "
    "bắt buộc hoặc cơ sở cai nghiện bắt buộc)."
)


def _clauses():
    import json

    from treem.registry.reference import FIXTURE

    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    row = next(r for r in data["special"] if r["code"] == "c")
    return {code: (name_vi, name_en) for code, name_vi, name_en in row["subtypes"]}


def remap(apps, schema_editor):
    Type = apps.get_model("registry", "CircumstanceType")
    Subtype = apps.get_model("registry", "CircumstanceSubtype")
    Circumstance = apps.get_model("registry", "Circumstance")
    History = apps.get_model("registry", "HistoricalCircumstance")
    group = Type.objects.filter(kind="special", code="c").first()
    if group is None:
        return
    old = {s.code: s for s in Subtype.objects.filter(type=group) if OLD_NAMES.get(s.code) == s.name_vi}
    if not old:
        return
    clauses = _clauses()
    # Free the codes: the old rows take a temporary code while the clauses are laid out.
    for code, row in old.items():
        row.code = f"old-{code}"
        row.save(update_fields=["code"])
    target = {}  # clause -> row
    for old_code in sorted(old, key=int):
        clause = OLD_TO_CLAUSE[old_code]
        if clause is not None and clause not in target:
            row = old[old_code]
            row.code, (row.name_vi, row.name_en) = clause, clauses[clause]
            row.save(update_fields=["code", "name_vi", "name_en"])
            target[clause] = row
    for clause, (name_vi, name_en) in clauses.items():
        if clause not in target:
            target[clause], _ = Subtype.objects.get_or_create(
                type=group, code=clause, defaults={"name_vi": name_vi, "name_en": name_en}
            )
    for old_code, row in old.items():
        clause = OLD_TO_CLAUSE[old_code]
        if clause is not None and target[clause].pk == row.pk:
            continue
        if clause is None:
            note = AMBIGUOUS_NOTE.format(name=OLD_NAMES[old_code])
            for c in Circumstance.objects.filter(subtype=row):
                c.subtype, c.note = None, f"{c.note}\n{note}" if c.note else note
                c.save(update_fields=["subtype", "note"])
            History.objects.filter(subtype_id=row.pk).update(subtype_id=None)
        else:
            Circumstance.objects.filter(subtype=row).update(subtype=target[clause])
            History.objects.filter(subtype_id=row.pk).update(subtype_id=target[clause].pk)
        row.delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_ethnicity_co_lao")]
    operations = [migrations.RunPython(remap, migrations.RunPython.noop)]
