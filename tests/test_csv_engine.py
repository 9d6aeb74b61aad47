"""`nir csv`'s engine (nir._csvio.process) end to end, on both cores: rows, bytes, counts."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nir
from nir import _csvio, _identity
from nir._identity import identity_codes
from nir._key import key_of

from .conftest import compiled_or_skip, using_core
from .helpers import REFERENCE_DATE
from .strategies import numbers

OPTIONS = nir.Options(reference_date=REFERENCE_DATE)


def run(data: bytes, **config: object) -> tuple[bytes, _csvio.Summary]:
    sink = io.BytesIO()
    summary = _csvio.process(
        io.BytesIO(data),
        sink,
        _csvio.CsvConfig(options=OPTIONS, **config),  # type: ignore[arg-type]
    )
    return sink.getvalue(), summary


def on_both_cores(
    data: bytes, chunk: int | None = None, **config: object
) -> tuple[tuple[bytes, _csvio.Summary], tuple[bytes, _csvio.Summary]]:
    """`run` on the pure-Python core, then on the C one (reads of `chunk` bytes if given)."""
    compiled = compiled_or_skip()
    saved_chunk = _csvio.CHUNK_SIZE
    try:
        if chunk is not None:
            _csvio.CHUNK_SIZE = chunk  # records cut at every place, scan calls sharing state
        with using_core(None):
            expected = run(data, **config)
        with using_core(compiled):
            return expected, run(data, **config)
    finally:
        _csvio.CHUNK_SIZE = saved_chunk


HEADER = b"id;nom;nir\r\n"


@pytest.mark.usefixtures("core")
def test_rows_are_copied_and_checked() -> None:
    data = HEADER + "1;Zoé;255081416802538\r\n2;Léa;2 55 08 14 168 025 12\r\n\r\n3;x\r\n".encode()
    out, summary = run(data)
    assert out.decode().splitlines() == [
        (
            "id;nom;nir;nir_line;nir_valid;nir_error_code;nir_error;nir_number;nir_kind;"
            "nir_warnings;nir_identity_mismatch;nir_suggestion"
        ),
        "1;Zoé;255081416802538;2;true;;;255081416802538;nir;;;",
        "2;Léa;2 55 08 14 168 025 12;3;false;key;key is 12, expected 38;255081416802512;;;;",
        "",
        '3;x;;5;false;missing;"the row has 2 fields; the NIR column is number 3";;;;;',
    ]
    assert out.count(b"\r\n") == 5
    assert (summary.rows, summary.valid, summary.invalid, summary.blank_lines) == (3, 1, 2, 1)
    assert summary.short_rows == [5]


@pytest.mark.usefixtures("core")
def test_only_invalid_and_quoted_multiline_rows() -> None:
    data = HEADER + b'1;"a\nb";255081416802538\n2;"c;d";255081416802512\n'
    out, summary = run(data, only_invalid=True)
    assert out.splitlines()[1:] == [
        b'2;"c;d";255081416802512;4;false;key;key is 12, expected 38;255081416802512;;;;'
    ]
    assert summary.valid == 1


@pytest.mark.usefixtures("core")
@pytest.mark.parametrize(
    ("data", "encoding", "message"),
    [
        (
            HEADER + b"1;a;255081416802538\n2;\xff;x\n",
            "utf-8",
            "line 3: byte ff cannot be read as utf-8",
        ),
        (
            HEADER + b"1;a;x\n" * 3 + b"2;\xc3\xa9\xe2\x82\n",
            "utf-8",
            "line 5: bytes e2 82 cannot be read as utf-8",
        ),
        (HEADER + b"1;\xe9;x\n2;\x81\n", "cp1252", "line 3: byte 81 cannot be read as cp1252"),
    ],
)
def test_undecodable_bytes_name_their_line(data: bytes, encoding: str, message: str) -> None:
    with pytest.raises(_csvio.CsvInputError, match=message):
        run(data, encoding=encoding)


@pytest.mark.usefixtures("core")
def test_unclosed_quote_is_reported() -> None:
    with pytest.raises(_csvio.CsvInputError, match=r"line 3: a quoted field opens here"):
        run(HEADER + b'1;a;255081416802538\n2;"b;x\n3;c;d\n')


# Rows for the differential test: valid and invalid numbers, quotes, accents,
# short and long rows, blank lines, CRLF.
CELL = st.one_of(
    numbers().map(str.encode),
    st.sampled_from([b"", b"x", "Zoé".encode(), b'"a;b"', b'"l1\nl2"', b"2 55 08 14 168 025 12"]),
)
ROW = st.lists(CELL, min_size=1, max_size=5).map(b";".join)
EXPORT = st.builds(
    lambda rows, ending: HEADER + b"".join(row + ending for row in rows),
    st.lists(st.one_of(ROW, st.just(b"")), max_size=30),
    st.sampled_from([b"\n", b"\r\n"]),
)


@given(EXPORT, st.booleans(), st.integers(1, 64))
def test_both_cores_write_the_same_bytes(data: bytes, only_invalid: bool, chunk: int) -> None:
    expected, (out, summary) = on_both_cores(data, chunk, only_invalid=only_invalid)
    assert out == expected[0]
    assert summary == expected[1]


# Identity cells for the differential test: readable, junk, and cells the scan must
# not read itself (quoted, accented, spaced), for a few numbers of known identity.
IDENTITY_NUMBERS = st.one_of(
    st.sampled_from(
        [
            b"255081416802538",  # a woman born in August 1955 in Colombieres (14168)
            b"195109912611146",  # a man born abroad (99126) in October 1995
            b"157059104412330",  # 91: Algeria in May 1957, Essonne since 1968
            b"177052B00400115",  # Corsica, 2B
            b"255081416802583",  # a wrong key: a suggestion
            b"25508141680253",  # a lost key digit: a suggestion by insertion
            b"2 55 08 14 168 025 388",  # a doubled digit: a suggestion by deletion
            b"1770520B0400115",  # 2B swapped with 0
            b"755081416802579",  # temporary: no birth place, its place cell unchecked in C
            b"877059912611113",  # temporary, a man's
        ]
    ),
    numbers().map(str.encode),
)


@st.composite
def mistyped(draw: st.DrawFn) -> bytes:
    """A number of IDENTITY_NUMBERS one edit away from what it was: the suggestions."""
    number = draw(IDENTITY_NUMBERS).decode()
    index = draw(st.integers(0, len(number) - 1))
    char = draw(st.sampled_from("0123456789AB"))
    edits = [
        number[:index] + char + number[index + 1 :],  # substitution
        number[:index] + number[index + 1 : index + 2] + number[index] + number[index + 2 :],
        number[:index] + number[index + 1 :],  # deletion
        number[:index] + char + number[index:],  # insertion
    ]
    return draw(st.sampled_from(edits)).encode()


IDENTITY_NUMBERS = st.one_of(IDENTITY_NUMBERS, mistyped())
SEX_CELLS = st.sampled_from(
    [b"F", b"M", b"Mme", b" f ", b"2", b"N/A", b"", b"x", "Féminin".encode(), b'"F"', b"=1"]
)
DATE_CELLS = st.sampled_from(
    [
        b"12/08/1955",
        b"1955-08-12",
        b"1955-08-12T00:00:00",
        b"12.08.1955",
        b"12-08-1955",
        b"20313",
        b"01/01/1955",
        b"31/02/1980",
        b"12/08/2030",
        b"N/A",
        b"",
        b"12/10/1995",
        b"03/05/1957",
        b'"12/08/1955"',
        b"12/08/1956",
        "12 août 1955".encode(),
        "vendredi 12 août 1955".encode(),
        b"1955/08/12",
        b"12/08/55",
        b"12/08/56",
        b"01/01/55",
        b"29/02/00",
        "12-août-55".encode(),
        b"12/08/20",
        b"12/08/19 55",
        b"1955",  # a year alone: its 1 January
        b"1956",
    ]
)
PLACE_CELLS = st.sampled_from(
    [
        b"14168",
        b"99126",
        b"91044",
        b"99352",
        b"2B004",
        b"2b004",
        b"Colombi\xc3\xa8res",
        b"Paris",
        b"75056",
        b" 14168",
        b"N/A",
        b"",
        b"Alg\xc3\xa9rie",
        b"  ",  # blank: not checked, not even for a temporary number
        b"\xc2\xa0",  # a no-break space: blank once decoded and stripped
    ]
)
IDENTITY_ROW = st.tuples(IDENTITY_NUMBERS, SEX_CELLS, DATE_CELLS, PLACE_CELLS).map(b";".join)
IDENTITY_HEADER = b"nir;sexe;date_naissance;lieu_naissance\r\n"
IDENTITY_EXPORT = st.builds(
    lambda rows: IDENTITY_HEADER + b"".join(row + b"\r\n" for row in rows),
    st.lists(IDENTITY_ROW, max_size=25),
)


@given(IDENTITY_EXPORT, st.booleans(), st.integers(1, 200))
def test_both_cores_check_identity_columns_alike(
    data: bytes, only_invalid: bool, chunk: int
) -> None:
    expected, (out, summary) = on_both_cores(data, chunk, only_invalid=only_invalid)
    assert out == expected[0]
    assert summary == expected[1]
    # and the mismatch cells are nir._identity's verdicts on the cells as csv reads them
    for row in list(csv.reader(io.StringIO(out.decode(), newline=""), delimiter=";"))[1:]:
        sex, born, place = (cell.strip() or None for cell in row[1:4])
        if row[5] == "true":
            codes = identity_codes(row[8], sex, born, place, REFERENCE_DATE)
            assert row[-2] == "|".join(codes), row
        assert (row[-2] == "") or row[5] == "true", "a mismatch only on a valid number"


@st.composite
def identity_layouts(draw: st.DrawFn) -> bytes:
    """IDENTITY_ROW's four cells among 0-45 filler columns of 0-2 bytes, in any order.

    Fillers, mostly empty, put up to 16 delimiters in one 16-byte block (the C split
    keeps each of them, four without a branch, up to 16 slots past the 24th field);
    the NIR column lands before, between or after the identity ones, and past the 24
    fields a split keeps (the cells then by a second walk). Some rows stop short,
    before the NIR column or an identity one.
    """
    names = [b"nir", b"sexe", b"date_naissance", b"lieu_naissance"]
    fillers = draw(st.integers(0, 45))
    width = len(names) + fillers
    if width > 25 and draw(st.booleans()):
        # the identity cells among the 24 fields a split keeps, the NIR column past
        # them: the one layout that keeps fields up to the NIR column, not beyond 24
        kept = draw(st.lists(st.integers(0, 23), min_size=3, max_size=3, unique=True))
        rest = [i for i in range(width) if i not in kept]
        late = draw(st.sampled_from([i for i in rest if i >= 24]))
        at = {late: 0, **{index: kind for kind, index in enumerate(kept, 1)}}
        fill = iter(range(len(names), width))
        order = [at[i] if i in at else next(fill) for i in range(width)]
    else:
        order = draw(st.permutations(range(width)))
    header = [names[i] if i < len(names) else b"c%d" % i for i in order]
    filler = st.sampled_from([b"", b"", b"", b"", b"a", b"ab", b"0", b"12"])
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        named = list(draw(IDENTITY_ROW).split(b";", 3))
        cells = [named[i] if i < len(names) else draw(filler) for i in order]
        if draw(st.integers(0, 3)) == 0:
            cells = cells[: draw(st.integers(0, len(cells)))]
        rows.append(b";".join(cells))
    newline = draw(st.sampled_from([b"\r\n", b"\n"]))
    return b"".join(line + newline for line in [b";".join(header), *rows])


@given(identity_layouts(), st.booleans(), st.one_of(st.none(), st.integers(1, 400)))
def test_both_cores_check_identity_columns_alike_in_any_layout(
    data: bytes, only_invalid: bool, chunk: int | None
) -> None:
    expected, (out, summary) = on_both_cores(data, chunk, only_invalid=only_invalid)
    assert out == expected[0]
    assert summary == expected[1]


# (place cell, the number's first 10 characters, declared birth date, reason): names
# the C scan settles by the places they can denote (nir._identity.place_matches) and
# those it must still ask about, against both cores and nir._identity's verdicts.
NAMED_PLACES = [
    ("Fayet", "2880702303", "16/07/1988", "a homonym: the Aisne one"),
    ("Fayet", "2880712099", "16/07/1988", "a homonym: the Aveyron one"),
    ("Fayet", "2880702304", "16/07/1988", "another commune of a homonym's department"),
    ("Saint-Martin", "1700789355", "01/07/1970", "15 homonyms: one of them"),
    ("St Martin", "1700797801", "01/07/1970", "the collectivity, spelt short"),
    ("Saint-Martin", "1700714168", "01/07/1970", "none of the homonyms"),
    ("Sainte-Marie", "1700797418", "01/07/1970", "13 homonyms, overseas"),
    ("Levallois-Perret", "1600775044", "01/07/1960", "Seine before 1968"),
    ("Levallois-Perret", "1700792044", "01/07/1970", "Hauts-de-Seine since 1968"),
    ("Levallois-Perret", "1700775044", "01/07/1970", "a Seine code after 1968"),
    ("Paris", "1600775104", "01/07/1960", "an arrondissement of Paris"),
    ("Paris", "1700792044", "01/07/1970", "not Paris"),
    ("Bastia", "1700720033", "01/07/1970", "Corsica before 1976"),
    ("Bastia", "180072B033", "01/07/1980", "Haute-Corse since 1976"),
    ("Bastia", "170072B033", "01/07/1970", "2B given for a birth before 1976"),
    ("Ajaccio", "180072A004", "", "no declared date: the number's month"),
    ("Vignes", "1600789448", "01/07/1960", "a commune merged since (2019)"),
    ("Alg\u00e9rie", "1570791044", "03/07/1957", "a country: asked with the number"),
    ("Nowhere-sur-Mer", "1700714168", "01/07/1970", "an unknown name"),
    ("Paris", "7550814168", "12/08/1955", "a temporary number: no place to compare"),
    ("14168", "8550814168", "", "a temporary number, a code cell: unchecked in C"),
    # names the C scan settles at the birth date by their communes' spans
    ("Évry-Courcouronnes", "1200191228", "15/01/2020", "a commune nouvelle (2019): its code"),
    ("Evry", "1200191228", "15/01/2020", "the old name, a span of the code until 2021"),
    ("Courcouronnes", "1200191228", "15/01/2020", "a merged commune against the new one"),
    ("Évry-Courcouronnes", "1200191182", "15/01/2020", "the new name, a merged commune's code"),
    ("Chemillé-en-Anjou", "1900149092", "15/01/1990", "renamed in 2015: an earlier birth"),
    ("Chemillé-en-Anjou", "1900149199", "15/01/1990", "a commune merged into it since"),
    ("Saint-Mandé", "1600775067", "01/07/1960", "Seine before 1968: its Seine code"),
    ("Saint-Mandé", "1700794067", "01/07/1970", "Val-de-Marne since 1968"),
    ("Saint-Mandé", "1600794067", "01/07/1960", "94: Algeria before 1962, asked"),
    ("St-Mandé", "1700775067", "01/07/1970", "a Seine code after 1968, spelt short"),
    ("Massy", "1650791377", "01/07/1965", "a homonym in 91, after Algeria's independence"),
    ("Massy", "1600791377", "01/07/1960", "91 before independence: asked"),
    ("Massy", "1650791044", "01/07/1965", "91, none of the homonyms: compared at the date"),
    ("MASSY", "1650791377", "", "no declared date: the number's month"),
    ("St Denis", "1700793066", "01/07/1970", "9 homonyms, spelt short"),
    ("saint denis", "1700797411", "01/07/1970", "the Réunion homonym, lower case"),
    ("Saint-Denis", "1700792044", "01/07/1970", "none of the homonyms, a related department"),
    ("Saint-Denis", "1700799127", "01/07/1970", "born abroad: not one of its countries"),
    ("Saint Denis", "1700714168", "", "none of the homonyms, no declared date"),
    ("Levallois Perret", "1600792044", "01/07/1960", "a 92 code before 1968, no hyphen"),
    ("Paris", "1700775104", "01/07/1970", "Paris's arrondissement: asked (a city)"),
    ("Lyon", "1700769381", "01/07/1970", "Lyon's 1st arrondissement"),
    ("Lyon", "1700769123", "01/07/1970", "Lyon's city code"),
    ("Marseille", "1700713201", "01/07/1970", "Marseille's 1st arrondissement"),
    ("Marseille", "1700775104", "01/07/1970", "Marseille against Paris"),
    ("Sainte-Colombe", "1700705135", "01/07/1970", "17 homonyms: more than the memo keeps"),
    ("Sainte-Colombe", "1700705136", "01/07/1970", "17 homonyms, none of them"),
    ("Saint-Sauveur", "1700733471", "01/07/1970", "15 homonyms"),
    ("Beaumont-Hague", "1950150041", "15/01/1995", "renamed, then merged into La Hague (2017)"),
    ("La Hague", "1950150041", "15/01/1995", "the commune nouvelle's name, an earlier birth"),
    # a country's name, and the names of Algeria's, Morocco's and Tunisia's 91-96
    ("France", "1550814168", "12/08/1955", "France: every French place (C, not asked)"),
    ("France", "1700799352", "01/07/1970", "France against a birth abroad"),
    ("France", "1550791352", "01/07/1955", "France against Algeria before 1962: asked"),
    ("Alger", "1700799352", "01/07/1970", "Alger is in Algeria, after independence too"),
    ("Alger", "1900591228", "10/05/1990", "Alger is not Essonne: asked"),
    ("Oran", "1550591352", "10/05/1955", "Oran was 92, not 91: asked"),
    ("Essonne", "1550591352", "10/05/1955", "91 in 1955 was Alger"),
    ("Alger", "1640591352", "10/05/1964", "91 between independence and 1968"),
    ("Maroc", "1700799350", "01/07/1970", "a country with a 95 before 1956, abroad"),
    # names with a qualifier: asked once, their own table
    ("Paris 15e", "1800575115", "10/05/1980", "an arrondissement's rank"),
    ("PARIS (14)", "1800575115", "10/05/1980", "another arrondissement"),
    ("Saint-Denis (93)", "1800597411", "10/05/1980", "the homonym of 93, not Réunion's"),
    ("Saint-Denis (Réunion)", "1800597411", "10/05/1980", "La Réunion, without its article"),
    ("St Denis 93200", "1800593066", "", "a postal code, no declared date"),
    ("Casablanca (Maroc)", "1800799350", "10/07/1980", "an unknown city: its country"),
    ("Valence (Espagne)", "1800526362", "10/05/1980", "a country over a French homonym"),
    ("Caen (75)", "1800514118", "10/05/1980", "parts that disagree: unchecked"),
    ("Levallois-Perret (92)", "1600775044", "01/07/1960", "a Seine code before 1968"),
    ("Mostaganem (92)", "1550591352", "10/05/1955", "an unknown city and a code"),
    ("Oran (92)", "1550591352", "10/05/1955", "Oran's 92 against Alger's 91: asked"),
    ("Meyzieu (69)", "1650138233", "10/01/1965", "Isère's code until 1967: the same commune"),
    ("Laval (Québec)", "1800199401", "10/01/1980", "an unknown qualifier: not the French Laval"),
    ("Paris 15e (75)", "1800175116", "10/01/1980", "a rank and a department"),
    ("75 PARIS 15", "1800575115", "10/05/1980", "code, name, rank"),
    ("Ajaccio (2B)", "180012A004", "10/01/1980", "not in 2B"),
    ("Tanger (Maroc)", "1600195123", "10/01/1960", "Morocco's 95"),
    ("Lyon 3", "1800569383", "10/05/1980", "a rank of one digit"),
    ("Le Theil (61)", "1790750595", "02/07/1979", "homonyms that changed kind on one day"),
    ("75016 Paris", "1800575115", "10/05/1980", "an arrondissement's postal code"),
    ("Caen, Calvados, France", "1700675115", "10/06/1970", "qualified twice"),
    ("Oran (Algérie)", "1500191352", "10/01/1950", "Oran's 92 in Algeria"),
    # arrondissements made after the birth: the 9e of Lyon (1964) from the 5e, the 8e (1959)
    ("69389", "1600569385", "10/05/1960", "the 9e, not yet: unchecked in C"),
    ("69389", "1700569385", "10/05/1970", "the 9e against the 5e, both then"),
    ("69388", "1550569383", "10/05/1955", "the 8e, not yet"),
    ("69384", "1600569385", "10/05/1960", "the 4e, there then"),
    ("69389", "1600569385", "", "no declared date: the number's month"),
    ("Lyon 9e", "1600569385", "10/05/1960", "by name: its communes compared, a mismatch"),
    # department names and codes made after the birth
    ("Paris", "1600575012", "10/05/1960", "Boulogne-Billancourt: Seine, never Paris"),
    ("Hauts-de-Seine", "1600575012", "10/05/1960", "Boulogne's today: 92012"),
    ("92", "1600575101", "10/05/1960", "Paris 1er was never in 92"),
    ("92", "1600575012", "10/05/1960", "Boulogne is"),
    ("977", "1900597123", "10/05/1990", "Saint-Barthélemy: 97701 since 2007"),
    ("978", "1900597123", "10/05/1990", "not Saint-Martin"),
    ("2B", "1600520004", "10/05/1960", "Ajaccio is in 2A"),
    # the commune part not always kept: by the names
    ("93001", "1600675001", "15/06/1960", "Alfortville is 94002, not Aubervilliers"),
    ("94002", "1600675001", "15/06/1960", "Alfortville's code since 1968"),
    ("91228", "1600678228", "15/06/1960", "Évry-Petit-Bourg, Évry from 1965: 91228"),
    ("2B099", "1770820099", "31/08/1977", "Cozzano's 20099 is 2A099, not 2B099"),
    ("978", "1900697101", "15/06/1990", "Les Abymes is not in Saint-Martin"),
    # 91-96 from independence to 1968, the anomalous years: the country's name fits too
    ("Algérie", "1640791352", "12/07/1964", "Algeria's 91 of 1964, as Alger fits it"),
    ("99352", "1640791352", "", "its country code, no declared date"),
    ("Maroc", "1600795350", "12/07/1960", "Morocco's 95 of 1960"),
    ("Tunisie", "1600796351", "12/07/1960", "Tunisia's 96 of 1960"),
    ("Tunisie", "1640791352", "12/07/1964", "not Algeria's"),
    ("Caen", "1640791352", "12/07/1964", "neither Algeria nor Essonne"),
    # no declared date: the number's span, in the century nir.parse reads it in
    ("Tunisie", "1200596035", "", "96 of 20: Tunisia's of 1920 (a century warning)"),
    ("99351", "1200596035", "", "its country code"),
    ("Caen", "1200596035", "", "not Tunisia"),
    ("Tunisie", "1200596035", "12/05/1920", "the date says 1920 too"),
    ("Algérie", "1250791352", "", "91 of 25: Essonne's of 2025, no warning"),
    # a commune code of neither the birth's time nor today's: most often a postal code
    ("75015", "1900775115", "12/07/1990", "Paris 15e's postal code, Bry's code until 1968"),
    ("75015", "1900775115", "", "no declared date: the number's month"),
    ("75015", "1600775015", "12/07/1960", "Bry-sur-Marne's own code then"),
    ("75015", "1600775115", "12/07/1960", "Paris 15e of 1960 was not Bry"),
    # communes moved to another department since the birth: named by their department today
    ("Rhône", "1600738447", "12/07/1960", "Isère's Saint-Priest, the Rhône's 69290 since 1968"),
    ("69", "1600738447", "12/07/1960", "its department's code today"),
    ("Rhône", "1600738447", "", "no declared date: the number's month"),
    ("RHONE", "1660701326", "12/07/1966", "Ain's Rillieux, the Rhône's 69286 since 1968"),
    ("Rhône", "1600738185", "12/07/1960", "Grenoble never moved"),
    ("Ain", "1600738447", "12/07/1960", "nor was Saint-Priest ever in the Ain"),
    ("977", "1120397123", "12/03/2012", "Saint-Barthélemy's code of 971 after the split"),
    ("978", "1120397123", "12/03/2012", "not Saint-Martin's"),
    ("978", "1120397127", "12/03/2012", "Saint-Martin's code of 971 after the split"),
    # a cell longer than the names memo's keys: asked, and its answer for any date held
    ("Rillieux-la-Pape" + " " * 60, "1600501326", "12/05/1960", "Ain's Rillieux, now 69286"),
    ("Rillieux-la-Pape" + " " * 60, "1600514168", "12/05/1960", "not Caen, whatever the date"),
]


@pytest.mark.parametrize(("place", "head", "born", "reason"), NAMED_PLACES)
def test_both_cores_settle_place_names_alike(place: str, head: str, born: str, reason: str) -> None:
    body = head[:10] + "123"
    number = f"{body}{key_of(body):02d}"
    data = IDENTITY_HEADER + f"{number};;{born};{place}\r\n".encode() * 2  # once asked, once kept
    expected, (out, summary) = on_both_cores(data)
    assert out == expected[0], reason
    assert summary == expected[1], reason
    codes = identity_codes(number, None, born or None, place, REFERENCE_DATE)
    assert out.decode().splitlines()[1].split(";")[-2] == "|".join(codes), reason


# the names and number places of NAMED_PLACES, met in every pairing at any date
_NAME_CELLS = sorted({place for place, _, _, _ in NAMED_PLACES if not place[:1].isdigit()})
_NUMBER_PLACES = sorted({head[5:10] for _, head, _, _ in NAMED_PLACES})


@given(
    place=st.sampled_from(_NAME_CELLS),
    number_place=st.sampled_from(_NUMBER_PLACES),
    born=st.dates(date(1930, 1, 1), date(2025, 12, 31)),
    dated=st.booleans(),
)
def test_both_cores_settle_place_names_alike_at_any_date(
    place: str, number_place: str, born: date, dated: bool
) -> None:
    body = f"1{born:%y%m}{number_place}123"
    number = f"{body}{key_of(body):02d}"
    declared = f"{born:%d/%m/%Y}" if dated else ""
    data = IDENTITY_HEADER + f"{number};;{declared};{place}\r\n".encode() * 2
    expected, (out, summary) = on_both_cores(data)
    assert out == expected[0]
    assert summary == expected[1]
    codes = identity_codes(number, None, declared or None, place, REFERENCE_DATE)
    assert out.decode().splitlines()[1].split(";")[-2] == "|".join(codes)


@pytest.mark.parametrize(
    "lang",
    [
        pytest.param("fr", id="fr: the C scan renders a key's message once, then fills in"),
        pytest.param("en", id="en: the same in the other catalogue"),
    ],
)
def test_every_wrong_key_reads_as_rendered(lang: str) -> None:
    # 97 consecutive bodies expect the 97 keys; each gets all 100 keys (00, 98, 99 read
    # differently): the C scan's message of each pair must be the rendered one.
    rows = [
        f"{index};{body}{key:02d}".encode()
        for index, body in enumerate(range(2550814168025, 2550814168025 + 97))
        for key in range(100)
    ]
    data = b"id;nir\n" + b"\n".join(rows) + b"\n"
    expected, (out, summary) = on_both_cores(data, only_invalid=True, lang=lang)
    assert out == expected[0]
    assert summary == expected[1]
    assert summary.errors["key"] == 97 * 99


# Values the C scan judges by its own rules (not 15 plain digits), one per reason, each
# twice: the second meets the message the first rendered, in C's table.
JUDGED_IN_C = [
    b"1,85E+14",  # excel_mangled: spreadsheet notation
    b"--",  # empty once compacted
    b"18503X8006084",  # characters: a letter where digits go
    b"12345",  # length
    b"585057800608436",  # sex: 5 is no sex digit
    b"1 85 99 78 006 084 3",  # length with spaces
    b"1859978006084",  # key_missing: 13 digits (month 99 only warns)
    b"1 80 05 20 004 001 08",  # valid, with a warning: department 20 after 1976
    b"177052B00400115",  # valid: Corsica's 2B
    b"177052b00400116",  # key: 2B, wrong key
    b"1770520000001",  # 13 characters, commune 000
    b"2550814168000",  # order 000 without a key
    b"'2 55 08 14 168 025",  # an apostrophe and spaces, 13 digits
]


@pytest.mark.parametrize(
    "lang",
    [
        pytest.param("fr", id="fr: C's cached messages are the rendered ones"),
        pytest.param("en", id="en: the same in the other catalogue"),
    ],
)
def test_messages_of_c_verdicts_read_as_rendered(lang: str) -> None:
    rows = [f"{index};".encode() + value for index, value in enumerate(JUDGED_IN_C * 2)]
    data = b"id;nir\n" + b"\n".join(rows) + b"\n"
    expected, (out, summary) = on_both_cores(
        data, 64, lang=lang
    )  # several scan calls share the messages
    assert out == expected[0]
    assert summary == expected[1]
    assert len(summary.errors) >= 6, summary.errors
    assert summary.warnings, "a warning counted too"


@pytest.mark.parametrize(
    ("encoding", "cell", "name"),
    [
        ("utf-8", b"Colombi\xc3\xa8res", "Colombières"),
        ("cp1252", b"Colombi\xe8res", "Colombières"),
        ("cp1252", b"Colombi\xc3\xa8res", "ColombiÃ¨res"),  # the same bytes read otherwise
        ("utf-8", b" Paris ", "Paris"),
        ("utf-8", b"  ", ""),
    ],
)
def test_place_codes_are_kept_by_encoding_and_cell(encoding: str, cell: bytes, name: str) -> None:
    checker = _csvio.RowChecker(
        ";", "utf-8", 0, 2, only_invalid=False, options=OPTIONS, summary=_csvio.Summary()
    )
    checker.place_codes(b"Colombi\xc3\xa8res")  # another encoding's answer, kept
    checker.encoding = encoding
    expected = _identity.place_matches(name) if name else b""
    assert checker.place_codes(cell) == expected
    assert checker.place_codes(cell) == expected  # the kept answer
    assert checker.place_tables[encoding][cell] == expected


def test_a_header_without_quotes_is_found_without_the_record_patterns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The usual export: the header has no quote, later rows do. The header ends at its
    # first line break whatever the delimiter, so no pattern is compiled at start-up.
    def refused(*_: object) -> None:
        raise AssertionError("the record patterns were used")

    monkeypatch.setattr(_csvio, "_first_record", refused)
    sample = b'\r\nnir;nom\r\n"2 55 08 14 168 025 38";"Dupont; Jean"\r\n'
    for delimiter in _csvio.DELIMITER_CANDIDATES:
        assert _csvio.first_record(sample, delimiter, whole=True) == (
            [b"\r\n"],
            b"nir;nom",
            b"\r\n",
        )
    assert _csvio.detect_delimiter(sample, whole=True) == ";"


# first_record reads the sample's head first: what it finds there is what the whole
# sample gives (blank lines, quoted line breaks, CR, CRLF, a head cut mid-record).
SAMPLE_PIECES = st.sampled_from(
    [b"a;b,c", b"\n", b"\r\n", b"\r", b'"x\ny";1', b'"', b"x" * 500, b"\t|", b" "]
)


@given(st.lists(SAMPLE_PIECES, max_size=40).map(b"".join), st.integers(1, 64), st.booleans())
def test_first_record_from_the_head_is_the_sample_s(sample: bytes, head: int, whole: bool) -> None:
    saved = _csvio.FIRST_RECORD_HEAD
    _csvio.FIRST_RECORD_HEAD = head
    try:
        for delimiter in _csvio.DELIMITER_CANDIDATES:
            try:
                expected = _csvio._first_record(sample, delimiter, whole)
            except _csvio.CsvInputError as error:
                expected_error = str(error)
                with pytest.raises(_csvio.CsvInputError) as raised:
                    _csvio.first_record(sample, delimiter, whole)
                assert str(raised.value) == expected_error
                continue
            assert _csvio.first_record(sample, delimiter, whole) == expected
    finally:
        _csvio.FIRST_RECORD_HEAD = saved
