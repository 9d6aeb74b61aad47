"""Every sentence nir shows, rendered from a code and its params, in French or English.

An error or warning carries a stable `code` and `params` (plain values: str,
int, None); this module turns them into text, in one place. The texts live in
gettext catalogues, ``nir/locale/{fr,en}/LC_MESSAGES/nir.po``, compiled to
``.mo`` when the wheel is built. Their msgids are stable keys (the code, or
``code.variant``), not English sentences: the English wording can then improve
without touching the French catalogue, and a missing message is a missing key.

`CODES` is the table of what each code's params are; `render` checks them.
The language is per call (`render(..., lang="fr")`); `None` means
`default_language()`, read from the environment at each call. Each distinct
(code, params, language) is rendered once, then cached. The catalogues are
read on the first render, never at ``import nir``.

>>> render("key", {"key": "12", "expected": "38"}, "fr")
'la clé est 12, elle devrait être 38'
>>> render("key", {"key": "12", "expected": "38"}, "en")
'key is 12, expected 38'
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from enum import StrEnum

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see nir._tuples)
if TYPE_CHECKING:
    import gettext
    from typing import Final, NamedTuple
else:
    from nir._tuples import NamedTuple

__all__ = [
    "CODES",
    "LANGUAGES",
    "Code",
    "Kind",
    "ParamValue",
    "catalogue_problems",
    "default_language",
    "format_count",
    "language",
    "message_ids",
    "params_from_values",
    "render",
    "render_values",
]

ParamValue = str | int | None
"""What a param may hold: simple values a C extension returns as they are."""

LANGUAGES: Final = ("fr", "en")
"""The languages nir speaks; the first letters of a locale name choose one."""

_ENGLISH = "en"
_FRENCH = "fr"


class Kind(StrEnum):
    """Who shows a message: helps the lead and translators find its use."""

    ERROR = "error"
    """`NirError.code` (and `WarningAsError` uses the warning's code)."""
    WARNING = "warning"
    """`NirWarning.code`."""
    CSV = "csv"
    """The CSV engine: the `missing` row code, the summary line, `CsvInputError`."""
    CLI = "cli"
    """The command line: `nir explain` labels and values, `nir check` words."""
    PART = "part"
    """A piece other messages are built from (month and country names)."""


# Param types. "count" is an int shown with the language's digit grouping
# (1,234 / 1 234); "year" an int, or a two-digit year as its cell wrote it ("55");
# a trailing "?" allows None.
_TYPES: Final[Mapping[str, tuple[type, ...]]] = {
    "str": (str,),
    "int": (int,),
    "year": (int, str),
    "count": (int,),
    "str?": (str, type(None)),
    "int?": (int, type(None)),
}


class Code(NamedTuple):  # a NamedTuple: cheaper to define than a dataclass, import nir stays fast
    """What one code's message needs.

    `params` maps each param name to its type, in the order a tuple of values
    (from C) gives them. `variants` are the message-id suffixes besides the
    plain one ("" = the msgid is the code itself); `select` picks one from
    the params. `plural` names the count param the wording agrees with, if any.
    """

    kind: Kind
    params: Mapping[str, str]
    variants: tuple[str, ...] = ("",)
    select: Callable[[Mapping[str, ParamValue]], str] | None = None
    plural: str | None = None


def _by(name: str, choices: Mapping[str, str], default: str = "") -> Callable[..., str]:
    """A selector: the variant named for `params[name]` in `choices`, else `default`."""

    def select(params: Mapping[str, ParamValue]) -> str:
        return choices.get(str(params[name]), default)

    return select


def _characters(params: Mapping[str, ParamValue]) -> str:
    # The scan flags anything but [0-9AaBb]; only the letter check flags an A or B.
    character = str(params["character"])
    if character in "AB":
        return "letter"
    return "quote" if character in "\"'`\N{RIGHT SINGLE QUOTATION MARK}" else ""


def _excel(params: Mapping[str, ParamValue]) -> str:
    significant, exponent = params["significant"], params["exponent"]
    assert isinstance(exponent, int)
    return "complete" if significant == exponent + 1 and significant in (13, 15) else ""


def _department(params: Mapping[str, ParamValue]) -> str:
    department = str(params["department"])
    if len(department) == 3:
        return "overseas"
    return "independence" if department in _north_africa() else ""


def _place_period(params: Mapping[str, ParamValue]) -> str:
    department = str(params["department"])
    overseas = {"985": "mayotte_985", "976": "mayotte_976", "977": "new_collectivity"}
    overseas["978"] = "new_collectivity"
    if department in overseas:
        return overseas[department]
    return "north_africa_96" if department == "96" else "north_africa"


def _since(params: Mapping[str, ParamValue]) -> str:
    if params["name"] is None:
        return "absent"
    return "open" if params["until"] is None else "closed"


_BIRTH = {"year": "int", "month": "int?"}
_VALIDITY = {"name": "str?", "year": "int", "since": "int?", "until": "int?", "vintage": "str"}
_NAMED = {"code": "str", "name": "str?"}
_named = _by("name", {"None": "bare"})
_E, _W, _C, _L, _P = Kind.ERROR, Kind.WARNING, Kind.CSV, Kind.CLI, Kind.PART

CODES: Final[Mapping[str, Code]] = {
    # --- errors (nir.errors), in the order the rules check them
    "invalid": Code(_E, {}),
    "type": Code(_E, {"type": "str"}),
    "empty": Code(_E, {}),
    "excel_mangled": Code(_E, {"significant": "int", "exponent": "int"}, ("", "complete"), _excel),
    "characters": Code(
        _E, {"character": "str", "position": "int"}, ("", "quote", "letter"), _characters
    ),
    "length": Code(
        _E,
        {"length": "count", "expected": "int"},
        ("", "body"),
        _by("expected", {"13": "body"}),
        plural="length",
    ),
    "key_missing": Code(_E, {"expected": "str"}),
    "sex": Code(_E, {"digit": "str"}),
    "month": Code(_E, {"month": "str"}),
    "department": Code(
        _E, {"department": "str", **_BIRTH}, ("", "overseas", "independence"), _department
    ),
    "commune": Code(_E, {"commune": "str", "department": "str"}),
    "country": Code(_E, {"country": "str"}),
    "order": Code(_E, {"order": "str"}),
    "key": Code(
        _E,
        {"key": "str", "expected": "str"},
        ("", "never"),
        _by("key", {"00": "never", "98": "never", "99": "never"}),
    ),
    "temporary": Code(_E, {"digit": "str"}),
    # --- warnings, the codes of nir.NirWarning
    "undocumented_month": Code(_W, {"month": "str"}),
    "century": Code(
        _W,
        {"year": "int", "rejected": "int", "place": "str", "age_limit": "int?"},
        ("", "beyond"),
        lambda params: "" if params["age_limit"] is None else "beyond",
    ),
    "country_france": Code(_W, {"country": "str"}),
    "commune_range": Code(_W, {"commune": "str", "department": "str"}),
    "place_period": Code(
        _W,
        {"department": "str", **_BIRTH},
        ("mayotte_985", "mayotte_976", "new_collectivity", "north_africa", "north_africa_96"),
        _place_period,
    ),
    "corsica_period": Code(
        _W, {"department": "str", **_BIRTH}, ("", "split"), _by("department", {"20": "split"})
    ),
    "unknown_commune": Code(
        _W, {"commune": "str", **_VALIDITY}, ("absent", "open", "closed"), _since
    ),
    "unknown_country": Code(
        _W, {"country": "str", **_VALIDITY}, ("absent", "open", "closed"), _since
    ),
    # --- pieces of other messages: month names, North African countries (with article)
    "month_name": Code(
        _P, {"month": "int"}, tuple(str(m) for m in range(1, 13)), lambda p: str(p["month"])
    ),
    "country_article": Code(
        _P, {"country": "str"}, ("350", "351", "352"), lambda p: str(p["country"])
    ),
    "clause_separator": Code(_P, {}),  # between the clauses of a summary: "; ", " ; "
    # --- the CSV engine: the row code, the summary line's parts, CsvInputError
    "missing": Code(_C, {"fields": "count", "column": "int"}, plural="fields"),
    "csv_summary": Code(_C, {"rows": "count", "valid": "count", "invalid": "count"}),
    "csv_rows": Code(_C, {"count": "count"}, plural="count"),
    "csv_valid": Code(_C, {"count": "count"}, plural="count"),
    "csv_invalid": Code(_C, {"count": "count"}, plural="count"),
    "csv_with_warnings": Code(_C, {"count": "count"}, plural="count"),
    "csv_short_rows": Code(_C, {"count": "count"}, plural="count"),
    "csv_replaced_lines": Code(_C, {"count": "count"}, plural="count"),
    "csv_separator": Code(_C, {}),
    "csv_utf16": Code(_C, {}),
    "csv_empty": Code(_C, {}),
    "csv_nul": Code(_C, {}),
    "csv_column_from_one": Code(_C, {"column": "str"}),
    "csv_column_name_no_header": Code(_C, {"column": "str"}),
    "csv_no_header_several_columns": Code(_C, {}),
    "csv_column_not_in_header": Code(_C, {"column": "str", "columns": "str"}),
    "csv_which_column": Code(
        _C,
        {"matches": "count", "columns": "str"},
        ("none", "several"),
        lambda params: "none" if params["matches"] == 0 else "several",
    ),
    "csv_delimiter": Code(_C, {"delimiter": "str"}),
    "csv_column_beyond_row": Code(_C, {"column": "int", "count": "count"}, plural="count"),
    "csv_unclosed_quote": Code(_C, {"line": "int"}),
    "csv_unknown_encoding": Code(_C, {"encoding": "str"}),
    "csv_unsupported_encoding": Code(_C, {"encoding": "str"}),
    "csv_unwritable": Code(_C, {"character": "str", "encoding": "str"}),
    "csv_undecodable": Code(
        _C,
        {"line": "int", "size": "count", "bytes": "str", "encoding": "str", "other": "str"},
        plural="size",
    ),
    "csv_same_file": Code(_C, {}),
    "csv_key_not_set": Code(_C, {}),
    "key_too_short": Code(_C, {"length": "int", "minimum": "int"}),
    # --- workbooks in and out of nir csv (nir._sheets)
    "sheet_needs_excel": Code(_C, {}),
    "sheet_missing": Code(_C, {"sheet": "str", "sheets": "str"}),
    "sheet_password": Code(_C, {}),
    "sheet_corrupt": Code(_C, {"kind": "str"}),
    "sheet_not_workbook": Code(_C, {}),
    "report_xlsx_only": Code(_C, {}),
    "report_too_many_rows": Code(_C, {"rows": "count"}),
    "report_sheet_rows": Code(_C, {}),
    "report_sheet_summary": Code(_C, {}),
    "report_rows": Code(_C, {}),
    "report_valid": Code(_C, {}),
    "report_invalid": Code(_C, {}),
    "report_error_code": Code(_C, {}),
    "report_count": Code(_C, {}),
    "report_chart_title": Code(_C, {}),
    # --- the command line
    "label_number": Code(_L, {}),
    "label_kind": Code(_L, {}),
    "label_sex": Code(_L, {}),
    "label_born": Code(_L, {}),
    "label_place": Code(_L, {}),
    "label_order": Code(_L, {}),
    "label_key": Code(_L, {}),
    "label_warning": Code(_L, {}),
    "explain_valid": Code(_L, {"formatted": "str"}),
    "explain_invalid": Code(_L, {"code": "str", "message": "str"}),
    "kind_nir": Code(_L, {}),
    "kind_temporary": Code(_L, {}),
    "sex_male": Code(_L, {}),
    "sex_female": Code(_L, {}),
    "sex_unknown": Code(_L, {}),
    "born_not_encoded": Code(_L, {}),
    "born_date": Code(_L, _BIRTH),
    "born_month_unknown": Code(_L, {"year": "int", "month_code": "str"}),
    "born_pseudo_month": Code(_L, {"month_code": "str", "month": "int"}),
    "born_century": Code(_L, {"year": "int"}),
    "place_not_encoded": Code(_L, {}),
    "place_department": Code(_L, _NAMED, ("", "bare"), _named),
    "place_commune": Code(_L, _NAMED, ("", "bare"), _named),
    "place_country": Code(_L, _NAMED, ("", "bare"), _named),
    "place_abroad": Code(_L, {"country": "str"}),
    "place_before_independence": Code(_L, {"department": "str", "country": "str", "place": "str"}),
    "check_ok": Code(_L, {}),
    "check_reading_stdin": Code(_L, {}),
    "csv_reading_stdin": Code(_L, {}),
    "csv_progress": Code(_L, {}),
    # --- identity cross-checks and suggestions (nir._identity, nir._suggest): appended block
    "identity_sex": Code(_W, {"declared": "str", "digit": "str"}),
    "identity_birth_year": Code(_W, {"declared": "year", "digits": "str"}),
    "identity_birth_month": Code(_W, {"declared": "str", "month": "str"}),
    "identity_birth_place": Code(_W, {"declared": "str", "place": "str"}),
    "identity_unreadable_sex": Code(_W, {}),
    "identity_unreadable_date": Code(_W, {}),
    "identity_future_date": Code(_W, {}),
    "identity_implausible_date": Code(_W, {"years": "int"}),
    "identity_fictitious_month": Code(_W, {"month": "str"}),
    "identity_default_date": Code(_W, {"month": "str"}),
    "identity_temporary_number": Code(_W, {"digit": "str"}),
    "identity_unreadable_place": Code(_W, {}),
    "identity_unknown_place": Code(_W, {}),
    "suggest_substitution": Code(_W, {"position": "int", "was": "str", "now": "str"}),
    "suggest_transposition": Code(_W, {"position": "int", "was": "str", "now": "str"}),
    "suggest_insertion": Code(_W, {"position": "int", "now": "str"}),
    "suggest_deletion": Code(_W, {"position": "int", "was": "str"}),
    "label_identity": Code(_L, {}),
    "explain_identity_ok": Code(_L, {}),
    "explain_did_you_mean": Code(_L, {"formatted": "str", "edit": "str"}),
    # --- nir dsn and nir.dsn: findings on a DSN file
    "dsn_not_a_dsn": Code(_C, {}),
    "dsn_not_a_rubric": Code(_C, {}),
    "dsn_no_quotes": Code(_C, {"rubric": "str"}),
    "dsn_unknown_rubric": Code(_C, {"rubric": "str"}),
    "dsn_truncated": Code(_C, {}),
    "dsn_no_nir": Code(_C, {}),
    "dsn_ntt": Code(_C, {}),
    "dsn_invalid": Code(_C, {"message": "str"}),
    "dsn_mismatch": Code(_C, {"message": "str"}),
    "dsn_registration": Code(_L, {"registration": "str"}),
    "dsn_individuals": Code(_C, {"count": "count"}, plural="count"),
    "dsn_invalid_count": Code(_C, {"count": "count"}, plural="count"),
    "dsn_mismatched": Code(_C, {"count": "count"}, plural="count"),
    "dsn_ntt_count": Code(_C, {"count": "count"}, plural="count"),
    "dsn_problems": Code(_C, {"count": "count"}, plural="count"),
    # --- nir csv identity columns (nir._csvio): appended block
    "csv_identity_mismatches": Code(_C, {"count": "count", "fields": "str"}, plural="count"),
    "csv_shifted_sex": Code(_C, {"percent": "int", "column": "str"}),
    "csv_shifted_birth_date": Code(_C, {"percent": "int", "column": "str"}),
    "csv_shifted_birth_place": Code(_C, {"percent": "int", "column": "str"}),
    # --- how a command stops (nir.cli): appended block
    "cli_interrupted": Code(_L, {"command": "str"}),
    "cli_terminated": Code(_L, {"command": "str"}),
}
"""Every code with a message: its kind, its params (name -> type) and variants."""


def message_ids() -> dict[str, str]:
    """Every msgid the catalogues must hold -> its code."""
    return {
        (f"{code}.{variant}" if variant else code): code
        for code, entry in CODES.items()
        for variant in entry.variants
    }


# ---------------------------------------------------------------------------
# The language


def language(value: str) -> str:
    """The language a name asks for: "fr", "fr_FR", "fr-FR.UTF-8" -> "fr"; "en_US" -> "en".

    >>> language("fr_FR.UTF-8"), language("EN")
    ('fr', 'en')

    Raises `ValueError` for a language nir does not speak.
    """
    head = value.strip().replace("-", "_").split("_", 1)[0].split(".", 1)[0].lower()
    if head not in LANGUAGES:
        raise ValueError(f"unsupported language {value!r}: nir speaks fr and en")
    return head


def default_language() -> str:
    """The language of `str(error)`: ``NIR_LANG``, else the locale, else English.

    The locale is the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set
    (POSIX order); French when it starts with "fr". An unsupported ``NIR_LANG``
    is ignored: printing an error must never raise. Read at each call, so a
    change of the environment takes effect at once.
    """
    environ = os.environ
    chosen = environ.get("NIR_LANG")
    if chosen:
        try:
            return language(chosen)
        except ValueError:
            pass
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return _FRENCH if value.lower().startswith("fr") else _ENGLISH
    return _ENGLISH


# ---------------------------------------------------------------------------
# The catalogues

# os.path, not pathlib: pathlib is not imported by `import nir` otherwise.
_LOCALE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")  # noqa: PTH100, PTH118, PTH120


def _po_path(lang: str, suffix: str) -> str:
    return os.path.join(_LOCALE, lang, "LC_MESSAGES", "nir" + suffix)  # noqa: PTH118


@functools.cache
def _translations(lang: str) -> gettext.GNUTranslations:
    """One language's catalogue: the compiled .mo of a wheel, else the .po (source)."""
    import gettext  # noqa: PLC0415  # only on first render: import nir stays cheap
    import io  # noqa: PLC0415

    if _compiled_is_current(lang):
        with open(_po_path(lang, ".mo"), "rb") as handle:  # noqa: PTH123
            return gettext.GNUTranslations(handle)
    # a source checkout without .mo, or with a .po edited since: compile it in memory
    from nir._catalog import mo_bytes  # noqa: PLC0415

    return gettext.GNUTranslations(io.BytesIO(mo_bytes(_read(lang))))


def _compiled_is_current(lang: str) -> bool:
    """Whether the .mo exists and is no older than its .po (a wheel has no .po).

    An editable install compiles its .mo once (setup.py); a .po edited since wins.
    """
    try:
        compiled = os.stat(_po_path(lang, ".mo")).st_mtime_ns  # noqa: PTH116
    except FileNotFoundError:
        return False
    try:
        source = os.stat(_po_path(lang, ".po")).st_mtime_ns  # noqa: PTH116
    except FileNotFoundError:
        return True
    return compiled >= source


def _template(lang: str, msgid: str, count: int | None) -> str | None:
    """The template of `msgid` in `lang`, None when the catalogue lacks it."""
    catalogue = _translations(lang)
    if count is None:
        text = catalogue.gettext(msgid)
        return None if text == msgid else text
    plural_id = msgid + ".plural"
    text = catalogue.ngettext(msgid, plural_id, count)
    return None if text in (msgid, plural_id) else text


# ---------------------------------------------------------------------------
# Rendering


def format_count(count: int, lang: str | None = None) -> str:
    """A count grouped by thousands: 12,345 in English, 12 345 in French.

    French groups with a no-break space (U+00A0), which cp1252 can encode.
    """
    grouped = f"{count:,}"
    chosen = default_language() if lang is None else language(lang)
    return grouped.replace(",", "\N{NO-BREAK SPACE}") if chosen == _FRENCH else grouped


def params_from_values(code: str, values: tuple[ParamValue, ...]) -> dict[str, ParamValue]:
    """The params of `code` from a tuple in `CODES[code].params` order (as C returns them)."""
    names = CODES[code].params
    if len(values) != len(names):
        raise ValueError(f"{code}: expected {len(names)} values, got {len(values)}")
    return dict(zip(names, values, strict=True))


def render(
    code: str, params: Mapping[str, ParamValue] | None = None, lang: str | None = None
) -> str:
    """The message of `code` with `params`, in `lang` (None: `default_language()`).

    Raises `KeyError` for an unknown code, `TypeError` for params that do not
    match `CODES[code]`, `ValueError` for an unsupported language.
    """
    entry = CODES[code]
    given = params or {}
    if len(given) != len(entry.params):
        raise TypeError(f"{code}: params must be {sorted(entry.params)}, got {sorted(given)}")
    try:
        values = tuple(given[name] for name in entry.params)
    except KeyError:
        raise TypeError(
            f"{code}: params must be {sorted(entry.params)}, got {sorted(given)}"
        ) from None
    _check_types(code, values)  # before the cache: True == 1 to it
    chosen = default_language() if lang is None else language(lang)
    return _render(code, values, chosen)


def render_values(code: str, values: tuple[ParamValue, ...], lang: str | None = None) -> str:
    """`render` with the params as a tuple in `CODES[code].params` order (as C gives them).

    The cheap path of the bulk engine: one cached look-up per distinct message.
    Types are checked when a message is first rendered (the C core gives str,
    int and None, never a bool that the cache would take for an int).
    """
    if len(values) != len(CODES[code].params):
        raise TypeError(f"{code}: expected {len(CODES[code].params)} values, got {len(values)}")
    if lang not in LANGUAGES:  # "fr" and "en" as they are: the bulk engine's usual case
        lang = default_language() if lang is None else language(lang)
    return _render(code, values, lang)


# Large enough for every "key" message (100 keys x 97 expected) and then some: a
# CSV run renders each distinct message once, an eviction would render it again.
@functools.lru_cache(maxsize=1 << 15)
def _render(code: str, values: tuple[ParamValue, ...], lang: str) -> str:
    """`render` once params are checked for names: types, variant, template, fields."""
    entry = CODES[code]
    names, _, plain = _shape(code)
    _check_types(code, values)
    params = dict(zip(names, values))  # noqa: B905  # the length is checked by the callers
    variant = entry.select(params) if entry.select else ""
    count = params[entry.plural] if entry.plural else None
    assert count is None or isinstance(count, int)
    template = _lookup(lang, code, variant, count)
    if plain:
        return template.format_map(params)  # most messages: the params are the fields
    fields: dict[str, object] = dict(params)
    for name, kind in entry.params.items():
        if kind == "count":
            fields[name] = format_count(int(str(params[name])), lang)
    fields.update(_derived(code, params, lang))
    return template.format_map(fields)


def _lookup(lang: str, code: str, variant: str, count: int | None) -> str:
    """The template of a message in `lang`, else in English, cached per plural form."""
    forms = None
    if count is not None:  # the forms the count selects, in lang and in the fallback
        forms = (_plural_form(lang, count), _plural_form(_ENGLISH, count))
    key = (lang, code, variant, forms)
    template = _TEMPLATES.get(key)
    if template is None:
        msgid = f"{code}.{variant}" if variant else code
        template = _template(lang, msgid, count) or _template(_ENGLISH, msgid, count)
        if template is None:
            raise LookupError(f"no message {msgid!r} in the {lang} or en catalogue")
        _TEMPLATES[key] = template
    return template


_TEMPLATES: dict[tuple[str, str, str, tuple[int, int] | None], str] = {}


def _plural_form(lang: str, count: int) -> int:
    """Which plural form `count` takes in `lang` (the catalogue's Plural-Forms rule)."""
    rule: Callable[[int], int] = getattr(_translations(lang), "plural")  # noqa: B009  # untyped
    return rule(count)


@functools.cache
def _shape(code: str) -> tuple[tuple[str, ...], tuple[tuple[type, ...], ...], bool]:
    """A code's param names, their types, and whether the params are the only fields."""
    entry = CODES[code]
    plain = code not in _DERIVED_CODES and "count" not in entry.params.values()
    return tuple(entry.params), tuple(_TYPES[kind] for kind in entry.params.values()), plain


def _check_types(code: str, values: tuple[ParamValue, ...]) -> None:
    """Raise `TypeError` unless each value has its param's type in `CODES[code]`.

    Exact types: a bool is not an int here (nor a str subclass a str).
    """
    types = _shape(code)[1]
    for value, allowed in zip(values, types, strict=True):
        if type(value) not in allowed:
            name, kind = next(
                (name, kind)
                for (name, kind), given in zip(CODES[code].params.items(), values, strict=True)
                if type(given) not in _TYPES[kind]
            )
            raise TypeError(f"{code}: param {name} must be {kind}, got {value!r}")


def _derived(code: str, params: Mapping[str, ParamValue], lang: str) -> dict[str, str]:
    """Fields a template may use beside its params, computed per language."""
    fields: dict[str, str] = {}
    year, month = params.get("year"), params.get("month")
    if isinstance(year, int) and "month" in params and code != "month_name":
        name = _render("month_name", (month,), lang) if isinstance(month, int) else ""
        fields["born"] = f"{name} {year}" if name else str(year)
        fields["month_name"] = name
    if code in ("department", "place_period") and params["department"] in _north_africa():
        country, independence = _north_africa()[str(params["department"])]
        fields["country_name"] = _render("country_article", (country,), lang)
        fields["independence"] = str(independence)
    if code in ("place_period", "corsica_period"):
        fields |= _cut_offs(str(params["department"]))
    if code == "csv_summary":
        for name in ("rows", "valid", "invalid"):
            count = params[name]
            assert isinstance(count, int)
            fields[name] = _render(f"csv_{name}", (count,), lang)
    return fields


def _cut_offs(department: str) -> dict[str, str]:
    """The years of the rule facts a period message names, so that they are said once.

    `cut_off`: when an overseas code starts or stops; `split`: Corsica's 20 becoming
    2A/2B; `departments_from`: 91-95 becoming departments.
    """
    from nir import _rules  # noqa: PLC0415  # the facts, only when such a message is shown

    period = _rules.OVERSEAS_PERIODS.get(department)
    day = None if period is None else period.until or period.since
    return {
        "cut_off": "" if day is None else str(day.year),
        "split": str(_rules.CORSICA_SPLIT.year),
        "departments_from": str(_rules.SEINE_SPLIT.year),
    }


@functools.cache
def _north_africa() -> dict[str, tuple[str, int]]:
    """Department code 91-96 -> (country code, independence year), from the rules."""
    from nir._rules import NORTH_AFRICA  # noqa: PLC0415  # the rule fact lives there

    return {code: (place.country, place.independence.year) for code, place in NORTH_AFRICA.items()}


# ---------------------------------------------------------------------------
# The catalogue check (the tests run it)


def catalogue_problems() -> list[str]:
    """What is wrong with the catalogues: missing, extra or untranslated messages.

    Empty when every msgid of `message_ids()` has a French and an English
    message, the French differs from the English, and each template uses only
    its code's params and derived fields. Plural entries are checked form by form.
    """
    import string  # noqa: PLC0415

    problems: list[str] = []
    wanted = message_ids()
    sources = {lang: _read(lang) for lang in LANGUAGES}
    catalogues = {
        lang: {key.split("\0")[0]: text.split("\0") for key, text in entries.items() if key}
        for lang, entries in sources.items()
    }
    plurals = {
        lang: {key.split("\0")[0]: key.split("\0")[1] for key in entries if "\0" in key}
        for lang, entries in sources.items()
    }
    for lang, entries in catalogues.items():
        problems.extend(
            f"{lang}: {msgid!r} is in the catalogue but no code uses it"
            for msgid in sorted(set(entries) - set(wanted))
        )
    for msgid, code in wanted.items():
        entry = CODES[code]
        allowed = set(entry.params) | _DERIVED.get(code, set())
        if "month" in entry.params and "year" in entry.params and code != "month_name":
            allowed |= {"born", "month_name"}
        texts: dict[str, list[str]] = {}
        for lang, entries in catalogues.items():
            forms = entries.get(msgid)
            if not forms or not all(forms):
                problems.append(f"{lang}: no message for {msgid!r}")
                continue
            if (entry.plural is None) != (len(forms) == 1) or plurals[lang].get(msgid) not in (
                None,
                msgid + ".plural",
            ):
                problems.append(f"{lang}: {msgid!r} plural forms do not match CODES")
            texts[lang] = forms
            for form in forms:
                for _, field, _, _ in string.Formatter().parse(form):
                    if field is not None and field not in allowed:
                        problems.append(f"{lang}: {msgid!r} uses {{{field}}}, not a param")
        if len(texts) == len(LANGUAGES) and texts[_FRENCH] == texts[_ENGLISH]:
            problems.append(f"fr: {msgid!r} is the English message, untranslated")
    return problems


# The codes whose templates may use fields computed by `_derived`.
_DERIVED_CODES: Final = frozenset(
    code
    for code, entry in CODES.items()
    if ("year" in entry.params and "month" in entry.params and code != "month_name")
    or code in ("department", "place_period", "corsica_period", "csv_summary")
)

# Fields computed by `_derived`, by code (besides born/month_name from year+month).
_DERIVED: Final[Mapping[str, set[str]]] = {
    "department": {"country_name", "independence"},
    "place_period": {"country_name", "independence", "cut_off", "split", "departments_from"},
    "corsica_period": {"cut_off", "split", "departments_from"},
}


def _read(lang: str) -> dict[str, str]:
    """The entries of one language's .po source (header included), as `nir._catalog` reads them."""
    from nir._catalog import read_po  # noqa: PLC0415  # the .po reader: source checkouts only

    source = _po_path(lang, ".po")
    with open(source, encoding="utf-8") as handle:  # noqa: PTH123
        return read_po(handle.read(), source)
