"""The case layer: the format (schema), validation with file positions, loading, and CSV formats."""

from accord.case.io import DEFAULT_CASE, builtin_cases, load_case
from accord.case.model import Case
from accord.case.validate import CaseError, CaseProblem, ValidationReport, validate_file, validate_text

__all__ = [
    "DEFAULT_CASE",
    "Case",
    "CaseError",
    "CaseProblem",
    "ValidationReport",
    "builtin_cases",
    "load_case",
    "validate_file",
    "validate_text",
]
