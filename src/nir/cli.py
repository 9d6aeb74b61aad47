"""The `nir` command line.

The only module that imports click: it adapts the library's results and errors to
lines, JSON and exit codes (0 valid, 1 invalid, 2 usage or unreadable input, 3 a bug
in nir, 130 interrupted, 141 standard output closed early, 143 terminated), and never
shows a traceback unless NIR_DEBUG=1 asks for it.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO, TypeVar

import click

import nir
from nir import _accel, messages
from nir._parse import Options, parse_with, parse_with_names
from nir._privacy import checked_key

if TYPE_CHECKING:  # the CSV engine loads with `nir csv` only: ~15% of a one-number start
    from nir import _csvio

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130  # what a shell reports for Ctrl-C (128 + SIGINT)
EXIT_BROKEN_PIPE = 141  # what a shell reports for a closed pipe (128 + SIGPIPE)
EXIT_TERMINATED = 143  # 128 + SIGTERM: kill, `timeout`, a container or a job stopped
# Digits (with the separators people type, and the A/B of 2A/2B) long enough to be
# most of a NIR: hidden from error messages.
_NUMBER_LIKE = re.compile(r"[0-9](?:[ .'-]*[0-9AaBb]){9,}")
_LONGEST_DETAIL = 200


def policy_options(func: F) -> F:
    """The core's policies, spelled the same way by every command."""
    decorators = [
        click.option(
            "--allow-missing-key",
            is_flag=True,
            help="Accept 13-character numbers (the DSN form) and complete their key.",
        ),
        click.option(
            "--reject-temporary",
            is_flag=True,
            help="Reject temporary numbers (first digit 3, 4, 7 or 8).",
        ),
        click.option(
            "--strict",
            is_flag=True,
            help="Treat warnings (e.g. a Corsican code that does not fit the year) as errors.",
        ),
        click.option(
            "--reference-date",
            type=click.DateTime(formats=["%Y-%m-%d"]),
            default=None,
            help="Infer the century of birth as of this date (YYYY-MM-DD) instead of today.",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def lang_option(func: F) -> F:
    """`--lang fr|en`, the same on every command; without it the default language."""
    return click.option(
        "--lang",
        type=click.Choice(messages.LANGUAGES, case_sensitive=False),
        default=None,
        help="Language of the messages (fr or en). Default: NIR_LANG, else the locale "
        "(LC_ALL, LC_MESSAGES, LANG), else English.",
    )(func)


def _language(lang: str | None) -> str:
    """The command's language, kept for the line that says how it stopped (`_stop_line`)."""
    chosen = messages.default_language() if lang is None else messages.language(lang)
    context = click.get_current_context(silent=True)
    if context is not None:
        context.meta[_LANG_KEY] = chosen
    return chosen


_LANG_KEY = "nir.lang"


def make_options(
    allow_missing_key: bool,
    reject_temporary: bool,
    strict: bool,
    reference_date: datetime | None,
) -> Options:
    """Gather the policy flags into the core's `Options`."""
    day: date | None = reference_date.date() if reference_date is not None else None
    return Options(
        allow_temporary=not reject_temporary,
        allow_missing_key=allow_missing_key,
        warnings_as_errors=strict,
        reference_date=day,
    )


@contextlib.contextmanager
def _exit_codes(ctx: click.Context) -> Iterator[None]:
    """Turn what is neither a verdict nor a usage error into an exit code and one line.

    A bug (any unexpected exception) exits 3 with a line saying what and where, Ctrl-C
    130, a closed standard output (`nir csv big.csv | head`) 141 without a word. SIGTERM
    is met like Ctrl-C (a half-written output's temporary file is removed), then 143.
    """
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
        ours = True
    except ValueError:  # not the main thread (nir called from a caller's): theirs stays
        previous, ours = None, False
    try:
        try:
            yield
        finally:
            sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
    except (click.exceptions.Exit, click.ClickException):
        raise
    except BrokenPipeError:
        _discard_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    except (KeyboardInterrupt, click.Abort):
        click.echo(_stop_line(ctx, "cli_interrupted"), err=True)
        sys.exit(EXIT_INTERRUPTED)
    except _Terminated:
        click.echo(_stop_line(ctx, "cli_terminated"), err=True)
        sys.exit(EXIT_TERMINATED)
    except Exception as error:  # noqa: BLE001  # reported, then exit 3: that is the point
        _report_internal_error(_command_name(ctx), error)
        sys.exit(EXIT_INTERNAL)
    finally:
        if ours:  # None: a handler not set from Python, taken as the default
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread: what a `finally` or `except BaseException` meets."""


def _terminate(_signal: int, _frame: object) -> None:
    raise _Terminated


def _stop_line(ctx: click.Context, code: str) -> str:
    """How the command stopped, in its language (--lang once read, else the default)."""
    lang = ctx.meta.get(_LANG_KEY) or messages.default_language()
    return messages.render(code, {"command": _command_name(ctx)}, lang)


def _command_name(ctx: click.Context) -> str:
    return f"nir {ctx.invoked_subcommand}" if ctx.invoked_subcommand else "nir"


def _discard_stdout() -> None:
    """Point standard output at /dev/null after a broken pipe.

    What is still buffered is then dropped at exit instead of failing again, which
    Python would report as "Exception ignored ... BrokenPipeError" (and exit 120).
    """
    try:
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError):  # not a real file (a test runner's capture)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


def _report_internal_error(command: str, error: Exception) -> None:
    """One line on stderr: what failed and where, never the row (it may hold a NIR)."""
    debug = os.environ.get("NIR_DEBUG", "") not in ("", "0")
    if debug:
        import traceback  # noqa: PLC0415  # only here: nir starts faster without it

        traceback.print_exception(error, file=sys.stderr)
    where = ""
    csvio = sys.modules.get("nir._csvio")  # FailedAt is raised only once it is loaded
    if csvio is not None and isinstance(error, csvio.FailedAt):
        where = f" at {error.where}"
        if isinstance(error.__cause__, Exception):
            error = error.__cause__
    detail = _NUMBER_LIKE.sub("[number hidden]", " ".join(str(error).split()))
    if len(detail) > _LONGEST_DETAIL:
        detail = detail[:_LONGEST_DETAIL] + "..."
    what = type(error).__name__ + (f": {detail}" if detail else "")
    hint = "" if debug else " (NIR_DEBUG=1 shows the traceback)"
    click.echo(f"{command}: internal error{where}: {what}; please report it{hint}", err=True)


class _Commands(click.Group):
    """The `nir` group: every command runs under `_exit_codes`."""

    def invoke(self, ctx: click.Context) -> Any:  # noqa: ANN401  # click's own signature
        with _exit_codes(ctx):
            return super().invoke(ctx)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """`--version`: the library, its reference data and which core is running."""
    if not value or ctx.resilient_parsing:
        return
    with _exit_codes(ctx):
        from nir import _data  # noqa: PLC0415  # reads the data's metadata only when asked

        click.echo(
            f"nir {nir.__version__} (reference data {_data.data_vintage()}; "
            f"core: {nir.core_implementation()})"
        )
    ctx.exit()


@click.group(cls=_Commands, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version, the reference data vintage and the core in use, then exit.",
)
def main() -> None:
    """Validate and explain French social security numbers (NIR, NIA, temporary).

    \b
    Exit status:
        0    all numbers (rows) are valid
        1    some are invalid
        2    usage error, or an input that cannot be read
        3    internal error: a bug in nir, please report it (NIR_DEBUG=1 shows the traceback)
        130  interrupted (Ctrl-C)
        141  standard output closed before the end (nir csv big.csv | head)
        143  terminated (SIGTERM: kill, timeout)
    """


def _stdin_lines(stream: TextIO, lang: str) -> Iterator[tuple[str, str]]:
    """The non-blank lines of `stream`, each with where it is ("input line 3")."""
    if stream.isatty():
        click.echo(messages.render("check_reading_stdin", {}, lang), err=True)
    for number, line in enumerate(stream, start=1):
        value = line.rstrip("\r\n")
        if value.strip():
            yield f"input line {number}", value


@main.command()
@click.argument("numbers", nargs=-1)
@policy_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing; only the exit status tells.")
@lang_option
def check(
    numbers: tuple[str, ...],
    allow_missing_key: bool,
    reject_temporary: bool,
    strict: bool,
    reference_date: datetime | None,
    quiet: bool,
    lang: str | None,
) -> None:
    """Check numbers given as arguments, or one per line on standard input.

    Prints one line per number: the input, then "ok" (with any warnings) or the
    error code and a message, separated by tabs. "ok" and the codes are the same
    in every language, for scripts; the messages follow --lang. Exits 0 when all are valid,
    1 when any is invalid.

    \b
    Examples:
        nir check "2 55 08 14 168 025 38"
        cut -d';' -f5 export.csv | nir check -
    """
    options = make_options(allow_missing_key, reject_temporary, strict, reference_date)
    chosen = _language(lang)
    reading_stdin = not numbers or numbers == ("-",)
    values: Iterable[tuple[str, str]] = (
        _stdin_lines(sys.stdin, chosen)
        if reading_stdin
        else ((f"argument {index}", value) for index, value in enumerate(numbers, start=1))
    )
    any_invalid = False
    for where, value in values:
        try:
            parsed = parse_with(value, options)
        except nir.NirError as error:
            any_invalid = True
            line = f"{value}\t{error.code}\t{error.message(chosen)}"
        except Exception as error:
            from nir._csvio import FailedAt  # noqa: PLC0415  # see the imports

            raise FailedAt(where) from error
        else:
            line = "\t".join(
                [value, "ok", *(f"{w.code}: {w.message(chosen)}" for w in parsed.warnings)]
            )
        if not quiet:
            click.echo(line)
    if any_invalid:
        sys.exit(EXIT_INVALID)


def _describe(parsed: nir.Nir, lang: str) -> list[tuple[str, str]]:
    """The lines of `nir explain`, as (label, text) pairs, in `lang`."""

    def say(code: str, /, **params: messages.ParamValue) -> str:
        return messages.render(code, params, lang)

    kind = say("kind_nir" if parsed.kind is nir.Kind.NIR else "kind_temporary")
    sex = say(
        {nir.Sex.MALE: "sex_male", nir.Sex.FEMALE: "sex_female", None: "sex_unknown"}[parsed.sex]
    )
    month_code = parsed.number[3:5]
    if parsed.birth_year is None:
        born = say("born_not_encoded")
    elif parsed.birth_month is None:
        born = say("born_month_unknown", year=parsed.birth_year, month_code=month_code)
    else:
        born = say("born_date", year=parsed.birth_year, month=parsed.birth_month)
        if parsed.month_kind is nir.MonthKind.PSEUDO:
            born += say("born_pseudo_month", month_code=month_code, month=parsed.birth_month)
    if parsed.century_ambiguous and parsed.birth_year is not None:
        born += say("born_century", year=parsed.birth_year - 100)
    lines = [
        (say("label_number"), say("explain_valid", formatted=parsed.formatted)),
        (say("label_kind"), kind),
        (say("label_sex"), sex),
        (say("label_born"), born),
        (say("label_place"), _place_text(parsed, say)),
        (say("label_order"), parsed.order),
        (say("label_key"), parsed.key),
    ]
    lines.extend((say("label_warning"), f"{w.code}: {w.message(lang)}") for w in parsed.warnings)
    return lines


def _place_text(parsed: nir.Nir, say: Callable[..., str]) -> str:
    if parsed.department is None:
        if parsed.country is None:
            return say("place_not_encoded")
        country = say("place_country", code=parsed.country, name=parsed.country_name)
        return say("place_abroad", country=country)
    text = say("place_department", code=parsed.department, name=parsed.department_name)
    if parsed.country is not None:
        country = say("place_country", code=parsed.country, name=parsed.country_name)
        return say(
            "place_before_independence",
            department=text,
            country=country,
            place=parsed.commune or "",
        )
    if parsed.commune:
        text += ", " + say("place_commune", code=parsed.commune, name=parsed.commune_name)
    return text


def nir_as_json(parsed: nir.Nir, lang: str | None = None) -> dict[str, Any]:
    """A JSON-ready dict of a parse result, its warnings' messages in `lang`."""
    return {
        "valid": True,
        "number": parsed.number,
        "formatted": parsed.formatted,
        "kind": str(parsed.kind),
        "sex": None if parsed.sex is None else str(parsed.sex),
        "birth_year": parsed.birth_year,
        "birth_month": parsed.birth_month,
        "month_kind": None if parsed.month_kind is None else str(parsed.month_kind),
        "century_ambiguous": parsed.century_ambiguous,
        "department": parsed.department,
        "department_name": parsed.department_name,
        "commune": parsed.commune,
        "commune_name": parsed.commune_name,
        "country": parsed.country,
        "country_name": parsed.country_name,
        "order": parsed.order,
        "key": parsed.key,
        "warnings": [
            {"code": w.code, "params": w.params, "message": w.message(lang)}
            for w in parsed.warnings
        ],
    }


@main.command()
@click.argument("number")
@policy_options
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object for programs.")
@click.option("--sex", default=None, help="Declared sex or civility (M/F, H/F, Mme...).")
@click.option("--birth-date", default=None, help="Declared birth date (12/08/1955, 1955-08-12).")
@click.option("--birth-place", default=None, help="Declared birth place: INSEE code or name.")
@lang_option
def explain(
    number: str,
    allow_missing_key: bool,
    reject_temporary: bool,
    strict: bool,
    reference_date: datetime | None,
    as_json: bool,
    sex: str | None,
    birth_date: str | None,
    birth_place: str | None,
    lang: str | None,
) -> None:
    """Show what each part of a number means, or why it is invalid.

    Exits 0 when the number is valid, 1 when it is not or when the identity given
    (--sex, --birth-date, --birth-place) does not match it.

    \b
    Example:
        nir explain "1 82 08 974 01 154 75"
    """
    options = make_options(allow_missing_key, reject_temporary, strict, reference_date)
    chosen = _language(lang)
    try:
        parsed = parse_with_names(number, options)
    except nir.NirError as error:
        today = options.reference_date or date.today()  # noqa: DTZ011  # a civil date, no zone
        fixes = _likely_fixes(number, today, (sex, birth_date, birth_place))
        if as_json:
            payload = {
                "valid": False,
                "input": number,
                "error": error.code,
                "code": error.code,
                "params": error.params,
                "message": error.message(chosen),
                "suggestions": [
                    {
                        "number": s.number,
                        "formatted": s.formatted,
                        "edit": s.edit,
                        "position": s.position,
                        "message": s.message(chosen),
                        "consistent": s.consistent,
                    }
                    for s in fixes
                ],
            }
            import json  # noqa: PLC0415  # only for --json: nir starts faster without it

            click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            said = messages.render(
                "explain_invalid", {"code": error.code, "message": error.message(chosen)}, chosen
            )
            click.echo(f"{number}: {said}")
            for line in _did_you_mean(fixes, chosen):
                click.echo(line)
        sys.exit(EXIT_INVALID)
    identity = None
    if sex is not None or birth_date is not None or birth_place is not None:
        identity = nir.check_identity(
            parsed.number,
            sex=sex,
            birth_date=birth_date,
            birth_place=birth_place,
            reference_date=options.reference_date,
        )
    if as_json:
        import json  # noqa: PLC0415  # only for --json: nir starts faster without it

        payload = nir_as_json(parsed, chosen)
        payload["identity"] = None if identity is None else _identity_json(identity, chosen)
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        lines = _describe(parsed, chosen)
        if identity is not None:
            lines += _identity_rows(identity, sex, birth_date, birth_place, chosen)
        width = max(len(label) for label, _ in lines)
        for label, text in lines:
            click.echo(f"{label.ljust(width)}  {text}".rstrip())
    if identity is not None and not identity.ok:
        sys.exit(EXIT_INVALID)  # a finding, as in nir csv: a script can tell


def _likely_fixes(
    number: str, today: date, identity: tuple[str | None, str | None, str | None]
) -> list[nir.Suggestion]:
    """`nir explain`'s likely fixes of an invalid number, none the identity contradicts.

    Judged on `today` (the run's --reference-date), as the identity verdict is.
    """
    from nir._suggest import suggestions  # noqa: PLC0415  # only for an invalid number

    sex, birth_date, birth_place = identity
    found = suggestions(number, today, sex=sex, birth_date=birth_date, birth_place=birth_place)
    return [s for s in found if s.consistent is not False]


def _did_you_mean(fixes: list[nir.Suggestion], lang: str) -> list[str]:
    """`_likely_fixes`, as « Vouliez-vous dire … ? » lines."""
    return [
        messages.render(
            "explain_did_you_mean", {"formatted": s.formatted, "edit": s.message(lang)}, lang
        )
        for s in fixes
    ]


def _identity_json(result: nir.IdentityCheck, lang: str) -> dict[str, Any]:
    """`nir explain --json`'s identity verdict: codes, parameters and messages."""

    def finding(found: nir.Finding) -> dict[str, Any]:
        return {
            "field": found.field,
            "code": found.code,
            "reason": found.reason,
            "params": found.params,
            "message": found.message(lang),
        }

    return {
        "ok": result.ok,
        "mismatches": list(result.mismatches),
        "details": [finding(found) for found in result.details],
        "unchecked": [finding(found) for found in result.unchecked],
    }


def _identity_rows(
    result: nir.IdentityCheck,
    sex: str | None,
    birth_date: str | None,
    birth_place: str | None,
    lang: str,
) -> list[tuple[str, str]]:
    """`nir explain`'s identity verdict, as rows of its table.

    One per mismatching or unchecked field (its message says which), after one saying
    the rest fits when something could be compared.
    """
    # (a date unread is said once, for its year and its month)
    said = list(dict.fromkeys(f.message(lang) for f in (*result.details, *result.unchecked)))
    given = {
        "sex": sex,
        "birth_year": birth_date,
        "birth_month": birth_date,
        "birth_place": birth_place,
    }
    compared = {field for field, value in given.items() if value is not None}
    compared -= {f.field for f in result.unchecked}
    if result.ok and compared:  # not "consistent" when nothing could be compared
        said.insert(0, messages.render("explain_identity_ok", lang=lang))
    label = messages.render("label_identity", lang=lang)
    return [(label if i == 0 else "", text) for i, text in enumerate(said)]


@main.command()
@click.option("-n", "count", type=click.IntRange(min=0), default=10, show_default=True)
@click.option("--seed", type=int, default=None, help="Same seed, same numbers (on the same day).")
@click.option(
    "--invalid-rate",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    help="Share of numbers broken the way real files are (wrong key, 13 digits...).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["txt", "csv"]),
    default="txt",
    show_default=True,
    help="txt: one number per line; csv: the number, its verdict and the person drawn.",
)
def fake(count: int, seed: int | None, invalid_rate: float, output_format: str) -> None:
    """Print realistic made-up numbers, for test data.

    Birth dates follow the ages of working people; places come from the INSEE
    data valid at the birth date; about 10 % are born abroad, some are NIA or
    temporary numbers. A made-up number can still be someone's real one by chance:
    never use them outside tests.

    \b
    Examples:
        nir fake -n 5 --seed 1
        nir fake -n 1000 --invalid-rate 0.05 --format csv > people.csv
    """
    from nir._generate import people  # noqa: PLC0415  # the generator only when asked

    drawn = people(count, seed=seed, invalid=invalid_rate)
    if output_format == "txt":
        click.echo("".join(person.number + "\n" for person in drawn), nl=False)
        return
    import csv  # noqa: PLC0415
    import io  # noqa: PLC0415

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["nir", "valid", "error", "sex", "birth_date", "born_in", "kind"])
    writer.writerows(
        [p.number, "no" if p.error else "yes", p.error or "", p.sex, p.birth, p.category, p.kind]
        for p in drawn
    )
    click.echo(out.getvalue(), nl=False)


@main.command("csv")
@click.argument("input_path", metavar="INPUT", type=click.Path(allow_dash=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    "output_path",
    type=click.Path(allow_dash=True, dir_okay=False),
    default="-",
    show_default=True,
    help="Where to write the checked CSV ('-' = standard output). Written atomically.",
)
@click.option(
    "-c",
    "--column",
    default=None,
    help="The NIR column: a header name or a number (1 = first). Default: the one "
    "header that looks like a NIR column (nir, nss, secu, insee...).",
)
@click.option(
    "--sheet",
    default=None,
    help="For an .xlsx, .xlsm or .ods input: the sheet, a name or a number (1 = first). "
    "Default: the first.",
)
@click.option("--only-invalid", is_flag=True, help="Write only the rows that fail.")
@click.option("-d", "--delimiter", default=None, help="Field delimiter. Default: detected.")
@click.option(
    "-e",
    "--encoding",
    default=None,
    help="utf-8, utf-8-sig or cp1252. Default: detected.",
)
@click.option(
    "--output-encoding",
    default=None,
    help="Encoding of the output. Default: the input's.",
)
@click.option(
    "--header/--no-header",
    default=None,
    help="Whether the first row is a header. Default: detected.",
)
@click.option(
    "--replace-bad-bytes",
    is_flag=True,
    help="Replace undecodable bytes (and report their rows) instead of stopping.",
)
@click.option(
    "--pseudonymise-key-file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Write keyed pseudonyms (HMAC-SHA256) instead of the numbers, with the key in "
    "this file (at least 16 bytes); invalid numbers are masked.",
)
@click.option(
    "--pseudonymise",
    is_flag=True,
    help="The same, with the key in the NIR_PSEUDONYMISE_KEY environment variable "
    "(never on the command line: other users can read process lists).",
)
@click.option(
    "--summary-json",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    default=None,
    help="Also write the summary as JSON to this file ('-' = standard error).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar on standard error. Default: when it is a terminal.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Threads that check at once (the same output whatever the number). "
    "Default: the usable cores.",
)
@click.option(
    "--birth-date-column",
    default=None,
    help="The declared birth date column (name or number). Default: found by header "
    "(date_naissance, birth_date, dob...).",
)
@click.option(
    "--sex-column",
    default=None,
    help="The declared sex or civility column. Default: found by header (sexe, sex, civilite...).",
)
@click.option(
    "--birth-place-column",
    default=None,
    help="The declared birth place column (INSEE code or name). Default: found by header "
    "(lieu_naissance, commune_naissance, code_insee_naissance...).",
)
@click.option(
    "--no-identity",
    "no_identity",
    is_flag=True,
    help="Do not check the identity columns against the number.",
)
@policy_options
@lang_option
def csv_command(
    input_path: str,
    output_path: str,
    column: str | None,
    sheet: str | None,
    only_invalid: bool,
    delimiter: str | None,
    encoding: str | None,
    output_encoding: str | None,
    header: bool | None,
    replace_bad_bytes: bool,
    pseudonymise_key_file: str | None,
    pseudonymise: bool,
    summary_json: str | None,
    progress: bool | None,
    jobs: int | None,
    birth_date_column: str | None,
    sex_column: str | None,
    birth_place_column: str | None,
    no_identity: bool,
    allow_missing_key: bool,
    reject_temporary: bool,
    strict: bool,
    reference_date: datetime | None,
    lang: str | None,
) -> None:
    """Check the NIR column of a CSV file and report every row.

    Writes the input back, every field and row unchanged and in order, with
    columns appended: nir_line (line of the row in the input), nir_valid
    (true/false), nir_error_code, nir_error, nir_number (compact form), nir_kind
    (nir/temporary), nir_warnings (codes separated by |), nir_identity_mismatch
    (the identity fields that contradict a valid number: sex, birth_year,
    birth_month, birth_place, separated by |) and nir_suggestion (for an invalid
    number, the one correction consistent with the row's identity). The output
    keeps the input's delimiter, encoding and line endings. A summary goes to
    standard error.

    An .xlsx, .xlsm or .ods input is read as its sheet (--sheet) shows it, numbers
    and dates as text; nir_line is then its row number. With -o report.xlsx the
    output is a workbook: the rows, invalid ones highlighted, and a summary sheet.

    Exits 0 when all rows are valid and consistent, 1 when some are not, 2 when the
    input cannot be read (the message says which line and what to try); see
    `nir --help` for the other exit codes.

    \b
    Examples:
        nir csv export.csv -o checked.csv --column NIR
        nir csv export.csv.gz --only-invalid -o errors.csv
        cat export.csv | nir csv - --column 5 > checked.csv
    """
    from nir import _csvio  # noqa: PLC0415  # see the imports
    from nir._workbooks import is_workbook  # noqa: PLC0415

    config = _csvio.CsvConfig(
        column=column,
        delimiter=delimiter,
        encoding=encoding,
        header=header,
        only_invalid=only_invalid,
        replace_bad_bytes=replace_bad_bytes,
        output_encoding=output_encoding,
        options=make_options(allow_missing_key, reject_temporary, strict, reference_date),
        lang=_language(lang),
        pseudonymise_key=_pseudonymise_key(pseudonymise_key_file, pseudonymise, _language(lang)),
        jobs=jobs or _accel.usable_cores(),
        identity=not no_identity,
        sex_column=sex_column,
        birth_date_column=birth_date_column,
        birth_place_column=birth_place_column,
    )
    if output_path != "-" and input_path != "-" and _same_file(input_path, output_path):
        raise click.UsageError(messages.render("csv_same_file", {}, config.lang))
    import zlib  # noqa: PLC0415  # for its error class: not at import, as pathlib

    try:
        if sheet is not None or is_workbook(input_path) or is_workbook(output_path):
            from nir import _sheets  # noqa: PLC0415  # only for workbooks

            summary = _sheets.run(input_path, output_path, config, sheet)
        else:
            summary = _run_csv(input_path, output_path, config, progress)
    except _csvio.CsvInputError as error:
        click.echo(f"nir csv: {input_path}: {error.message(config.lang)}", err=True)
        sys.exit(EXIT_USAGE)
    except BrokenPipeError:
        raise  # standard output closed early: not an input problem (see _exit_codes)
    except (EOFError, zlib.error) as error:  # what gzip raises for truncated or corrupt data
        message = f"the gzip data is truncated or corrupt ({error})"
        click.echo(f"nir csv: {input_path}: {message}", err=True)
        sys.exit(EXIT_USAGE)
    except OSError as error:
        click.echo(f"nir csv: {error.strerror or error}: {error.filename or input_path}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"nir csv: {summary.line(config.lang)}", err=True)
    if summary_json is not None:
        import json  # noqa: PLC0415  # only for --summary-json: nir starts faster without it

        payload = json.dumps(summary.as_json(), ensure_ascii=False, indent=2) + "\n"
        if summary_json == "-":
            click.echo(payload, err=True, nl=False)
        else:
            from pathlib import Path  # noqa: PLC0415  # not at import: `nir check` starts faster

            Path(summary_json).write_text(payload, encoding="utf-8")
    if summary.invalid or summary.mismatched_rows:
        sys.exit(EXIT_INVALID)


def _pseudonymise_key(path: str | None, from_environment: bool, lang: str | None) -> bytes | None:
    """The key for `--pseudonymise-key-file` / `--pseudonymise`, checked; None without them.

    A file's final line break is not part of the key (editors add one).
    """
    if path is None and not from_environment:
        return None
    if path is not None:
        from pathlib import Path  # noqa: PLC0415  # not at import: `nir check` starts faster

        key = Path(path).read_bytes().rstrip(b"\r\n")
    else:
        key = os.environb.get(b"NIR_PSEUDONYMISE_KEY", b"")
        if not key:
            raise click.UsageError(messages.render("csv_key_not_set", {}, lang))
    try:
        return checked_key(key, lang)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def _same_file(first: str, second: str) -> bool:
    try:
        return os.path.samefile(first, second)  # noqa: PTH121  # see _run_csv
    except OSError:
        return False


def _run_csv(
    input_path: str, output_path: str, config: _csvio.CsvConfig, progress: bool | None
) -> _csvio.Summary:
    # os, not pathlib: importing pathlib is ~4 ms of a short run's start-up.
    with contextlib.ExitStack() as stack:
        if input_path == "-":
            raw: BinaryIO = sys.stdin.buffer
            size = None
            if raw.isatty():
                click.echo(messages.render("csv_reading_stdin", {}, config.lang), err=True)
        else:
            raw = stack.enter_context(open(input_path, "rb"))  # noqa: PTH123  # see above
            size = os.fstat(raw.fileno()).st_size
        from nir import _csvio  # noqa: PLC0415  # see the imports

        source, position = _csvio.open_input(raw)
        show = progress if progress is not None else (size is not None and sys.stderr.isatty())
        update = None
        if show and size:
            bar = stack.enter_context(
                click.progressbar(
                    length=size,
                    label=messages.render("csv_progress", {}, config.lang),
                    file=sys.stderr,
                )
            )
            update = bar.update
        if output_path == "-":
            summary = _csvio.process(source, sys.stdout.buffer, config, update, position)
            sys.stdout.buffer.flush()  # all written (or a broken pipe) before the summary
            return summary
        return _write_atomically(output_path, source, config, update, position)
    raise AssertionError  # pragma: no cover - the with block always returns


def _write_atomically(
    target: str,
    source: BinaryIO,
    config: _csvio.CsvConfig,
    update: Callable[[int], None] | None,
    position: Callable[[], int] | None,
) -> _csvio.Summary:
    """Write to a temporary file beside the target, then rename: never half a file.

    A target that exists and is not a regular file (/dev/null, a named pipe) is written
    in place: renaming over it would replace the device or the pipe with a file.
    """
    from nir import _csvio, _outfile  # noqa: PLC0415  # see the imports

    if os.path.exists(target) and not os.path.isfile(target):  # noqa: PTH110, PTH113  # see _run_csv
        with open(target, "wb", buffering=1 << 20) as sink:  # noqa: PTH123
            return _csvio.process(source, sink, config, update, position)
    # The name is chosen before the file exists, so that an interrupt that lands as
    # the file is being created (after the open, before its result is kept) still
    # finds the name to remove.
    temporary: str | None = None
    folder, name = os.path.split(target)
    try:
        while True:
            temporary = os.path.join(folder, f".{name}.{os.urandom(6).hex()}")  # noqa: PTH118
            try:
                handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                break
            except FileExistsError:
                temporary = None  # not ours: another name
        with _outfile.open_new(handle, 1 << 20) as sink:
            summary = _csvio.process(source, sink, config, update, position)
        os.replace(temporary, target)  # noqa: PTH105
    except BaseException:
        if temporary is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)  # noqa: PTH108  # see _run_csv
        raise
    return summary


@main.command("dsn")
@click.argument(
    "files", metavar="FILE...", nargs=-1, required=True, type=click.Path(allow_dash=True)
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object for programs.")
@click.option("--show-numbers", is_flag=True, help="Show the declared NIR on each line.")
@click.option(
    "--reference-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Check as of this date (YYYY-MM-DD) instead of today.",
)
@lang_option
def dsn(
    files: tuple[str, ...],
    as_json: bool,
    show_numbers: bool,
    reference_date: datetime | None,
    lang: str | None,
) -> None:
    """Check the NIR of every individual (block S21.G00.30) of DSN files.

    The NIR as a DSN declares it (13 characters, the key completed; 15 accepted),
    and the declared sex (.005), birth date (.006) and birth place (.007, .014,
    .015) against it. One line per individual with a finding (file, line,
    registration number .019), then a summary on standard error. An individual
    with only an NTT (.020) is reported, not counted as an error. Files may be
    ISO-8859-1 (the DSN's encoding) or UTF-8, gzipped, or - for standard input.

    Exits 0 when nothing was found, 1 when something was, 2 when a file cannot
    be read as a DSN.

    \b
    Examples:
        nir dsn declaration.dsn
        nir dsn 2026-*.dsn.gz --json > report.json
    """
    from nir import _dsnreport  # noqa: PLC0415  # the DSN reader only when asked

    chosen = _language(lang)
    today = reference_date.date() if reference_date else None
    status = _dsnreport.run(
        files, as_json=as_json, show_numbers=show_numbers, today=today, lang=chosen
    )
    sys.exit(status)
