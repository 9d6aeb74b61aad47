"""Django fields: a model field storing the compact NIR, its form field, a validator.

* `NIRField`: a ``CharField`` (``max_length=15``) that stores the compact form,
  validates with `NIRValidator` and uses `NIRFormField` in forms and the admin.
* `NIRFormField`: reads spaces, dots, hyphens and lower-case 2a/2b as people type
  them, cleans to the compact form and shows the formatted number.
* `validate_nir` (a `NIRValidator` with the default options): for any ``CharField``.

Errors are ``ValidationError``s whose ``code`` is ``nir_<code>`` (as in
`nir.pydantic`; Django's own codes, such as ``invalid``, cannot collide), whose
``params`` are the error's, and whose message is nir's catalogue in Django's active
language (``get_language()``: French for "fr", "fr-ca"..., English otherwise),
rendered when shown. Messages never hold the whole number. No app to install: nir
ships its own catalogues, so nothing goes in ``INSTALLED_APPS``.
"""

from __future__ import annotations

from typing import Any

try:
    from django import forms
    from django.core.exceptions import ValidationError
    from django.db import models
    from django.utils.deconstruct import deconstructible
    from django.utils.functional import lazy
    from django.utils.translation import get_language
except ImportError as missing:  # pragma: no cover - the extra is part of .[dev]
    raise ImportError("nir.django needs Django: pip install 'nir[django]'") from missing

from nir import messages
from nir._parse import compact as _compact
from nir._parse import format as _format
from nir._parse import validate as _validate
from nir.errors import NirError

__all__ = ["NIRField", "NIRFormField", "NIRValidator", "validate_nir"]

_PREFIX = "nir_"
_COMPACT_LENGTH = 15


def active_language() -> str:
    """The language of nir's messages for Django's active one: "fr" for any French, else "en"."""
    try:
        return messages.language(get_language() or "en")
    except ValueError:  # a language nir does not speak: English, as Django falls back
        return "en"


def _message(error: NirError) -> str:
    # Django formats a message that has params with `%`: escape ours.
    return error.message(active_language()).replace("%", "%%")


_lazy_message = lazy(_message, str)


def django_error(error: NirError) -> ValidationError:
    """The Django form of a nir error, its message rendered in the language it is shown in."""
    return ValidationError(_lazy_message(error), code=_PREFIX + error.code, params=error.params)


@deconstructible(path="nir.django.NIRValidator")
class NIRValidator:
    """A validator for any ``CharField``; the options are `nir.validate`'s."""

    def __init__(
        self,
        *,
        allow_temporary: bool = True,
        allow_missing_key: bool = False,
        warnings_as_errors: bool = False,
    ) -> None:
        self.allow_temporary = allow_temporary
        self.allow_missing_key = allow_missing_key
        self.warnings_as_errors = warnings_as_errors

    def clean(self, value: str) -> str:
        """The compact number, or a `ValidationError` ``nir_<code>``."""
        try:
            return _validate(
                value,
                allow_temporary=self.allow_temporary,
                allow_missing_key=self.allow_missing_key,
                warnings_as_errors=self.warnings_as_errors,
            )
        except NirError as error:
            raise django_error(error) from None

    def __call__(self, value: str) -> None:
        """Django's validator protocol: raise or return nothing."""
        self.clean(value)

    def options(self) -> dict[str, bool]:
        """The options as keyword arguments, for the fields that share them."""
        return {
            "allow_temporary": self.allow_temporary,
            "allow_missing_key": self.allow_missing_key,
            "warnings_as_errors": self.warnings_as_errors,
        }

    def __eq__(self, other: object) -> bool:
        # Migrations compare validators: equal options, no new migration.
        return isinstance(other, NIRValidator) and self.options() == other.options()

    def __hash__(self) -> int:
        return hash(tuple(self.options().values()))


validate_nir = NIRValidator()
"""Validate a NIR with the default options: ``CharField(validators=[validate_nir])``."""


class NIRFormField(forms.CharField):
    """A form field that cleans to the compact NIR and shows it formatted.

    It has no ``maxlength`` attribute: people type spaces, dots or paste extra
    separators, which a limit of 15 would cut; the length is checked on the server.
    """

    def __init__(
        self,
        *,
        allow_temporary: bool = True,
        allow_missing_key: bool = False,
        warnings_as_errors: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("max_length", None)  # the model's 15 is the compact form's, not the typed one
        self.validator = NIRValidator(
            allow_temporary=allow_temporary,
            allow_missing_key=allow_missing_key,
            warnings_as_errors=warnings_as_errors,
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str | None:
        """The compact number (the key completed if allowed), or a ``nir_*`` error."""
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return text  # CharField's empty_value ("" or None)
        return self.validator.clean(text)

    def prepare_value(self, value: Any) -> Any:
        """The formatted number when it has the length of one, else the value as typed."""
        if isinstance(value, str):
            try:
                return _format(value)
            except NirError:
                return value
        return value


class NIRField(models.CharField):  # type: ignore[type-arg]  # stubs' generic, plain at runtime
    """A model field that stores the compact NIR (15 characters) and validates it."""

    description = "French social security number (NIR)"

    def __init__(
        self,
        *args: Any,
        allow_temporary: bool = True,
        allow_missing_key: bool = False,
        warnings_as_errors: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("max_length", _COMPACT_LENGTH)
        super().__init__(*args, **kwargs)
        self.nir_validator = NIRValidator(
            allow_temporary=allow_temporary,
            allow_missing_key=allow_missing_key,
            warnings_as_errors=warnings_as_errors,
        )
        self.validators.append(self.nir_validator)

    def deconstruct(self) -> Any:
        """What the user passed, only: defaults stay out of migrations."""
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == _COMPACT_LENGTH:
            del kwargs["max_length"]
        defaults = NIRValidator().options()
        kwargs.update(
            {
                option: value
                for option, value in self.nir_validator.options().items()
                if value != defaults[option]
            }
        )
        return name, path, args, kwargs

    def to_python(self, value: Any) -> Any:
        """Strings lose their separators (``full_clean`` then validates the compact form)."""
        value = super().to_python(value)
        return _compact(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        """The compact form goes to the database, and to lookups: ``filter(nir="2 55 ...")``."""
        value = super().get_prep_value(value)
        return _compact(value) if isinstance(value, str) else value

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        """A `NIRFormField` with this field's options (the admin's included)."""
        return super().formfield(
            form_class=form_class or NIRFormField,
            choices_form_class=choices_form_class,
            **{**self.nir_validator.options(), **kwargs},
        )
