"""Self-contained HTML reports of a case: the dashboard's charts, forecast tables and evidence, in one
file."""

from accord.report.build import ReportVariant, build_report, write_report

__all__ = ["ReportVariant", "build_report", "write_report"]
