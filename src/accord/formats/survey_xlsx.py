"""The .xlsx survey template: a 'survey' sheet to fill, a 'help' sheet on the layout, the case's ids.

Cells carry spreadsheet checks (a list of the case's actor and issue ids; positions 0-100; salience and
capability 0-1) so most mistakes are caught while typing; the importer checks everything again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from accord.formats.survey import COLUMN_HELP, COLUMNS, REQUIRED, SurveyError, SurveyProblem, template_rows

__all__ = ["write_template", "write_xlsx_template"]


def write_xlsx_template(
    path: Path, rows: list[list[str]], actors: Sequence[str], issues: Sequence[str], labels: dict[str, str]
) -> None:
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.worksheet.datavalidation import DataValidation
    except ImportError:
        raise SurveyError(
            [
                SurveyProblem(
                    str(path),
                    0,
                    "",
                    "writing .xlsx needs openpyxl",
                    "pip install 'accord[xlsx]', or give -o survey.csv",
                )
            ]
        ) from None
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=cell.value in REQUIRED)
    for row in rows:
        sheet.append(row)
    last = max(len(rows) + 200, 500)
    ids = book.create_sheet("ids")
    ids.append(["actor", "name", "", "issue", "question"])
    for i in range(max(len(actors), len(issues))):
        a = actors[i] if i < len(actors) else ""
        q = issues[i] if i < len(issues) else ""
        ids.append([a, labels.get(a, ""), "", q, labels.get(q, "")])
    checks = [
        ("B", f"=ids!$A$2:$A${len(actors) + 1}", "list", None, None),
        ("C", f"=ids!$D$2:$D${len(issues) + 1}", "list", None, None),
        ("D", None, "decimal", 0, 100),
        ("E", None, "decimal", 0, 1),
        ("F", None, "decimal", 0, 1),
        ("G", None, "decimal", 0, 100),
        ("H", None, "decimal", 0, 100),
    ]
    for column, formula, kind, low, high in checks:
        check = (
            DataValidation(type="list", formula1=formula, allow_blank=True)
            if kind == "list"
            else DataValidation(
                type="decimal", operator="between", formula1=str(low), formula2=str(high), allow_blank=True
            )
        )
        check.error = f"{COLUMNS[ord(column) - ord('A')]}: {COLUMN_HELP[COLUMNS[ord(column) - ord('A')]]}"
        check.showErrorMessage = True
        sheet.add_data_validation(check)
        check.add(f"{column}2:{column}{last}")
    help_sheet = book.create_sheet("help")
    help_sheet.append(["column", "required", "what it holds"])
    for column in COLUMNS:
        help_sheet.append([column, "yes" if column in REQUIRED else "no", COLUMN_HELP[column]])
    help_sheet.append([])
    help_sheet.append(
        [
            "One row per expert, actor and issue. Copy the rows for each expert; leave out what they do "
            "not know."
        ]
    )
    help_sheet.append(
        ["Import: accord case import --from survey THIS.xlsx --into CASE -o CASE-with-survey.yaml"]
    )
    book.save(path)


def write_template(
    path: str | Path, actors: Sequence[str], issues: Sequence[str], labels: dict[str, str]
) -> None:
    """A survey sheet to fill in: .xlsx (with a help sheet, the ids, and checks on each cell) or .csv."""
    path = Path(path)
    rows = template_rows(actors, issues)
    if path.suffix.lower() == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
        return
    if path.suffix.lower() != ".xlsx":
        raise SurveyError(
            [
                SurveyProblem(
                    str(path), 0, "", "the template is .xlsx or .csv", "give -o survey.xlsx or -o survey.csv"
                )
            ]
        )
    write_xlsx_template(path, rows, actors, issues, labels)
