"""`nir dsn`'s report: a line per finding, or one JSON object, and the exit status.

Streams: each individual is written as it is checked, so a report on a large
DSN takes no more memory than a small one (the JSON too). Without --json only the
findings are reported, so `dsn.findings` leaves the others uncounted as objects.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from datetime import date

import click

from nir import dsn, messages
from nir._bulk import verdict
from nir._identity import check_identity
from nir._parse import Options

EXIT_FOUND = 1
EXIT_UNREADABLE = 2
COUNTS = ("individuals", "invalid", "mismatched", "ntt", "problems")
_COUNT_CODES = {
    "individuals": "dsn_individuals",
    "invalid": "dsn_invalid_count",
    "mismatched": "dsn_mismatched",
    "ntt": "dsn_ntt_count",
    "problems": "dsn_problems",
}


def run(
    files: Iterable[str], *, as_json: bool, show_numbers: bool, today: date | None, lang: str
) -> int:
    """Report on `files`; the exit status (0 nothing found, 1 found, 2 unreadable)."""
    counts = dict.fromkeys(COUNTS, 0)
    names = list(files)
    unreadable = False
    if as_json:
        click.echo('{"files": ' + json.dumps(names, ensure_ascii=False) + ', "individuals": [')
    first = True
    for name in names:
        try:
            records = (
                dsn.check(name, reference_date=today)
                if as_json
                else dsn.findings(name, reference_date=today)
            )
            for record in records:
                if isinstance(record, int):  # individuals with nothing to say
                    counts["individuals"] += record
                    continue
                _count(record, counts)
                if as_json:
                    if isinstance(record, dsn.Checked):
                        click.echo(("" if first else ",\n") + _json(record), nl=False)
                        first = False
                    else:
                        _echo_problem(record, lang)
                elif _reported(record):
                    click.echo(_line(record, show_numbers=show_numbers, today=today, lang=lang))
        except dsn.DsnError as error:
            unreadable = True
            click.echo(f"nir dsn: {error.file}:{error.line}: {error.message(lang)}", err=True)
        except (OSError, EOFError, zlib.error) as error:  # missing file, broken gzip
            unreadable = True
            reason = getattr(error, "strerror", None) or type(error).__name__
            click.echo(f"nir dsn: {name}: {reason}", err=True)
    if as_json:
        click.echo("\n], " + '"summary": ' + json.dumps(counts) + "}")
    summary = ", ".join(
        messages.render(_COUNT_CODES[k], {"count": counts[k]}, lang) for k in COUNTS
    )
    click.echo(f"nir dsn: {summary}", err=True)
    if unreadable:
        return EXIT_UNREADABLE
    return EXIT_FOUND if counts["invalid"] or counts["mismatched"] or counts["problems"] else 0


def _reported(record: dsn.Checked | dsn.Problem) -> bool:
    """A problem, an error, a mismatch, or an NTT-only individual (said, not an error)."""
    return isinstance(record, dsn.Problem) or record.found or record.individual.nir is None


def _count(record: dsn.Checked | dsn.Problem, counts: dict[str, int]) -> None:
    if isinstance(record, dsn.Problem):
        counts["problems"] += 1
        return
    counts["individuals"] += 1
    counts["invalid"] += record.error_code is not None
    counts["mismatched"] += bool(record.mismatches)
    counts["ntt"] += record.ntt and record.individual.nir is None


def _echo_problem(problem: dsn.Problem, lang: str) -> None:
    click.echo(f"nir dsn: {problem.file}:{problem.line}: {problem.message(lang)}", err=True)


def _json(record: dsn.Checked) -> str:
    person = record.individual
    return json.dumps(
        {
            "file": person.file,
            "line": person.line,
            "nir": person.nir,
            "valid": record.valid,
            "error_code": record.error_code,
            "ntt": record.ntt,
            "mismatches": list(record.mismatches),
            "registration": person.registration,
        },
        ensure_ascii=False,
    )


def _line(
    record: dsn.Checked | dsn.Problem, *, show_numbers: bool, today: date | None, lang: str
) -> str:
    if isinstance(record, dsn.Problem):
        return f"{record.file}:{record.line}: {record.message(lang)}"
    person = record.individual
    where = f"{person.file}:{person.line}: "
    if person.registration:
        label = messages.render("dsn_registration", {"registration": person.registration}, lang)
        where += label + ": "
    if show_numbers and person.nir:
        where += person.nir + ": "
    return where + _finding(record, today, lang)


def _finding(record: dsn.Checked, today: date | None, lang: str) -> str:
    person = record.individual
    if record.error_code == "dsn_no_nir":
        return messages.render("dsn_no_nir", {}, lang)
    if person.nir is None:
        return messages.render("dsn_ntt", {}, lang)
    if record.error_code is not None:
        why = verdict(person.nir, Options(allow_missing_key=True, reference_date=today))
        return messages.render("dsn_invalid", {"message": why.message(lang)}, lang)
    number = record.number
    assert number is not None
    result = check_identity(
        number,
        sex=person.sex,
        birth_date=person.birth_date,
        birth_place=person.declared_place(number),
        reference_date=today,
    )
    said = messages.render("clause_separator", {}, lang).join(
        finding.message(lang) for finding in result.details
    )
    return messages.render("dsn_mismatch", {"message": said}, lang)
