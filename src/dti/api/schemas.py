"""Shapes of the read-only API. Numbers are exact decimal strings, as in docs/score-json.md: parse them with a
decimal type and round half up for display."""

from __future__ import annotations

from ninja import Schema


class NotFound(Schema):
    detail: str


class Framework(Schema):
    id: int
    code: str
    version: int
    name: str
    source: str
    year: int | None
    sha256: str


class Indicator(Schema):
    code: str
    name: str
    max_points: str
    rule: str  # the scoring rule in words
    evidence: str
    data_supplier: str
    verifier: str
    children: list[Indicator]


class Pillar(Schema):
    code: str
    name: str
    max_points: str
    scored: bool
    indicators: list[Indicator]


class FrameworkGroup(Schema):
    code: str
    name: str
    max_points: str
    grading: str | None  # the grading rule in words
    tie_rule: str
    pillars: list[Pillar]


class FrameworkDetail(Framework):
    notes: list[str]
    groups: list[FrameworkGroup]


class Period(Schema):
    id: int
    year: int
    name: str
    framework: Framework
    published_at: str  # ISO 8601
    snapshot_sha256: str


class PeriodGroup(Schema):
    code: str
    name: str
    units: int


class PeriodDetail(Period):
    groups: list[PeriodGroup]
    downloads: dict[str, str]  # file name → URL


class CompositeValue(Schema):
    points: str
    index: str


class StageResult(Schema):
    pillars: dict[str, str]
    pillar_index: dict[str, str | None]
    total: str
    index: str
    composites: dict[str, CompositeValue]


class UnitResult(Schema):
    unit_id: int | None
    name: str
    ranked: bool
    declared: StageResult
    reviewed: StageResult
    rank: int | None
    grade: str | None


class PillarInfo(Schema):
    code: str
    name: str
    max_points: str


class CompositeInfo(Schema):
    code: str
    name: str
    pillars: list[str]
    max_points: str


class GroupResult(Schema):
    code: str
    name: str
    max_points: str
    pillars: list[PillarInfo]
    composites: list[CompositeInfo]
    grading: str | None
    tie_rule: str
    units: list[UnitResult]
    ranked_units: int
    average: dict[str, StageResult | None]
    notes: list[str]


class Unit(Schema):
    id: int
    name: str
    group_code: str


class UnitPeriodResult(Schema):
    period_id: int
    year: int
    period: str
    group_code: str
    group: str
    ranked: bool
    declared_total: str
    reviewed_total: str
    rank: int | None
    ranked_units: int
    grade: str | None
    report_pdf: str  # URL of the unit's report


class UnitDetail(Unit):
    results: list[UnitPeriodResult]
