"""The Faker provider, the hypothesis strategies, masking and pseudonymisation."""

from __future__ import annotations

import re
from importlib.metadata import entry_points

import pytest
from faker import Faker
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import nir
from nir import _generate
from nir.faker import NirProvider
from nir.strategies import invalid_nirs, nias, nirs

from .helpers import REFERENCE_DATE

# ---------------------------------------------------------------------------
# Faker


def _fake(seed: int) -> Faker:
    fake = Faker("fr_FR")
    fake.add_provider(NirProvider)
    fake.seed_instance(seed)
    return fake


def test_faker_numbers_are_valid_for_nir_and_stdnum() -> None:
    from stdnum.fr import nir as stdnum_nir

    fake = _fake(1)
    numbers = [fake.nir(reference_date=REFERENCE_DATE) for _ in range(500)]
    assert all(nir.is_valid(n, reference_date=REFERENCE_DATE) for n in numbers)
    assert all(stdnum_nir.is_valid(n) for n in numbers)


def test_faker_seed_reproduces_and_both_registrations_agree() -> None:
    Faker.seed(42)
    included = Faker("fr_FR", includes=["nir.faker"])
    first = [included.nir(reference_date=REFERENCE_DATE) for _ in range(20)]
    Faker.seed(42)
    added = Faker("fr_FR")
    added.add_provider(NirProvider)
    assert [added.nir(reference_date=REFERENCE_DATE) for _ in range(20)] == first
    assert _fake(3).nia() == _fake(3).nia()
    assert _fake(3).nir() != _fake(4).nir()


def test_faker_options_and_own_method_names() -> None:
    fake = _fake(5)
    assert fake.nir(born=1970, place="corsica")[5:7] == "20"
    assert fake.nir(sex="F", kind="nir")[0] == "2"
    assert fake.nia(reference_date=REFERENCE_DATE)[5:7] == "99"
    assert re.fullmatch(r"[12] \d\d \d\d \S+ \S+ \d{3} \d\d", fake.nir(formatted=True, kind="nir"))
    # Faker's own fr_FR ssn() is left alone.
    assert not isinstance(fake.ssn.__self__, NirProvider)  # type: ignore[attr-defined]


@pytest.mark.parametrize("code", ["key", "month", "key_missing", "excel_mangled", "empty"])
def test_faker_invalid_nir_fails_with_the_code(code: str) -> None:
    fake = _fake(6)
    for _ in range(50):
        with pytest.raises(nir.NirError) as caught:
            nir.validate(fake.invalid_nir(code), reference_date=REFERENCE_DATE)
        assert caught.value.code == code


def test_faker_invalid_nir_without_code_is_invalid() -> None:
    fake = _fake(7)
    assert not any(nir.is_valid(fake.invalid_nir()) for _ in range(200))


# ---------------------------------------------------------------------------
# hypothesis


@given(nirs(reference_date=REFERENCE_DATE))
def test_nirs_are_valid(number: str) -> None:
    assert nir.validate(number, reference_date=REFERENCE_DATE) == number


@given(nirs(formatted=True, reference_date=REFERENCE_DATE))
def test_formatted_nirs_validate_to_their_compact_form(typed: str) -> None:
    compact = nir.validate(typed, reference_date=REFERENCE_DATE)
    assert len(compact) == 15


@given(nias(reference_date=REFERENCE_DATE))
def test_nias_are_born_abroad(number: str) -> None:
    assert nir.parse(number, reference_date=REFERENCE_DATE).country is not None


@given(nirs(born=1960, place="corsica", sex="M", kind="nir"))
def test_nirs_options_are_the_generator_s(number: str) -> None:
    assert number.startswith("160")
    assert number[5:7] == "20"


CODES = [c for c in _generate.ERROR_CODES if c != "temporary"]


@pytest.mark.parametrize("code", CODES)
@given(data=st.data())
def test_invalid_nirs_fail_with_exactly_their_code(code: str, data: st.DataObject) -> None:
    number = data.draw(invalid_nirs(code, reference_date=REFERENCE_DATE))
    with pytest.raises(nir.NirError) as caught:
        nir.validate(number, reference_date=REFERENCE_DATE)
    assert caught.value.code == code


@given(invalid_nirs("temporary"))
def test_invalid_temporary_fails_only_when_temporary_numbers_are_refused(number: str) -> None:
    assert nir.is_valid(number)
    with pytest.raises(nir.NirError) as caught:
        nir.validate(number, allow_temporary=False)
    assert caught.value.code == "temporary"


@given(st.from_type(nir.Nir))
def test_from_type_nir_gives_parsed_numbers(parsed: nir.Nir) -> None:
    assert isinstance(parsed, nir.Nir)
    assert nir.validate(parsed.number) == parsed.number


def test_the_hypothesis_entry_point_is_declared() -> None:
    hooks = [e.value for e in entry_points(group="hypothesis")]
    assert "nir._hypothesis:_hypothesis_setup_hook" in hooks


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        (lambda: nirs(sex="X"), "unknown sex"),
        (lambda: nirs(kind="mig"), "unknown kind"),  # type: ignore[arg-type]
        (lambda: invalid_nirs("nonsense"), "unknown code"),
    ],
)
def test_wrong_strategy_options_raise_at_call_time(call: object, reason: str) -> None:
    assert callable(call)
    with pytest.raises(InvalidArgument):
        call()


# ---------------------------------------------------------------------------
# Privacy

KEY = bytes(range(32))
# (how the number is typed, reason)
TYPINGS = [
    ("2 55 08 14 168 025 38", "spaced"),
    ("255081416802538", "compact"),
    ("2.55.08.14.168.025.38", "dotted"),
    ("'255081416802538", "spreadsheet text marker"),
    (" 2-55-08-14-168-025-38 ", "hyphens and padding"),
]


@pytest.mark.parametrize(("typed", "reason"), TYPINGS)
def test_every_typing_gives_one_pseudonym(typed: str, reason: str) -> None:
    assert nir.pseudonymise(typed, KEY) == nir.pseudonymise("255081416802538", KEY), reason


def test_pseudonym_is_the_hmac_of_the_compact_number() -> None:
    import hashlib
    import hmac

    expected = hmac.new(KEY, b"253072B07300470", hashlib.sha256).hexdigest()
    assert nir.pseudonymise("2 53 07 2b 073 004 70", KEY) == expected
    assert nir.pseudonymise("2 53 07 2B 073 004 70", KEY[::-1]) != expected  # another key


@pytest.mark.parametrize(
    ("value", "code"),
    [("2 55 08 14 168 025 12", "key"), ("", "empty"), ("2 55 13 14 168 025 38", "month")],
)
def test_pseudonymise_refuses_invalid_numbers(value: str, code: str) -> None:
    with pytest.raises(nir.NirError) as caught:
        nir.pseudonymise(value, KEY)
    assert caught.value.code == code


def test_pseudonymise_refuses_short_and_text_keys() -> None:
    with pytest.raises(ValueError, match="at least 16"):
        nir.pseudonymise("255081416802538", b"short key")
    with pytest.raises(TypeError, match="bytes"):
        nir.pseudonymise("255081416802538", "a password of many chars")  # type: ignore[arg-type]
    assert len(nir.pseudonymise("255081416802538", bytes(16))) == 64  # 16 bytes is enough


# (input, masked form, reason)
MASKS = [
    ("2 55 08 14 168 025 38", "2 XX XX XX XXX XXX 38", "mainland"),
    ("1 82 08 974 01 154 75", "1 XX XX XX XXX XXX 75", "overseas: same grouping"),
    ("2 53 07 2B 073 004 70", "2 XX XX XX XXX XXX 70", "Corsica: letter hidden"),
    ("2550814168025", "2 XX XX XX XXX XXX", "13 characters, no key"),
    ("12345", "XXXXX", "not a number: hidden whole"),
    ("", "", "empty"),
]


@pytest.mark.parametrize(("value", "masked", "reason"), MASKS, ids=[m[2] for m in MASKS])
def test_mask(value: str, masked: str, reason: str) -> None:
    assert nir.mask(value) == masked, reason


@given(nirs(formatted=True, reference_date=REFERENCE_DATE))
def test_mask_keeps_only_the_class_digit_and_the_key(typed: str) -> None:
    compact = nir.compact(typed)
    assert nir.mask(typed) == f"{compact[0]} XX XX XX XXX XXX {compact[13:]}"
