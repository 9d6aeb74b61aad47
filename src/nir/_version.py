"""The version of nir, the one place it is written (pyproject.toml reads it from here).

A plain constant so that `nir --version` needs no importlib.metadata (~15 ms).
"""

__version__ = "0.1.0"
