"""Run axe-core 4.14 (from npm) in the browser for WCAG 2.2 A/AA."""

from pathlib import Path

from axe_selenium_python import Axe

AXE_SCRIPT = (
    Path(__file__).resolve().parents[2] / "frontend/node_modules/axe-core/axe.min.js"
)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(driver) -> list[dict]:
    """Violations on the page the driver shows, as plain dicts for messages."""
    if not AXE_SCRIPT.exists():
        raise AssertionError(f"{AXE_SCRIPT} is missing: run 'make install' (npm ci)")
    axe = Axe(driver, script_url=str(AXE_SCRIPT))
    axe.inject()
    results = axe.run(options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]][:5],
        }
        for v in results["violations"]
    ]
