"""Read gettext `.po` catalogues and compile them to `.mo`, with the standard library only.

Used twice: by ``setup.py`` at build time, so that wheels ship compiled ``.mo``
files, and by `nir.messages` when a source checkout or an editable install has
no ``.mo`` beside the ``.po`` (it then compiles in memory, once per process).
The subset of the ``.po`` syntax read here is the one our catalogues use:
``msgid``, ``msgid_plural``, ``msgstr``, ``msgstr[N]``, comments, and strings
continued on the next lines. No ``msgctxt``: our msgids are unique keys.
"""

from __future__ import annotations

import ast
import struct
from pathlib import Path

# One entry: its msgid (with "\0" + msgid_plural for plural entries) -> its msgstr
# (plural forms joined by "\0"), as the .mo format stores them.
Catalogue = dict[str, str]

_MO_MAGIC = 0x950412DE


class PoError(ValueError):
    """A .po file this reader does not understand: says which line."""


def read_po(text: str, name: str = "<po>") -> Catalogue:
    """The entries of a .po file, the header (msgid "") included."""
    entries: Catalogue = {}
    fields: dict[str, str] = {}
    current: str | None = None

    def finish(line_number: int) -> None:
        if not fields:
            return
        if "msgid" not in fields:
            raise PoError(f"{name}:{line_number}: an entry without msgid")
        msgid = fields["msgid"]
        if "msgid_plural" in fields:
            msgid += "\0" + fields["msgid_plural"]
            forms = sorted(key for key in fields if key.startswith("msgstr["))
            if not forms:
                raise PoError(f"{name}:{line_number}: plural entry {msgid!r} has no msgstr[N]")
            msgstr = "\0".join(fields[key] for key in forms)
        else:
            msgstr = fields.get("msgstr", "")
        if msgid in entries:
            raise PoError(f"{name}:{line_number}: msgid {fields['msgid']!r} appears twice")
        entries[msgid] = msgstr
        fields.clear()

    for line_number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line:
                finish(line_number)
            continue
        if line.startswith('"'):
            if current is None:
                raise PoError(f"{name}:{line_number}: a string continues no field")
            fields[current] += _string(line, name, line_number)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid" and "msgid" in fields:
            finish(line_number)
        if keyword not in ("msgid", "msgid_plural", "msgstr") and not (
            keyword.startswith("msgstr[") and keyword.endswith("]")
        ):
            raise PoError(f"{name}:{line_number}: unknown keyword {keyword!r}")
        current = keyword
        fields[current] = _string(rest.strip(), name, line_number)
    finish(len(text.splitlines()) + 1)
    return entries


def _string(literal: str, name: str, line_number: int) -> str:
    """A C-style double-quoted .po string, unescaped."""
    if len(literal) < 2 or not (literal.startswith('"') and literal.endswith('"')):
        raise PoError(f"{name}:{line_number}: expected a double-quoted string")
    try:
        value = ast.literal_eval(literal)
    except (SyntaxError, ValueError) as error:
        raise PoError(f"{name}:{line_number}: bad string: {error}") from None
    assert isinstance(value, str)
    return value


def mo_bytes(entries: Catalogue) -> bytes:
    """The GNU .mo encoding of `entries` (what `gettext.GNUTranslations` reads)."""
    keys = sorted(entries)  # the format wants msgids sorted, for binary search
    ids = [key.encode() for key in keys]
    strs = [entries[key].encode() for key in keys]
    count = len(keys)
    header_size = 7 * 4
    ids_table = header_size
    strs_table = ids_table + count * 8
    data_start = strs_table + count * 8
    offsets: list[int] = []
    data = bytearray()
    for blob in ids + strs:
        offsets.extend((len(blob), data_start + len(data)))
        data += blob + b"\0"
    header = struct.pack("<7I", _MO_MAGIC, 0, count, ids_table, strs_table, 0, 0)
    return header + struct.pack(f"<{4 * count}I", *offsets) + bytes(data)


def compile_po(source: Path, target: Path) -> None:
    """Compile one .po file to a .mo file (the build step)."""
    entries = read_po(source.read_text(encoding="utf-8"), str(source))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(mo_bytes(entries))
