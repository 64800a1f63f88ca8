"""The Nu HTML Checker (npm ``vnu-jar``) on the machine's Java, over many files at once
(one JVM start for the whole audit)."""

import json
import shutil
import subprocess
from pathlib import Path

from django.conf import settings


def vnu_jar() -> Path:
    return Path(settings.BASE_DIR) / "frontend/node_modules/vnu-jar/build/dist/vnu.jar"


def validate_files(paths: list[Path]) -> dict[str, list[dict]]:
    """Errors per file (resolved path as a string); files without errors are absent."""
    if not paths:
        return {}
    java = shutil.which("java")
    jar = vnu_jar()
    if java is None or not jar.exists():
        raise FileNotFoundError(
            f"the Nu HTML Checker needs java and {jar} (run 'make install')"
        )
    proc = subprocess.run(  # noqa: S603 - fixed program and our own files
        [
            java,
            "-Xss2m",
            "-jar",
            str(jar),
            "--format",
            "json",
            "--errors-only",
            "--exit-zero-always",
            *[str(p) for p in paths],
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = proc.stderr.strip() or proc.stdout.strip()
    try:
        messages = json.loads(output).get("messages", [])
    except json.JSONDecodeError as error:
        raise RuntimeError(f"vnu gave no JSON: {output[:500]}") from error
    errors: dict[str, list[dict]] = {}
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        path = str(Path(url.removeprefix("file:")).resolve()) if url else ""
        errors.setdefault(path, []).append(
            {
                "message": message.get("message", ""),
                "line": message.get("lastLine"),
                "extract": (message.get("extract") or "")[:300],
            }
        )
    return errors


def html_violation(errors: list[dict]) -> dict:
    """The validator's errors for one page, as one violation."""
    return {
        "rule": "html-validation",
        "source": "Nu HTML Checker",
        "help": "The HTML validates with the Nu HTML Checker",
        "help_url": "https://validator.github.io/validator/",
        "impact": "moderate",
        "criteria": [],
        "nodes": [
            {
                "selector": f"line {e['line']}" if e["line"] else "",
                "html": f"{e['message']} {e['extract']}".strip()[:500],
            }
            for e in errors[:30]
        ],
    }
