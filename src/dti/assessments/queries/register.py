"""The national register of administrative units since 1 July 2025 — 34 provinces, 3,321 communes, wards and
special zones, with their official codes — as the ``vietnamadminunits`` package ships it (MIT licence), read
from its own SQLite file without its address parser."""

from __future__ import annotations

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
