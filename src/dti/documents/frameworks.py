"""Framework files (YAML) → ``dti.engine.Framework``. The format is in docs/framework-format.md."""

from __future__ import annotations

from pathlib import Path

import yaml

from dti.engine import Framework, FrameworkError, build_framework
from dti.engine.i18n import t

from .bounded_yaml import load_yaml

MAX_FRAMEWORK_BYTES = 5_000_000


def load_framework(path: str | Path) -> Framework:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FRAMEWORK_BYTES:
            raise FrameworkError(path.name, "", t("tệp quá lớn ({size} byte; tối đa {MAX_FRAMEWORK_BYTES})",
                                                  size=size, MAX_FRAMEWORK_BYTES=MAX_FRAMEWORK_BYTES))
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkError(str(path), "", t("không đọc được tệp: {value}", value=exc.strerror or exc)) from None
    except UnicodeDecodeError:
        raise FrameworkError(path.name, "", t("tệp không phải văn bản UTF-8")) from None
    return parse_framework(text, path.name)


def parse_framework(text: str, source: str) -> Framework:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrameworkError(source, place, t("YAML không hợp lệ: {problem}", problem=problem)) from None
    return build_framework(data, source)
