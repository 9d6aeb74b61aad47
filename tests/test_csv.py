"""`nir csv` on real files: every row kept, in order, with a report; exit 0/1/2."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import nir
from nir import cli

from .helpers import with_key

# Every test here runs on both cores (the C extension and the pure-Python one).
pytestmark = pytest.mark.usefixtures("core")

REF = ["--reference-date", "2026-11-23"]
VALID = "2 55 08 14 168 025 38"
CORSICA_1953 = "253072B07300470"
HEADER_ADDED = (
    "nir_line;nir_valid;nir_error_code;nir_error;nir_number;nir_kind;nir_warnings;"
    "nir_identity_mismatch;nir_suggestion"
)


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(cli.main, ["csv", *REF, *args], input=stdin)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def french_excel(rows: list[str]) -> bytes:
    """What French Excel writes: ';', cp1252, CRLF."""
    return "".join(row + "\r\n" for row in rows).encode("cp1252")


def test_french_excel_export(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "export.csv",
        french_excel(
            [
                "matricule;nom;prénom;NIR",
                f"1;Lefèvre;Élodie;{VALID}",
                "2;Dupré;Zoé;2 55 08 14 168 025 12",
                f"3;Müller;Jürgen;{CORSICA_1953}",
            ]
        ),
    )
    out = tmp_path / "out.csv"
    result = run(str(source), "-o", str(out))
    assert result.exit_code == 1, result.output
    assert out.read_bytes().decode("cp1252") == (
        f"matricule;nom;prénom;NIR;{HEADER_ADDED}\r\n"
        f"1;Lefèvre;Élodie;{VALID};2;true;;;255081416802538;nir;;;\r\n"
        "2;Dupré;Zoé;2 55 08 14 168 025 12;3;false;key;key is 12, expected 38;"
        "255081416802512;;;;\r\n"
        f"3;Müller;Jürgen;{CORSICA_1953};4;true;;;{CORSICA_1953};nir;corsica_period;;\r\n"
    )
    assert result.stderr == ("nir csv: 3 rows: 2 valid, 1 invalid (key 1); 1 with warnings\n")


def test_utf8_bom_kept_and_header_found(tmp_path: Path) -> None:
    data = "\ufeffid,Numéro de sécurité sociale\n1,255081416802538\n".encode()
    result = run(str(write(tmp_path, "bom.csv", data)))
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfid,Num\xc3\xa9ro")
    assert result.stdout_bytes.endswith(b",2,true,,,255081416802538,nir,,,\n")


def test_embedded_newlines_and_quotes_are_kept_verbatim(tmp_path: Path) -> None:
    rows = (
        "id;note;nir\n"
        '1;"line one\nline two; with ; delimiters";255081416802538\n'
        '2;"say ""hi""";"2 55 08 14 168 025 12"\n'
        "3;plain;255081416802538\n"
    )
    result = run(str(write(tmp_path, "multi.csv", rows.encode())))
    assert result.exit_code == 1
    lines = result.stdout.split("\n")
    assert lines[1] == '1;"line one'
    assert (
        lines[2] == 'line two; with ; delimiters";255081416802538;2;true;;;255081416802538;nir;;;'
    )
    assert lines[3] == (
        '2;"say ""hi""";"2 55 08 14 168 025 12";4;false;key;key is 12, expected 38;'
        "255081416802512;;;;"
    )
    assert lines[4] == "3;plain;255081416802538;5;true;;;255081416802538;nir;;;"


def test_ragged_rows_are_reported_and_padded(tmp_path: Path) -> None:
    rows = "a;b;nir;d\n1;x;255081416802538;y\n2;short\n3;x;255081416802538;y;extra\n"
    result = run(str(write(tmp_path, "ragged.csv", rows.encode())), "--column", "nir")
    assert result.exit_code == 1
    out = result.stdout.splitlines()
    assert out[2] == (
        '2;short;;;3;false;missing;"the row has 2 fields; the NIR column is number 3";;;;;'
    )
    assert out[3] == "3;x;255081416802538;y;extra;4;true;;;255081416802538;nir;;;"
    assert "short rows padded: 1" in result.stderr


def test_excel_mangled_empty_and_blank_lines(tmp_path: Path) -> None:
    rows = "id;nir\n1;2.55081416802538E+14\n2;\n\n3;'255081416802538\n"
    result = run(str(write(tmp_path, "excel.csv", rows.encode())))
    assert result.exit_code == 1
    out = result.stdout.split("\n")
    assert out[1].startswith("1;2.55081416802538E+14;2;false;excel_mangled;")
    assert out[1].endswith(";;;;;")  # no misleading compact number
    assert out[2] == "2;;3;false;empty;the number is empty;;;;;"
    assert out[3] == ""  # the blank line is kept as it was
    assert out[4] == "3;'255081416802538;5;true;;;255081416802538;nir;;;"
    assert "3 rows: 1 valid, 2 invalid (empty 1, excel_mangled 1)" in result.stderr


def test_no_header_by_number(tmp_path: Path) -> None:
    rows = f"1;{VALID}\n2;2 55 08 14 168 025 12\n"
    result = run(str(write(tmp_path, "nohead.csv", rows.encode())), "--column", "2")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"1;{VALID};1;true;;;255081416802538;nir;;;",
        "2;2 55 08 14 168 025 12;2;false;key;key is 12, expected 38;255081416802512;;;;",
    ]


def test_single_column_list_without_header(tmp_path: Path) -> None:
    result = run(str(write(tmp_path, "list.txt", f"{VALID}\n255081416802538\n".encode())))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"{VALID},1,true,,,255081416802538,nir,,,"


def test_only_invalid_is_an_error_report(tmp_path: Path) -> None:
    rows = "id;nir\n" + "".join(f"{i};255081416802538\n" for i in range(1, 6))
    rows += "6;2 55 08 14 168 025 12\n7;255081416802538\n"
    result = run(str(write(tmp_path, "x.csv", rows.encode())), "--only-invalid")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"id;nir;{HEADER_ADDED}",
        "6;2 55 08 14 168 025 12;7;false;key;key is 12, expected 38;255081416802512;;;;",
    ]


def test_gzip_input_and_stdin(tmp_path: Path) -> None:
    data = f"id;nir\n1;{VALID}\n".encode()
    gz = write(tmp_path, "x.csv.gz", gzip.compress(data))
    assert run(str(gz)).stdout_bytes == run("-", stdin=data).stdout_bytes
    assert run("-", stdin=gzip.compress(data)).exit_code == 0


def test_summary_json(tmp_path: Path) -> None:
    source = write(tmp_path, "x.csv", f"id;nir\n1;{VALID}\n2;x\n".encode())
    summary = tmp_path / "summary.json"
    result = run(str(source), "-o", str(tmp_path / "o.csv"), "--summary-json", str(summary))
    assert result.exit_code == 1
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["rows"] == 2
    assert data["valid"] == 1
    assert data["errors"] == {"characters": 1}
    assert data["delimiter"] == ";"
    assert data["column_name"] == "nir"
    assert data["encoding"] == "utf-8"


def test_policies(tmp_path: Path) -> None:
    rows = f"nir\n2840588321025\n{CORSICA_1953}\n{with_key('7 80 05 75 056 001')}\n"
    source = str(write(tmp_path, "p.csv", rows.encode()))
    assert "key_missing 1" in run(source).stderr
    out = run(source, "--allow-missing-key", "--strict", "--reject-temporary")
    assert "3 rows: 1 valid, 2 invalid (corsica_period 1, temporary 1)" in out.stderr


def test_undecodable_byte_names_the_line(tmp_path: Path) -> None:
    data = b"id;nir\n1;" + VALID.encode() + b"\n2;\xff\xfe\n"
    source = str(write(tmp_path, "bad.csv", data))
    result = run(source, "--encoding", "utf-8")
    assert result.exit_code == 2
    assert "line 3: byte ff cannot be read as utf-8; try --encoding cp1252" in result.stderr
    replaced = run(source, "--encoding", "utf-8", "--replace-bad-bytes")
    assert replaced.exit_code == 1
    assert replaced.stdout.splitlines()[2].endswith(";bad_bytes;;")
    assert "undecodable bytes replaced on 1 line" in replaced.stderr


def test_cp1252_detected_after_an_ascii_start(tmp_path: Path) -> None:
    # The first 64 KiB are ASCII; the first accented name, far below, decides.
    data = b"id;nom;nir\n" + b"".join(b"%d;a;255081416802538\n" % i for i in range(9000))
    data += "9001;Hélène;255081416802538\n".encode("cp1252")
    source = str(write(tmp_path, "late.csv", data))
    result = run(source, "--summary-json", "-")
    assert result.exit_code == 0
    assert '"encoding": "cp1252"' in result.stderr
    assert result.stdout_bytes.endswith(
        "9001;Hélène;255081416802538;9002;true;;;".encode("cp1252") + b"255081416802538;nir;;;\n"
    )
    mixed = data + "9002;Zoé;255081416802538\n".encode()  # and now UTF-8 as well
    result = run(str(write(tmp_path, "mixed.csv", mixed)), "--encoding", "cp1252")
    assert result.exit_code == 0  # every byte reads in cp1252 (as mojibake): no error
    result = run(str(write(tmp_path, "mixed.csv", mixed)), "--encoding", "utf-8")
    assert result.exit_code == 2
    assert "line 9002: byte e9 cannot be read as utf-8" in result.stderr


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the input is empty"),
        (b"PK\x03\x04\x00\x00binary", "not a CSV text file"),
        (b"\xff\xfei\x00d\x00", "UTF-16"),
        (b'id;nir\n1;"never closed\n', "line 2: a quoted field opens here and never closes"),
    ],
    ids=["empty", "zip", "utf16", "unclosed-quote"],
)
def test_not_csv_fails_cleanly(tmp_path: Path, data: bytes, message: str) -> None:
    out = tmp_path / "out.csv"
    result = run(str(write(tmp_path, "in.csv", data)), "-o", str(out))
    assert result.exit_code == 2
    assert message in result.stderr
    assert not out.exists()


def test_failed_run_leaves_existing_output_untouched(tmp_path: Path) -> None:
    out = write(tmp_path, "out.csv", b"previous report\n")
    data = b"id;nir\n" + b"1;255081416802538\n" * 100_000 + b"2;\xff\n"
    result = run(str(write(tmp_path, "in.csv", data)), "-o", str(out), "-e", "utf-8")
    assert result.exit_code == 2
    assert out.read_bytes() == b"previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv", "in.csv"] or sorted(
        p.name for p in tmp_path.iterdir()
    ) == ["in.csv", "out.csv"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--column", "NIR"], "--column 'NIR' is not in the header; the columns are: 1='id'"),
        (["--column", "0"], "columns are numbered from 1"),
        (["--column", "9"], "--column 9: the first row has only 3 columns"),
        ([], "which column holds the NIR? no column name looks like it"),
        (["--encoding", "latin-1"], "encoding 'latin-1' is not supported"),
        (["--encoding", "klingon"], "unknown encoding 'klingon'"),
        (["--delimiter", "::"], "give one ASCII character"),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    source = write(tmp_path, "in.csv", b"id;name;number\n1;a;255081416802538\n")
    result = run(str(source), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_refuses_to_overwrite_input(tmp_path: Path) -> None:
    source = write(tmp_path, "in.csv", b"nir\n255081416802538\n")
    result = run(str(source), "-o", str(source))
    assert result.exit_code == 2
    assert source.read_bytes() == b"nir\n255081416802538\n"


def test_missing_input_file(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert "No such file" in result.stderr


def test_cr_only_and_no_final_newline(tmp_path: Path) -> None:
    data = b"id;nir\r1;255081416802538\r2;255081416802538"
    result = run(str(write(tmp_path, "mac.csv", data)))
    assert result.exit_code == 0
    assert result.stdout_bytes == (
        b"id;nir;" + HEADER_ADDED.encode() + b"\r"
        b"1;255081416802538;2;true;;;255081416802538;nir;;;\r"
        b"2;255081416802538;3;true;;;255081416802538;nir;;;"
    )


def test_output_encoding(tmp_path: Path) -> None:
    source = write(tmp_path, "in.csv", french_excel(["nom;nir", f"Zoé;{VALID}"]))
    result = run(str(source), "--output-encoding", "utf-8")
    assert result.stdout_bytes.decode("utf-8").splitlines()[1].startswith("Zoé;")


def test_comma_delimiter_quotes_appended_messages(tmp_path: Path) -> None:
    source = write(tmp_path, "in.csv", b"id,nir\n1,255081416802512\n")
    out = run(str(source)).stdout.splitlines()[1]
    assert out == '1,255081416802512,2,false,key,"key is 12, expected 38",255081416802512,,,,'


def test_every_row_kept_in_order(tmp_path: Path) -> None:
    rows = [f"{i};{VALID if i % 3 else 'bad'}" for i in range(5000)]
    source = write(tmp_path, "in.csv", ("id;nir\n" + "\n".join(rows) + "\n").encode())
    result = run(str(source))
    out = result.stdout.splitlines()[1:]
    assert [line.split(";")[0] for line in out] == [str(i) for i in range(5000)]
    assert [line.split(";")[2] for line in out] == [str(i + 2) for i in range(5000)]


def test_progress_bar_only_when_asked_or_on_a_terminal(tmp_path: Path) -> None:
    source = str(write(tmp_path, "in.csv", b"nir\n255081416802538\n"))
    quiet = run(source, "-o", str(tmp_path / "a.csv"))
    assert "Checking" not in quiet.stderr  # stderr is not a terminal here
    shown = run(source, "-o", str(tmp_path / "b.csv"), "--progress")
    assert "Checking" in shown.stderr
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_python_dash_m(tmp_path: Path) -> None:
    import subprocess
    import sys

    source = write(tmp_path, "in.csv", b"nir\n255081416802538\n")
    done = subprocess.run(
        [sys.executable, "-m", "nir", "csv", str(source)], capture_output=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.endswith(b";nir;;;\n") or done.stdout.endswith(b",nir,,,\n")


# Cells nir csv appends never start a formula (OWASP, CSV injection); the input's own
# fields stay as they are. (The NIR field as written in the file, the nir_number cell
# it must give, why.)
FORMULAS = [
    ("=1+2", "'=1+2", "= starts a formula"),
    ('"=HYPERLINK(""http://x"";""y"")"', '"\'=HYPERLINK(""HTTP://X"";""Y"")"', "quoted too"),
    ("+33612345678", "'+33612345678", "+ starts a formula"),
    ("@SUM(A1)", "'@SUM(A1)", "@ starts a formula"),
    ("-2550814168025", "2550814168025", "compact drops a leading hyphen: nothing to defuse"),
    ("x=1", "X=1", "a formula character further in is harmless"),
]


@pytest.mark.parametrize(("field", "cell", "reason"), FORMULAS, ids=[f[2] for f in FORMULAS])
def test_appended_cells_never_start_a_formula(
    tmp_path: Path, field: str, cell: str, reason: str
) -> None:
    source = write(tmp_path, "in.csv", f"id;nir\n1;{field}\n".encode())
    result = run(str(source), "--column", "nir")
    assert result.exit_code == 1, reason
    line = result.stdout_bytes.decode().splitlines()[1]
    assert line.startswith(f"1;{field};2;false;"), "the input's own field stays as typed"
    assert f";{cell};" in line, reason
    message = line.removeprefix(f"1;{field};2;false;").split(";", 1)[1]
    assert not message.startswith(("=", "+", "-", "@", "\t", "\r")), "nir_error neither"


KEY = b"0123456789abcdef-a-test-key"


def test_pseudonymised_report_carries_no_number(tmp_path: Path) -> None:
    # The NIR column and nir_number carry the keyed pseudonym of a valid number, the
    # masked form of an invalid one; every way of typing one number gives one pseudonym.
    key_file = write(tmp_path, "key", KEY + b"\n")  # the final line break is not the key
    source = write(
        tmp_path,
        "in.csv",
        french_excel(
            [
                "id;nir;ville",
                f"1;{VALID};Caen",
                "2;255081416802538;Caen",
                '3;"2 55 08 14 168 025 12";Caen',
                "4",
            ]
        ),
    )
    result = run(str(source), "--pseudonymise-key-file", str(key_file))
    assert result.exit_code == 1, result.output
    rows = result.stdout_bytes.decode("cp1252").split("\r\n")
    pseudonym = nir.pseudonymise(VALID, KEY)
    assert rows[1] == f"1;{pseudonym};Caen;2;true;;;{pseudonym};nir;;;", "valid: the pseudonym"
    assert rows[2] == f"2;{pseudonym};Caen;3;true;;;{pseudonym};nir;;;", "typed otherwise: the same"
    assert rows[3].startswith("3;2 XX XX XX XXX XXX 12;Caen;4;false;key;"), "invalid: masked"
    assert rows[3].endswith(";;;;;"), "no number in nir_number either"
    assert rows[4].startswith("4;;;5;false;missing;"), "a short row has no number to hide"
    assert not re.search(r"\d{13}", result.stdout_bytes.decode("cp1252")), "no number left"


def test_pseudonymise_key_from_the_environment(tmp_path: Path) -> None:
    source = write(tmp_path, "in.csv", f"id;nir\n1;{VALID}\n".encode())
    result = CliRunner(env={"NIR_PSEUDONYMISE_KEY": KEY.decode()}).invoke(
        cli.main, ["csv", *REF, str(source), "--pseudonymise"]
    )
    assert result.exit_code == 0, result.output
    assert nir.pseudonymise(VALID, KEY) in result.stdout


@pytest.mark.parametrize(
    ("args", "env", "expected", "reason"),
    [
        (["--pseudonymise"], {"NIR_PSEUDONYMISE_KEY": ""}, "NIR_PSEUDONYMISE_KEY", "not set"),
        (["--pseudonymise"], {"NIR_PSEUDONYMISE_KEY": "short"}, "5 bytes", "too short"),
    ],
)
def test_pseudonymise_refuses_a_bad_key(
    tmp_path: Path, args: list[str], env: dict[str, str], expected: str, reason: str
) -> None:
    source = write(tmp_path, "in.csv", f"id;nir\n1;{VALID}\n".encode())
    result = CliRunner(env=env).invoke(cli.main, ["csv", *REF, "--lang", "en", str(source), *args])
    assert result.exit_code == 2, reason
    assert expected in result.output, reason
    assert VALID.replace(" ", "") not in result.output
