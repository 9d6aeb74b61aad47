"""The hypothesis entry point: ``st.from_type(nir.Nir)`` draws parsed valid numbers.

Declared in pyproject.toml (``[project.entry-points.hypothesis]``). Hypothesis calls
the hook while it is itself being imported, so nothing here imports
``nir.strategies`` (which imports hypothesis) at that time: the strategy is a function
that hypothesis calls on the first ``from_type``, when hypothesis is fully loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from nir._model import Nir


def _nir_strategy(_: type[Nir]) -> SearchStrategy[Nir]:
    from nir._parse import parse  # noqa: PLC0415  # resolved on first use, see module doc
    from nir.strategies import nirs  # noqa: PLC0415

    return nirs().map(parse)


def _hypothesis_setup_hook() -> None:
    """Register the strategy for `nir.Nir` (safe to call more than once)."""
    from hypothesis import strategies as st  # noqa: PLC0415

    from nir._model import Nir  # noqa: PLC0415

    st.register_type_strategy(Nir, _nir_strategy)
