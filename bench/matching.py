"""Duplicate-detection benchmark: Treem's matcher and Splink 5 (DuckDB) on the same synthetic children.

Generates N child records (default 1,000,000) with a known truth from `treem.demo.synthetic` (≈3 % second
entries with realistic errors, ≈2 % twins), writes them as a canonical CSV, then runs each matcher in a
subprocess of its own on that file and prints, side by side: wall time (subprocess, imports included), peak
memory (the subprocess's ru_maxrss), precision, recall and F1 of the pairs it links (probability ≥ 0.5, pairwise,
against every true pair), and twin pairs wrongly linked. For Treem also the automatic merges (target: no twin).

    .venv/bin/python -m pip install splink          # the benchmark's only extra (not a Treem dependency)
    .venv/bin/python bench/matching.py --records 100000
    .venv/bin/python bench/matching.py                        # 1,000,000 records
    .venv/bin/python bench/matching.py --only treem

Treem runs exactly the file mode (`treem.matching.engine.match_file`). Splink gets the same fields, normalised
in DuckDB the way a Splink user would (lower case, accents stripped, đ → d, split into family/middle/given),
its library comparisons for each field, blocking rules that mirror Treem's passes, and the usual training
(λ from deterministic rules, u by random sampling, m by EM on two blocking rules). Targets: Treem's F1 ≥ 0.97,
no twin merged automatically, Treem's wall time ≤ Splink's.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

THRESHOLD = 0.5
WORKDIR = Path("/tmp/treem-match-bench")
FIELDS = ("record_id", "full_name", "date_of_birth", "sex", "ethnicity", "personal_id", "guardian_name", "village",
          "commune_code", "household_code", "special_groups")  # fmt: skip


# --- data --------------------------------------------------------------------------------------------------------


def generate(records: int, seed: int, workdir: Path) -> tuple[Path, Path]:
    data, truth = workdir / f"children-{records}-{seed}.csv", workdir / f"truth-{records}-{seed}.csv"
    if data.exists() and truth.exists():
        return data, truth
    from treem.demo import synthetic

    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with data.open("w", newline="", encoding="utf-8") as d, truth.open("w", newline="", encoding="utf-8") as t:
        dw, tw = csv.writer(d), csv.writer(t)
        dw.writerow(FIELDS)
        tw.writerow(("record_id", "entity", "twin_group", "noise"))
        for record, true in synthetic.generate(records, seed=seed):
            dw.writerow([getattr(record, name) for name in FIELDS])
            tw.writerow((true.record_id, true.entity, true.twin_group, true.noise))
    print(f"generated {data} in {time.perf_counter() - started:.0f} s")
    return data, truth


# --- workers (each in its own process) ---------------------------------------------------------------------------


def run_treem(data: Path, out: Path) -> dict:
    from treem.matching.engine import match_file

    result = match_file(data, out)
    return {"candidate_pairs": result.candidates, "records": result.records}


SPLINK_PREPARE = """
CREATE TABLE children AS
WITH raw AS (
  SELECT * REPLACE (regexp_replace(trim(lower(strip_accents(replace(replace(full_name, 'đ', 'd'), 'Đ', 'D')))),
                                   '\\s+', ' ', 'g') AS full_name)
  FROM read_csv('{path}', all_varchar = true, header = true)
)
SELECT record_id AS unique_id,
  nullif(full_name, '') AS name_f,
  nullif(split_part(full_name, ' ', 1), '') AS family_f,
  CASE WHEN len(string_split(full_name, ' ')) > 2
       THEN array_to_string(string_split(full_name, ' ')[2:-2], ' ') END AS middle_f,
  nullif(string_split(full_name, ' ')[-1], '') AS given_f,
  nullif(date_of_birth, '') AS dob,
  nullif(left(date_of_birth, 4), '') AS birth_year,
  nullif(sex, '') AS sex,
  nullif(lower(strip_accents(ethnicity)), '') AS ethnicity_f,
  nullif(personal_id, '') AS personal_id,
  nullif(left(personal_id, 9), '') AS pid_head,
  nullif(right(personal_id, 6), '') AS pid_tail,
  nullif(left(personal_id, 6) || right(personal_id, 3), '') AS pid_outer,
  nullif(regexp_replace(trim(lower(strip_accents(replace(replace(guardian_name, 'đ', 'd'), 'Đ', 'D')))),
                        '\\s+', ' ', 'g'), '') AS guardian_f,
  nullif(commune_code, '') AS commune_code,
  nullif(commune_code || '/' || lower(strip_accents(village)), commune_code || '/') AS village_f,
  nullif(household_code, '') AS household_code
FROM raw
"""


def run_splink(data: Path, out: Path) -> dict:
    import logging

    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    con = duckdb.connect()
    con.execute(SPLINK_PREPARE.format(path=str(data).replace("'", "''")))
    db_api = DuckDBAPI(connection=con)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.DamerauLevenshteinAtThresholds("personal_id", [1]),
            cl.ForenameSurnameComparison("given_f", "family_f"),
            cl.NameComparison("middle_f"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("commune_code"),
            cl.ExactMatch("village_f"),
            cl.ExactMatch("household_code"),
            cl.JaroWinklerAtThresholds("guardian_f", [0.95, 0.88]),
            cl.ExactMatch("ethnicity_f"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("personal_id"),
            block_on("pid_head"),
            block_on("pid_tail"),
            block_on("pid_outer"),
            block_on("dob", "commune_code"),
            block_on("given_f", "dob"),
            block_on("name_f", "birth_year"),
            block_on("guardian_f", "dob"),
            block_on("commune_code", "family_f", "given_f"),
        ],
    )
    linker = Linker(db_api.register("children"), settings, log_level=logging.WARNING)
    train = linker.training
    train.estimate_probability_two_random_records_match(
        [block_on("personal_id"), block_on("name_f", "dob", "commune_code")], recall=0.7
    )
    train.estimate_u_using_random_sampling(max_pairs=1e7)
    # m from two rounds of EM whose blocks are (nearly) only the same child: the same ID number (trains every other
    # field), then the same name and date of birth (trains the ID). Blocks of whole families (date of birth and
    # commune, name and year) made EM learn "same household" instead of "same child".
    train.estimate_parameters_using_expectation_maximisation(block_on("personal_id"))
    train.estimate_parameters_using_expectation_maximisation(block_on("given_f", "family_f", "dob"))
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    relation = predictions.as_duckdbpyrelation()
    relation.select(
        "unique_id_l AS id_a, unique_id_r AS id_b, match_probability AS probability, '' AS decision"
    ).write_csv(str(out))
    return {"candidate_pairs": None}


def worker(matcher: str, data: Path, out: Path) -> None:
    started = time.perf_counter()
    details = {"treem": run_treem, "splink": run_splink}[matcher](data, out)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    details["inner_seconds"] = round(time.perf_counter() - started, 2)
    details["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 1)
    details["maxrss_mb"] = round(usage.ru_maxrss / 1024)
    print(json.dumps(details))


# --- evaluation ----------------------------------------------------------------------------------------------------


@dataclass
class Scores:
    matcher: str
    seconds: float
    cpu_seconds: float
    memory_mb: int
    linked: int
    precision: float
    recall: float
    f1: float
    twins_linked: int
    auto_merged: int | None = None
    twins_auto_merged: int | None = None
    wrong_auto_merges: int | None = None
    error: str = ""


def load_truth(path: Path) -> tuple[list[int], list[int], int]:
    entity, twin = [], []
    with path.open(encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        for row in reader:  # record ids are 0..n-1 in order
            entity.append(int(row[1]))
            twin.append(int(row[2]))
    sizes: dict[int, int] = {}
    for e in entity:
        sizes[e] = sizes.get(e, 0) + 1
    return entity, twin, sum(k * (k - 1) // 2 for k in sizes.values())


def evaluate(matcher: str, out: Path, truth: tuple[list[int], list[int], int], seconds: float, details: dict) -> Scores:
    entity, twin, true_pairs = truth
    linked = tp = twins = auto = twins_auto = wrong_auto = 0
    with out.open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for row in reader:
            if float(row["probability"]) < THRESHOLD:
                continue
            a, b = int(row["id_a"]), int(row["id_b"])
            same = entity[a] == entity[b]
            is_twin = not same and twin[a] >= 0 and twin[a] == twin[b]
            linked += 1
            tp += same
            twins += is_twin
            if row["decision"] == "merge":
                auto += 1
                twins_auto += is_twin
                wrong_auto += not same
    precision, recall = tp / max(1, linked), tp / max(1, true_pairs)
    f1 = 2 * precision * recall / max(1e-12, precision + recall)
    scores = Scores(
        matcher, seconds, details["cpu_seconds"], details["maxrss_mb"], linked, precision, recall, f1, twins
    )
    if matcher == "treem":
        scores.auto_merged, scores.twins_auto_merged, scores.wrong_auto_merges = auto, twins_auto, wrong_auto
    return scores


def run(matcher: str, data: Path, workdir: Path, truth: tuple[list[int], list[int], int]) -> Scores:
    out = workdir / f"pairs-{matcher}.csv"
    started = time.perf_counter()
    proc = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, __file__, "--worker", matcher, str(data), str(out)], capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        return Scores(matcher, seconds, 0, 0, 0, 0, 0, 0, 0, error=proc.stderr.strip().splitlines()[-1][:200])
    details = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"{matcher}: {json.dumps(details)}")
    return evaluate(matcher, out, truth, seconds, details)


def report(results: list[Scores], records: int, true_pairs: int, twin_pairs: int) -> None:
    print(f"\n{records:,} records, {true_pairs:,} true duplicate pairs, {twin_pairs:,} twin pairs; "
          f"linked = probability ≥ {THRESHOLD}\n")  # fmt: skip
    rows = [
        ("wall time (s)", lambda s: f"{s.seconds:.1f}"),
        ("CPU time (s)", lambda s: f"{s.cpu_seconds:.1f}"),
        ("peak memory (MB)", lambda s: f"{s.memory_mb:,}"),
        ("pairs linked", lambda s: f"{s.linked:,}"),
        ("precision", lambda s: f"{s.precision:.4f}"),
        ("recall", lambda s: f"{s.recall:.4f}"),
        ("F1", lambda s: f"{s.f1:.4f}"),
        ("twin pairs wrongly linked", lambda s: f"{s.twins_linked:,}"),
        ("automatic merges", lambda s: "—" if s.auto_merged is None else f"{s.auto_merged:,}"),
        ("  of which twins", lambda s: "—" if s.twins_auto_merged is None else f"{s.twins_auto_merged:,}"),
        ("  of which wrong", lambda s: "—" if s.wrong_auto_merges is None else f"{s.wrong_auto_merges:,}"),
    ]
    print(f"{'':28}" + "".join(f"{s.matcher:>14}" for s in results))
    for label, cell in rows:
        print(f"{label:28}" + "".join(f"{(cell(s) if not s.error else 'failed'):>14}" for s in results))
    for s in results:
        if s.error:
            print(f"{s.matcher} failed: {s.error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=WORKDIR)
    parser.add_argument("--only", choices=("treem", "splink"))
    parser.add_argument("--worker", nargs=3, metavar=("MATCHER", "DATA", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]), Path(args.worker[2]))
        return
    data, truth_file = generate(args.records, args.seed, args.workdir)
    truth = load_truth(truth_file)
    twin_groups: dict[int, set[int]] = {}
    for e, t in zip(truth[0], truth[1], strict=True):
        if t >= 0:
            twin_groups.setdefault(t, set()).add(e)
    twin_pairs = sum(len(v) * (len(v) - 1) // 2 for v in twin_groups.values())  # children, not records
    matchers = [args.only] if args.only else ["treem", "splink"]
    results = [run(m, data, args.workdir, truth) for m in matchers]
    report(results, len(truth[0]), truth[2], twin_pairs)


if __name__ == "__main__":
    main()
