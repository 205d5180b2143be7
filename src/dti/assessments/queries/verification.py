"""Anyone can check a published snapshot: its hash, its recomputation, and that the database still holds what
was published."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from dti.assessments.models import PublishedSnapshot
from dti.assessments.queries.adapter import inputs_from_rows, period_rows
from dti.documents.frameworks import parse_framework
from dti.documents.score_output import group_json
from dti.engine import DtiError, score_framework


def snapshot_digest(framework_text: str, inputs: list, results: list) -> str:
    """The SHA-256 recorded with a snapshot: of its framework, inputs and results as canonical JSON."""
    body = {"framework": framework_text, "inputs": inputs, "results": results}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass
class Verification:
    snapshot: PublishedSnapshot
    hash_matches: bool = False  # the stored framework, inputs and results hash to the recorded SHA-256
    recomputed_matches: bool = False  # the engine, given the stored framework and inputs, gives the stored results
    database_matches: bool = False  # the database still holds the inputs that were published
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.hash_matches and self.recomputed_matches and self.database_matches


def verify_snapshot(snapshot: PublishedSnapshot) -> Verification:
    check = Verification(snapshot)
    digest = snapshot_digest(snapshot.framework_text, snapshot.inputs, snapshot.results)
    check.hash_matches = digest == snapshot.sha256
    if not check.hash_matches:
        check.problems.append(f"SHA-256 của bản công bố là {digest}, khác giá trị đã ghi {snapshot.sha256}")
    try:
        framework = parse_framework(snapshot.framework_text, f"snapshot {snapshot.sha256[:12]}")
        recomputed = score_framework(framework, inputs_from_rows(framework, snapshot.inputs))
        results = json.loads(json.dumps([group_json(g) for g in recomputed.groups], ensure_ascii=False))
    except DtiError as exc:
        check.problems.append(f"không tính lại được: {exc}")
    else:
        check.recomputed_matches = results == snapshot.results
        if not check.recomputed_matches:
            check.problems.extend(_differences(snapshot.results, results))
    current = period_rows(snapshot.period)
    check.database_matches = current == snapshot.inputs
    if not check.database_matches:
        published = {row["unit"]: row for row in snapshot.inputs}
        changed = [row["unit"] for row in current if published.get(row["unit"]) != row]
        gone = sorted(set(published) - {row["unit"] for row in current})
        check.problems.append("dữ liệu trong cơ sở dữ liệu đã khác bản công bố: "
                              + ", ".join(changed + [f"{name} (không còn)" for name in gone]))
    return check


def _differences(stored: list, recomputed: list) -> list[str]:
    """Units whose recomputed figures differ from the stored ones (at most ten named)."""
    found = []
    for old, new in zip(stored, recomputed, strict=False):
        for a, b in zip(old.get("units", []), new.get("units", []), strict=False):
            if a != b:
                found.append(f"{old['code']}: {a.get('name')}: kết quả tính lại khác kết quả đã công bố")
    if len(stored) != len(recomputed):
        found.append(f"{len(stored)} khối đã công bố, {len(recomputed)} khối tính lại")
    return found[:10] or ["kết quả tính lại khác kết quả đã công bố"]
