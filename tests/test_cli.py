"""The command line: exact output, exit codes 0/1/2, stdin, help for every command."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

import nir
from nir import cli

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
    assert out == "2 55 08 14 168 025 12: invalid (key): key is 12, expected 38\n"


def test_explain_json() -> None:
    code, out = run("explain", *REF, "--json", "253072B07300470")
    assert code == 0
    data = json.loads(out)
    assert data["number"] == "253072B07300470"
    assert data["department"] == "2B"
    assert data["sex"] == "F"
    assert data["warnings"][0]["code"] == "corsica_period"
    code, out = run("explain", *REF, "--json", "2 55 08 14 168 025 12")
    assert code == 1
    assert json.loads(out) == {
        "valid": False,
        "input": "2 55 08 14 168 025 12",
        "error": "key",
        "message": "key is 12, expected 38",
    }


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
