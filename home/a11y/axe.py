"""axe-core 4.14 from npm, run through axe-selenium-python, for WCAG 2.2 A/AA.

The copy of axe-core bundled with axe-selenium-python 2.1.6 dates from 2018 and hangs
on the ``wcag22aa`` tag, so the script always comes from ``frontend/node_modules``.
"""

import re
from pathlib import Path

from django.conf import settings

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_CRITERION_TAG = re.compile(r"^wcag(\d)(\d)(\d+)$")


def axe_script() -> Path:
    return Path(settings.BASE_DIR) / "frontend/node_modules/axe-core/axe.min.js"


def wcag_criteria(tags: list[str]) -> list[str]:
    """``["wcag143"]`` → ``["1.4.3"]``: the success criteria an axe rule tests."""
    criteria = []
    for tag in tags:
        match = _CRITERION_TAG.match(tag)
        if match:
            criteria.append(".".join(match.groups()))
    return criteria


def run_axe(driver) -> list[dict]:
    """The violations on the page the driver shows, one dict per rule."""
    from axe_selenium_python import Axe

    script = axe_script()
    if not script.exists():
        raise FileNotFoundError(f"{script} is missing: run 'make install' (npm ci)")
    axe = Axe(driver, script_url=str(script))
    axe.inject()
    results = axe.run(options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        {
            "rule": violation["id"],
            "source": "axe-core",
            "help": violation["help"],
            "help_url": violation.get("helpUrl", ""),
            "impact": violation.get("impact") or "serious",
            "criteria": wcag_criteria(violation.get("tags", [])),
            "nodes": [
                {
                    "selector": " ".join(str(t) for t in node.get("target", [])),
                    "html": node.get("html", "")[:500],
                }
                for node in violation.get("nodes", [])[:20]
            ],
        }
        for violation in results["violations"]
    ]
