"""The framework (Bộ chỉ số): groups of units, their pillars, indicators (nested), rules and grading.

Frozen dataclasses built from a parsed framework file by ``build_framework``, which refuses anything
inconsistent with a ``FrameworkError`` naming the place and the fault. The file format is documented
in docs/framework-format.md; reading the file from disk is ``dti.documents.frameworks``' job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass, replace
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

from .grading import Grading, grading_from_spec
from .i18n import t
from .points import pts_text, to_micro
from .ranking import TIE_RULES, TieRule
from .rules import Rule, SumRule, rule_from_spec
from .spec import Spec

NotApplicablePolicy = Literal["exclude", "zero", "full"]
NOT_APPLICABLE_POLICIES: tuple[NotApplicablePolicy, ...] = ("exclude", "zero", "full")


@dataclass(frozen=True)
class Indicator:
    """A component indicator (chỉ số thành phần); with children its rule is the sum of theirs."""

    code: str
    name: str
    max_points: Decimal
    rule: Rule
    children: tuple[Indicator, ...] = ()
    evidence: str = ""
    data_supplier: str = ""
    verifier: str = ""
    # What "not applicable" means for this indicator; None: a unit may not declare it not applicable.
    not_applicable: NotApplicablePolicy | None = None
    note: str = ""

    @property
    def max_micro(self) -> int:
        return to_micro(self.max_points)

    def walk(self) -> Iterator[Indicator]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Pillar:
    """A main index (chỉ số chính) of a group."""

    code: str
    name: str
    max_points: Decimal
    indicators: tuple[Indicator, ...]
    inferred: str | None = None  # why the maximum is inferred, when no source publishes it
    scored: bool = True  # False for a pillar with max 0 that is reported but not scored (Đô thị thông minh)

    @property
    def bonus_cap(self) -> Decimal:
        """How far bonus points can lift the pillar above its maximum."""
        return sum((i.max_points for top in self.indicators for i in top.walk()
                    if i.rule.kind == "bonus"), Decimal(0))

    def walk(self) -> Iterator[Indicator]:
        for indicator in self.indicators:
            yield from indicator.walk()

    def leaves(self) -> tuple[Indicator, ...]:
        """The indicators that take values (those without sub-indicators), in the framework's order."""
        return tuple(indicator for indicator in self.walk() if not indicator.children)


@dataclass(frozen=True)
class Composite:
    """A named sum of pillars with its own maximum (Chính quyền số = foundation + activity, over 700)."""

    code: str
    name: str
    pillars: tuple[str, ...]
    max_points: Decimal


@dataclass(frozen=True)
class Group:
    """A group of units (khối) ranked together under the same pillars."""

    code: str
    name: str
    pillars: tuple[Pillar, ...]
    grading: Grading | None  # None: ranked but not graded (the national DTI)
    tie_rule: TieRule = "competition"
    composites: tuple[Composite, ...] = ()

    @property
    def max_points(self) -> Decimal:
        return sum((p.max_points for p in self.pillars), Decimal(0))

    def pillar(self, code: str) -> Pillar:
        for pillar in self.pillars:
            if pillar.code == code:
                return pillar
        raise KeyError(code)

    def indicators(self) -> Iterator[tuple[Pillar, Indicator]]:
        for pillar in self.pillars:
            for indicator in pillar.walk():
                yield pillar, indicator

    def leaves(self) -> tuple[Indicator, ...]:
        """The indicators that take values, of every pillar, in the framework's order."""
        return tuple(indicator for pillar in self.pillars for indicator in pillar.leaves())


@dataclass(frozen=True)
class Framework:
    code: str
    name: str
    source: str  # the decision that issued it
    groups: tuple[Group, ...]
    year: int | None = None
    notes: tuple[str, ...] = field(default=())
    # The framework's own English: (Vietnamese text, English text) for any name, grade or label it holds. One
    # glossary rather than a name_en per item: a pillar's or a grade's name recurs in every group and in every
    # sentence that cites it, and is translated once.
    english: tuple[tuple[str, str], ...] = ()

    @cached_property
    def glossary(self) -> dict[str, str]:
        """Vietnamese text → English, as the framework file gives it."""
        return dict(self.english)

    @cached_property
    def texts(self) -> frozenset[str]:
        """Every text of the framework a reader meets in words: names, grades, labels, units, notes."""
        return frozenset(_texts_in(self))

    def group(self, code: str) -> Group:
        for group in self.groups:
            if group.code == code:
                return group
        raise KeyError(code)


# Fields that hold identifiers, choices of the format or formulas, never words a reader meets.
_IDENTIFIERS = {"code", "kind", "expression", "basis", "when_zero", "above_denominator", "rounding", "ties",
                "tie_rule", "not_applicable", "english"}


def _texts_in(item: Any) -> Iterator[str]:
    if isinstance(item, str):
        if item.strip():
            yield item.strip()
    elif isinstance(item, tuple | list):
        for value in item:
            yield from _texts_in(value)
    elif is_dataclass(item) and not isinstance(item, type):
        for one in fields(item):
            if one.name not in _IDENTIFIERS and not (isinstance(item, Composite) and one.name == "pillars"):
                yield from _texts_in(getattr(item, one.name))


# A framework's code names its files and addresses (bacninh-2023-v1.xlsx): a slug, nothing a header can carry.
CODE = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")


def build_framework(data: Any, source: str) -> Framework:
    """The framework described by ``data`` (a parsed framework file); ``source`` names it in errors."""
    spec = Spec(data, source)
    spec.unknown_keys({"code", "name", "source", "year", "notes", "groups", "english"})
    groups = tuple(_group(item) for item in spec.items("groups"))
    _check_unique_codes(spec, [g.code for g in groups], t("khối"))
    notes = spec.mapping().get("notes") or []
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise spec.error(t("'notes' phải là danh sách các câu ghi chú"))
    year = spec.mapping().get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise spec.error(t("'year' phải là số năm, gặp {year}", year=repr(year)))
    code = spec.text("code")
    if not CODE.fullmatch(code):
        raise spec.error(t("'code' chỉ gồm chữ thường không dấu, chữ số, '-', '_' và '.', tối đa 100 ký tự "
                           "(ví dụ bacninh-2023); gặp {code}", code=repr(code)))
    framework = Framework(code, spec.text("name"), spec.text("source"), groups, year, tuple(notes))
    return replace(framework, english=_english(spec, framework.texts)) if spec.has("english") else framework


def _english(spec: Spec, known: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """The glossary ``english: {Vietnamese text: English text}``; each entry must translate a text the framework
    holds, so that a misspelt name is refused rather than silently left in Vietnamese."""
    glossary = spec.child("english")
    entries = glossary.mapping()
    pairs = []
    for vietnamese, english in entries.items():
        if not isinstance(vietnamese, str) or not isinstance(english, str) or not english.strip():
            raise glossary.error(t("mỗi dòng là 'tên tiếng Việt: tên tiếng Anh'; gặp {value}",
                                   value=repr({vietnamese: english})))
        if vietnamese.strip() not in known:
            raise glossary.error(t("'{text}' không có trong bộ chỉ số (tên, xếp loại hay nhãn nào cũng không)",
                                   text=vietnamese))
        pairs.append((vietnamese.strip(), english.strip()))
    return tuple(pairs)


def _group(spec: Spec) -> Group:
    spec.unknown_keys({"code", "name", "pillars", "grading", "tie_rule", "composites"})
    pillars = tuple(_pillar(item) for item in spec.items("pillars"))
    _check_unique_codes(spec, [p.code for p in pillars], t("chỉ số chính"))
    _check_unique_codes(spec, [i.code for p in pillars for i in p.walk()], t("chỉ số thành phần"))
    composites = tuple(_composite(item, pillars) for item in spec.items("composites", required=False))
    _check_unique_codes(spec, [p.code for p in pillars] + [c.code for c in composites], t("chỉ số chính/tổng hợp"))
    grading = grading_from_spec(spec.child("grading")) if spec.has("grading") else None
    return Group(spec.text("code"), spec.text("name"), pillars, grading,
                 spec.choice("tie_rule", TIE_RULES, "competition"), composites)


def _pillar(spec: Spec) -> Pillar:
    spec.unknown_keys({"code", "name", "max_points", "indicators", "inferred"})
    max_points = spec.decimal("max_points")
    _check_micro(spec, max_points)
    if max_points == 0:
        if spec.has("indicators"):
            raise spec.error(t("chỉ số chính có điểm tối đa 0 (không tính điểm) không có chỉ số thành phần chấm điểm"))
        return Pillar(spec.text("code"), spec.text("name"), max_points, (), spec.text("inferred", None), False)
    indicators = tuple(_indicator(item) for item in spec.items("indicators"))
    _check_children_add_up(spec, max_points, indicators, t("chỉ số chính"))
    return Pillar(spec.text("code"), spec.text("name"), max_points, indicators, spec.text("inferred", None))


def _indicator(spec: Spec) -> Indicator:
    spec.unknown_keys({"code", "name", "max_points", "rule", "indicators", "evidence", "data_supplier",
                       "verifier", "not_applicable", "note"})
    max_points = spec.decimal("max_points")
    _check_micro(spec, max_points)
    children = tuple(_indicator(item) for item in spec.items("indicators", required=False))
    if children:
        rule = rule_from_spec(spec.child("rule"), max_points) if spec.has("rule") else SumRule()
        if rule.kind != "sum":
            raise spec.error(t("chỉ số có chỉ số con phải dùng quy tắc 'sum', không phải '{kind}'", kind=rule.kind))
        _check_children_add_up(spec, max_points, children, t("chỉ số"))
    else:
        rule = rule_from_spec(spec.child("rule"), max_points)
        if rule.kind == "sum":
            raise spec.error(t("quy tắc 'sum' cần các chỉ số con trong 'indicators'"))
    policy = spec.choice("not_applicable", NOT_APPLICABLE_POLICIES, None)
    if getattr(rule, "when_zero", None) == "not_applicable" and policy is None:
        raise spec.error(t("quy tắc coi b = 0 là 'không áp dụng' nhưng chỉ số chưa khai báo 'not_applicable'"))
    if policy is not None and not rule.counts_toward_max:
        raise spec.error(t("điểm thưởng/điểm trừ không có chế độ 'không áp dụng': để trống là 0 điểm"))
    return Indicator(spec.text("code"), spec.text("name"), max_points, rule, children,
                     spec.text("evidence", ""), spec.text("data_supplier", ""), spec.text("verifier", ""),
                     policy, spec.text("note", ""))


def _composite(spec: Spec, pillars: tuple[Pillar, ...]) -> Composite:
    spec.unknown_keys({"code", "name", "pillars", "max_points"})
    names = spec.mapping().get("pillars")
    if not isinstance(names, list) or not names:
        raise spec.error(t("'pillars' phải là danh sách mã chỉ số chính"))
    known = {p.code for p in pillars}
    for name in names:
        if name not in known:
            raise spec.error(t("chỉ số chính '{name}' không có trong khối (có: {value})",
                               name=name, value=', '.join(sorted(known))))
    max_points = spec.decimal("max_points")
    if max_points <= 0:
        raise spec.error(t("'max_points' của chỉ số tổng hợp phải lớn hơn 0"))
    return Composite(spec.text("code"), spec.text("name"), tuple(str(n) for n in names), max_points)


def _check_children_add_up(spec: Spec, max_points: Decimal, children: tuple[Indicator, ...], what: str):
    total = sum((c.max_points for c in children if c.rule.counts_toward_max), Decimal(0))
    if total != max_points:
        listing = " + ".join(f"{c.code} ({pts_text(c.max_points)})" for c in children if c.rule.counts_toward_max)
        raise spec.error(t("điểm tối đa của các chỉ số con cộng lại {value} ({listing}), "
                           "khác điểm tối đa {value2} của {what}",
                           value=pts_text(total), listing=listing, value2=pts_text(max_points), what=what))


def _check_unique_codes(spec: Spec, codes: list[str], what: str) -> None:
    seen = set()
    for code in codes:
        if code in seen:
            raise spec.error(t("mã {what} '{code}' trùng lặp", what=what, code=code))
        seen.add(code)


def _check_micro(spec: Spec, value: Decimal) -> None:
    try:
        to_micro(value)
    except ValueError as exc:
        raise spec.error(f"'max_points' {exc}") from None
