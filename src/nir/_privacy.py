"""Keeping the number out of logs, screens and analytics: masking and pseudonymisation.

A NIR is personal data that names its holder almost alone: sex, year and month of
birth, commune of birth and the rank of the birth record there. Its use is framed by
law in France (décret n° 2019-341, "décret cadre NIR"); most systems that carry it
should show or store it as little as possible.

* `mask` is for people: a display form that keeps the shape of the number, the class
  digit and the key, so a clerk can check a number against a document, and hides
  the birth date, the place and the order, which identify the person.
* `pseudonymise` is for programs: a keyed HMAC-SHA256 of the compact number, the same
  for every way of typing one number, so records can still be joined and counted.

Pseudonymised data is still personal data under the GDPR (recital 26): whoever holds
the key, or the list of numbers, can recompute every pseudonym. See the README.
"""

from __future__ import annotations

from nir import _parse

__all__ = ["MIN_KEY_BYTES", "checked_key", "mask", "pseudonym_of_compact", "pseudonymise"]

MIN_KEY_BYTES = 16
"""The shortest key `pseudonymise` accepts: 128 bits, the HMAC key size guides ask for."""
_HIDDEN = "X"


def mask(value: str) -> str:
    """A display form of `value` hiding what identifies the person, for logs and screens.

    Kept: the first digit (sex, or a temporary number's class) and the 2-digit key,
    enough to check a number against a card without reading it out. Hidden: the year
    and month of birth, the place of birth (department, commune or country) and the
    order number, which together single the person out. The grouping is always the
    mainland one, so the layout does not tell an overseas birth either.

    The value is not validated: anything is masked, never echoed. A value that is not
    13 or 15 characters once compacted is hidden whole (its length only is kept).

    >>> mask("2 55 08 14 168 025 38")
    '2 XX XX XX XXX XXX 38'
    >>> mask("1820897401154 75")
    '1 XX XX XX XXX XXX 75'
    >>> mask("2550814168025")
    '2 XX XX XX XXX XXX'
    >>> mask("not a number")
    'XXXXXXXXXX'
    """
    if not isinstance(value, str):
        raise TypeError(f"mask() takes a string, not {type(value).__name__}")
    number = _parse.compact(value)
    if len(number) not in (13, 15):
        return _HIDDEN * len(number)
    groups = [number[0], _HIDDEN * 2, _HIDDEN * 2, _HIDDEN * 2, _HIDDEN * 3, _HIDDEN * 3]
    if len(number) == 15:
        groups.append(number[13:])
    return " ".join(groups)


def pseudonymise(
    value: str,
    key: bytes,
    *,
    allow_temporary: bool = True,
    allow_missing_key: bool = False,
) -> str:
    """The keyed pseudonym of a number: HMAC-SHA256(key, compact number), 64 hex digits.

    The number is validated first (`nir.validate`, same options), so every way of
    typing one number (spaces, dots, ``2a``, a leading apostrophe) gives one pseudonym
    and an invalid number raises `nir.NirError` instead of making a pseudonym for a
    typo. The key must be secret and at least 16 bytes; a `str` key is refused so that
    no one hashes with a password typed on a command line.

    This is pseudonymisation, not anonymisation: with the key and a list of candidate
    numbers (all numbers are guessable: about 10^11 of them) every pseudonym can be
    recomputed. Keep the key apart from the data, rotate it per purpose.

    >>> key = bytes(range(16))
    >>> pseudonymise("2 55 08 14 168 025 38", key) == pseudonymise("255081416802538", key)
    True
    >>> pseudonymise("2 55 08 14 168 025 38", key)[:16]
    'accb490048f3cd09'
    """
    secret = checked_key(key)
    number = _parse.validate(
        value, allow_temporary=allow_temporary, allow_missing_key=allow_missing_key
    )
    return pseudonym_of_compact(number, secret)


def checked_key(key: bytes) -> bytes:
    """`key` as bytes, or a clear error: not bytes (TypeError), too short (ValueError).

    For callers that read the key once (``nir csv``) and pseudonymise many numbers.
    """
    if not isinstance(key, bytes | bytearray | memoryview):
        raise TypeError(f"the key must be bytes, not {type(key).__name__}")
    secret = bytes(key)
    if len(secret) < MIN_KEY_BYTES:
        raise ValueError(
            f"the pseudonymisation key is {len(secret)} bytes long; it must be at least "
            f"{MIN_KEY_BYTES} random bytes (e.g. secrets.token_bytes(32)), kept secret"
        )
    return secret


def pseudonym_of_compact(number: str, secret: bytes) -> str:
    """The pseudonym of an already validated compact number under a `checked_key`."""
    import hashlib  # noqa: PLC0415  # only when asked: import nir stays cheap
    import hmac  # noqa: PLC0415

    return hmac.new(secret, number.encode("ascii"), hashlib.sha256).hexdigest()
