"""Benchmarks: python -m bench.<name> [--quick]; each prints a JSON last line."""
