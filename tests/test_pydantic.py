"""nir.pydantic: the NIR field in pydantic models and in a real FastAPI app."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

import pytest
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, ValidationError

import nir
from nir.pydantic import NIR, PATTERN, NIRValidator, translate_errors

from .strategies import numbers

VALID = "255081416802538"


class Employee(BaseModel):
    nir: NIR


class Strict(BaseModel):
    model_config = ConfigDict(hide_input_in_errors=True)

    nir: Annotated[
        str,
        NIRValidator(allow_temporary=False, warnings_as_errors=True, output="formatted", lang="fr"),
    ]


class Lenient(BaseModel):
    nir: Annotated[str, NIRValidator(allow_missing_key=True, lang="en")]


def errors_of(model: type[BaseModel], value: object) -> list[Any]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate({"nir": value})
    return list(caught.value.errors())


ACCEPTED = [
    # model, input, value the model holds, why
    (Employee, "2 55 08 14 168 025 38", VALID, "spaces dropped: the compact form is stored"),
    (Employee, "2.55.08.14.168.025.38", VALID, "dots too"),
    (Employee, "8 84 05 88 321 025 23", "884058832102523", "temporary numbers by default"),
    (Strict, VALID, "2 55 08 14 168 025 38", "output='formatted'"),
    (Lenient, "2 55 08 14 168 025", VALID, "allow_missing_key completes the key"),
]


@pytest.mark.parametrize(("model", "value", "held", "why"), ACCEPTED)
def test_accepted(model: type[BaseModel], value: str, held: str, why: str) -> None:
    assert model.model_validate({"nir": value}).model_dump() == {"nir": held}, why


REJECTED = [
    # model, input, type, ctx, message, why
    (Employee, "2 55 08 14 168 025 12", "nir_key", {"key": "12", "expected": "38"},
     "key is 12, expected 38", "the default language (English here) renders the message"),
    (Employee, "2 55 13 14 168 025 38", "nir_month", {"month": "13"}, None, "one type per code"),
    (Employee, "2 55 08 14 168 025", "nir_key_missing", {"expected": "38"}, None,
     "13 characters without allow_missing_key"),
    (Strict, "8 84 05 88 321 025 23", "nir_temporary", {"digit": "8"},
     "le premier chiffre 8 désigne un numéro provisoire, pas un NIR définitif", "lang='fr'"),
    (Strict, "2 53 07 2B 073 004 70", "nir_corsica_period",
     {"department": "2B", "year": 1953, "month": 7}, None, "a warning as error keeps its code"),
]  # fmt: skip


@pytest.mark.parametrize(("model", "value", "kind", "ctx", "message", "why"), REJECTED)
def test_rejected(
    model: type[BaseModel],
    value: str,
    kind: str,
    ctx: dict[str, object],
    message: str | None,
    why: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NIR_LANG", "en")
    [error] = errors_of(model, value)
    assert (error["type"], error["ctx"]) == (kind, ctx), why
    if message is not None:
        assert error["msg"] == message, why
    json.dumps(error["ctx"])  # JSON-safe: a handler that dumps it must not answer 500


def test_default_language_is_read_at_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIR_LANG", "fr")
    [error] = errors_of(Employee, "2 55 08 14 168 025 12")
    assert error["msg"] == "la clé est 12, elle devrait être 38"


def test_not_a_string_is_pydantics_error() -> None:
    # The str schema underneath: a JSON integer is `string_type`, as for any str field.
    [error] = errors_of(Employee, int(VALID))
    assert error["type"] == "string_type"


def test_hide_input_in_errors_keeps_the_number_out_of_the_text() -> None:
    with pytest.raises(ValidationError) as caught:
        Strict.model_validate({"nir": "2 55 08 14 168 025 12"})
    assert "168 025" not in str(caught.value)
    with pytest.raises(ValidationError) as shown:
        Employee.model_validate({"nir": "2 55 08 14 168 025 12"})
    assert "168 025 12" in str(shown.value)  # pydantic's default: why the docs say to hide it


def test_translate_errors_renders_again_and_drops_inputs() -> None:
    errors = errors_of(Employee, "2 55 08 14 168 025 12") + errors_of(Employee, int(VALID))
    translated = translate_errors(errors, "fr")
    assert [e["msg"] for e in translated] == [
        "la clé est 12, elle devrait être 38",
        errors[1]["msg"],  # pydantic's own errors keep pydantic's message
    ]
    assert all("input" not in e for e in translated)
    assert [e["type"] for e in translated] == ["nir_key", "string_type"]


def test_invalid_options_fail_at_definition() -> None:
    with pytest.raises(ValueError, match="output"):
        NIRValidator(output="spaced")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="language"):
        NIRValidator(lang="de")


def test_json_schema() -> None:
    schema = Strict.model_json_schema()["properties"]["nir"]
    assert schema["type"] == "string"
    assert schema["pattern"] == PATTERN
    assert schema["examples"] == ["2 55 08 14 168 025 38"]
    assert "social security" in schema["description"]
    assert Employee.model_json_schema()["properties"]["nir"]["examples"] == [VALID]


SEPARATORS = st.sampled_from([c for c in map(chr, range(0x3001)) if c.isspace()] + [".", "-"])


@given(numbers("123478"), st.lists(st.tuples(st.integers(0, 15), SEPARATORS), max_size=4))
def test_pattern_is_never_stricter_than_the_validator(
    number: str, inserts: list[tuple[int, str]]
) -> None:
    typed = number.lower()
    for position, separator in inserts:
        typed = typed[:position] + separator + typed[position:]
    typed = "'" + typed
    nir.validate(typed)  # the input is valid...
    assert re.match(PATTERN, typed), typed  # ...so the pattern accepts it


# --- a real FastAPI app: request body, query parameter, the 422 answer


def make_app(*, translate: bool) -> FastAPI:
    app = FastAPI()

    @app.post("/employees")
    def create(employee: Employee) -> dict[str, str]:
        return {"nir": employee.nir}

    @app.get("/check")
    def check(number: Annotated[NIR, Query()]) -> dict[str, str]:
        return {"nir": number}

    if translate:

        @app.exception_handler(RequestValidationError)
        async def answer(request: Request, exc: RequestValidationError) -> JSONResponse:
            lang = "fr" if request.headers.get("accept-language", "").startswith("fr") else "en"
            return JSONResponse({"detail": translate_errors(exc.errors(), lang)}, status_code=422)

    return app


def test_fastapi_accepts_and_normalises() -> None:
    client = TestClient(make_app(translate=False))
    answer = client.post("/employees", json={"nir": "2 55 08 14 168 025 38"})
    assert (answer.status_code, answer.json()) == (200, {"nir": VALID})
    answer = client.get("/check", params={"number": "2-55-08-14-168-025-38"})
    assert (answer.status_code, answer.json()) == (200, {"nir": VALID})


def test_fastapi_422_by_default_echoes_the_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIR_LANG", "en")
    client = TestClient(make_app(translate=False))
    [error] = client.post("/employees", json={"nir": "2 55 08 14 168 025 12"}).json()["detail"]
    assert error == {
        "type": "nir_key",
        "loc": ["body", "nir"],
        "msg": "key is 12, expected 38",
        "input": "2 55 08 14 168 025 12",  # FastAPI's default: hence translate_errors
        "ctx": {"key": "12", "expected": "38"},
    }


def test_fastapi_422_with_the_documented_handler() -> None:
    client = TestClient(make_app(translate=True))
    body = {"nir": "2 55 08 14 168 025 12"}
    french = client.post("/employees", json=body, headers={"Accept-Language": "fr-FR"})
    [error] = french.json()["detail"]
    assert french.status_code == 422
    assert error == {
        "type": "nir_key",
        "loc": ["body", "nir"],
        "msg": "la clé est 12, elle devrait être 38",
        "ctx": {"key": "12", "expected": "38"},
    }
    english = client.get("/check", params={"number": "2 55 13 14 168 025 38"})
    [error] = english.json()["detail"]
    assert (error["type"], error["loc"], "input" in error) == (
        "nir_month",
        ["query", "number"],
        False,
    )
    assert error["msg"].startswith("month 13 does not exist")


def test_fastapi_openapi_has_the_schema() -> None:
    schema = TestClient(make_app(translate=False)).get("/openapi.json").json()
    assert schema["components"]["schemas"]["Employee"]["properties"]["nir"]["pattern"] == PATTERN
