"""The scoring engine: plain Python and numpy, no Django, no I/O.

framework → rules → scoring (indicator, pillar, total points) → ranking → grading → results.
"""

from .errors import DtiError, FrameworkError, InputError, ResultsFileError
from .framework import Composite, Framework, Group, Indicator, Pillar, build_framework
from .inputs import StageInputs, UnitEntry
from .points import format_points, round_half_up
from .results import STAGES, FrameworkResult, GroupData, GroupResult, Stage, score_framework, score_group

__all__ = [
    "STAGES", "Composite", "DtiError", "Framework", "FrameworkError", "FrameworkResult", "Group", "GroupData",
    "GroupResult", "Indicator", "InputError", "Pillar", "ResultsFileError", "Stage", "StageInputs", "UnitEntry",
    "build_framework", "format_points", "round_half_up", "score_framework", "score_group",
]
