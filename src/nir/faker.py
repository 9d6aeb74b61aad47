"""Faker provider: realistic NIR, NIA and invalid numbers (needs ``pip install 'nir[faker]'``).

Register it the Faker way, either::

    fake = Faker("fr_FR")
    fake.add_provider(NirProvider)

or ``Faker("fr_FR", includes=["nir.faker"])`` (Faker looks for ``Provider`` here).
Every draw goes through the provider's ``generator.random``, so ``Faker.seed()`` and
``fake.seed_instance()`` reproduce the output. The method names are our own (``nir``,
``nia``, ``invalid_nir``): Faker's ``fr_FR`` ``ssn()`` is left alone.
"""

from __future__ import annotations

from datetime import date

try:
    from faker.providers import BaseProvider
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError("nir.faker needs Faker: install it with pip install 'nir[faker]'") from error

from nir._generate import BornOption, Drawer, KindName, Request
from nir._model import format_compact

__all__ = ["NirProvider", "Provider"]


class NirProvider(BaseProvider):
    """``fake.nir()``, ``fake.nia()`` and ``fake.invalid_nir()``, options as `nir.generate`."""

    def _drawer(self, reference_date: date | None) -> Drawer:
        return Drawer(self.generator.random.random, today=reference_date)

    def nir(  # noqa: PLR0917 - the options of nir.generate, by name
        self,
        sex: str | None = None,
        born: BornOption = None,
        kind: KindName | None = None,
        place: str | None = None,
        invalid: float | str = 0.0,
        formatted: bool = False,
        reference_date: date | None = None,
    ) -> str:
        """A realistic number (compact, or grouped with spaces when `formatted`).

        The options are `nir.generate`'s: ``sex``, ``born``, ``kind``, ``place``,
        ``invalid`` (a rate, or an error code every number fails with).
        """
        request = Request.checked(sex=sex, born=born, kind=kind, place=place, invalid=invalid)
        number = request.person(self._drawer(reference_date)).number
        valid_shape = request.error is None and len(number) == 15
        return format_compact(number) if formatted and valid_shape else number

    def nia(
        self,
        sex: str | None = None,
        born: BornOption = None,
        formatted: bool = False,
        reference_date: date | None = None,
    ) -> str:
        """A NIA (waiting number): born abroad, often with a fictitious month."""
        return self.nir(
            sex=sex, born=born, kind="nia", formatted=formatted, reference_date=reference_date
        )

    def invalid_nir(
        self,
        code: str | None = None,
        sex: str | None = None,
        born: BornOption = None,
        reference_date: date | None = None,
    ) -> str:
        """A number that fails with error `code` (`nir.NirError.code`); None draws a code.

        ``"temporary"`` fails only with ``allow_temporary=False``.
        """
        drawer = self._drawer(reference_date)
        chosen = code if code is not None else drawer.invalid_code()
        request = Request.checked(sex=sex, born=born, invalid=chosen)
        return request.person(drawer).number


Provider = NirProvider
"""The name Faker's ``includes=["nir.faker"]`` looks for."""
