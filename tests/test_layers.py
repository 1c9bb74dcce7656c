"""The layer contracts of pyproject.toml ([tool.importlinter]) hold, and break on a
wrong-way import, so CI fails when a module imports from a layer above its own.

They run as `lint-imports` does from the repository's root: import-linter walks the ``srm``
folder it finds there, in which a link stands for each top-level folder pyproject.toml maps
onto ``srm.*`` (``srm/api`` → ``../api``, …)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(folder: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` run in ``folder`` (it finds ``srm`` there) with this repo's contracts."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _setuptools() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def _srm_with(target: Path, modules: dict[str, str]) -> Path:
    """The srm package laid out again under ``target`` (a link per module) with ``modules``
    ({dotted name: source}) added, to run the contracts on a tree that breaks them."""
    package = ROOT / "srm"
    for folder, _subfolders, files in os.walk(package, followlinks=True):
        for name in files:
            if name.endswith(".py"):
                module = Path(folder) / name
                link = target / "srm" / module.relative_to(package)
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(module)
    for name, text in modules.items():
        target.joinpath(*name.split(".")).with_suffix(".py").write_text(text)
    return target


def test_every_layer_contract_is_kept() -> None:
    result = _lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_srm_links_every_folder_that_pyproject_maps_onto_it() -> None:
    for package, folder in _setuptools()["package-dir"].items():
        seen_as = ROOT.joinpath(*package.split("."))
        assert seen_as.resolve() == (ROOT / folder).resolve(), (
            f"{package} maps to {folder}/, but {seen_as.relative_to(ROOT)} is not a link to it"
        )


def test_pyproject_lists_every_package_the_wheel_must_ship() -> None:
    # setuptools installs only the listed packages: an unlisted one (srm.commands was) works
    # here through the links and is missing from `pip install .`
    listed = set(_setuptools()["packages"])
    found = {
        ".".join(Path(folder).relative_to(ROOT).parts)
        for folder, _subfolders, files in os.walk(ROOT / "srm", followlinks=True)
        if "__init__.py" in files
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_an_import_from_a_higher_layer_breaks_the_contracts(tmp_path: Path) -> None:
    tree = _srm_with(tmp_path, {"srm.cypher.wrong_way": "from srm.api import app\n"})
    result = _lint(tree)
    assert result.returncode != 0
    assert "srm.cypher.wrong_way -> srm.api.app" in result.stdout


def test_graphql_types_that_import_each_other_break_the_contracts(tmp_path: Path) -> None:
    loop = {
        "srm.api.types.loop_a": "from srm.api.types import loop_b\n",
        "srm.api.types.loop_b": "from srm.api.types import loop_a\n",
    }
    result = _lint(_srm_with(tmp_path, loop))
    assert result.returncode != 0
    assert ".loop_b -> .loop_a" in result.stdout
