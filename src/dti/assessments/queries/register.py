"""The national register of administrative units since 1 July 2025 — 34 provinces, 3,321 communes, wards and
special zones, with their official codes — as the ``vietnamadminunits`` package ships it (MIT licence), read
from its own SQLite file without its address parser."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class RegisterUnit:
    code: str  # five digits, e.g. "07210"
    name: str  # "Phường Bắc Giang"
    kind: str  # "Phường", "Xã" or "Đặc khu"


def _rows(sql: str, *parameters) -> list[tuple]:
    with resources.as_file(resources.files("vietnamadminunits") / "data" / "dataset.db") as path:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return connection.execute(sql, parameters).fetchall()
        finally:
            connection.close()


@cache
def provinces() -> tuple[tuple[str, str], ...]:
    """(code, name) of the 34 provinces and centrally-run cities, by name."""
    return tuple(sorted(_rows("SELECT DISTINCT provinceCode, province FROM admin_units"), key=lambda r: r[1]))


@cache
def communes(province_code: str) -> tuple[RegisterUnit, ...]:
    """The communes, wards and special zones of one province, by code."""
    return tuple(RegisterUnit(code, name, kind) for code, name, kind in _rows(
        "SELECT wardCode, ward, wardType FROM admin_units WHERE provinceCode = ? ORDER BY wardCode", province_code))


@dataclass(frozen=True)
class FormerUnit:
    """A commune or ward before 1 July 2025, with its district and province of then."""

    ward: str  # "Phường Thọ Xương"
    district: str  # "Thành phố Bắc Giang"
    province: str  # "Tỉnh Bắc Giang"
    whole: bool  # all of it went into the new unit (False: it was divided among several)


@cache
def _conversion() -> dict:
    with resources.files("vietnamadminunits").joinpath("data", "converter_2025.json").open(encoding="utf-8") as f:
        return json.load(f)


@cache
def _legacy_names() -> dict[str, tuple[str, str, str]]:
    """"province_district_ward" key of the 63-province register → (ward, district, province)."""
    return {f"{p}_{d}_{w}": (ward, district, province) for p, d, w, ward, district, province in _rows(
        "SELECT provinceKey, districtKey, wardKey, ward, district, province FROM admin_units_legacy")}


def former_units(ward_code: str) -> list[FormerUnit]:
    """The communes and wards a commune or ward of today was formed from in the 2025 reorganisation, by the
    register's official conversion; [] for a code the register does not hold."""
    found = _rows("SELECT provinceKey, wardKey FROM admin_units WHERE wardCode = ?", ward_code)
    if not found:
        return []
    province_key, ward_key = found[0]
    conversion, names = _conversion(), _legacy_names()
    whole = conversion["DICT_PROVINCE_WARD_NO_DIVIDED"].get(province_key, {}).get(ward_key, [])
    divided = [old for old, new in conversion["DICT_PROVINCE_WARD_DIVIDED"].get(province_key, {}).items()
               if any(n.get("newWardKey") == ward_key for n in new)]
    return [FormerUnit(*names[old], whole=old in whole) for old in [*whole, *divided] if old in names]


@cache
def _locations() -> dict[str, tuple[float, float]]:
    """Official code → (latitude, longitude), as the register package gives them: a point for each commune, ward
    and special zone of today (five digits) and for each district before 1 July 2025 (three digits)."""
    found = {code: (lat, lon) for code, lat, lon in _rows("SELECT wardCode, wardLat, wardLon FROM admin_units")
             if lat is not None and lon is not None}
    for code, lat, lon in _rows("SELECT DISTINCT districtCode, districtLat, districtLon FROM admin_units_legacy"):
        if lat is not None and lon is not None:
            found.setdefault(code, (lat, lon))
    return found


def location(official_code: str) -> tuple[float, float] | None:
    """Where the register places a unit (latitude, longitude); None for a code it does not hold."""
    return _locations().get(official_code)


def unit_places(period, group_code: str) -> dict[int, tuple[float, float]]:
    """Participation → the point the register gives for its unit's official code, for one group of a period
    (one query, whatever the number of units)."""
    codes = period.participations.filter(group__code=group_code).exclude(unit__official_code="").values_list(
        "pk", "unit__official_code")
    return {pk: place for pk, code in codes if (place := location(code)) is not None}
