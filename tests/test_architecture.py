"""Imports follow the direction of the layout, read from the code itself.

    frontend <- personalisation <- home <- services <- myaccount
                                       <- search (reads home and services)

An app may import the apps to its left (``search`` also ``services``); nothing
imports ``search``; ``cms`` is the project and may import every app, and no app
imports ``cms``. A lower app learns about a higher one through registries, hooks
and signals (and its migrations never depend on a higher app's). Every import is
read with ``ast``, wherever it is written (inside functions too, and relative
ones); dotted paths in strings (settings, templates) are out of scope. Each app's
``apps.py`` opens with a comment saying what it may import: it must say what this
test enforces.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("frontend", "personalisation", "home", "services", "search", "myaccount")
MAY_IMPORT = {
    "frontend": set(),
    "personalisation": {"frontend"},
    "home": {"frontend", "personalisation"},
    "services": {"frontend", "personalisation", "home"},
    "search": {"frontend", "personalisation", "home", "services"},
    "myaccount": {"frontend", "personalisation", "home", "services"},
    "cms": set(APPS),
}
PROJECT = (*APPS, "cms")


def python_files(package: str, root: Path = ROOT):
    for path in sorted((root / package).rglob("*.py")):
        if "node_modules" not in path.parts:
            yield path


def imported_modules(path: Path, root: Path = ROOT):
    """(line, module) for every import in the file, relative ones resolved."""
    module = ".".join(path.relative_to(root).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    if package.endswith(".__init__"):
        package = package[: -len(".__init__")]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = []
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
            if node.module:
                yield node.lineno, ".".join([*base, node.module])
            else:  # ``from . import rules``, ``from .. import myaccount``
                for alias in node.names:
                    yield node.lineno, ".".join([*base, alias.name])


def against_the_direction(root: Path = ROOT) -> list[str]:
    found = []
    for app in PROJECT:
        for path in python_files(app, root):
            for line, name in imported_modules(path, root):
                target = name.split(".")[0]
                if target in PROJECT and target != app:
                    if target not in MAY_IMPORT[app]:
                        found.append(
                            f"{path.relative_to(root)}:{line}: {app} imports {name}"
                        )
    return found


def test_no_app_imports_against_the_direction():
    found = against_the_direction()
    if found:
        print("\nImports against the direction:\n  " + "\n  ".join(found))
    assert not found, "\n".join(found)


def test_the_checker_sees_imports_inside_functions_and_relative_ones(tmp_path):
    """The reader above, on a file written the ways imports can be written."""
    (tmp_path / "personalisation").mkdir()
    sample = tmp_path / "personalisation" / "sample.py"
    sample.write_text(
        "import services.models\n"
        "from .. import myaccount\n"
        "def later():\n"
        "    from home.models import BasePage\n"
        "    return BasePage\n"
        "from . import rules\n"
    )
    names = [name for _line, name in sorted(imported_modules(sample, tmp_path))]
    found = against_the_direction(tmp_path)
    assert names == [
        "services.models",
        "myaccount",
        "home.models",
        "personalisation.rules",
    ]
    assert [line.split(": ", 1)[1] for line in found] == [
        "personalisation imports services.models",
        "personalisation imports myaccount",
        "personalisation imports home.models",
    ]
    assert found[0].startswith("personalisation/sample.py:1:")


def test_no_migration_depends_on_a_higher_app():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = [
        f"{app_label}/migrations/{name}.py depends on {dep_app}.{dep_name}"
        for (app_label, name), migration in loader.disk_migrations.items()
        if app_label in APPS
        for dep_app, dep_name in migration.dependencies
        if dep_app in APPS
        and dep_app != app_label
        and dep_app not in MAY_IMPORT[app_label]
    ]
    assert not found, "\n".join(found)


def test_lower_apps_do_not_reach_higher_apps_models_by_name():
    """``apps.get_model("services", ...)`` in personalisation would be an import by
    another name (migrations excepted: their models are historical)."""
    found = []
    for app in APPS:
        for path in python_files(app):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "attr", getattr(node.func, "id", ""))
                    == "get_model"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    continue
                target = node.args[0].value.split(".")[0]
                if target in APPS and target != app and target not in MAY_IMPORT[app]:
                    found.append(
                        f"{path.relative_to(ROOT)}:{node.lineno}: {app} reaches "
                        f"{node.args[0].value}"
                    )
    assert not found, "\n".join(found)


@pytest.mark.parametrize("app", APPS)
def test_each_apps_py_says_what_the_app_may_import(app):
    first = (ROOT / app / "apps.py").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ") or first.startswith('"""'), first
    said, _, _rest = first.partition(";")
    named = {name for name in APPS if re.search(rf"\b{name}\b", said)} - {app}
    assert named == MAY_IMPORT[app], (
        f"{app}/apps.py says it may import {sorted(named) or 'nothing'}: {first!r}"
    )
