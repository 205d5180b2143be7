"""Errors that name where the fault is, in words an official can act on."""

from __future__ import annotations

from .i18n import t


class DtiError(Exception):
    """Base of every error the engine raises on purpose."""


class FrameworkError(DtiError):
    """A framework file that cannot be used: names the file, the place inside it and the fault."""

    def __init__(self, source: str, place: str, fault: str):
        self.source, self.place, self.fault = source, place, fault
        where = f"{source}, {place}" if place else source
        super().__init__(f"{where}: {fault}")

    def __reduce__(self):  # kept in a cache and read back: built again, in the reader's language
        return (type(self), (self.source, self.place, self.fault))


class InputError(DtiError):
    """An input value a rule cannot score: names the unit, the indicator, the input and the value."""

    def __init__(self, unit: str, indicator: str, input_name: str | None, value, fault: str):
        self.unit, self.indicator, self.input_name, self.value, self.fault = (
            unit, indicator, input_name, value, fault)
        if input_name:
            message = t("Đơn vị '{unit}', chỉ số {indicator}: đầu vào '{input}' giá trị {value} không hợp lệ: {fault}",
                        unit=unit, indicator=indicator, input=input_name, value=repr(value), fault=fault)
        else:
            message = t("Đơn vị '{unit}', chỉ số {indicator}: giá trị {value} không hợp lệ: {fault}",
                        unit=unit, indicator=indicator, value=repr(value), fault=fault)
        super().__init__(message)

    def __reduce__(self):  # kept in a cache and read back: built again, in the reader's language
        return (type(self), (self.unit, self.indicator, self.input_name, self.value, self.fault))


class ResultsFileError(DtiError):
    """A results file that cannot be loaded: names the file, the row and the fault."""

    def __init__(self, source: str, place: str, fault: str):
        self.source, self.place, self.fault = source, place, fault
        where = f"{source}, {place}" if place else source
        super().__init__(f"{where}: {fault}")

    def __reduce__(self):  # kept in a cache and read back: built again, in the reader's language
        return (type(self), (self.source, self.place, self.fault))
