"""Check the layer contracts (``[tool.importlinter]`` in pyproject.toml) on the srm package.

import-linter finds a package's modules by walking its folder, but SRM's subpackages live in
top-level folders that ``[tool.setuptools] package-dir`` maps onto ``srm.*``. So the srm tree
is first assembled in a temporary folder, each module a link to its file, and the contracts
run on that. Run: ``.venv/bin/python scripts/lint_imports.py`` (``make layers``) in a
process that has not imported srm yet (else the installed package is found instead).
"""

from __future__ import annotations

import os
import sys
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"

__all__ = ["assemble", "check", "main"]


def assemble(target: Path, extra_modules: Mapping[str, str] | None = None) -> None:
    """Lay out the ``srm`` package under ``target`` as pyproject.toml maps it, plus
    ``extra_modules`` ({dotted name: source}) written as files (to test the contracts)."""
    setuptools = tomllib.loads(PYPROJECT.read_text())["tool"]["setuptools"]
    package_dir: dict[str, str] = setuptools["package-dir"]
    for package in setuptools["packages"]:
        source = _folder(package, package_dir)
        # Unlisted subpackages (srm.commands) are installed with their parent's folder.
        for module in source.rglob("*.py"):
            link = target.joinpath(*package.split("."), module.relative_to(source))
            if not link.exists():
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(module)
    for name, text in (extra_modules or {}).items():
        target.joinpath(*name.split(".")).with_suffix(".py").write_text(text)


def _folder(package: str, package_dir: Mapping[str, str]) -> Path:
    """The folder holding ``package``: its own mapping, else its nearest mapped parent's."""
    parts = package.split(".")
    for end in range(len(parts), 0, -1):
        parent = ".".join(parts[:end])
        if parent in package_dir:
            return ROOT / package_dir[parent] / "/".join(parts[end:])
    return ROOT.joinpath(*parts)


def check(extra_modules: Mapping[str, str] | None = None) -> int:
    """Run every contract; 0 when all are kept (import-linter prints the report)."""
    with tempfile.TemporaryDirectory(prefix="srm-layers-") as folder:
        assemble(Path(folder), extra_modules)
        # lint_imports puts the working folder first on sys.path: make it the assembled tree.
        working = os.getcwd()
        os.chdir(folder)
        try:
            return lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
        finally:
            os.chdir(working)


def main() -> int:
    return check()


if __name__ == "__main__":
    sys.exit(main())
