"""`nir.generate` and `nir fake`: valid by construction, realistic, reproducible.

The shares are measured on the numbers themselves (not on the generator's labels),
100,000 of them, and must stay within the bounds the module docstring states.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date

import pytest
from click.testing import CliRunner

import nir
from nir import _generate
from nir.cli import main

from .helpers import REFERENCE_DATE

SAMPLE = 100_000


@pytest.fixture(scope="module")
def sample() -> list[str]:
    return nir.generate(SAMPLE, seed=2026, reference_date=REFERENCE_DATE)


def _share(numbers: list[str], test: object) -> float:
    assert callable(test)
    return sum(1 for n in numbers if test(n)) / len(numbers)


def test_every_generated_number_is_valid(sample: list[str]) -> None:
    result = nir.check_many(sample, reference_date=REFERENCE_DATE)
    assert result.errors == {}
    assert all(len(n) == 15 for n in sample)


def test_generated_numbers_carry_no_warning() -> None:
    # Places are valid at the birth date, months are documented: nothing to warn about,
    # except the NNP layout (7/8), whose digits are not a birth place.
    numbers = nir.generate(5000, seed=1, reference_date=REFERENCE_DATE)
    warned = [
        (n[:7], [w.code for w in parsed.warnings])
        for n in numbers
        if n[0] not in "78" and (parsed := nir.parse(n, reference_date=REFERENCE_DATE)).warnings
    ]
    assert warned == []


CORSICA = ("20", "2A", "2B")
ALGERIA = ("91", "92", "93", "94")
# (what is measured, test on the compact number, low bound, high bound)
SHARES = [
    ("born abroad (99)", lambda n: n[0] in "1234" and n[5:7] == "99", 0.085, 0.115),
    ("overseas (97x, 98x)", lambda n: n[0] in "1234" and n[5:7] in ("97", "98"), 0.03, 0.05),
    (
        "Corsica (20, 2A, 2B)",
        lambda n: n[0] in "1234" and n[5:7] in ("20", "2A", "2B"),
        0.005,
        0.015,
    ),
    ("temporary (3, 4, 7, 8)", lambda n: n[0] in "3478", 0.015, 0.025),
    ("fictitious month", lambda n: n[0] in "1234" and not 1 <= int(n[3:5]) <= 12, 0.005, 0.03),
    ("women", lambda n: n[0] in "248", 0.48, 0.52),
]


@pytest.mark.parametrize(("what", "test", "low", "high"), SHARES, ids=[s[0] for s in SHARES])
def test_shares_within_stated_bounds(
    sample: list[str], what: str, test: object, low: float, high: float
) -> None:
    share = _share(sample, test)
    print(f"{what}: {share:.2%}")  # noqa: T201  # shown with -s, quoted in the notes
    assert low <= share <= high


def test_ages_follow_working_people(sample: list[str]) -> None:
    # Ages 16-67 at the reference date, most of them 25-54.
    people = _generate.people(20_000, seed=3, reference_date=REFERENCE_DATE)
    ages = [(REFERENCE_DATE - p.birth).days // 365.2425 for p in people]
    assert min(ages) >= 16
    assert max(ages) <= 68
    assert 0.6 < sum(1 for a in ages if 25 <= a <= 54) / len(ages) < 0.8


def test_same_seed_same_numbers_other_seed_others() -> None:
    first = nir.generate(200, seed=7, reference_date=REFERENCE_DATE)
    assert first == nir.generate(200, seed=7, reference_date=REFERENCE_DATE)
    assert first != nir.generate(200, seed=8, reference_date=REFERENCE_DATE)
    assert nir.generate(seed=7, reference_date=REFERENCE_DATE) == first[0]


# (options, test on each number, reason)
OPTIONS = [
    ({"born": 1970, "place": "corsica"}, lambda n: n[5:7] == "20", "Corsica is 20 before 1976"),
    ({"born": 1990, "place": "corsica"}, lambda n: n[5:7] in ("2A", "2B"), "2A/2B from 1976"),
    ({"born": date(1975, 12, 31), "place": "corsica"}, lambda n: n[5:7] == "20", "eve of split"),
    ({"born": date(1976, 1, 1), "place": "corsica"}, lambda n: n[5:7] in ("2A", "2B"), "split day"),
    ({"born": 2005, "place": "985"}, lambda n: n[5:8] == "985", "Mayotte before 2011"),
    ({"born": 2015, "place": "976"}, lambda n: n[5:8] == "976", "Mayotte from 2011"),
    ({"born": 1960, "place": "75044"}, lambda n: n[5:10] == "75044", "Levallois in Seine"),
    (
        {"born": 1961, "place": "north_africa"},
        lambda n: n[5:7] in ("91", "92", "93", "94"),
        "Algeria",
    ),
    ({"born": 1980, "place": "99143"}, lambda n: n[5:10] == "99143", "Cyprus code 1960-1994"),
    ({"born": 1980, "place": "abroad"}, lambda n: n[5:7] == "99" and n[7:10] != "100", "not 100"),
    ({"born": 1990, "place": "75"}, lambda n: n[5:8] == "751", "Paris: by arrondissement"),
    ({"sex": "F"}, lambda n: n[0] in "248", "women: even digit"),
    ({"sex": "M", "kind": "temporary"}, lambda n: n[0] in "37", "temporary men: 3 or 7"),
    ({"kind": "nia"}, lambda n: n[5:7] == "99", "a NIA is born abroad"),
    ({"born": 1984}, lambda n: n[0] in "78" or n[1:3] == "84", "the year (not in NNPs)"),
]


@pytest.mark.parametrize(("options", "test", "reason"), OPTIONS, ids=[o[2] for o in OPTIONS])
def test_options_are_honoured(options: dict[str, object], test: object, reason: str) -> None:
    assert callable(test)
    numbers = nir.generate(300, seed=5, reference_date=REFERENCE_DATE, **options)  # type: ignore[call-overload]
    assert all(test(n) for n in numbers), reason
    assert nir.check_many(numbers, reference_date=REFERENCE_DATE).errors == {}


# (options, reason) that no birth date can satisfy or that make no sense
REFUSED = [
    ({"born": 2000, "place": "976"}, "976 exists from 2011 only"),
    ({"born": 2015, "place": "985"}, "985 ended in 2011"),
    ({"born": 1970, "place": "75044"}, "Levallois is 92044 from 1968"),
    ({"born": 1970, "place": "north_africa"}, "no North Africa code after independence"),
    ({"born": 2000, "place": "99143"}, "Cyprus code ended in 1994"),
    ({"sex": "X"}, "unknown sex"),
    ({"kind": "mig"}, "unknown kind"),
    ({"invalid": 1.5}, "a rate above 1"),
    ({"invalid": "nonsense"}, "unknown error code"),
    ({"born": "1980"}, "a year as a string"),
]


@pytest.mark.parametrize(("options", "reason"), REFUSED, ids=[r[1] for r in REFUSED])
def test_impossible_options_raise(options: dict[str, object], reason: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        nir.generate(5, seed=1, reference_date=REFERENCE_DATE, **options)  # type: ignore[call-overload]


@pytest.mark.parametrize("code", _generate.ERROR_CODES)
def test_invalid_code_fails_with_exactly_that_code(code: str) -> None:
    allow_temporary = code != "temporary"  # the one code that needs the option
    for number in nir.generate(300, seed=9, invalid=code, reference_date=REFERENCE_DATE):
        with pytest.raises(nir.NirError) as caught:
            nir.validate(number, allow_temporary=allow_temporary, reference_date=REFERENCE_DATE)
        assert caught.value.code == code, number[:5]


def test_invalid_rate_is_the_share_of_invalid_numbers() -> None:
    numbers = nir.generate(20_000, seed=4, invalid=0.1, reference_date=REFERENCE_DATE)
    invalid = len(nir.check_many(numbers, reference_date=REFERENCE_DATE).errors)
    assert 0.09 < invalid / len(numbers) < 0.11
    codes = Counter(nir.check_many(numbers, reference_date=REFERENCE_DATE).errors.values())
    assert {"key", "key_missing", "length", "empty"} <= set(codes)


def test_import_nir_imports_no_integration() -> None:
    code = (
        "import sys, nir; "
        "bad = [m for m in ('faker', 'hypothesis', 'random', 'hmac', 'nir._geo') "
        "if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_fake_is_reproducible_and_valid() -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["fake", "-n", "50", "--seed", "3"])
    again = runner.invoke(main, ["fake", "-n", "50", "--seed", "3"])
    assert first.exit_code == 0
    assert first.output == again.output
    lines = first.output.splitlines()
    assert len(lines) == 50
    assert nir.check_many(lines).errors == {}


def test_cli_fake_csv_labels_agree_with_nir() -> None:
    result = CliRunner().invoke(
        main, ["fake", "-n", "300", "--seed", "1", "--invalid-rate", "0.3", "--format", "csv"]
    )
    assert result.exit_code == 0
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 300
    for row in rows:
        assert nir.is_valid(row["nir"]) == (row["valid"] == "yes"), row["error"]
    assert 0.2 < sum(row["valid"] == "no" for row in rows) / 300 < 0.4


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--invalid-rate", "2"], "a rate above 1"),
        (["-n", "-1"], "a negative count"),
        (["--format", "xml"], "an unknown format"),
    ],
)
def test_cli_fake_refuses_bad_options(args: list[str], reason: str) -> None:
    assert CliRunner().invoke(main, ["fake", *args]).exit_code == 2, reason
