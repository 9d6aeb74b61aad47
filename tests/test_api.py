"""The public contract: names, stdnum compatibility, and a cheap import."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest
from stdnum import exceptions as stdnum_exceptions
from stdnum.util import NumberValidationModule

import nir
from nir import errors


def test_nir_is_a_stdnum_number_module() -> None:
    module: NumberValidationModule = nir
    assert module.validate("255081416802538") == "255081416802538"


# (error class, its code, the stdnum class it must also be)
ERRORS = [
    (errors.InvalidInputType, "type", stdnum_exceptions.InvalidFormat),
    (errors.EmptyValue, "empty", stdnum_exceptions.InvalidLength),
    (errors.ExcelMangled, "excel_mangled", stdnum_exceptions.InvalidFormat),
    (errors.InvalidCharacters, "characters", stdnum_exceptions.InvalidFormat),
    (errors.InvalidLength, "length", stdnum_exceptions.InvalidLength),
    (errors.MissingKey, "key_missing", stdnum_exceptions.InvalidLength),
    (errors.InvalidSex, "sex", stdnum_exceptions.InvalidComponent),
    (errors.InvalidMonth, "month", stdnum_exceptions.InvalidComponent),
    (errors.InvalidDepartment, "department", stdnum_exceptions.InvalidComponent),
    (errors.InvalidCommune, "commune", stdnum_exceptions.InvalidComponent),
    (errors.InvalidCountry, "country", stdnum_exceptions.InvalidComponent),
    (errors.InvalidOrder, "order", stdnum_exceptions.InvalidComponent),
    (errors.InvalidKey, "key", stdnum_exceptions.InvalidChecksum),
    (errors.TemporaryNotAllowed, "temporary", stdnum_exceptions.InvalidComponent),
]


@pytest.mark.parametrize(("cls", "code", "stdnum_cls"), ERRORS)
def test_error_classes(cls: type[nir.NirError], code: str, stdnum_cls: type[Exception]) -> None:
    error = cls()
    assert error.code == code
    assert isinstance(error, nir.NirError)
    assert isinstance(error, ValueError)
    assert isinstance(error, stdnum_cls)
    assert str(error) == error.message()
    assert cls("detail").message() == "detail"
    assert repr(cls("detail")) == f"{cls.__name__}('detail')"


def test_stdnum_callers_catch_our_errors() -> None:
    # Code written for stdnum.fr.nir keeps working unchanged.
    with pytest.raises(stdnum_exceptions.InvalidChecksum):
        nir.validate("2 55 08 14 168 025 12")
    with pytest.raises(stdnum_exceptions.ValidationError):
        nir.validate("2 55 13 14 168 025 38")


def test_codes_are_unique() -> None:
    codes = [code for _, code, _ in ERRORS]
    assert len(codes) == len(set(codes))


def fresh_interpreter(code: str) -> str:
    """What `code` prints in a new interpreter (nothing imported yet), stripped."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_import_is_cheap() -> None:
    # `import nir` must not import click, load any reference data, nor import an
    # integration's framework (installed in .[dev], so their absence is meaningful);
    # nor dataclasses (with inspect, ast, dis: a third of the import, see nir._frozen),
    # nor typing (with contextlib, see nir._tuples), importlib.util (nir._stdnum) or re
    # (nir._parse).
    code = (
        "import sys, nir; "
        "bad = [m for m in ('click', 'nir.cli', 'nir._geo', 'csv', 'dataclasses', 'inspect', "
        "'typing', 'contextlib', 'importlib.util', 're', "
        "'pydantic', 'nir.pydantic', "
        "'django', 'nir.django', 'fastapi', 'rest_framework', 'pyarrow', 'nir.arrow', 'pandas', "
        "'nir.pandas', 'polars', 'nir.polars', 'duckdb', 'nir.duckdb', 'nir._sheets', "
        "'python_calamine', 'xlsxwriter', 'dask', 'distributed', 'pyspark') "
        "if m in sys.modules]; "
        "print(bad)"
    )
    assert fresh_interpreter(code) == "[]"


def test_one_number_commands_start_lean() -> None:
    # What `nir check` / `nir --version` load (nir.cli and the core) leaves out what
    # only `nir csv` or the place data need; with the C core, no regex is built.
    code = (
        "import sys; before = set(sys.modules); import nir.cli, nir._fast; "
        "new = set(sys.modules) - before; "
        "print(sorted(m for m in ('pathlib', 'zlib', 'importlib.resources', 'nir._geo', "
        "'nir._csvio', 'json') if m in new), "
        "nir.core_implementation() != 'C extension' or nir._fast._FAST_STR is None)"
    )
    assert fresh_interpreter(code) == "[] True"


def test_version_reads_the_vintage_without_the_place_tables() -> None:
    # `nir --version` prints the data's vintage: the metadata file only, not nir._geo
    # and its imports (about 10 ms of the command).
    code = (
        "import contextlib, io, sys; import nir.cli; sys.argv = ['nir', '--version']\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit): nir.cli.main()\n"
        "print(out.getvalue().split(' (')[1][:18], "
        "sorted(m for m in ('nir._geo', 'pathlib', 'csv', 'dataclasses') if m in sys.modules))"
    )
    assert fresh_interpreter(code) == "reference data COG ['csv']"


def test_all_is_complete() -> None:
    for name in nir.__all__:
        assert hasattr(nir, name), name


# Each script runs in a fresh interpreter: (what it checks, the script). Every one
# prints "ok" when the classes nir raises are python-stdnum's very own.
STDNUM_ORDERS = [
    (
        "nir first, stdnum.fr.nir later: same classes, package attribute set",
        (
            "import sys, nir; assert 'stdnum' not in sys.modules, 'stdnum package imported'; "
            "import stdnum.exceptions, stdnum.fr.nir as s; "
            "assert stdnum.exceptions is sys.modules['stdnum.exceptions']; "
            "assert s.InvalidChecksum is stdnum.exceptions.InvalidChecksum; "
            "assert issubclass(nir.errors.InvalidKey, s.InvalidChecksum); "
            "e = None\n"
            "try: nir.validate('2 55 08 14 168 025 12')\n"
            "except s.InvalidChecksum as error: e = error\n"
            "assert e is not None; print('ok')"
        ),
    ),
    (
        "stdnum first, nir later: nir takes the module already imported",
        (
            "import sys, stdnum.fr.nir as s, nir; "
            "assert nir.errors.NirError.__mro__[1] is s.ValidationError; print('ok')"
        ),
    ),
    (
        "the module nir loads has the attributes importlib.util would give it",
        (
            "import sys, nir; m = sys.modules['stdnum.exceptions']; "
            "import importlib.util as u; "
            "r = u.module_from_spec(u.spec_from_file_location(m.__name__, m.__file__)); "
            "names = ('__name__', '__file__', '__cached__', '__package__'); "
            "assert [getattr(m, n) for n in names] == [getattr(r, n) for n in names]; "
            "fields = ('name', 'origin', 'cached', 'parent', 'has_location', "
            "'submodule_search_locations'); "
            "assert [getattr(m.__spec__, f) for f in fields] "
            "== [getattr(r.__spec__, f) for f in fields]; "
            "assert type(m.__loader__) is type(r.__loader__); "
            "assert m.__loader__ is m.__spec__.loader; "
            "print('ok')"
        ),
    ),
    (
        "from-import after nir: the same class objects",
        (
            "import nir; from stdnum.exceptions import InvalidLength; "
            "assert issubclass(nir.errors.InvalidLength, InvalidLength); print('ok')"
        ),
    ),
]


@pytest.mark.parametrize(("reason", "script"), STDNUM_ORDERS)
def test_stdnum_classes_whatever_the_import_order(reason: str, script: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert out.stdout.strip() == "ok", (reason, out.stderr)


def test_version_is_the_installed_one() -> None:
    # nir._version is the one place the version is written; the metadata reads it.
    from importlib.metadata import version  # slow: only this test needs it

    assert nir.__version__ == version("nir")


def test_the_command_starts_with_the_collector_paused_then_back() -> None:
    # nir._entry imports nir.cli with the collector off, then turns it back on (with a
    # larger youngest generation): the command runs with a working collector. What the
    # command leaves alive is frozen on the way out, even when it exits by an exception,
    # so the interpreter's last collection does not walk it.
    code = (
        "import gc, sys; sys.argv = ['nir', '--version']; from nir import _entry; "
        "import nir.cli; calls = []\n"
        "def command():\n"
        "    calls.append((gc.isenabled(), gc.get_freeze_count(), [[]]))\n"
        "    raise SystemExit(0)\n"
        "nir.cli.main = command\n"
        "try:\n"
        "    _entry.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(calls[0][0], 'nir.cli' in sys.modules, gc.get_threshold()[0] > 700, "
        "gc.get_freeze_count() > calls[0][1])"
    )
    assert fresh_interpreter(code) == "True True True True"


# Four threads each allocate, then malloc_info counts the process's arenas (glibc).
ARENAS = """
import ctypes, os, sys, tempfile, threading
from nir import _entry
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
def arenas():
    barrier, kept = threading.Barrier(5), []
    def work():
        kept.append(bytearray(1 << 16))
        barrier.wait()
        barrier.wait()
    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    barrier.wait()
    path = tempfile.mktemp()
    handle = libc.fopen(path.encode(), b"w")
    libc.malloc_info(0, handle)
    libc.fclose(handle)
    barrier.wait()
    for thread in threads:
        thread.join()
    with open(path) as report:
        count = report.read().count("<heap nr=")
    os.remove(path)
    return count
import nir.cli
if sys.argv[1] == "command":
    nir.cli.main = lambda: print(arenas())
    sys.argv = ["nir"]
    _entry.main()
else:
    print(arenas())
"""


@pytest.mark.skipif(
    nir.core_implementation() != "C extension" or platform.libc_ver()[0] != "glibc",
    reason="glibc's arenas, with the C core",
)
def test_the_command_s_threads_share_one_malloc_arena() -> None:
    # Each thread's own arena kept the buffers its scans freed: with many threads,
    # ~10-15 MB of peak memory. The command (not a library caller) shares one.
    def count(how: str, **environment: str) -> int:
        clean = {
            k: v for k, v in os.environ.items() if k not in {"MALLOC_ARENA_MAX", "GLIBC_TUNABLES"}
        }
        out = subprocess.run(
            [sys.executable, "-c", ARENAS, how],
            capture_output=True,
            text=True,
            check=True,
            env=clean | environment,
        )
        return int(out.stdout)

    assert count("library") > 1  # the test can tell: by default, an arena per thread
    assert count("command") == 1
    # a user's own setting wins: 3 arenas asked, 4 threads and the main one
    assert count("command", MALLOC_ARENA_MAX="3") == 3
    assert count("command", GLIBC_TUNABLES="glibc.malloc.arena_max=2") == 2


def test_python_dash_m_nir_is_the_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "nir", "check", "2 55 08 14 168 025 38"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
