"""The influence properties a run stores are named once (srm.cypher.influence): no other
module of the shipped packages spells one out in its code, so the write-back and every read
change together."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from srm.cypher.influence import Influence

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("srm", "ingest", "synthetic", "operations", "cypher", "graph", "api", "viz")
HOME = ROOT / "cypher" / "influence.py"
NAMES = re.compile(r"\b(" + "|".join(name.value for name in Influence) + r")\b")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def spelled_out(source: str) -> list[tuple[int, str]]:
    """(line, property) for each string of code (docstrings aside) naming a property."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    return [
        (node.lineno, name)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        for name in NAMES.findall(node.value)
    ]


def test_the_check_finds_a_property_spelled_out() -> None:
    source = (
        '"""Mentions influence_score in prose."""\n'
        '__all__ = ["influence_scores"]\n'
        'QUERY = "RETURN p.influence_score"\n'
    )
    assert spelled_out(source) == [(3, "influence_score")]


def test_no_module_but_the_contract_spells_an_influence_property() -> None:
    found = {
        f"{path.relative_to(ROOT)}:{line}": name
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != HOME
        for line, name in spelled_out(path.read_text(encoding="utf-8"))
    }
    assert found == {}
