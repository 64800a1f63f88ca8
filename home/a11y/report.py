"""The audit's reports: JSON for machines and pipelines, HTML for people."""

import json
from pathlib import Path

from django.template.loader import render_to_string


def write_reports(report: dict, output: Path) -> tuple[Path, Path]:
    output.mkdir(parents=True, exist_ok=True)
    json_path = output / "report.json"
    json_path.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    html_path = output / "report.html"
    html_path.write_text(render_report(report), encoding="utf-8")
    return json_path, html_path


def render_report(report: dict, edit_base: str = "") -> str:
    failing = [p for p in report["pages"] if p["violations"]]
    return render_to_string(
        "home/a11y/report.html",
        {"report": report, "failing_pages": failing, "edit_base": edit_base},
    )
