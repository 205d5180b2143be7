"""The results decision (Quyết định) and what it says beyond the tables: issuer, number, date, legal bases,
articles, recipients and signer, in the layout of Decree 30/2020/NĐ-CP.

``DecisionSettings`` holds a period's settings; the web application keeps them per period, and the command line
reads them from a YAML file (``data/bacninh-2023-decision.yaml`` is the seed's). Without settings a decision is
a draft: blank number and date, as a draft is before it is signed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from dti.engine import DtiError, Framework, FrameworkResult
from dti.engine.i18n import t

from .appendix import Appendix, appendix_heading, appendix_table
from .bounded_yaml import load_yaml

MAX_SETTINGS_BYTES = 200_000


class DecisionSettingsError(DtiError):
    """A decision settings file that cannot be used: names the file, the key and the fault."""

    def __init__(self, source: str, place: str, fault: str):
        self.source, self.place, self.fault = source, place, fault
        super().__init__(f"{source}, {place}: {fault}" if place else f"{source}: {fault}")


@dataclass(frozen=True)
class DecisionSettings:
    issuer_parent: str = "ỦY BAN NHÂN DÂN"  # first line of the issuing body, left of the header
    issuer: str = "TỈNH …"  # second line, bold
    number: str = ""  # "2405/QĐ-UBND"; blank until the decision is numbered
    place: str = ""  # "Bắc Ninh", before the date
    signed_on: datetime.date | None = None
    title: str = "Về việc phê duyệt kết quả đánh giá chỉ số chuyển đổi số"
    authority: str = "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"  # who decides, above the legal bases
    legal_bases: tuple[str, ...] = ()
    articles: tuple[tuple[str, ...], ...] = ()  # each article's paragraphs; "Điều N." is added
    recipients: tuple[str, ...] = ("Như Điều 3;", "Lưu: VT.")
    signing_capacity: tuple[str, ...] = ("CHỦ TỊCH",)  # "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"
    signer: str = ""
    issued_by: str = "Chủ tịch UBND tỉnh"  # in the appendix line "(Ban hành kèm theo Quyết định số … của …)"
    appendix_titles: dict[str, str] = field(default_factory=dict)  # group code → title of its appendix

    @property
    def printed_number(self) -> str:
        """The number, or the blank an unnumbered draft leaves for it."""
        return self.number or "      /QĐ-UBND"

    @property
    def number_line(self) -> str:
        return f"Số: {self.printed_number}"

    @property
    def date_line(self) -> str:
        place = f"{self.place}, " if self.place else ""
        if self.signed_on is None:
            return f"{place}ngày      tháng      năm"
        day = self.signed_on
        return f"{place}ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"

    @property
    def appendix_note(self) -> str:
        date = self.signed_on.strftime("%d/%m/%Y") if self.signed_on else "     /     /"
        return f"(Ban hành kèm theo Quyết định số {self.printed_number} ngày {date} của {self.issued_by})"


def decision_reference(settings: DecisionSettings) -> str:
    """How other documents cite the decision: "Quyết định số 2405/QĐ-UBND ngày 26/12/2023 của Chủ tịch UBND
    tỉnh"; blank while it has no number."""
    if not settings.number:
        return ""
    date = f" ngày {settings.signed_on:%d/%m/%Y}" if settings.signed_on else ""
    by = f" của {settings.issued_by}" if settings.issued_by else ""
    return f"Quyết định số {settings.number}{date}{by}"


_SITE = re.compile(r"https?://[^\s,;()]+")


def sites_named(settings: DecisionSettings) -> list[str]:
    """The web sites a decision's articles name (where it makes the results public), in the order named."""
    text = " ".join(paragraph for article in settings.articles for paragraph in article)
    return list(dict.fromkeys(site.rstrip(".") for site in _SITE.findall(text)))


def draft_settings(framework: Framework, year: int | None = None) -> DecisionSettings:
    """What a decision says when no settings were given: the framework's own facts and the usual articles."""
    year = year or framework.year
    in_year = f" năm {year}" if year else ""
    groups = ", ".join(g.name for g in framework.groups)
    return DecisionSettings(
        title=f"Về việc phê duyệt kết quả đánh giá chỉ số chuyển đổi số{in_year}",
        legal_bases=tuple(b for b in (f"Căn cứ {framework.source};" if framework.source else "",) if b),
        articles=((f"Phê duyệt kết quả đánh giá chỉ số chuyển đổi số{in_year} ({groups}).",
                   "(Chi tiết tại phụ lục kèm theo)"),
                  ("Giao Sở Thông tin và Truyền thông tổ chức công bố kết quả đánh giá, xếp hạng.",),
                  ("Quyết định này có hiệu lực kể từ ngày ký.",)))


@dataclass(frozen=True)
class Decision:
    """A decision ready to write: its settings and one appendix table per group, with their titles."""

    settings: DecisionSettings
    appendices: tuple[Appendix, ...]


def build_decision(settings: DecisionSettings, scored: FrameworkResult, *, year: int | None = None) -> Decision:
    """``year``: the year assessed (the period's), which the appendix titles name; without it, the framework's.
    Never the signing date's: a decision on 2025's results may well be signed in 2026."""
    appendices = []
    year = year or scored.framework.year
    for position, group in enumerate(scored.groups):
        code = group.group.code
        title = settings.appendix_titles.get(code) or (
            f"KẾT QUẢ XẾP HẠNG CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ: {group.group.name.upper()}"
            + (f" NĂM {year}" if year else ""))
        appendices.append(Appendix(appendix_heading(position), title, settings.appendix_note, appendix_table(group)))
    return Decision(settings, tuple(appendices))


# --- the settings file ------------------------------------------------------------------------------------------

_TEXT_KEYS = ("issuer_parent", "issuer", "number", "place", "title", "authority", "signer", "issued_by")
_LIST_KEYS = ("legal_bases", "recipients", "signing_capacity")


def load_decision_settings(path: str | Path) -> DecisionSettings:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_SETTINGS_BYTES:
            raise DecisionSettingsError(path.name, "", t("tệp quá lớn"))
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DecisionSettingsError(str(path), "", t("không đọc được tệp: {value}", value=exc.strerror or exc)) \
            from None
    except UnicodeDecodeError:
        raise DecisionSettingsError(path.name, "", t("tệp không phải văn bản UTF-8")) from None
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise DecisionSettingsError(path.name, "", t("YAML không hợp lệ: {problem}",
                                                     problem=getattr(exc, "problem", None) or exc)) from None
    return settings_from_mapping(data, path.name)


def settings_from_mapping(data, source: str) -> DecisionSettings:
    """Settings from parsed YAML (or the web form's stored JSON); every fault names its key."""
    if not isinstance(data, dict):
        raise DecisionSettingsError(source, "", t("cần một bảng khóa: giá trị"))
    known = {*_TEXT_KEYS, *_LIST_KEYS, "signed_on", "articles", "appendix_titles"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise DecisionSettingsError(source, unknown[0], t("khóa không được hỗ trợ; các khóa hợp lệ: {keys}",
                                                          keys=", ".join(sorted(known))))
    values: dict = {}
    for key in _TEXT_KEYS:
        if key in data:
            if not isinstance(data[key], str | int):
                raise DecisionSettingsError(source, key, t("cần một đoạn văn bản"))
            values[key] = str(data[key]).strip()
    for key in _LIST_KEYS:
        if key in data:
            values[key] = _lines(data[key], source, key)
    if data.get("signed_on") not in (None, ""):
        values["signed_on"] = _date(data["signed_on"], source)
    if "articles" in data:
        articles = data["articles"]
        if not isinstance(articles, list) or not articles:
            raise DecisionSettingsError(source, "articles", t("cần một danh sách các điều"))
        values["articles"] = tuple(_lines(a if isinstance(a, list) else [a], source, f"articles[{i}]")
                                   for i, a in enumerate(articles))
    if "appendix_titles" in data:
        titles = data["appendix_titles"]
        if not isinstance(titles, dict) or not all(isinstance(v, str) for v in titles.values()):
            raise DecisionSettingsError(source, "appendix_titles", t("cần một bảng mã khối: tiêu đề"))
        values["appendix_titles"] = {str(k): v.strip() for k, v in titles.items()}
    return replace(DecisionSettings(), **values)


def settings_to_mapping(settings: DecisionSettings) -> dict:
    """The inverse of ``settings_from_mapping``: plain JSON/YAML values."""
    data = {key: getattr(settings, key) for key in _TEXT_KEYS}
    data.update({key: list(getattr(settings, key)) for key in _LIST_KEYS})
    data["signed_on"] = settings.signed_on.isoformat() if settings.signed_on else None
    data["articles"] = [list(a) for a in settings.articles]
    data["appendix_titles"] = dict(settings.appendix_titles)
    return data


def _lines(value, source: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DecisionSettingsError(source, key, t("cần một danh sách các dòng văn bản"))
    return tuple(v.strip() for v in value if v.strip())


def _date(value, source: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise DecisionSettingsError(source, "signed_on", t("ngày '{value}' không hợp lệ; viết theo dạng 2023-12-26",
                                                           value=value)) from None
