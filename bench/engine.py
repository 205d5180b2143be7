"""Benchmark: score a synthetic national-scale period — 34 provinces and 3,321 communes, 60 indicators each,
every rule kind mixed — declared and reviewed, then rank and grade. Prints the median of several runs.

    python bench/engine.py [--runs 7] [--profile]

Target: under 0.5 s for score + rank + grade of both groups (see BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from decimal import Decimal

import numpy as np

from dti.engine import StageInputs, UnitEntry, build_framework, score_group

GRADING = {"kind": "quota", "grades": [
    {"grade": "Xuất sắc", "share": 15}, {"grade": "Tốt", "share": 20}, {"grade": "Khá", "share": 20},
    {"grade": "Trung bình", "share": 30, "remainder": True}, {"grade": "Kém", "share": 15}]}

# Twelve leaf kinds, cycled over the 60 indicators; every sixth slot is a sum of two sub-indicators.
KINDS = [
    ("steps", {"steps": [{"at_least": 4, "points": 20}, {"at_least": 2, "points": 10}, {"at_least": 1, "points": 5}]}),
    ("ratio", {"when_zero": "zero", "above_denominator": "cap"}),
    ("relative_to_best", {}),
    ("count", {"points_each": 4}),
    ("yes_no", {}),
    ("choice", {"options": [{"code": "a", "label": "A", "points": 20}, {"code": "b", "label": "B", "points": 10},
                            {"code": "c", "label": "C", "points": 0}]}),
    ("parts", {"parts": [{"code": "p1", "label": "P1", "points": 10}, {"code": "p2", "label": "P2", "points": 10}]}),
    ("highest_case", {"cases": [{"code": "c1", "label": "C1", "points": 20},
                                {"code": "c2", "label": "C2", "points": 8}]}),
    ("direct", {}),
    ("formula", {"expression": "min(x / y, 1) * 20", "inputs": {"x": "X", "y": "Y"}}),
    ("bonus", {"points_each": 1}),
    ("penalty", {}),
]


def synthetic_framework():
    pillars = []
    code = 0
    for p in range(6):
        indicators = []
        for slot in range(9):
            code += 1
            kind, params = KINDS[code % len(KINDS)]
            if slot == 5:  # a nested indicator: the sum of two leaves
                children = [{"code": f"{code}.{c}", "name": f"{code}.{c}", "max_points": 10, "rule": {"kind": "direct"}}
                            for c in (1, 2)]
                indicators.append({"code": str(code), "name": str(code), "max_points": 20, "indicators": children})
                continue
            max_points = 5 if kind in ("bonus", "penalty") else 20
            indicator = {"code": str(code), "name": str(code), "max_points": max_points,
                         "rule": {"kind": kind, **params}}
            if kind == "steps":
                indicator["not_applicable"] = "exclude"
            indicators.append(indicator)
        regular = sum(20 for i in indicators if i.get("rule", {}).get("kind") not in ("bonus", "penalty"))
        pillars.append({"code": f"P{p}", "name": f"Trụ cột {p}", "max_points": regular, "indicators": indicators})
    group = {"grading": GRADING, "pillars": pillars}
    return build_framework({"code": "bench", "name": "bench", "source": "bench", "groups": [
        {"code": "tinh", "name": "Tỉnh", **group}, {"code": "xa", "name": "Xã", **group}]}, "bench")


def synthetic_inputs(group, n: int, rng: np.random.Generator) -> StageInputs:
    values, not_applicable = {}, {}
    for _, indicator in group.indicators():
        if indicator.children:
            continue
        columns = {}
        for spec in indicator.rule.inputs(indicator.max_points):
            if spec.kind == "boolean":
                columns[spec.name] = rng.random(n) < 0.6
            elif spec.kind == "choice":
                columns[spec.name] = rng.choice(np.array(spec.choices, dtype=object), n)
            elif spec.kind == "points":
                columns[spec.name] = rng.integers(0, int(spec.maximum) + 1, n)
            else:
                columns[spec.name] = rng.integers(0, 12, n)
        if indicator.rule.kind in ("ratio", "formula"):
            denominator = "b" if indicator.rule.kind == "ratio" else "y"
            columns[denominator] = columns[denominator] + 1  # b = 0 has its own test; keep the bench on the main path
        values[indicator.code] = columns
        if indicator.not_applicable:
            not_applicable[indicator.code] = list(rng.random(n) < 0.05)
    return StageInputs(values=values, not_applicable=not_applicable)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    framework = synthetic_framework()
    rng = np.random.default_rng(2023)
    sizes = {"tinh": 34, "xa": 3321}
    data = {}
    for group in framework.groups:
        n = sizes[group.code]
        units = tuple(UnitEntry(f"{group.name} {i + 1}") for i in range(n))
        data[group.code] = (group, units, synthetic_inputs(group, n, rng), synthetic_inputs(group, n, rng))
    leaves = sum(1 for _, i in framework.groups[0].indicators() if not i.children)
    kinds = sorted({i.rule.kind for _, i in framework.groups[0].indicators()})

    def run():
        return [score_group(*data[code]) for code in sizes]

    run()  # warm-up: imports, caches
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        run()
        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(25)
        print(stream.getvalue())
    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        results = run()
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    xa = results[1]
    print(f"units: {sum(sizes.values())} (34 provinces + 3,321 communes); indicators per unit: {leaves} leaves "
          f"+ 6 sums; rule kinds: {', '.join(kinds)}")
    print(f"score declared + reviewed, rank, grade — median of {args.runs}: {median:.3f} s "
          f"(min {min(timings):.3f}, max {max(timings):.3f}); target < 0.5 s")
    print(f"check: commune rank 1 total {max(Decimal(int(t)) for t in xa.reviewed.totals) / 10**6} points")
    return 0 if median < 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
