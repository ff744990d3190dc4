"""Benchmarks: match quality and key-scheme trade-offs on the shared evaluation data."""
