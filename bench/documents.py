"""Benchmark: the documents of a period, with the medians of several runs.

    python bench/documents.py [--runs 5]

Targets (BENCHMARKS.md): all documents of the Bắc Ninh 2023 period — scoring, the decision (PDF, DOCX), the
appendices (PDF, DOCX, XLSX), open data and the 25 unit reports (PDF, DOCX) — under 3 s; the appendix XLSX of a
3,321-unit group under 15 s. The parts are timed one by one as well, to show where the time goes.
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

from dti.documents.appendix import Appendix, appendix_table
from dti.documents.appendix_xlsx import write_appendix_xlsx
from dti.documents.decision import build_decision, load_decision_settings
from dti.documents.decision_docx import decision_docx
from dti.documents.frameworks import load_framework
from dti.documents.period_documents import all_unit_reports, decision_pdfs, write_period_documents
from dti.documents.results import load_results
from dti.documents.unit_report_files import unit_report_docx, unit_reports_pdf
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
    settings = load_decision_settings(ROOT / "data" / "bacninh-2023-decision.yaml")
    folder = Path(tempfile.mkdtemp())
    scored = score_framework(framework, results.groups)
    decision = build_decision(settings, scored)
    reports = all_unit_reports(scored, period="Kỳ đánh giá năm 2023")

    def bacninh():
        write_period_documents(score_framework(framework, results.groups), settings, folder / "bacninh",
                               period="Kỳ đánh giá năm 2023")

    districts = framework.group("huyen")
    n = 3321
    rng = np.random.default_rng(2023)
    pillar_points = {p.code: [Decimal(int(v)) / 100 for v in rng.integers(0, int(p.max_points) * 100, n)]
                     for p in districts.pillars}
    stage = StageInputs(pillar_points=pillar_points)
    units = tuple(UnitEntry(f"UBND xã {i + 1}") for i in range(n))
    communes = score_group(districts, units, stage, stage)

    def large():
        write_appendix_xlsx([Appendix("PHỤ LỤC I", "", "", appendix_table(communes))], folder / "communes.xlsx")

    decision_pdfs(decision)  # load the fonts once, as a running server has them
    rows = [("Bắc Ninh 2023: every document (58 files, 25 unit reports)", *median_seconds(bacninh, args.runs), 3.0),
            (f"appendix XLSX of one {n}-unit group", *median_seconds(large, args.runs), 15.0)]
    def period_only():
        write_period_documents(score_framework(framework, results.groups), settings, folder / "period-only",
                               period="Kỳ đánh giá năm 2023", unit_reports=False)

    parts = [("  the same without the unit reports (8 files)", period_only),
             ("  decision + appendices PDF (one layout)", lambda: decision_pdfs(decision)),
             ("  decision DOCX", lambda: decision_docx(settings, decision.appendices)),
             ("  appendix XLSX", lambda: write_appendix_xlsx(decision.appendices, folder / "phu-luc.xlsx")),
             ("  25 unit reports PDF, one process", lambda: unit_reports_pdf(reports)),
             ("  25 unit reports DOCX, one process", lambda: [unit_report_docx(r) for r in reports])]
    rows += [(name, *median_seconds(function, args.runs), None) for name, function in parts]
    print(f"{'measure':<58} {'median':>8} {'min':>8} {'max':>8} {'target':>8}")
    for name, median, low, high, target in rows:
        goal = "" if target is None else f"{target:>7.1f}s"
        print(f"{name:<58} {median:>7.3f}s {low:>7.3f}s {high:>7.3f}s {goal:>8}")
    return 0 if all(target is None or median < target for _, median, _, _, target in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
