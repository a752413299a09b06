"""Import benchmark: a messy 100,000-row workbook and a 1,000,000-row CSV through Treem's import pipeline.

For each file it prints, in one run: the raw read time (python-calamine for the workbook, the csv module for the
CSV), Treem's dry-run time (`job_create` + `import_validate`: header, mapping, cleaning, duplicates, issues) and
commit time (`import_commit`: everything stored in one transaction), rows/s, and the peak memory of each phase.
Every phase runs in a subprocess of its own, so its peak memory (VmHWM) is its own and its caches start cold.

    .venv/bin/python bench/import.py                      # 100,000-row xlsx, then 1,000,000-row csv
    .venv/bin/python bench/import.py --rows 20000 --skip-million
    .venv/bin/python bench/import.py --million 300000 --keep

Targets: end-to-end (dry run + commit) ≤ 5× the raw read; ≥ 10,000 rows/s; peak memory ≤ 400 MB at 1,000,000 rows.

"Messy" means what commune workbooks look like: title rows and a numbered-columns row around the header, dates in
six text shapes plus Excel date cells and serial numbers, IDs as number cells (leading zero lost) and with spaces,
the mothers' names typed in a TCVN3 (.VnTime) font, upper case and double spaces, variant ethnic names, villages
spelled without diacritics, ~2% duplicate rows and ~1% rows with errors. The database is a throwaway SQLite file
under a temporary directory (removed at the end unless --keep) with the real unit tree (`units load`, ~3 s) and
villages for Xã Khun Há (03430, Lai Châu); it never touches the developer's database.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
COMMUNE = "03430"  # Xã Khun Há, Tỉnh Lai Châu
VILLAGES = ["Hon", "Lầm", "Khun Há", "Nà Đon", "Sì Thâu Chải", "Phiêng Chá", "Pa Pe", "Nậm Đích"]
TARGET_RATIO = 5.0
TARGET_ROWS_PER_S = 10_000
TARGET_MB_AT_MILLION = 400
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh", "Họ tên cha", "Họ tên mẹ", "Thôn",
          "Xã", "Mã hộ", "Hoàn cảnh đặc biệt", "Ghi chú"]  # fmt: skip
SURNAMES = ["Sùng", "Giàng", "Vàng", "Lý", "Thào", "Lò", "Mùa", "Hầu", "Tẩn", "Chảo", "Lù", "Phàn", "Nguyễn",
            "Trần", "Lê", "Hoàng", "Phạm", "Đặng", "Vũ", "Tao", "Lường", "Điêu", "Hà", "Bạc", "Lầu", "Cứ", "Pờ",
            "Chang"]  # fmt: skip
MIDDLE = {"M": ["A", "Văn", "Seo", "Đức", "Minh", "Quang", "Hữu"], "F": ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Mỷ"]}
GIVEN = {
    "M": ["Páo", "Chứ", "Dính", "Sếnh", "Pàng", "Lử", "Vừ", "Hờ", "Minh", "Hùng", "Dũng", "Tuấn", "Thắng", "Khánh",
          "Phong", "Sơn", "Tâm", "Tài", "Long", "Nam", "Quý", "Hải", "Phúc", "Lâm", "Chiến", "Trường", "Cường"],
    "F": ["Sua", "Mỷ", "Dua", "Mai", "Chi", "Lan", "Hương", "Thủy", "Hoa", "Ánh", "Nhung", "Xuân", "Yến", "Pà",
          "Sì", "Mẩy", "Dế", "Lìa", "Của", "Tòng", "Khu", "Say", "Hiền", "Thảo", "Nga", "Linh", "Phương"],
}  # fmt: skip
ETHNIC = ["Mông"] * 6 + ["H'Mông", "Mèo", "dân tộc Mông", "Thái", "Thái", "Dao", "Dao đỏ", "Kinh", "Giáy", "Hà Nhì"]
SEXES = {"M": ["Nam"] * 6 + ["nam", "NAM", "Trai", "M"], "F": ["Nữ"] * 6 + ["nữ", "NỮ", "Gái", "F"]}
NOTES = ["", "", "", "", "", "", "", "", "- mồ côi cha", "hộ nghèo", "Bỏ học lớp 7", "đi làm ăn xa cùng mẹ"]
GROUPS = ["a", "d", "h", "a; d", "nhóm h", "b, đ"]


# --- the messy file -----------------------------------------------------------------------------------------------


def _tcvn3_table() -> dict[str, str]:
    from viparse.normalize.encodings import CHARMAPS

    table: dict[str, str] = {}
    for legacy, letter in CHARMAPS["tcvn3"].pairs:
        table.setdefault(letter, legacy)
    return table


def messy_rows(n: int, seed: int, *, excel: bool) -> Iterator[list[Any]]:
    """n data rows (duplicates and errors included); `excel` rows carry date cells and number cells."""
    rng = random.Random(seed)
    tcvn3 = _tcvn3_table()
    start = dt.date(2009, 1, 1)
    history: deque[list[Any]] = deque(maxlen=5000)  # the rows a duplicate may copy
    household: dict[str, Any] = {}
    for i in range(n):
        if history and rng.random() < 0.02:  # a duplicate of an earlier row, typed again
            row = list(history[rng.randrange(len(history))])
            row[0] = i + 1
            row[1] = row[1].upper() if isinstance(row[1], str) and rng.random() < 0.5 else row[1]
            yield row
            continue
        if not household or rng.random() < 0.35:  # a new household every ~3 children
            code = f"KH-{i:07d}"
            father = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE['M'])} {rng.choice(GIVEN['M'])}"
            mother = f"{rng.choice(SURNAMES)} Thị {rng.choice(GIVEN['F'])}"
            village = rng.choice(VILLAGES)
            household = {"code": code, "father": father, "mother": mother, "village": village}
        sex = rng.choice("MF")
        family = household["father"].split()[0]
        name = f"{family} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
        dob = start + dt.timedelta(days=rng.randrange(16 * 365))
        roll = rng.random()
        if roll < 0.10:
            name = name.upper()
        elif roll < 0.18:
            name = "  " + name.replace(" ", "  ") + " "
        elif roll < 0.22:
            name = unicodedata.normalize("NFD", name)
        serial = i % 1_000_000
        pid: Any = ""
        if rng.random() < 0.6:
            pid = make_id(dob, sex, serial)
            shape = rng.random()
            if excel and shape < 0.5:
                pid = float(pid)  # a number cell: the leading zero is gone
            elif shape < 0.6:
                pid = f"{pid[:3]} {pid[3:6]} {pid[6:]}"
        village = household["village"]
        vroll = rng.random()
        if vroll < 0.3:
            village = "Bản " + village
        elif vroll < 0.4:
            village = "ban " + fold_ascii(village)
        elif vroll < 0.45:
            village = village.upper()
        elif vroll < 0.46:
            village = f"Bản Mới {rng.randrange(3)}"
        row = [
            i + 1,
            name,
            date_cell(dob, rng, excel=excel),
            rng.choice(SEXES[sex]),
            rng.choice(ETHNIC),
            pid,
            household["father"],
            "".join(tcvn3.get(c, c) for c in household["mother"]),  # the whole column in .VnTime
            village,
            rng.choice(["", "", "Khun Há", "Xã Khun Há", COMMUNE]),
            household["code"],
            rng.choice(GROUPS) if rng.random() < 0.08 else "",
            rng.choice(NOTES),
        ]
        if rng.random() < 0.01:  # an error a commune officer has to fix
            row[rng.choice([2, 3])] = rng.choice(["31/02/2014", "", "?", "02/05/2031"])
        history.append(row)
        yield row


def make_id(dob: dt.date, sex: str, serial: int) -> str:
    century = (dob.year - 1900) // 100 * 2 + (sex == "F")
    return f"012{century}{dob.year % 100:02d}{serial:06d}"


def fold_ascii(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def date_cell(d: dt.date, rng: random.Random, *, excel: bool) -> Any:
    shape = rng.random()
    if shape < 0.02:
        return str(d.year)  # only the year is known
    if excel and shape < 0.25:
        return d  # a date cell
    if excel and shape < 0.30:
        return float((d - dt.date(1899, 12, 30)).days)  # a serial number without a date format
    if not excel and shape < 0.25:
        return f"{d:%Y-%m-%d} 00:00:00"  # what exports write for date cells
    return rng.choice(
        [f"{d:%d/%m/%Y}"] * 4
        + [f"{d.day}/{d.month}/{d.year}", f"{d:%d-%m-%Y}", f"{d:%Y-%m-%d}", f"{d:%d.%m.%y}",
           f"ngày {d.day} tháng {d.month} năm {d.year}"]
    )  # fmt: skip


def write_xlsx(path: Path, rows: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("Danh sách trẻ em")
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["DANH SÁCH TRẺ EM XÃ KHUN HÁ, TỈNH LAI CHÂU"])
    sheet.write_row(1, 0, ["(Kèm theo Báo cáo số 12/BC-UBND ngày 05/06/2026)"])
    sheet.write_row(3, 0, HEADER)
    sheet.write_row(4, 0, [f"({n})" for n in range(1, len(HEADER) + 1)])
    for r, values in enumerate(messy_rows(rows, seed=1, excel=True), start=5):
        for c, value in enumerate(values):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif value:
                sheet.write_string(r, c, value)
    book.close()


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Danh sách trẻ em xã Khun Há"])
        out.writerow([])
        out.writerow(HEADER)
        out.writerows(messy_rows(rows, seed=2, excel=False))


# --- phases, each in its own process -------------------------------------------------------------------------------


def _django(db: Path, workdir: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="treem.config.settings.base",
        TREEM_DATABASE_URL=f"sqlite:///{db}",
        TREEM_VAR_DIR=str(workdir / "var"),
        TREEM_MEDIA_ROOT=str(workdir / "media"),
        TREEM_LOG_LEVEL="ERROR",
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries the parent's peak into
    ru_maxrss across exec, which would charge this phase with the memory of whatever started it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase(args: argparse.Namespace) -> dict[str, Any]:
    path, workdir = Path(args.file), Path(args.workdir)
    if args.phase == "raw":
        start = time.perf_counter()
        if path.suffix == ".xlsx":
            from python_calamine import CalamineWorkbook

            workbook = CalamineWorkbook.from_path(str(path))
            rows = len(workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python())
        else:
            with path.open(encoding="utf-8", newline="") as fh:
                rows = sum(1 for _ in csv.reader(fh))
        return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), "rows": rows}
    _django(Path(args.db), workdir)
    if args.phase == "setup":
        from django.core.management import call_command

        from treem.units.models import Level, Structure, Unit
        from treem.units.services import units_load, village_add

        call_command("migrate", verbosity=0)
        units_load()
        commune = Unit.objects.get(structure=Structure.CURRENT, level=Level.COMMUNE, code=COMMUNE)
        for name in VILLAGES:
            village_add(commune=commune, name=name, unit_type="Bản")
        return {"units": Unit.objects.count()}
    from treem.imports.models import ImportJob
    from treem.imports.services import import_commit, import_validate, job_create
    from treem.units.models import Level, Structure, Unit

    baseline = _peak_mb()
    if args.phase == "dry":
        commune = Unit.objects.get(structure=Structure.CURRENT, level=Level.COMMUNE, code=COMMUNE)
        start = time.perf_counter()
        job = import_validate(job_create(actor=None, unit=commune, path=path, original_name=path.name))
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "peak_mb": _peak_mb(), "baseline_mb": baseline, "job": job.pk,
                "rows": job.total_rows, "counts": job.counts, "header_row": job.header_row}  # fmt: skip
    job = ImportJob.objects.get(pk=args.job)
    start = time.perf_counter()
    job = import_commit(job)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": _peak_mb(), "baseline_mb": baseline, "result": job.result}


def run_phase(name: str, file: Path, db: Path, workdir: Path, job: int | None = None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--phase", name, "--file", str(file), "--db", str(db), "--workdir", str(workdir)]
    if job is not None:
        cmd += ["--job", str(job)]
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout  # noqa: S603
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(out.strip().splitlines()[-1])
    result["cpu_process"] = (after.ru_utime + after.ru_stime) - (cpu.ru_utime + cpu.ru_stime)
    return result


# --- the run --------------------------------------------------------------------------------------------------------


def bench_file(label: str, file: Path, data_rows: int, template_db: Path, workdir: Path) -> dict[str, Any]:
    db = workdir / f"{file.stem}.sqlite3"
    shutil.copy(template_db, db)
    print(f"{label}: raw read…", flush=True)
    raw = run_phase("raw", file, db, workdir)
    print(f"{label}: dry run…", flush=True)
    dry = run_phase("dry", file, db, workdir)
    print(f"{label}: commit…", flush=True)
    commit = run_phase("commit", file, db, workdir, job=dry["job"])
    print(f"{label}: {json.dumps({'counts': dry['counts'], 'stored': commit['result']}, ensure_ascii=False)}")
    return {"label": label, "rows": data_rows, "size_mb": file.stat().st_size / 1e6, "raw": raw, "dry": dry,
            "commit": commit}  # fmt: skip


def report(results: list[dict[str, Any]]) -> None:
    print()
    print(f"Treem import benchmark — SQLite, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    head = (f"{'file':<24}{'rows':>11}{'raw read':>10}{'dry run':>10}{'commit':>10}{'end-to-end':>12}"
            f"{'e2e/raw':>9}{'dry/raw':>9}{'rows/s dry':>12}{'rows/s commit':>15}{'rows/s e2e':>12}"
            f"{'peak MB dry':>13}{'peak MB commit':>16}")  # fmt: skip
    print(head)
    print("-" * len(head))
    for r in results:
        raw, dry, commit = r["raw"]["seconds"], r["dry"]["seconds"], r["commit"]["seconds"]
        e2e = dry + commit
        print(
            f"{r['label']:<24}{r['rows']:>11,}{raw:>9.1f}s{dry:>9.1f}s{commit:>9.1f}s{e2e:>11.1f}s"
            f"{e2e / raw:>8.1f}×{dry / raw:>8.1f}×{r['rows'] / dry:>12,.0f}{r['rows'] / commit:>15,.0f}"
            f"{r['rows'] / e2e:>12,.0f}{r['dry']['peak_mb']:>13,.0f}{r['commit']['peak_mb']:>16,.0f}"
        )
    print()
    print(f"python + Django alone: {results[0]['dry']['baseline_mb']:.0f} MB; raw read peak: "
          + ", ".join(f"{r['label']} {r['raw']['peak_mb']:.0f} MB" for r in results))  # fmt: skip
    print("targets:")
    for r in results:
        raw, dry, commit = r["raw"]["seconds"], r["dry"]["seconds"], r["commit"]["seconds"]
        checks = [
            (f"end-to-end ≤ {TARGET_RATIO:.0f}× raw read", (dry + commit) / raw <= TARGET_RATIO,
             f"{(dry + commit) / raw:.1f}×"),
            (f"dry run ≥ {TARGET_ROWS_PER_S:,} rows/s", r["rows"] / dry >= TARGET_ROWS_PER_S,
             f"{r['rows'] / dry:,.0f}"),
            (f"commit ≥ {TARGET_ROWS_PER_S:,} rows/s", r["rows"] / commit >= TARGET_ROWS_PER_S,
             f"{r['rows'] / commit:,.0f}"),
        ]  # fmt: skip
        if r["rows"] >= 1_000_000:
            peak = max(r["dry"]["peak_mb"], r["commit"]["peak_mb"])
            checks.append((f"peak ≤ {TARGET_MB_AT_MILLION} MB", peak <= TARGET_MB_AT_MILLION, f"{peak:.0f} MB"))
        for name, ok, value in checks:
            print(f"  {r['label']:<24} {name:<28} {value:>10}  {'met' if ok else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="data rows of the workbook (default 100,000)")
    parser.add_argument("--million", type=int, default=1_000_000, help="data rows of the CSV (default 1,000,000)")
    parser.add_argument("--skip-million", action="store_true", help="only the workbook")
    parser.add_argument("--keep", action="store_true", help="keep the files and databases (the path is printed)")
    parser.add_argument("--phase", choices=["raw", "setup", "dry", "commit"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--job", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args), ensure_ascii=False, default=str))
        return
    workdir = Path(tempfile.mkdtemp(prefix="treem-bench-import-", dir="/tmp"))
    try:
        template = workdir / "template.sqlite3"
        start = time.perf_counter()
        setup = run_phase("setup", template, template, workdir)
        took = time.perf_counter() - start
        print(f"database: {setup['units']:,} units (the real tree) and villages of Xã Khun Há, made in {took:.1f} s")
        files = [("messy.xlsx", args.rows, write_xlsx)]
        if not args.skip_million:
            files.append(("messy.csv", args.million, write_csv))
        results = []
        for name, rows, write in files:
            path = workdir / name
            start = time.perf_counter()
            write(path, rows)
            took = time.perf_counter() - start
            print(f"{name}: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB, made in {took:.1f} s")
            results.append(bench_file(f"{name} ({rows:,})", path, rows, template, workdir))
        report(results)
    finally:
        if args.keep:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
