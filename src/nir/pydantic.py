"""pydantic v2 (and FastAPI) types: a NIR field that says why a number is wrong.

``NIR`` is a string field validated by `nir.validate`; ``NIRValidator(...)`` is the
same with options, for ``Annotated[str, NIRValidator(...)]``. A failure is a pydantic
error whose ``type`` is ``nir_<code>`` (``nir_key``, ``nir_month``...), whose ``ctx``
holds the error's params (JSON-safe: str, int, None) and whose ``msg`` is the
catalogue's message.

The language: pydantic has no active language, so the message is rendered in
``NIRValidator(lang=...)`` when given, else in `nir.messages.default_language()`
(``NIR_LANG``, then the locale) at validation time. A server that answers each
request in its client's language re-renders the errors with `translate_errors`,
which reads only ``type`` and ``ctx``.

The number is sensitive: messages never hold it, but pydantic echoes the input in
``ValidationError`` (``input_value=...``) unless the model sets
``hide_input_in_errors=True``, and FastAPI's 422 body echoes it (``input``) even
then. `translate_errors` drops every ``input``: use it in the 422 handler.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

try:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema, PydanticCustomError, core_schema
except ImportError as missing:  # pragma: no cover - the extra is part of .[dev]
    raise ImportError("nir.pydantic needs pydantic v2: pip install 'nir[pydantic]'") from missing

from nir import messages
from nir._parse import format as _format
from nir._parse import validate as _validate
from nir.errors import NirError

__all__ = ["NIR", "PATTERN", "NIRValidator", "translate_errors"]

_PREFIX = "nir_"

# The JSON schema pattern must accept everything the validator accepts (it is
# documentation and client-side help, never stricter): the first digit, then 12 or
# 14 digits or letters (2A/2B, any case; the key may be missing), with any separator
# `compact` drops between them (Python's whitespace, of which ECMA's \s lacks
# \x1c-\x1f and \x85, dots, hyphens) and leading apostrophes. The rest is the
# validator's business.
_SEP = r"[\s\x1c-\x1f\x85.\-]"
PATTERN = rf"^(?:{_SEP}|['\u2019])*[1-478](?:{_SEP}*[0-9AaBb]){{12,14}}{_SEP}*$"
"""The JSON schema pattern of a NIR field (an input pattern: separators allowed)."""

_EXAMPLE = "255081416802538"


@dataclass(frozen=True, slots=True)
class NIRValidator:
    """Validate a string field as a NIR; the options are `nir.validate`'s.

    Attributes:
        allow_temporary: accept temporary numbers (first digit 3, 4, 7, 8).
        allow_missing_key: accept 13 characters and complete the key.
        warnings_as_errors: reject a number with a warning (type ``nir_<warning code>``).
        output: the value the model holds: "compact" (15 characters) or
            "formatted" (``2 55 08 14 168 025 38``).
        lang: the language of the messages, "fr" or "en"; None: the default
            language at validation time.
    """

    allow_temporary: bool = True
    allow_missing_key: bool = False
    warnings_as_errors: bool = False
    output: Literal["compact", "formatted"] = "compact"
    lang: str | None = None

    def __post_init__(self) -> None:
        if self.output not in ("compact", "formatted"):
            raise ValueError(f"output must be 'compact' or 'formatted', not {self.output!r}")
        if self.lang is not None:
            messages.language(self.lang)  # a typo fails at class definition, not per request

    def validate(self, value: str) -> str:
        """The number in the chosen output form, or a `PydanticCustomError` ``nir_<code>``."""
        try:
            number = _validate(
                value,
                allow_temporary=self.allow_temporary,
                allow_missing_key=self.allow_missing_key,
                warnings_as_errors=self.warnings_as_errors,
            )
        except NirError as error:
            raise _pydantic_error(error, self.lang) from None
        return _format(number) if self.output == "formatted" else number

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        # A str schema underneath: pydantic's strict mode and string_type errors apply.
        return core_schema.no_info_after_validator_function(self.validate, core_schema.str_schema())

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        example = _format(_EXAMPLE) if self.output == "formatted" else _EXAMPLE
        json_schema.update(
            pattern=PATTERN,
            description=(
                "French social security number (NIR, NIA or temporary number): 15 characters,"
                " spaces, dots and hyphens allowed, e.g. 2 55 08 14 168 025 38"
            ),
            examples=[example],
        )
        return json_schema


NIR = Annotated[str, NIRValidator()]
"""A NIR field with the default options: ``class Employee(BaseModel): nir: NIR``."""


def _pydantic_error(error: NirError, lang: str | None) -> PydanticCustomError:
    # The template is the rendered message: braces would be read as placeholders.
    text = error.message(lang).replace("{", "(").replace("}", ")")
    return PydanticCustomError(_PREFIX + error.code, text, dict(error.params))


def translate_errors(
    errors: Iterable[Mapping[str, Any]], lang: str | None = None
) -> list[dict[str, Any]]:
    """`ValidationError.errors()` with nir messages in `lang`, and without any ``input``.

    For a FastAPI 422 handler (``exc.errors()``): ``nir_*`` messages are rendered
    again from ``type`` and ``ctx`` in `lang` (None: the default language), other
    errors keep pydantic's. ``input`` is dropped from every error, not only nir
    ones: a number sent as a JSON integer fails as ``string_type`` with the whole
    number as its input.
    """
    chosen = None if lang is None else messages.language(lang)
    translated: list[dict[str, Any]] = []
    for error in errors:
        entry = {name: value for name, value in error.items() if name != "input"}
        code = str(entry.get("type", ""))[len(_PREFIX) :]
        if str(entry.get("type", "")).startswith(_PREFIX) and code in messages.CODES:
            # An error raised without its params (TypeError) keeps its message.
            with contextlib.suppress(TypeError):
                entry["msg"] = messages.render(code, entry.get("ctx") or {}, chosen)
        translated.append(entry)
    return translated
