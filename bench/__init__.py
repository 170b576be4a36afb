"""Benchmarks: ``python -m bench`` prints the table and writes BENCHMARKS.md."""
