"""The command line: exact output, exit codes, stdin, help, and failures that stay quiet."""

from __future__ import annotations

import gzip
import inspect
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import BinaryIO, NoReturn

import click
import pytest
from click.testing import CliRunner, Result

import nir
from nir import _accel, _csvio, _parse, cli

# Every test here runs on the C extension and on the pure-Python core.
pytestmark = pytest.mark.usefixtures("core")

REF = ["--reference-date", "2026-11-23"]


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, list(args), input=stdin)
    return result.exit_code, result.output


def test_check_all_valid() -> None:
    code, out = run("check", *REF, "2 55 08 14 168 025 38", "182089740115475")
    assert code == 0
    assert out == "2 55 08 14 168 025 38\tok\n182089740115475\tok\n"


def test_check_reports_code_and_message() -> None:
    code, out = run("check", *REF, "255081416802538", "2 55 08 14 168 025 12")
    assert code == 1
    assert out == "255081416802538\tok\n2 55 08 14 168 025 12\tkey\tkey is 12, expected 38\n"


def test_check_shows_warnings_and_strict_rejects_them() -> None:
    code, out = run("check", *REF, "253072B07300470")
    assert code == 0
    assert out.startswith("253072B07300470\tok\tcorsica_period: 2B exists only from 1976")
    code, out = run("check", *REF, "--strict", "253072B07300470")
    assert code == 1
    assert out.startswith("253072B07300470\tcorsica_period\t2B exists")


def test_check_policies() -> None:
    assert run("check", *REF, "2840588321025")[0] == 1
    assert run("check", *REF, "--allow-missing-key", "2840588321025") == (0, "2840588321025\tok\n")
    assert run("check", *REF, "870062009002285")[0] == 0
    code, out = run("check", *REF, "--reject-temporary", "870062009002285")
    assert code == 1
    assert "\ttemporary\t" in out


def test_check_reads_stdin() -> None:
    stdin = "255081416802538\r\n\n  \n2.55081416802538E+14\n"
    code, out = run("check", *REF, stdin=stdin)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "255081416802538\tok"
    assert lines[1].startswith("2.55081416802538E+14\texcel_mangled\t")
    assert len(lines) == 2
    assert run("check", "-", stdin="255081416802538\n") == (0, "255081416802538\tok\n")


def test_check_quiet() -> None:
    assert run("check", "-q", "2 55 08 14 168 025 12") == (1, "")
    assert run("check", "--quiet", "255081416802538") == (0, "")


def test_usage_errors_exit_2() -> None:
    assert run("check", "--no-such-flag")[0] == 2
    assert run("check", "--reference-date", "yesterday", "1")[0] == 2
    assert run("explain")[0] == 2
    assert run("no-such-command")[0] == 2


def test_explain_text() -> None:
    code, out = run("explain", *REF, "1 82 08 974 01 154 75")
    assert code == 0
    assert out == (
        "Number  1 82 08 974 01 154 75  (valid)\n"
        "Kind    definitive NIR or NIA (they cannot be told apart)\n"
        "Sex     M (man)\n"
        "Born    August 1982\n"
        "Place   department 974 (La Réunion), commune 97401 (Les Avirons)\n"
        "Order   154\n"
        "Key     75\n"
    )


@pytest.mark.parametrize(
    ("number", "fragment", "reason"),
    [
        ("141330109002285", "March 1941 (pseudo month 33 = 3 + 30)", "pseudo month"),
        ("142580109002248", "1942 (month unknown: code 58)", "unknown month"),
        ("2 95 10 99 126 111 93", "abroad, country 126 (Grèce)", "born abroad"),
        (
            "1 60 05 75 044 001 49",
            "department 75 (Seine), commune 75044 (Levallois-Perret)",
            "names as they were at the birth date",
        ),
        ("1 10 05 75 056 001 05", "(or 1910: the century is not encoded)", "ambiguous century"),
        (
            "155059135200131",
            "department 91 (Alger), before independence: country 352 (Algérie); place code 91352",
            "Algeria before 1962",
        ),
        ("253072B07300470", "Warning  corsica_period:", "warnings listed"),
        ("718610018826448", "temporary number", "temporary"),
    ],
)
def test_explain_fragments(number: str, fragment: str, reason: str) -> None:
    code, out = run("explain", *REF, number)
    assert code == 0, out
    assert fragment in out, reason


def test_explain_invalid() -> None:
    code, out = run("explain", *REF, "2 55 08 14 168 025 12")
    assert code == 1
    first, *suggestions = out.splitlines()
    assert first == "2 55 08 14 168 025 12: invalid (key): key is 12, expected 38"
    # One edit away: the key (12 -> 38) needs two, a body digit one.
    assert suggestions == [
        "Did you mean 2 55 08 94 168 025 12? (character 6 becomes 9 instead of 1)"
    ]


WOMAN_1955 = "255081416802538"  # born August 1955 in Colombières (14168)


@pytest.mark.parametrize(
    ("identity", "lang", "rows", "exit_code", "reason"),
    [
        (
            ["--sex", "Mme", "--birth-date", "12/08/1955", "--birth-place", "14168"],
            "en",
            ["Identity  consistent with the number"],
            0,
            "all three fit",
        ),
        (
            ["--sex", "M", "--birth-date", "12/09/1956"],
            "fr",
            [
                (
                    "Identité    le sexe déclaré est M mais le numéro commence par 2\u00a0; ce"
                    " chiffre suit l'état civil actuel (un changement de sexe à l'état civil"
                    " change le numéro)"
                ),
                " " * 12 + "l'année de naissance déclarée est 1956 mais le numéro porte l'année 55",
                " " * 12 + "le mois de naissance déclaré est 09 mais le numéro porte le mois 08",
            ],
            1,
            "a row of the table per mismatch, in French; a finding, as in nir csv: exit 1",
        ),
        (
            ["--sex", "F", "--birth-date", "31/02/1955"],
            "en",
            [
                "Identity  consistent with the number",
                (
                    "          unreadable or impossible birth date (expected 12/08/1955,"
                    " 1955-08-12 or a spreadsheet serial)"
                ),
            ],
            0,
            "the sex fits; the date unread is said once, for its year and its month",
        ),
        (
            ["--birth-place", "Xyzville"],
            "en",
            ["Identity  birth place unknown to the reference data at that date: not compared"],
            0,
            "nothing compared: not said to fit, nor a finding",
        ),
        ([], "en", [], 0, "no identity given: no row"),
    ],
)
def test_explain_identity_rows(
    identity: list[str], lang: str, rows: list[str], exit_code: int, reason: str
) -> None:
    code, out = run("explain", *REF, "--lang", lang, WOMAN_1955, *identity)
    assert code == exit_code, reason
    lines = out.splitlines()
    key = next(i for i, line in enumerate(lines) if line.startswith(("Key", "Clé")))
    assert lines[key + 1 :] == rows, reason


def test_explain_json() -> None:
    code, out = run("explain", *REF, "--json", "253072B07300470")
    assert code == 0
    data = json.loads(out)
    assert data["number"] == "253072B07300470"
    assert data["department"] == "2B"
    assert data["sex"] == "F"
    assert data["warnings"][0]["code"] == "corsica_period"
    assert data["identity"] is None  # none given
    code, out = run("explain", *REF, "--json", "2 55 08 14 168 025 12")
    assert code == 1
    data = json.loads(out)
    suggestions = data.pop("suggestions")
    assert data == {
        "valid": False,
        "input": "2 55 08 14 168 025 12",
        "error": "key",
        "code": "key",
        "params": {"key": "12", "expected": "38"},
        "message": "key is 12, expected 38",
    }
    assert suggestions, "a wrong key has neighbours"
    assert all(nir.is_valid(s["number"]) for s in suggestions)
    assert {s["edit"] for s in suggestions} <= {"substitution", "transposition"}


def test_explain_fixes_are_judged_on_the_reference_date() -> None:
    # born 12/08/2030 seen from 2031: 55 is 1955 then, so no fix fits that birth date
    args = ("explain", "2 55 08 14 168 025 83", "--birth-date", "12/08/2030")
    code, out = run(*args, "--reference-date", "2031-01-01")
    assert code == 1
    assert "Did you mean" not in out
    code, out = run(*args, "--reference-date", "2031-01-01", "--json")
    assert json.loads(out)["suggestions"] == []
    code, out = run("explain", *REF, "2 55 08 14 168 025 83", "--birth-date", "12/08/1955")
    assert "Did you mean 2 55 08 14 168 025 38?" in out


def test_explain_json_identity() -> None:
    # what the table says, for programs: codes, parameters, messages; exit 1 on a mismatch
    code, out = run(
        "explain", *REF, "--json", "--lang", "fr", WOMAN_1955, "--sex", "M", "--birth-date", "N/A"
    )
    assert code == 1
    identity = json.loads(out)["identity"]
    assert identity["ok"] is False
    assert identity["mismatches"] == ["sex"]
    [sex] = identity["details"]
    assert (sex["field"], sex["code"], sex["params"]) == (
        "sex",
        "identity_sex",
        {"declared": "M", "digit": "2"},
    )
    assert sex["message"].startswith("le sexe déclaré est M")
    assert [(u["field"], u["reason"]) for u in identity["unchecked"]] == [
        ("birth_year", "unreadable_date"),
        ("birth_month", "unreadable_date"),
    ]
    # an invalid number's fixes, the identity's first: the swap that fits 1955
    code, out = run(
        "explain", *REF, "--json", "2 55 08 14 168 025 83", "--birth-date", "1955-08-12"
    )
    assert code == 1
    first = json.loads(out)["suggestions"][0]
    assert (first["number"], first["edit"], first["consistent"]) == (
        "255081416802538",
        "transposition",
        True,
    )


def test_version() -> None:
    code, out = run("--version")
    assert code == 0
    assert out.startswith("nir ")
    assert "(reference data COG 2026; core: " in out
    assert f"core: {nir.core_implementation()})" in out


@pytest.mark.parametrize("command", list(cli.main.commands.values()), ids=lambda c: c.name)
def test_commands_have_help(command: click.Command) -> None:
    assert command.help, f"{command.name} is missing its help"
    code, out = run(command.name or "", "--help")
    assert code == 0
    assert "Usage:" in out


# ---------------------------------------------------------------------------
# Help: click's \b blocks (examples, exit codes) keep one item per line


@pytest.mark.parametrize(
    "command", [cli.main, *cli.main.commands.values()], ids=lambda c: c.name or "nir"
)
def test_help_blocks_keep_their_lines(command: click.Command) -> None:
    args = [] if command is cli.main else [command.name or ""]
    code, out = run(*args, "--help")
    assert code == 0
    assert "\\b" not in out, "a raw docstring leaves click's \\b marker literal"
    assert "\\b" not in (command.help or "")
    paragraphs = inspect.cleandoc(command.help or "").split("\n\n")
    blocks = [p.splitlines()[1:] for p in paragraphs if p.startswith("\b\n")]
    block_lines = [line for block in blocks for line in block if line.strip()]
    heading = "Exit status:" if command is cli.main else "Example"
    assert any(line.strip().startswith(heading) for line in block_lines), f"no {heading}"
    shown = [line.strip() for line in out.splitlines()]
    for line in block_lines:
        assert line.strip() in shown, f"{line.strip()!r} is not on a line of its own"


# ---------------------------------------------------------------------------
# Failures: a bug exits 3 with one line, Ctrl-C 130, a closed pipe 141; never a traceback

VALID_NIR = "255081416802538"
HINT = "please report it (NIR_DEBUG=1 shows the traceback)"


def invoke(*args: str, stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli.main, list(args), input=stdin)


def failing(error: BaseException) -> object:
    """A stand-in for a function deep in nir that fails with `error` (a bug, or Ctrl-C)."""

    def fail(*_args: object) -> NoReturn:
        raise error

    return fail


def csv_with_a_short_row(tmp_path: Path) -> Path:
    """Rows 2-4 are settled by the scan on both cores; row 5 (short) goes to slow_row."""
    rows = ["id;nir;note", *(f"{i};{VALID_NIR};x" for i in range(3)), f"4;{VALID_NIR}"]
    path = tmp_path / "in.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def test_csv_internal_error_names_the_line_and_leaves_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = csv_with_a_short_row(tmp_path)
    out = tmp_path / "out.csv"
    out.write_bytes(b"previous report\n")
    # The message of the bug holds a NIR: the report must not repeat it.
    monkeypatch.setattr(_csvio, "verdict", failing(RuntimeError(f"boom on {VALID_NIR}")))
    result = invoke("csv", *REF, str(source), "-o", str(out))
    assert result.exit_code == cli.EXIT_INTERNAL
    assert result.stderr == (
        f"nir csv: internal error at input line 5: RuntimeError: boom on [number hidden]; {HINT}\n"
    )
    assert out.read_bytes() == b"previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_csv_internal_error_in_the_scan_names_the_lines_of_the_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_scanner(*_args: object) -> object:
        return failing(MemoryError())

    monkeypatch.setattr(_csvio, "scanner", broken_scanner)
    result = invoke("csv", *REF, str(csv_with_a_short_row(tmp_path)), "-o", str(tmp_path / "o"))
    assert result.exit_code == cli.EXIT_INTERNAL
    assert result.stderr == f"nir csv: internal error at input lines 2-5: MemoryError; {HINT}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_nir_debug_shows_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_csvio, "verdict", failing(RuntimeError("boom")))
    source = str(csv_with_a_short_row(tmp_path))
    assert "Traceback" not in invoke("csv", *REF, source).stderr
    monkeypatch.setenv("NIR_DEBUG", "1")
    result = invoke("csv", *REF, source)
    assert result.exit_code == cli.EXIT_INTERNAL
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert "in slow_row" in result.stderr  # where the bug is, not only where it was caught
    last = "nir csv: internal error at input line 5: RuntimeError: boom; please report it\n"
    assert result.stderr.endswith(last)


@pytest.mark.parametrize(
    ("args", "stdin", "where", "reason"),
    [
        (["1", "2", "3"], None, "argument 2", "arguments are counted from 1"),
        ([], "1\n\n2\n3\n", "input line 3", "stdin: blank lines count as lines"),
        (["-"], "1\r\n2\r\n", "input line 2", "stdin named -"),
    ],
)
def test_check_internal_error_names_the_number(
    monkeypatch: pytest.MonkeyPatch, args: list[str], stdin: str | None, where: str, reason: str
) -> None:
    real = _parse.parse_with

    def parse_with(value: str, options: nir.Options) -> nir.Nir:
        if value == "2":
            raise ZeroDivisionError("division by zero")
        return real(value, options)

    monkeypatch.setattr(cli, "parse_with", parse_with)
    result = invoke("check", *args, stdin=stdin)
    assert result.exit_code == cli.EXIT_INTERNAL, reason
    assert (
        result.stdout
        == "1\tlength\tthe number has 1 character; expected 15 (or 13 without the key)\n"
    )
    assert result.stderr == (
        f"nir check: internal error at {where}: ZeroDivisionError: division by zero; {HINT}\n"
    ), reason


def test_explain_and_version_internal_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "parse_with_names", failing(ValueError("x\ny")))
    result = invoke("explain", VALID_NIR)
    assert (result.exit_code, result.stderr) == (
        3,
        f"nir explain: internal error: ValueError: x y; {HINT}\n",
    )
    monkeypatch.setattr(nir, "core_implementation", failing(OSError("gone")))
    result = invoke("--version")
    assert (result.exit_code, result.stderr) == (3, f"nir: internal error: OSError: gone; {HINT}\n")


@pytest.mark.parametrize(
    ("interruption", "reason"),
    [
        (KeyboardInterrupt(), "Ctrl-C"),
        (click.Abort(), "click's Abort, which click itself turns into exit 1"),
    ],
)
def test_interrupted_csv_exits_130_and_leaves_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interruption: BaseException, reason: str
) -> None:
    out = tmp_path / "out.csv"
    out.write_bytes(b"previous report\n")
    monkeypatch.setattr(_csvio, "process", failing_after_writing(interruption))
    result = invoke("csv", *REF, str(csv_with_a_short_row(tmp_path)), "-o", str(out))
    assert result.exit_code == cli.EXIT_INTERRUPTED, reason
    assert result.stderr == "nir csv: interrupted\n"
    assert out.read_bytes() == b"previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_ctrl_c_deep_in_the_checks_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_csvio, "verdict", failing(KeyboardInterrupt()))
    result = invoke("csv", *REF, str(csv_with_a_short_row(tmp_path)))
    assert (result.exit_code, result.stderr) == (130, "nir csv: interrupted\n")


def failing_after_writing(error: BaseException) -> object:
    """A stand-in for `_csvio.process` that writes a partial output, then fails."""

    def process(_source: object, sink: BinaryIO, *_args: object) -> NoReturn:
        sink.write(b"half a report\n")
        sink.flush()
        raise error

    return process


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: data[:20], "Compressed file ended before the end-of-stream marker"),
        (lambda data: data[:12] + b"\xff" * 8 + data[20:], "Error -3 while decompressing data"),
    ],
    ids=["truncated", "corrupt"],
)
def test_damaged_gzip_is_unreadable_input(tmp_path: Path, damage: object, message: str) -> None:
    path = tmp_path / "in.csv.gz"
    path.write_bytes(damage(gzip.compress(f"nir\n{VALID_NIR}\n".encode() * 3)))  # type: ignore[operator]
    result = invoke("csv", *REF, str(path))
    assert result.exit_code == cli.EXIT_USAGE
    assert result.stderr.startswith(f"nir csv: {path}: the gzip data is truncated or corrupt (")
    assert message in result.stderr


# Real processes: what happens at interpreter exit (buffers flushed into a closed pipe,
# signals) only shows there.


def process_env(core: str) -> dict[str, str]:
    # Buffered output, as users have it: what is still buffered at exit is flushed then.
    dropped = ("NIR_DEBUG", "NIR_PURE_PYTHON", "PYTHONUNBUFFERED")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    if core == _accel.PURE_PYTHON:
        env["NIR_PURE_PYTHON"] = "1"
    return env


def nir_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "nir", *args]


@pytest.mark.parametrize(
    ("args", "rows", "read", "reason"),
    [
        (["csv", "IN"], 50_000, 10, "nir csv big.csv | head: a write fails"),
        (["csv", "IN"], 1, 0, "nir csv small.csv | true: the flush at exit fails"),
        (["check", "-"], 50_000, 10, "nir check - < numbers | head: an echo fails"),
    ],
)
def test_broken_pipe_exits_141_quietly(
    tmp_path: Path, core: str, args: list[str], rows: int, read: int, reason: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("nir\n" + f"{VALID_NIR}\n" * rows)
    command = nir_command(*(str(source) if arg == "IN" else arg for arg in args), *REF)
    # Reading nothing, the pipe is closed before the command starts: closed after,
    # it raced the command's one write (which a slow machine let land first).
    closed: int | None = None
    if read == 0:
        reader, closed = os.pipe()
        os.close(reader)
    with (
        source.open("rb") as stdin,
        subprocess.Popen(  # our own interpreter and module
            command,
            stdin=stdin,
            stdout=subprocess.PIPE if closed is None else closed,
            stderr=subprocess.PIPE,
            env=process_env(core),
        ) as process,
    ):
        if closed is not None:
            os.close(closed)
        else:
            assert process.stdout is not None
            assert len(process.stdout.read(read)) == read
            process.stdout.close()  # what `head` does once it has its lines
        assert process.stderr is not None
        errors = process.stderr.read()
        process.wait(timeout=60)
    assert process.returncode == cli.EXIT_BROKEN_PIPE, reason
    assert errors == b"", reason


@pytest.mark.parametrize(
    ("signal_number", "lang", "exit_code", "said", "reason"),
    [
        (signal.SIGINT, "en", cli.EXIT_INTERRUPTED, "nir csv: interrupted", "Ctrl-C"),
        (signal.SIGTERM, "en", cli.EXIT_TERMINATED, "nir csv: terminated", "kill, timeout"),
        (signal.SIGINT, "fr", cli.EXIT_INTERRUPTED, "nir csv\N{NO-BREAK SPACE}: interrompu", "fr"),
        (
            signal.SIGTERM,
            "fr",
            cli.EXIT_TERMINATED,
            "nir csv\N{NO-BREAK SPACE}: arrêté (signal SIGTERM)",
            "in French, as --lang says",
        ),
    ],
)
def test_a_stop_removes_the_temporary_file(
    tmp_path: Path,
    core: str,
    signal_number: int,
    lang: str,
    exit_code: int,
    said: str,
    reason: str,
) -> None:
    out = tmp_path / "out.csv"
    out.write_bytes(b"previous report\n")
    process = subprocess.Popen(  # our own interpreter and module
        nir_command("csv", "-", "-o", str(out), "--lang", lang, *REF),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=process_env(core),
    )
    assert process.stdin is not None
    process.stdin.write(f"nir\n{VALID_NIR}\n".encode())  # less than the sample: it waits
    process.stdin.flush()
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".out.csv.") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline, "nir csv never opened its temporary file"
        time.sleep(0.01)
    process.send_signal(signal_number)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == exit_code, reason
    assert errors.decode() == said + "\n", reason
    assert out.read_bytes() == b"previous report\n", reason
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"], reason


BROKEN_VERDICT = """
import sys
import nir._csvio
def verdict(*args):
    raise RuntimeError("boom")
nir._csvio.verdict = verdict
from nir.cli import main
main()
"""


@pytest.mark.parametrize("debug", ["", "1"])
def test_internal_error_in_a_real_process(tmp_path: Path, core: str, debug: str) -> None:
    env = process_env(core)
    env["NIR_DEBUG"] = debug
    done = subprocess.run(  # our own interpreter
        [sys.executable, "-c", BROKEN_VERDICT, "csv", str(csv_with_a_short_row(tmp_path)), *REF],
        capture_output=True,
        env=env,
        check=False,
        text=True,
    )
    assert done.returncode == cli.EXIT_INTERNAL
    line = "nir csv: internal error at input line 5: RuntimeError: boom; please report it"
    if debug:
        assert done.stderr.startswith("Traceback (most recent call last):")
        assert done.stderr.endswith(line + "\n")
    else:
        assert done.stderr == f"{line} (NIR_DEBUG=1 shows the traceback)\n"


def test_csv_output_to_a_pipe_is_written_in_place(tmp_path: Path) -> None:
    # Renaming a temporary file over a named pipe (or /dev/null) would replace it with a
    # file. A pipe here, so that a regression cannot break this machine's /dev/null.
    source = tmp_path / "in.csv"
    source.write_text("nir\n255081416802538\n", encoding="utf-8")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    result = CliRunner().invoke(cli.main, ["csv", str(source), "-o", str(pipe)])
    reader.join(timeout=10)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(pipe.stat().st_mode), "the pipe is still a pipe"
    assert len(received) == 1, "the reader got the output"
    assert received[0].startswith(b"nir,nir_line"), received
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "pipe"], "no temporary file"
