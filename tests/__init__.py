"""The nir test suite."""
