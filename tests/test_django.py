"""nir.django in a real Django project made here: SQLite, migrations, forms, the admin.

Django is configured once per process, so the project is module-scoped and no
other test module configures Django.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

django = pytest.importorskip("django")  # part of .[dev]: never skipped in `make test`

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import translation  # noqa: E402

from nir.django import NIRField, NIRFormField, NIRValidator, validate_nir  # noqa: E402

VALID = "255081416802538"
SPACED = "2 55 08 14 168 025 38"
BAD_KEY = "2 55 08 14 168 025 12"
KEY_FR = "la clé est 12, elle devrait être 38"
KEY_EN = "key is 12, expected 38"

MODELS = """
from django.db import models

from nir.django import NIRField, validate_nir


class Employee(models.Model):
    name = models.CharField(max_length=100)
    nir = NIRField(unique=True)
    nia = NIRField(allow_temporary=False, blank=True)
    legacy = models.CharField(max_length=30, blank=True, validators=[validate_nir])
"""

ADMIN = """
from django.contrib import admin

from hr.models import Employee

admin.site.register(Employee)
"""

URLS = """
from django.contrib import admin
from django.urls import path

urlpatterns = [path("admin/", admin.site.urls)]
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A project with one app, `hr`, migrated into a fresh SQLite database."""
    # Imported here: doctest collection probes module globals, which LazySettings refuses.
    from django.conf import settings

    root = tmp_path_factory.mktemp("hrsite")
    (root / "hr" / "migrations").mkdir(parents=True)
    for name, text in [
        ("hr/__init__.py", ""),
        ("hr/migrations/__init__.py", ""),
        ("hr/models.py", MODELS),
        ("hr/admin.py", ADMIN),
        ("hrsite_urls.py", URLS),
    ]:
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    sys.path.insert(0, str(root))
    settings.configure(
        SECRET_KEY="tests-only",  # noqa: S106  # a throwaway project
        ALLOWED_HOSTS=["testserver"],
        INSTALLED_APPS=[
            "django.contrib.admin",
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "hr",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ],
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                    ]
                },
            }
        ],
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(root / "db.sqlite3")}
        },
        ROOT_URLCONF="hrsite_urls",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        LANGUAGE_CODE="fr",  # the admin answers in French (no LocaleMiddleware)
        USE_I18N=True,
        USE_TZ=True,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],  # fast, tests only
    )
    django.setup()
    call_command("makemigrations", "hr", verbosity=0)
    call_command("migrate", verbosity=0)
    try:
        yield root
    finally:
        sys.path.remove(str(root))


def employee_model() -> Any:
    from django.apps import apps

    return apps.get_model("hr", "Employee")


def test_migration_holds_only_what_was_passed(project: Path) -> None:
    [migration] = (project / "hr" / "migrations").glob("0001_*.py")
    text = migration.read_text(encoding="utf-8")
    assert "nir.django.NIRField(unique=True)" in text  # max_length=15 is the default
    assert "nir.django.NIRField(allow_temporary=False, blank=True)" in text
    assert "nir.django.NIRValidator()" in text  # validate_nir on a plain CharField
    call_command("makemigrations", "hr", "--check", "--dry-run", verbosity=0)  # stable


DECONSTRUCTED = [
    # field, kwargs deconstruct() gives, why
    (NIRField(), {}, "defaults stay out of migrations"),
    (NIRField(max_length=20), {"max_length": 20}, "an explicit other length is kept"),
    (NIRField(allow_missing_key=True), {"allow_missing_key": True}, "options are kept"),
    (NIRField(warnings_as_errors=True, null=True), {"warnings_as_errors": True, "null": True},
     "with Django's own options"),
]  # fmt: skip


@pytest.mark.parametrize(("field", "kwargs", "why"), DECONSTRUCTED)
def test_deconstruct_rebuilds_the_field(
    project: Path, field: NIRField, kwargs: dict[str, Any], why: str
) -> None:
    _, path, args, given = field.deconstruct()
    assert (path, args, given) == ("nir.django.NIRField", [], kwargs), why
    rebuilt = NIRField(*args, **given)
    assert rebuilt.max_length == field.max_length
    assert rebuilt.nir_validator == field.nir_validator


def test_round_trip_stores_the_compact_form(project: Path) -> None:
    employee_class = employee_model()
    created = employee_class.objects.create(name="Ada", nir=SPACED)
    stored = employee_class.objects.get(pk=created.pk)
    assert stored.nir == VALID
    assert employee_class.objects.filter(nir="2.55.08.14.168.025.38").get().pk == created.pk
    created.delete()


def test_full_clean_reports_nir_codes(project: Path) -> None:
    employee = employee_model()(name="Bob", nir=BAD_KEY, nia="8 84 05 88 321 025 23")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        employee.full_clean()
    errors = caught.value.error_dict
    assert [e.code for e in errors["nir"]] == ["nir_key"]
    assert [e.code for e in errors["nia"]] == ["nir_temporary"]  # allow_temporary=False
    # Rendered when shown, in the language active then: LANGUAGE_CODE="fr" outside.
    assert caught.value.message_dict["nir"] == [KEY_FR]
    with translation.override("en"):
        assert caught.value.message_dict["nir"] == [KEY_EN]


def employee_form() -> Any:
    from django import forms

    class EmployeeForm(forms.ModelForm):  # type: ignore[type-arg]
        class Meta:
            model = employee_model()
            fields = ("name", "nir", "nia", "legacy")

    return EmployeeForm


FORM_ERRORS = [
    # language, field, value, message, why
    ("fr", "nir", BAD_KEY, KEY_FR, "Django's active language: French"),
    ("fr-ca", "nir", BAD_KEY, KEY_FR, "any French variant"),
    ("en", "nir", BAD_KEY, KEY_EN, "English"),
    ("de", "nir", BAD_KEY, KEY_EN, "a language nir does not speak: English"),
    ("en", "legacy", BAD_KEY, KEY_EN, "validate_nir on a plain CharField"),
    ("fr", "nia", "8 84 05 88 321 025 23",
     "le premier chiffre 8 désigne un numéro provisoire, pas un NIR définitif", "options"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "field", "value", "message", "why"), FORM_ERRORS)
def test_model_form_errors_in_the_active_language(
    project: Path, lang: str, field: str, value: str, message: str, why: str
) -> None:
    data = {"name": "Eve", "nir": VALID, "nia": "", "legacy": "", field: value}
    with translation.override(lang):
        form = employee_form()(data=data)
        assert not form.is_valid()
        assert form.errors[field] == [message], why


def test_model_form_cleans_what_people_type(project: Path) -> None:
    form = employee_form()(data={"name": "Eve", "nir": " 2.55.08.14.168.025.38 ", "nia": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nir"] == VALID
    assert 'value="2 55 08 14 168 025 38"' in str(form["nir"])  # shown formatted
    assert "maxlength" not in str(form["nir"])  # the spaced form must fit


FORM_FIELD = [
    # field, input, cleaned, why
    (NIRFormField(), "2-55-08-14-168-025-38", VALID, "hyphens"),
    (NIRFormField(allow_missing_key=True), "2 55 08 14 168 025", VALID, "key completed"),
    (NIRFormField(required=False), "", "", "empty when not required"),
    (NIRFormField(required=False, empty_value=None), "  ", None, "Django's empty_value"),
]


@pytest.mark.parametrize(("field", "value", "cleaned", "why"), FORM_FIELD)
def test_form_field_clean(
    project: Path, field: NIRFormField, value: str, cleaned: str | None, why: str
) -> None:
    assert field.clean(value) == cleaned, why


def test_validator_equality_and_codes(project: Path) -> None:
    assert validate_nir == NIRValidator()
    assert NIRValidator(allow_missing_key=True) != validate_nir
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        validate_nir("2 55 13 14 168 025 38")
    assert (caught.value.code, caught.value.params) == ("nir_month", {"month": "13"})
    assert "255131416802538" not in caught.value.messages[0]


def test_admin_change_form(project: Path) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    admin_user = User.objects.create_superuser("admin", "a@example.org", "pw")
    employee = employee_model().objects.create(name="Zoé", nir=VALID)
    client = Client()
    client.force_login(admin_user)
    page = f"/admin/hr/employee/{employee.pk}/change/"

    shown = client.get(page)
    assert shown.status_code == 200
    assert 'value="2 55 08 14 168 025 38"' in shown.content.decode()

    data = {"name": "Zoé", "nir": BAD_KEY, "nia": "", "legacy": "", "_save": "Enregistrer"}
    refused = client.post(page, data)
    assert refused.status_code == 200  # the form again, with the error
    assert KEY_FR in refused.content.decode()  # LANGUAGE_CODE="fr"
    employee.refresh_from_db()
    assert employee.nir == VALID

    data["nir"] = "1 82 08 974 01 154 75"
    saved = client.post(page, data)
    assert saved.status_code == 302
    employee.refresh_from_db()
    assert employee.nir == "182089740115475"
