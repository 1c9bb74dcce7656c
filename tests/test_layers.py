"""The layer contracts of pyproject.toml ([tool.importlinter]) hold, and break on a
wrong-way import, so CI fails when a module imports from a layer above its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "lint_imports.py"


def _lint(extra_modules: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # A fresh process: the contracts run on an assembled srm tree, which an interpreter
    # that has imported srm already would not look at.
    program = (
        "import runpy, sys\n"
        f"checker = runpy.run_path({str(SCRIPT)!r})\n"
        f"sys.exit(checker['check']({extra_modules!r}))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=300
    )


def test_every_layer_contract_is_kept() -> None:
    result = _lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_import_from_a_higher_layer_breaks_the_contracts() -> None:
    result = _lint({"srm.cypher.wrong_way": "from srm.api import app\n"})
    assert result.returncode != 0
    assert "srm.cypher.wrong_way -> srm.api.app" in result.stdout


def test_graphql_types_that_import_each_other_break_the_contracts() -> None:
    result = _lint(
        {
            "srm.api.types.loop_a": "from srm.api.types import loop_b\n",
            "srm.api.types.loop_b": "from srm.api.types import loop_a\n",
        }
    )
    assert result.returncode != 0
    assert ".loop_b -> .loop_a" in result.stdout
