"""Bundled synthetic sample data (every person invented): see scripts/make_samples.py."""
