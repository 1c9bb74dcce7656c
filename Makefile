.PHONY: setup test lint types check demo

setup:
	bash scripts/setup.sh

test:
	bash scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

types:
	.venv/bin/mypy

# What CI runs, plus lint and types.
check: lint types test

demo:
	bash scripts/demo.sh
