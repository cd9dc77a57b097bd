"""``accord case import --from survey`` and ``accord case survey-template``: expert surveys in and out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
import yaml

from accord.cli.output import existing_dir, problems_error
from accord.errors import InputError, UsageError

__all__ = ["import_survey", "template_cmd"]


def _case_data(case: str):  # noqa: ANN202 - (path, data)
    """The raw data of a case file (a draft is fine), or exit with its problems."""
    from accord.case.draft import draft_report
    from accord.case.io import resolve_case_path
    from accord.case.validate import parse_yaml_text

    report = draft_report(case)
    if not report.ok:
        raise problems_error(
            report.problems,
            f"{len(report.problems)} problem(s) in {report.file} (above)",
            "fix them first: `accord case validate --draft` lists them with their lines",
        )
    path = resolve_case_path(case)
    parsed = parse_yaml_text(path.read_text(encoding="utf-8"), str(path), "docs/case-format.md")
    return path, parsed.data  # type: ignore[union-attr]


def _ids(data: dict, key: str) -> list[str]:
    return [str(item["id"]) for item in data.get(key) or [] if isinstance(item, dict) and item.get("id")]


def _survey_error(exc) -> InputError:  # noqa: ANN001 - SurveyError
    """The survey's problems (file, row, column each) listed, then one error to raise."""
    return problems_error(
        exc.problems,
        f"{len(exc.problems)} problem(s) in the survey (above); nothing was written",
        "fix the rows named above (`accord case survey-template` writes a sheet with the expected columns)",
    )


def import_survey(
    file: Path, into: str | None, output: Path, corpus: Path | None, date: str | None = None
) -> None:
    """Read a survey, check every row against the case, write the experts' sheets and the case."""
    from accord.case.draft import validate_draft_data
    from accord.case.validate import validate_text
    from accord.cli.main import console
    from accord.formats.survey import SurveyError, read_survey
    from accord.formats.survey_case import expert_sheets, merge_survey

    if into is None:
        raise UsageError(
            "--from survey needs --into CASE: the case whose actor and issue ids the rows use",
            f"e.g. accord case import --from survey {file} --into nagorno-karabakh-2020 -o case.yaml",
        )
    _, data = _case_data(into)
    try:
        rows = read_survey(file, _ids(data, "actors"), _ids(data, "issues"))
    except SurveyError as exc:
        raise _survey_error(exc) from None
    folder = existing_dir(corpus if corpus is not None else file.parent, "--corpus")
    taken = {str(s.get("id")) for s in (data.get("case") or {}).get("sources") or [] if isinstance(s, dict)}
    sheets = expert_sheets(rows, taken)
    when = _survey_date(file, date, str((data.get("case") or {}).get("as_of") or ""))
    merged = merge_survey(data, rows, sheets, file.name, when)
    header = (
        f"# {into} with the answers of {len(sheets)} expert(s) from {file.name} (`accord case import "
        "--from survey`).\n"
    )
    text = header + yaml.safe_dump(merged, sort_keys=False, allow_unicode=True, width=120)
    report = validate_text(text, str(output), None, data_check=validate_draft_data)
    if not report.ok:
        raise problems_error(
            report.problems,
            f"the case with the survey would not validate ({output}, problems above); nothing was written",
            "the rows name the case's ids; check the case itself with `accord case validate --draft`",
            limit=10,
        )
    for sheet in sheets.values():
        (folder / f"{sheet.source}.csv").write_text(sheet.text, encoding="utf-8")
    output.write_text(text, encoding="utf-8")
    state = "runnable" if report.runnable else "a draft (`accord case validate --draft` lists what remains)"
    console.print(
        f"wrote {output}: {len(rows)} answer(s) of {len(sheets)} expert(s); the case is {state}",
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        f"wrote the experts' answer sheets to {folder}: "
        f"{', '.join(s.source + '.csv' for s in sheets.values())}",
        highlight=False,
        soft_wrap=True,
        markup=False,
    )
    console.print(
        f"perspectives: --perspective {' | '.join(s.source for s in sheets.values())}",
        highlight=False,
        markup=False,
    )


def template_cmd(
    case: Annotated[
        str,
        typer.Argument(
            help="The case (file or built-in name) whose actors and issues the survey asks about."
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="Where to write the template: .xlsx (with help and checks) or .csv."
        ),
    ],
) -> None:
    """Write a survey sheet for experts: one row per actor and issue, the columns explained, cells checked."""
    from accord.cli.main import console
    from accord.formats.survey import SurveyError
    from accord.formats.survey_xlsx import write_template

    _, data = _case_data(case)
    actors, issues = _ids(data, "actors"), _ids(data, "issues")
    if not actors or not issues:
        missing = "actors" if not actors else "issues"
        raise InputError(
            f"{case}: field {missing}: none yet; a survey asks about actors and issues",
            f"add the case's {missing} first (docs/case-format.md), then write the template",
        )
    labels = {a["id"]: str(a.get("name") or "") for a in data["actors"] if isinstance(a, dict)}
    labels |= {i["id"]: str(i.get("question") or "") for i in data["issues"] if isinstance(i, dict)}
    try:
        write_template(output, actors, issues, labels)
    except SurveyError as exc:
        raise _survey_error(exc) from None
    console.print(
        f"wrote {output}: {len(actors) * len(issues)} row(s) ({len(actors)} actors x {len(issues)} "
        "issues) to copy per expert",
        highlight=False,
        soft_wrap=True,
    )


def _survey_date(file: Path, date: str | None, as_of: str) -> str:
    """When the experts answered (``--date``, else the file's date); never after the case's ``as_of``,
    since a case holds no reading from after its moment."""
    if date is not None:
        try:
            when = dt.date.fromisoformat(date).isoformat()
        except ValueError:
            raise UsageError(f"--date {date!r} is not a date", "write it as YYYY-MM-DD") from None
    else:
        when = dt.date.fromtimestamp(file.stat().st_mtime).isoformat()
    if as_of and when > as_of[:10]:
        raise InputError(
            f"the survey is dated {when} ({'--date' if date else 'the file date'}), after the case's "
            f"as_of {as_of}",
            "a case holds no reading from after its moment: give --date (when the experts answered) or "
            "move as_of",
        )
    return when
