"""Reading a parsed framework file (nested dicts and lists) while knowing where we are in it.

Every accessor raises a ``FrameworkError`` that names the file and the place (``groups[1] huyen ›
pillars[0] NTS › indicators[2] 1.3 › rule``), so a secretariat can find the line to fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TypeVar, overload

from .errors import FrameworkError
from .i18n import t
from .numbers import NumberError, read_number

_MISSING: Any = object()

# The allowed values of a choice; a tuple of literals gives back that literal type.
Choice = TypeVar("Choice", bound=str)


class Spec:
    def __init__(self, data: Any, source: str, place: str = ""):
        self.data, self.source, self.place = data, source, place

    def error(self, fault: str) -> FrameworkError:
        return FrameworkError(self.source, self.place or t("gốc tệp"), fault)

    def child(self, key: str | int, label: str = "") -> Spec:
        if isinstance(key, int):
            place = f"{self.place}[{key}]" + (f" {label}" if label else "")
        else:
            place = f"{self.place} › {key}" if self.place else key
        return Spec(self.data[key], self.source, place)

    def mapping(self) -> dict:
        if not isinstance(self.data, dict):
            raise self.error(t("cần một bảng khóa: giá trị (mapping), gặp {kind}", kind=type(self.data).__name__))
        return self.data

    def has(self, key: str) -> bool:
        return key in self.mapping()

    def _raw(self, key: str, default=_MISSING):
        data = self.mapping()
        if key not in data or data[key] is None:
            if default is _MISSING:
                raise self.error(t("thiếu trường bắt buộc '{key}'", key=key))
            return default
        return data[key]

    def text(self, key: str, default=_MISSING) -> str:
        value = self._raw(key, default)
        if value is default and default is not _MISSING:
            return value
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(t("'{key}' phải là chuỗi ký tự, gặp {value}", key=key, value=repr(value)))
        text = str(value).strip()
        if not text:
            raise self.error(t("'{key}' không được để trống", key=key))
        return text

    def decimal(self, key: str, default=_MISSING, *, minimum: Decimal | None = Decimal(0)) -> Decimal:
        value = self._raw(key, default)
        if value is default and default is not _MISSING:
            return value
        try:
            number = read_number(value)
        except NumberError as exc:
            raise self.error(t("'{key}' phải là một số, gặp {value}: {fault}", key=key, value=repr(value),
                               fault=exc.fault)) from None
        if minimum is not None and number < minimum:
            raise self.error(t("'{key}' không được nhỏ hơn {minimum}, gặp {value}",
                               key=key, minimum=minimum, value=repr(value)))
        return number

    def boolean(self, key: str, default=_MISSING) -> bool:
        value = self._raw(key, default)
        if not isinstance(value, bool):
            raise self.error(t("'{key}' phải là true hoặc false, gặp {value}", key=key, value=repr(value)))
        return value

    @overload
    def choice(self, key: str, allowed: tuple[Choice, ...]) -> Choice: ...
    @overload
    def choice(self, key: str, allowed: tuple[Choice, ...], default: Choice) -> Choice: ...
    @overload
    def choice(self, key: str, allowed: tuple[Choice, ...], default: None) -> Choice | None: ...

    def choice(self, key: str, allowed: tuple[Choice, ...], default: Any = _MISSING) -> Any:
        value = self.text(key, default)
        if default is not _MISSING and value == default:
            return default
        if value not in allowed:
            raise self.error(t("'{key}' phải là một trong {allowed}; gặp {value}", key=key, allowed=', '.join(allowed),
                               value=repr(value)))
        return value

    def items(self, key: str, *, required: bool = True, label_key: str = "code") -> Iterator[Spec]:
        data = self.mapping()
        value = data.get(key)
        if value is None:
            if required:
                raise self.error(t("thiếu danh sách '{key}'", key=key))
            return
        if not isinstance(value, list):
            raise self.error(t("'{key}' phải là một danh sách, gặp {kind}", key=key, kind=type(value).__name__))
        if required and not value:
            raise self.error(t("danh sách '{key}' không được rỗng", key=key))
        listing = self.child(key)
        for index, item in enumerate(value):
            label = str(item.get(label_key, "")) if isinstance(item, dict) else ""
            yield listing.child(index, label)

    def unknown_keys(self, allowed: set[str]) -> None:
        extra = sorted(set(self.mapping()) - allowed)
        if extra:
            known = ", ".join(sorted(allowed))
            raise self.error(t("trường không xác định: {extra} (hợp lệ: {known})", extra=', '.join(map(str, extra)),
                               known=known))
