"""Benchmark: the documents of a period. So far the appendix XLSX — of the Bắc Ninh 2023 period, and of a
synthetic 3,321-unit commune group — with the medians of several runs.

    python bench/documents.py [--runs 5]

Targets (BENCHMARKS.md): all documents of the Bắc Ninh period under 3 s; the appendix XLSX of a 3,321-unit
group under 15 s. The decision (DOCX, PDF) and the unit reports are not written yet.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

from dti.documents.appendix import appendix_table
from dti.documents.appendix_xlsx import write_appendix_xlsx
from dti.documents.frameworks import load_framework
from dti.documents.results import load_results
from dti.engine import StageInputs, UnitEntry, score_framework, score_group

ROOT = Path(__file__).resolve().parent.parent


def median_seconds(function, runs: int) -> tuple[float, float, float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), min(timings), max(timings)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    framework = load_framework(ROOT / "frameworks" / "bacninh-2023.yaml")
    results = load_results(ROOT / "data" / "bacninh-2023.csv", framework)
    folder = Path(tempfile.mkdtemp())

    def bacninh():
        scored = score_framework(framework, results.groups)
        write_appendix_xlsx([appendix_table(g) for g in scored.groups], folder / "bacninh.xlsx")

    districts = framework.group("huyen")
    n = 3321
    rng = np.random.default_rng(2023)
    pillar_points = {p.code: [Decimal(int(v)) / 100 for v in rng.integers(0, int(p.max_points) * 100, n)]
                     for p in districts.pillars}
    stage = StageInputs(pillar_points=pillar_points)
    units = tuple(UnitEntry(f"UBND xã {i + 1}") for i in range(n))
    communes = score_group(districts, units, stage, stage)

    def large():
        write_appendix_xlsx([appendix_table(communes)], folder / "communes.xlsx")

    rows = [("Bắc Ninh 2023: score + appendix XLSX (2 groups, 25 units)", *median_seconds(bacninh, args.runs), 3.0),
            (f"appendix XLSX of one {n}-unit group", *median_seconds(large, args.runs), 15.0)]
    print(f"{'measure':<58} {'median':>8} {'min':>8} {'max':>8} {'target':>8}")
    for name, median, low, high, target in rows:
        print(f"{name:<58} {median:>7.3f}s {low:>7.3f}s {high:>7.3f}s {target:>7.1f}s")
    return 0 if all(median < target for _, median, _, _, target in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
