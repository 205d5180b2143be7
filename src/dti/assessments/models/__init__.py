"""What people enter and what the province publishes, one module per concept: ``frameworks``, ``units``,
``periods`` (with who reviews what), ``work`` (the year's inputs, declarations, evidence, reviews, appeals),
``log`` (the audit log's rows) and ``mail`` (the outbox).

Writes go through ``dti.assessments.actions``; these classes only describe the data and guard the rules that
must hold whoever writes (a framework in use is immutable, a period's state moves only along its graph).
"""

from dti.assessments.models.files import PreparedFile
from dti.assessments.models.frameworks import FrameworkGroup, FrameworkVersion
from dti.assessments.models.log import AuditEntry, WriteVersion
from dti.assessments.models.mail import OutgoingMail
from dti.assessments.models.periods import (
    Participation,
    Period,
    PeriodTransition,
    PublishedSnapshot,
    ReviewerAssignment,
)
from dti.assessments.models.units import Unit, UnitLineage, UnitRename
from dti.assessments.models.work import (
    Appeal,
    Clarification,
    Declaration,
    Evidence,
    IndicatorEntry,
    PillarResult,
    ReviewerVisit,
    SecondReview,
    Stage,
    evidence_path,
)

__all__ = [
    "Appeal", "AuditEntry", "Clarification", "Declaration", "Evidence", "FrameworkGroup", "FrameworkVersion",
    "IndicatorEntry", "OutgoingMail", "Participation", "Period", "PeriodTransition", "PillarResult", "PreparedFile",
    "PublishedSnapshot", "ReviewerAssignment", "ReviewerVisit", "SecondReview", "Stage", "Unit", "UnitLineage",
    "UnitRename", "WriteVersion", "evidence_path",
]
