"""Hypothesis profiles, and the `core` fixture that runs tests on both cores.

Hypothesis: "ci" is deterministic (CI=true), "dev" explores more.

`core` runs a test twice: on the C extension and on the pure-Python fallback,
by switching `nir._accel.compiled` (the one place that decides). Without the
extension the C run is skipped with a visible reason, except when CI is set:
CI machines have a C compiler, so a missing extension there is a build failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import settings

from nir import _accel

# The expected texts are English: a French locale on the developer's machine must
# not change them. Tests of the language choice set or remove NIR_LANG themselves.
os.environ["NIR_LANG"] = "en"

# The Spark recipe's test starts Spark (tens of seconds) and needs pyspark, which .[dev]
# leaves out: only `make test-spark` (NIR_SPARK=1) collects it.
collect_ignore = [] if os.environ.get("NIR_SPARK") else ["spark_recipe_check.py"]

settings.register_profile("ci", max_examples=300, derandomize=True, deadline=None)
settings.register_profile("dev", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def compiled_or_skip() -> _accel.Speedups:
    """The C extension; skips the test (fails it under CI) when it is not built."""
    compiled = _accel.load_compiled()
    if compiled is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but the C extension nir._speedups is not built")
        pytest.skip("the C extension nir._speedups is not built (no C compiler?)")
    return compiled


@contextmanager
def using_core(speedups: _accel.Speedups | None) -> Iterator[None]:
    """`speedups` (None: the pure-Python core) as nir's core in the block, then the one before."""
    saved = _accel.compiled
    _accel.compiled = speedups
    try:
        yield
    finally:
        _accel.compiled = saved


# Module scope: hypothesis tests may use it (it is not reset between examples),
# and pytest then runs a module's tests core by core.
@pytest.fixture(scope="module", params=[_accel.COMPILED, _accel.PURE_PYTHON])
def core(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test on one core, then put the selection back."""
    with using_core(compiled_or_skip() if request.param == _accel.COMPILED else None):
        yield str(request.param)


# The core as the session started (the C one, unless NIR_PURE_PYTHON=1).
_DEFAULT_CORE = _accel.compiled


@pytest.fixture(autouse=True)
def _default_core(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that does not ask for `core` runs on the default one.

    `core` is module-scoped, so pytest ends its last parameter with the module:
    without this, the tests after it in the module ran on the pure-Python core.
    """
    if "core" in request.fixturenames:
        yield
        return
    with using_core(_DEFAULT_CORE):
        yield
