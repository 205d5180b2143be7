"""Benchmark: Monte Carlo rank intervals for a national-scale commune group — 3,321 units, 60 leaf indicators of
every rule kind — with 10,000 samples over reviewer tolerance and pillar weights. Prints the median of several runs.

    python bench/analysis.py [--runs 3] [--samples 10000] [--workers N]

Target: under 10 s (see BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np

from dti.engine import UnitEntry, score_group
from dti.engine.items import assessed_items
from dti.engine.uncertainty import UncertaintySettings, rank_uncertainty
from engine import synthetic_framework, synthetic_inputs  # bench/engine.py: the same synthetic period

TARGET_SECONDS = 10


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    framework = synthetic_framework()
    group = framework.group("xa")
    rng = np.random.default_rng(2023)
    n = 3321
    units = tuple(UnitEntry(f"Xã {i + 1}") for i in range(n))
    result = score_group(group, units, synthetic_inputs(group, n, rng), synthetic_inputs(group, n, rng))
    items = len(assessed_items(result).codes)
    settings = UncertaintySettings(samples=args.samples, seed=2023)
    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        uncertainty = rank_uncertainty(result, settings, workers=args.workers)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    width = uncertainty.high - uncertainty.low
    print(f"units: {n}; assessed items per unit: {items}; samples: {args.samples}; "
          f"tolerance ±{settings.tolerance:%} of max, weights ±{settings.weight_tolerance:%}; "
          f"workers: {args.workers or min(4, os.cpu_count() or 1)}")
    print(f"rank intervals — median of {args.runs}: {median:.2f} s (min {min(timings):.2f}, max {max(timings):.2f}); "
          f"target < {TARGET_SECONDS} s")
    print(f"check: median 5–95% interval width {statistics.median(width.tolist()):.0f} ranks; "
          f"unit ranked 1 has interval {uncertainty.interval(int(np.flatnonzero(np.array(result.ranks) == 1)[0]))}")
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
