.PHONY: setup test lint types layers check demo

setup:
	bash scripts/setup.sh

test:
	bash scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

types:
	.venv/bin/mypy

# The import-linter layer contracts of pyproject.toml.
layers:
	.venv/bin/lint-imports

# What CI runs, plus lint, types and layers.
check: lint types layers test

demo:
	bash scripts/demo.sh
