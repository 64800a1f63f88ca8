"""axe-core 4.14 (from npm) in the browser for WCAG 2.2 A/AA, through the audit's
own runner (``home.a11y.axe``), with the violations shaped for assertion messages."""

from home.a11y.axe import WCAG_TAGS, run_axe  # noqa: F401


def axe_violations(driver) -> list[dict]:
    """Violations on the page the driver shows, as plain dicts for messages."""
    return [
        {
            "id": v["rule"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["selector"] for node in v["nodes"]][:5],
        }
        for v in run_axe(driver)
    ]
