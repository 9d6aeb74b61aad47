"""`name_key` folds a name in one `str.translate`: the same words as fold + a split.

The table behind it is filled character by character; the property below holds
it to the definition it replaces (`fold`, then words of [0-9a-z]), on any text.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nir._identity_values import fold, name_key

_WORDS = re.compile(r"[^0-9a-z]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def _by_definition(name: str) -> str:
    """The words of `fold(name)`, St and Ste spelt out: what name_key means."""
    words = _WORDS.split(fold(name))
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words if word)


@pytest.mark.parametrize(
    ("name", "key", "reason"),
    [
        ("St-Étienne", "saint etienne", "abbreviation, accent, hyphen"),
        ("SAINTE-MÈRE-ÉGLISE", "sainte mere eglise", "upper case accents"),
        ("L'Haÿ-les-Roses", "l hay les roses", "apostrophe, diaeresis"),
        ("  Œuilly. ", "uilly", "Œ has no decomposition: outside [0-9a-z], a separator"),
        ("Straße", "strasse", "case folding makes two letters of ß"),
        ("ﬁgari", "figari", "NFKD splits the ligature"),
        ("Stes-Maries", "stes maries", "only whole words are abbreviations"),
        ("..", "", "no word at all"),
        ("Paris 1er", "paris 1er", "digits are word characters"),
    ],
)
def test_name_key(name: str, key: str, reason: str) -> None:
    assert name_key(name) == key == _by_definition(name), reason


@given(st.text())
def test_name_key_is_fold_and_split(name: str) -> None:
    assert name_key(name) == _by_definition(name)
