"""Shared fixtures: one user per role, logged-in clients, and a donor organisation.

Domain objects are made through the real services (see tests/factories.py).
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import translation

from kierratys import roles
from tests.kierratys import programme
from tests.support import SmtpServer

_roles_migration = importlib.import_module("kierratys.migrations.0002_roles")


@pytest.fixture(autouse=True)
def _finnish_by_default():
    # A request in another language leaves it active in the thread; each test
    # starts in Finnish, as the application does.
    with translation.override("fi"):
        yield


@pytest.fixture(autouse=True)
def _two_factor_optional(settings):
    # Off whatever the environment says (a .env may turn it on): tests log users in with a
    # password only; tests/accounts/test_two_factor.py turns it on where it is the subject.
    settings.REQUIRE_2FA = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs about half a second per user here; tests do not need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (tests/support.SmtpServer: .host, .port, .messages),
    with Django's SMTP backend pointed at it and mail counted as configured."""
    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.MAIL_CONFIGURED = True
    yield server
    server.stop()


def role_group(name):
    """The role's group; recreated by the data migration's own code after a
    transactional test (live server, race tests) has flushed the tables."""
    group = Group.objects.filter(name=name).first()
    if group is None:
        _roles_migration.create_roles(apps, None)
        group = Group.objects.get(name=name)
    return group


def make_user(django_user_model, username, role=None, **extra):
    user = django_user_model.objects.create_user(
        username=username, password="test-pass-1234", **extra
    )
    if role:
        user.groups.add(role_group(role))
    if role == roles.COORDINATOR:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def coordinator(django_user_model):
    return make_user(django_user_model, "koordinaattori", roles.COORDINATOR, first_name="Kaisa")


@pytest.fixture
def technician(django_user_model):
    return make_user(django_user_model, "teknikko", roles.TECHNICIAN, first_name="Teemu")


@pytest.fixture
def coach(django_user_model):
    return make_user(django_user_model, "valmentaja", roles.COACH, first_name="Veera")


@pytest.fixture
def other_coach(django_user_model):
    return make_user(django_user_model, "valmentaja2", roles.COACH, first_name="Ville")


@pytest.fixture
def donor_user(django_user_model, donor):
    user = make_user(django_user_model, "lahjoittaja", roles.DONOR, first_name="Laura")
    donor.users.add(user)
    return user


@pytest.fixture
def other_donor_user(django_user_model, other_donor):
    user = make_user(django_user_model, "lahjoittaja2", roles.DONOR)
    other_donor.users.add(user)
    return user


@pytest.fixture
def donor(db):
    from devices.models import Donor

    return Donor.objects.create(
        name="Hämeen ammattikorkeakoulu",
        kind=Donor.Kind.SCHOOL,
        business_id="1629284-5",
        contact_person="Outi Oksanen",
        email="it@example.fi",
    )


@pytest.fixture
def other_donor(db):
    from devices.models import Donor

    return Donor.objects.create(
        name="Konepaja Virtanen Oy", kind=Donor.Kind.COMPANY, business_id="0112038-9"
    )


@pytest.fixture
def known(donor, other_donor, technician, coach, coordinator):
    """The small programme with known figures (tests/kierratys/programme.py)."""
    return programme.build(
        donor=donor,
        other_donor=other_donor,
        technician=technician,
        coach=coach,
        coordinator=coordinator,
    )


def _logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def coordinator_client(client, coordinator):
    return _logged_in(client, coordinator)


@pytest.fixture
def technician_client(client, technician):
    return _logged_in(client, technician)


@pytest.fixture
def coach_client(client, coach):
    return _logged_in(client, coach)


@pytest.fixture
def donor_client(client, donor_user):
    return _logged_in(client, donor_user)
