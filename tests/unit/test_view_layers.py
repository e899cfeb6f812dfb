"""Views read through selectors and write through services: no ORM query in a view module.

Checked on the source (``Model.objects`` and Django's query shortcuts; model classes may still be
named in annotations), for every app with views.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VIEW_MODULES = sorted([*(ROOT / "designer/catalog/views").glob("*.py"), ROOT / "designer/catalog/views_evolution.py",
                       ROOT / "designer/lintreview/views.py", ROOT / "designer/codeweb/views.py",
                       ROOT / "designer/proposals/views.py", ROOT / "designer/diagrams/views.py",
                       ROOT / "designer/traffic/views.py"])
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_view_module_runs_no_query_of_its_own(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            problems.append(f"line {node.lineno}: .objects")
        if isinstance(node, ast.ImportFrom) and node.module == "django.shortcuts":
            problems += [f"line {node.lineno}: {a.name}" for a in node.names if a.name in SHORTCUTS]
    assert problems == [], f"{path.name}: read through the app's selectors instead: {problems}"
