"""The appendix tables of decision 2405/QĐ-UBND, read from the decision's own text (tests/fixtures)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

DECISION = Path(__file__).parent / "fixtures" / "QD-2405-UBND-BacNinh-2023.txt"
GRADES = ("Xuất sắc", "Tốt", "Khá", "Trung bình", "Kém")


@dataclass(frozen=True)
class PublishedRow:
    stt: int
    unit: str
    declared: tuple[str, ...]  # pillars then total, exactly as printed
    reviewed: tuple[str, ...]
    rank: int
    grade: str


@dataclass(frozen=True)
class PublishedTable:
    label: str
    pillars: tuple[str, ...]  # pillar names as printed in the header
    rows: tuple[PublishedRow, ...]
    average_declared: tuple[str, ...]
    average_reviewed: tuple[str, ...]


def published_tables() -> list[PublishedTable]:
    lines = [line.strip() for line in DECISION.read_text(encoding="utf-8").splitlines()]
    tables = []
    for start, line in enumerate(lines):
        if line != "Xếp loại" or lines[start - 5] != "STT":
            continue
        # Header: STT, Đơn vị, two stage titles, Xếp hạng, Xếp loại, then pillar names twice with Tổng điểm.
        first_total = lines.index("Tổng điểm", start)
        pillars = tuple(lines[start + 1:first_total])
        width = len(pillars) + 1
        position = first_total + width + 1
        label = lines[position]
        position += 1
        rows = []
        while lines[position] != "Điểm trung bình":
            cells = lines[position:position + 2 + 2 * width + 2]
            rows.append(PublishedRow(int(cells[0]), cells[1], tuple(cells[2:2 + width]),
                                     tuple(cells[2 + width:2 + 2 * width]), int(cells[-2]), cells[-1]))
            position += len(cells)
        averages = lines[position + 1:position + 1 + 2 * width]
        tables.append(PublishedTable(label, pillars, tuple(rows), tuple(averages[:width]), tuple(averages[width:])))
    return tables


def as_decimal(text: str) -> Decimal:
    return Decimal(text)
